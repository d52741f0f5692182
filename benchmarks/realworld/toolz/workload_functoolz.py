"""A data transform built with toolz.functoolz: composed and curried record cleaners over a batch."""

from __future__ import annotations

from toolz import functoolz as fz


@fz.curry
def clip(low: int, high: int, value: int) -> int:
    return max(low, min(high, value))


def run() -> list[int]:
    clean = fz.compose(clip(0, 1000), abs, lambda v: v * 3 - 700, int)
    twice = fz.compose_left(clean, lambda v: v + 1, clean)
    return [fz.pipe(i, clean, twice, str, len) for i in range(40000)]
