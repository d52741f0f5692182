"""A data-cleaning step with more-itertools recipes: dedupe, batch and pair up a stream of events."""

from __future__ import annotations

from more_itertools import recipes as r

EVENTS = [(f"user{i * 7 % 301}", i * 13 % 17, f"e{i % 1000}") for i in range(100000)]


def run() -> list[object]:
    firsts = list(r.unique_everseen(EVENTS, key=lambda e: e[0]))
    distinct = list(r.unique_everseen(e[2] for e in EVENTS))
    batches = sum(1 for _ in r.grouper(EVENTS, 64, incomplete="fill", fillvalue=None))
    deltas = sum(b[1] - a[1] for a, b in r.pairwise(EVENTS))
    runs = list(r.unique_justseen(e[1] // 4 for e in EVENTS))
    return [len(firsts), len(distinct), batches, deltas, len(runs), r.quantify(EVENTS, lambda e: e[1] > 8)]
