"""RecursiveSelfOptimizer: coroutines over real runs; cancelling stops cleanly."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from fibproject import make_fib_project

from evolver import RecursiveSelfOptimizer
from evolver.api.watch import StopToken, Watch
from evolver.errors import EvolverError


def test_a_stop_requested_before_the_first_cycle_runs_nothing(tmp_path: Path) -> None:
    from evolver import SelfImprovementLoop

    token = StopToken()
    token.request("SIGTERM received")
    with SelfImprovementLoop(make_fib_project(tmp_path / "proj"), workspace_path=tmp_path / "ws") as loop:
        summary = Watch(loop, token).run(max_cycles=3, cycle_interval=0)
    assert summary.stopped == "SIGTERM received"
    assert [r.notes for r in summary.cycles] == [["stopped during the cycle: SIGTERM received"]]


@pytest.mark.slow
def test_clone_test_deploy_and_the_continuous_loop(tmp_path: Path) -> None:
    path = make_fib_project(tmp_path / "proj")
    original = path.read_bytes()

    async def scenario() -> tuple[dict[str, object], dict[str, object], float]:
        opt = RecursiveSelfOptimizer(path, workspace_path=tmp_path / "ws", auto_deploy=True,
                                     performance_threshold=0.5, max_pairs=10)
        try:
            analysis = await opt.analyze()
            ticks = 0

            async def ticker() -> None:  # the event loop stays free while evolver works
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.05)
                    ticks += 1

            tick = asyncio.create_task(ticker())
            clone = await opt.create_improved_clone(analysis)
            tick.cancel()
            assert clone is not None and clone.transforms == ["memoize@fib:fib"]
            assert ticks > 20
            tested = await opt.test_clone_performance(clone)
            assert tested["success"] and tested["passes_threshold"]
            assert path.read_bytes() == original
            # continuous mode: nothing promoted to check; evolves again and auto-deploys the clone
            summary = await opt.start_continuous_self_improvement(max_cycles=1, cycle_interval=0)
            assert b"lru_cache" in path.read_bytes()
            with pytest.raises(EvolverError, match="changed since"):  # the first clone is stale now
                await opt.deploy_improved_clone(clone)
            # cancelled in the middle of a cycle (re-measuring the deployed clone), it stops at the next step and returns promptly
            task = asyncio.create_task(opt.start_continuous_self_improvement(max_cycles=5, cycle_interval=0))
            await asyncio.sleep(3)
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return tested, summary, time.monotonic() - started
        finally:
            opt.close()

    _tested, summary, stop_s = asyncio.run(scenario())
    assert summary["cycles"] == 1 and summary["rolled_back"] == []
    assert summary["deployed"] == summary["clones_created"] and len(summary["deployed"]) == 1  # type: ignore[arg-type]
    assert stop_s < 60
    assert path.read_bytes() != original
