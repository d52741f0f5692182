"""evolver: rewrite a Python module into faster, sturdier generations, proven by measurement."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["RecursiveSelfOptimizer", "SelfImprovementLoop", "__version__"]


def __getattr__(name: str) -> Any:
    # The API is imported on first use, so `import evolver` stays light and free of cycles.
    if name in ("SelfImprovementLoop", "RecursiveSelfOptimizer"):
        from evolver import api

        return getattr(api, name)
    raise AttributeError(f"module 'evolver' has no attribute {name!r}")
