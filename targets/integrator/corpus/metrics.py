"""Descriptive statistics for latency samples: percentiles, histograms, smoothing."""

from __future__ import annotations

import math
from collections import Counter


def mean(values: list[float]) -> float:
    if not values:
        raise ValueError("mean of no values")
    return sum(values) / len(values)


def variance(values: list[float], sample: bool = True) -> float:
    center = mean(values)
    squares = sum((v - center) ** 2 for v in values)
    denominator = len(values) - 1 if sample and len(values) > 1 else len(values)
    return squares / denominator


def percentile(values: list[float], q: float) -> float:
    if not 0 <= q <= 100:
        raise ValueError("q must be within 0..100")
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def histogram(values: list[float], buckets: int = 10) -> list[tuple[float, float, int]]:
    if not values:
        return []
    low, high = min(values), max(values)
    width = (high - low) / buckets or 1.0
    counts = Counter(min(int((v - low) / width), buckets - 1) for v in values)
    return [(low + i * width, low + (i + 1) * width, counts.get(i, 0)) for i in range(buckets)]


def moving_average(values: list[float], window: int) -> list[float]:
    if window <= 0:
        raise ValueError("window must be positive")
    averages: list[float] = []
    running = 0.0
    for index, value in enumerate(values):
        running += value
        if index >= window:
            running -= values[index - window]
        averages.append(running / min(index + 1, window))
    return averages


def ewma(values: list[float], alpha: float = 0.2) -> list[float]:
    smoothed: list[float] = []
    for value in values:
        if not smoothed:
            smoothed.append(value)
        else:
            smoothed.append(alpha * value + (1 - alpha) * smoothed[-1])
    return smoothed


def summarize(values: list[float]) -> dict[str, float]:
    return {
        "count": float(len(values)),
        "mean": mean(values),
        "stdev": math.sqrt(variance(values)) if len(values) > 1 else 0.0,
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values),
    }


def outliers(values: list[float], k: float = 1.5) -> list[float]:
    q1, q3 = percentile(values, 25), percentile(values, 75)
    spread = q3 - q1
    return [v for v in values if v < q1 - k * spread or v > q3 + k * spread]
