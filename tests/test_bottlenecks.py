from __future__ import annotations

from evolver.analysis.bottlenecks import find_bottlenecks
from evolver.model import FunctionProfile, Profile, Thresholds


def test_metrics_above_target_become_bottlenecks() -> None:
    profile = Profile(total_s=1.0, functions=(
        FunctionProfile("m:slow", calls=1, tottime_s=0.8, cumtime_s=0.9, share=0.9),
        FunctionProfile("m:main", calls=1, tottime_s=0.1, cumtime_s=1.0, share=1.0),
    ))
    found = find_bottlenecks({"wall_time_ms": 400.0, "peak_memory_mb": 50.0, "cpu_percent": 40.0,
                              "error_count": 3}, Thresholds(wall_time_ms=100.0), profile)
    by_metric = {b.metric: b for b in found}
    assert set(by_metric) == {"wall_time_ms", "error_count"}
    wall = by_metric["wall_time_ms"]
    assert wall.severity == "high" and wall.impact == 75.0 and wall.where == "m:slow"
    errors = by_metric["error_count"]
    assert errors.severity == "high" and errors.impact == 75.0 and errors.where is None


def test_severity_scale_and_order() -> None:
    found = find_bottlenecks({"wall_time_ms": 120.0, "peak_memory_mb": 6000.0},
                             Thresholds(wall_time_ms=100.0, peak_memory_mb=500.0))
    assert [(b.metric, b.severity) for b in found] == [("peak_memory_mb", "critical"),
                                                       ("wall_time_ms", "low")]


def test_nothing_above_target() -> None:
    assert find_bottlenecks({"wall_time_ms": 10.0, "error_count": 0}, Thresholds()) == []
