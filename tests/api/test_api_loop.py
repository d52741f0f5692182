"""SelfImprovementLoop driven as a user scripts it, on a real project with real runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fibproject import make_fib_project

from evolver import RecursiveSelfOptimizer, SelfImprovementLoop
from evolver.errors import EvolverError
from evolver.history import StatusError


def test_settings_come_from_the_pyproject_and_the_call(tmp_path: Path) -> None:
    path = make_fib_project(tmp_path / "proj", 'max_cycles = 4\ncycle_interval = 60\nauto_deploy = true\n'
                            '[tool.evolver.thresholds]\nwall_time_ms = 5\n')
    with SelfImprovementLoop(path, workspace_path=tmp_path / "ws", performance_threshold=0.25) as loop:
        s = loop.settings
        assert (s.max_cycles, s.cycle_interval, s.auto_deploy, s.performance_threshold) == (4, 60.0, True, 0.25)
        assert s.thresholds.wall_time_ms == 5.0
    with SelfImprovementLoop(make_fib_project(tmp_path / "other"), workspace_path=tmp_path / "ws") as loop:
        assert (loop.settings.performance_threshold, loop.settings.auto_deploy) == (0.10, False)
    assert RecursiveSelfOptimizer.__module__ == "evolver.api.optimizer"


@pytest.mark.parametrize("settings, message", [
    ({"auto_deploy": "yes"}, "auto_deploy must be true or false"),
    ({"max_cycles": 0}, "max_cycles must be a positive integer"),
    ({"performance_threshold": 1.5}, "performance_threshold must be a fraction"),
    ({"no_such_setting": 1}, "unknown setting 'no_such_setting'"),
])
def test_bad_settings_are_one_line_errors(tmp_path: Path, settings: dict[str, object], message: str) -> None:
    path = make_fib_project(tmp_path / "proj")
    with pytest.raises(EvolverError, match=message):
        SelfImprovementLoop(path, workspace_path=tmp_path / "ws", **settings)


def test_unknown_improvement_and_metric(tmp_path: Path) -> None:
    with SelfImprovementLoop(make_fib_project(tmp_path / "proj"), workspace_path=tmp_path / "ws") as loop:
        with pytest.raises(StatusError, match="unknown improvement 42"):
            loop.apply_improvement(42)
        with pytest.raises(EvolverError, match="unknown metric 'speed'"):
            loop.get_performance_trend("speed")
        assert loop.get_stats()["total_improvements"] == 0


@pytest.mark.slow
def test_the_seed_usage_end_to_end(tmp_path: Path) -> None:
    path = make_fib_project(tmp_path / "proj", "[tool.evolver.thresholds]\nwall_time_ms = 0.2\n")
    original = path.read_bytes()
    with SelfImprovementLoop(path, workspace_path=tmp_path / "ws") as loop:
        analysis = loop.analyze_own_performance()
        assert analysis["metrics"]["wall_time_ms"] > 0.2
        assert analysis["hotspots"][0]["function"] == "fib:fib"
        bottlenecks = loop.identify_bottlenecks()
        # which metric ranks first depends on the machine (a CPU-bound workload is also above the
        # 90% CPU target, and on a fast machine its impact can outrank the time's): the order is
        # by impact, and the time's bottleneck points at the hotspot
        assert [b["impact"] for b in bottlenecks] == sorted((b["impact"] for b in bottlenecks), reverse=True)
        (wall,) = [b for b in bottlenecks if b["metric"] == "wall_time_ms"]
        assert wall["location"] == "fib:fib" and wall["value"] == analysis["metrics"]["wall_time_ms"], bottlenecks

        (suggestion,) = loop.generate_improvements(max_suggestions=3)
        assert suggestion["suggestion_type"] == "memoize" and suggestion["status"] == "proposed"
        assert "+@functools.lru_cache(maxsize=None)\n" in suggestion["code_changes"]
        assert 0 < suggestion["confidence"] <= 1
        with pytest.raises(StatusError, match="it has not been tested yet; only an approved improvement"):
            loop.apply_improvement(suggestion["id"])

        result = loop.test_improvement(suggestion["id"])
        assert result["success"] and result["errors"] == []
        assert result["performance_after"]["wall_time_ms"] < result["performance_before"]["wall_time_ms"]
        low, high = result["confidence_interval_percent"]
        assert 0 < low <= result["performance_change_percent"] <= high
        assert path.read_bytes() == original  # testing never touches the user's file
        (run,) = [r for r in loop.history.rows("test_results") if r["improvement_id"] == suggestion["id"]]
        assert run["passed"] and run["tests_run"] > 0  # the candidate's test run is in the history

        assert loop.apply_improvement(suggestion["id"]) is True
        assert b"lru_cache" in path.read_bytes()
        (entry,) = loop.get_improvement_history(limit=10)
        assert (entry["status"], entry["generation"]) == ("applied", result["generation"])

        trend = loop.get_performance_trend("wall_time_ms", hours=1)
        assert trend["points"] and trend["points"][0]["value"] == analysis["metrics"]["wall_time_ms"]
        stats = loop.get_stats()
        assert stats["total_performance_snapshots"] >= 1 and stats["unresolved_bottlenecks"] == 0
        assert (stats["successfully_applied"], stats["success_rate"]) == (1, 1.0)

        assert loop.rollback_improvement(suggestion["id"], reason="checking the API") is True
        assert path.read_bytes() == original
        entry = loop.get_improvement_history()[0]
        assert (entry["status"], entry["rollback_reason"]) == ("rolled_back", "checking the API")
        with pytest.raises(StatusError, match="it was rolled back; only an approved improvement"):
            loop.apply_improvement(suggestion["id"])
        assert loop.get_stats()["rollbacks"] == 1
