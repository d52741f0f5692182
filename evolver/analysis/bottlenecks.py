"""Measured metrics against their targets: which are bottlenecks, how bad, how much they matter."""

from __future__ import annotations

from collections.abc import Mapping

from evolver.model import Bottleneck, Profile, Severity, Thresholds

UNITS = {"wall_time_ms": "ms", "peak_memory_mb": "MB", "cpu_percent": "%", "error_count": "errors"}


def _severity(excess: float) -> Severity:
    """``excess`` is measured / target (> 1 for every bottleneck)."""
    if excess < 1.5:
        return "low"
    if excess < 3:
        return "medium"
    if excess < 10:
        return "high"
    return "critical"


def _hotspot(profile: Profile | None) -> str | None:
    """The function with the largest own share of time, the first place to look."""
    if profile is None or not profile.functions:
        return None
    return max(profile.functions, key=lambda f: f.tottime_s).qualname


def find_bottlenecks(metrics: Mapping[str, float], thresholds: Thresholds,
                     profile: Profile | None = None) -> list[Bottleneck]:
    """Every metric above its target, worst impact first.

    Impact is the share of the measured value that lies above the target (0-100); for counts whose
    target is zero, 25 points per occurrence, capped at 100.
    """
    found = []
    for metric in UNITS:
        if metric not in metrics:
            continue
        value = float(metrics[metric])
        target = float(getattr(thresholds, metric))
        if value <= target:
            continue
        if target > 0:
            excess, impact = value / target, 100.0 * (1.0 - target / value)
        else:
            excess, impact = 1.0 + value, min(100.0, 25.0 * value)
        where = _hotspot(profile) if metric == "wall_time_ms" else None
        found.append(Bottleneck(metric=metric, value=value, target=target, severity=_severity(excess),
                                impact=round(impact, 1), where=where))
    return sorted(found, key=lambda b: -b.impact)
