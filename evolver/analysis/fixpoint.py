"""Least fixpoints over facts that depend on each other (a function's return type reading its own
result, an attribute's kinds reading what is stored into it): iterate from "nothing yet" until
nothing changes. A fact computed while reading another fact still being solved is provisional:
used, never kept.
"""

from __future__ import annotations

from collections.abc import Callable

from evolver.analysis import kinds as k
from evolver.analysis.index import ModuleIndex

MAX_ROUNDS = 8


def provisional(index: ModuleIndex) -> list[object]:
    """The functions whose return type, still being computed, has been read (in order)."""
    return index.cache.setdefault("provisional-reads", [])


def solve(index: ModuleIndex, key: object, step: Callable[[k.Type], k.Type]) -> k.Type:
    """The least fixpoint of ``step`` (the next guess from the current one), from "nothing yet".
    A fact computed while reading another fact still being solved is provisional: used, never
    kept (``facts`` does not cache a function's facts that read one either)."""
    cache = index.cache
    if key in cache:
        return cache[key]
    progress = cache.setdefault("progress", {})
    reads = provisional(index)
    if key in progress:
        reads.append(key)
        return progress[key]
    progress[key] = k.EMPTY
    start = len(reads)
    for _ in range(MAX_ROUNDS):
        found = step(progress[key])
        if found == progress[key]:
            break
        progress[key] = found
    else:
        found = k.UNKNOWN
    del progress[key]
    others = [n for n in reads[start:] if n != key]
    reads[start:] = others
    if not others:
        cache[key] = found
    return found
