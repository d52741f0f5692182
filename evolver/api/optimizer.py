"""``RecursiveSelfOptimizer``: the continuous loop as coroutines.

Every method runs its blocking work (sandboxes, measurements, file writes) in a worker thread,
so the event loop stays free. Cancelling a coroutine asks the work to stop at its next step and
waits for it to unwind: no thread is left running, no scratch folder left behind, and a promote
in progress finishes first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from evolver.api import engine
from evolver.api.loop import SelfImprovementLoop
from evolver.api.watch import Clone, CycleReport, StopToken, Watch
from evolver.config import read_source
from evolver.model import source_hash

T = TypeVar("T")


class RecursiveSelfOptimizer:
    """Analyze a module, create improved clones (generations), test and deploy them, and run
    the continuous loop with automatic rollback. ``settings`` as for
    :class:`SelfImprovementLoop` (``max_cycles``, ``cycle_interval``, ``auto_deploy``,
    ``performance_threshold``, ``bench``, ...)."""

    def __init__(self, target: str | Path, workspace_path: str | Path | None = None, *,
                 db_path: str | Path | None = None, **settings: Any) -> None:
        self.loop = SelfImprovementLoop(target, db_path=db_path, workspace_path=workspace_path, **settings)
        self._stop = StopToken()
        self.watch = Watch(self.loop, self._stop)

    async def _run(self, work: Callable[[], T]) -> T:
        """``work()`` in a thread; on cancellation, stop it at its next step and wait for it."""
        if self._stop.requested:  # an earlier call was cancelled: this one starts afresh
            self._stop = self.watch.stop = StopToken()
        future = asyncio.ensure_future(asyncio.to_thread(work))
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            self._stop.request("cancelled")
            try:
                await future
            except Exception:
                pass  # the work unwound at its next step (Stopped): that is the cancellation
            raise

    async def analyze(self) -> dict[str, Any]:
        """Metrics, bottlenecks and hotspots of the module as it is now."""
        return await self._run(self.loop.analyze_own_performance)

    async def create_improved_clone(self, analysis: dict[str, Any] | None = None) -> Clone | None:
        """One evolve run from the module as it is now; its last generation is the clone (None
        when nothing significant was found). ``analysis`` is informative only: evolve measures
        the parent itself."""
        return await self._run(self.watch.create_clone)

    async def test_clone_performance(self, clone: Clone) -> dict[str, Any]:
        """Judge the clone against the module as it is now, with the evolve judge."""

        def work() -> dict[str, Any]:
            loop = self.loop
            current = read_source(loop.target.path)
            gen = loop.store.get(clone.generation)
            verdict = engine.judge_candidate(loop.target, loop.settings, current, gen.read_source(),
                                             notify=loop.notify, cancel=self._stop.event,
                                             recorder=engine.RecordTests(loop.history, loop.session_id, None))
            cmp = verdict.comparison
            return {"success": verdict.status == "approved", "status": verdict.status, "reason": verdict.reason,
                    "performance_change_percent": (1 - cmp.ratio) * 100 if cmp else None,
                    "passes_threshold": cmp is not None and verdict.status == "approved"
                    and 1 - cmp.ci_high >= loop.settings.performance_threshold,
                    "same_parent": source_hash(current) == clone.parent_source_hash}

        return await self._run(work)

    async def deploy_improved_clone(self, clone: Clone) -> bool:
        """Promote the clone (atomic, hash-checked; refused if the module changed since)."""
        return await self._run(lambda: self.watch.deploy(clone))

    async def start_continuous_self_improvement(self, max_cycles: int | None = None,
                                                cycle_interval: float | None = None,
                                                on_cycle: Callable[[CycleReport], None] | None = None
                                                ) -> dict[str, Any]:
        """Cycles of check / roll back / evolve / deploy (see :mod:`evolver.api.watch`); defaults
        from the settings. Returns the clones made, deployed and rolled back."""
        self._stop = self.watch.stop = StopToken()
        self.watch.on_cycle = on_cycle
        summary = await self._run(lambda: self.watch.run(max_cycles, cycle_interval))
        return summary.as_dict()

    def stop(self, reason: str = "stop requested") -> None:
        """Ask the running loop to stop at its next step."""
        self._stop.request(reason)

    def close(self) -> None:
        self.loop.close()
