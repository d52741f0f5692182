"""The Python API: the evolve pipeline step by step (``SelfImprovementLoop``) and the continuous
loop with automatic rollback (``RecursiveSelfOptimizer``, coroutines; ``Watch`` underneath)."""

from __future__ import annotations

from evolver.api.loop import SelfImprovementLoop
from evolver.api.optimizer import RecursiveSelfOptimizer
from evolver.api.watch import Clone, StopToken, Watch

__all__ = ["Clone", "RecursiveSelfOptimizer", "SelfImprovementLoop", "StopToken", "Watch"]
