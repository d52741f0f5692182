"""From race entries to the ``Comparison`` values the rest of evolver reads, and ``compare``: one
candidate against its parent (``evolver compare``, the benchmarks, the final measurement).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evolver.evaluate.footprint import cpu_of, instruction_counts, memory_of, memory_runs
from evolver.evaluate.race import Entry, Race
from evolver.evaluate.stats import p_value
from evolver.evaluate.workers import Bench, pair_cpu, windows_for
from evolver.model import Comparison, to_json


def comparison_of(entry: Entry, race: Race, *, memory: bool | None = None, instructions: bool | None = None,
                  clock_rng: np.random.Generator | None = None) -> Comparison:
    """The comparison of a decided entry. Memory and CPU come from the timing workers' figures
    (``memory=None``: only for a faster candidate) or, with ``memory=True``, from runs of the memory
    mode of their own (adding the tracemalloc peak); instructions when asked (default: the parent's
    ``settings.instructions``)."""
    assert entry.verdict is not None and entry.stats is not None
    parent, candidate = race.parent[0], entry.benches[0]
    settings = parent.settings
    stats = entry.stats
    extra: dict[str, Any] = {
        "seed_pairs": entry.seeds, "order": entry.orders, "windows": windows_for(parent),
        "cpus": [pair_cpu(seed) for seed in entry.seeds] if settings.pin_cpu else None,
        "alpha": race.alpha, "alpha_look": race.plan.alpha_look, "min_effect": race.min_effect,
        "n_candidates": len(race.entries), "looks": entry.looks, "schedule": list(race.plan.looks),
        "decisions": list(race.plan.decisions), "slots": race.slots, "interval": "signed-rank (Walsh averages), 95%",
        "parent_hash": parent.expected_hash, "candidate_hash": candidate.expected_hash,
        "isolation": list(candidate.scratch.isolation), "memory": None, "cpu": None,
        "windows_retaken": entry.retaken, "pairs_dropped": entry.dropped}
    if memory:
        found, cpu = memory_runs(parent, candidate, clock_rng or np.random.default_rng(), entry.seeds,
                                 alpha=race.alpha, min_effect=race.min_effect, budget=settings.memory_budget)
        extra.update(memory=to_json(found), cpu=to_json(cpu))
    elif memory is None and entry.verdict == "faster":
        found = memory_of([a for a, _ in entry.rss_mb], [b for _, b in entry.rss_mb], alpha=race.alpha,
                          min_effect=race.min_effect, budget=settings.memory_budget, seeds=entry.seeds,
                          orders=entry.orders)
        extra.update(memory=to_json(found), cpu=to_json(cpu_of(entry.cpu_share, alpha=race.alpha,
                                                               min_effect=race.min_effect)))
    if settings.instructions if instructions is None else instructions:
        extra["instructions"] = {k: v for k, v in to_json(instruction_counts(parent, candidate)).items()
                                 if v not in (None, "")}
    return Comparison(verdict=entry.verdict, ratio=stats.ratio, ci_low=stats.ci_low, ci_high=stats.ci_high,
                      p_value=p_value(stats, entry.verdict), pairs=entry.pairs, parent_s=tuple(entry.parent_s),
                      candidate_s=tuple(entry.candidate_s), loops=parent.loops or 1, extra=extra)


def compare(parent: Bench | Sequence[Bench], candidate: Bench | Sequence[Bench], *, alpha: float,
            min_effect: float, n_candidates: int = 1, max_pairs: int | None = None, memory: bool | None = None,
            instructions: bool | None = None, rng: np.random.Generator | None = None) -> Comparison:
    """One candidate against its parent: a race of one, alpha split over ``n_candidates``.

    Either side may be given as one bench per slot (rounds that run at once). Memory and CPU are
    judged always (``memory=True``, in runs of their own), from the timing workers for a faster
    candidate (None), or never (False). A candidate that fails raises ``CandidateFailed``.
    """
    parents: list[Bench] = list(parent) if isinstance(parent, (list, tuple)) else [parent]  # type: ignore[list-item]
    candidates: list[Bench] = list(candidate) if isinstance(candidate, (list, tuple)) else [candidate]  # type: ignore[list-item]
    race = Race(parents, [candidates], alpha=alpha, min_effect=min_effect, max_pairs=max_pairs,
                n_candidates=n_candidates, rng=rng)
    (entry,) = race.run()
    if entry.failure is not None:
        raise entry.failure
    return comparison_of(entry, race, memory=memory, instructions=instructions, clock_rng=race.rng)
