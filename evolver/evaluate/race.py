"""Racing candidates against their parent: timing rounds that share the parent's windows, looks
at fixed numbers of rounds, and a verdict for each candidate as soon as its evidence allows.

A round starts a fresh worker of the parent and of every candidate still in the race under one
random hash seed; they time windows by turns in a random order (then reversed, and so on). Each
candidate's pair in a round is (parent's fastest window, its own fastest window), so one parent
worker serves every candidate. At each look of ``stats.plan_looks`` a candidate leaves the race
with a verdict (``stats.decide``): called faster at a decision look, dropped once its interval rules
out any gain worth having, or labelled at the last look. Candidates are independent of the looks
others reach, so the error rate of each is that of its own sequential test, and the alpha split
over candidates bounds the chance of any false "faster" in the race.

When the parent's workload mostly waits (a low CPU share), ``slots`` rounds run at once, each on
its own scratch copies: their waiting overlaps, and each window's clock already leaves out the
time it spent waiting for a CPU.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from evolver.errors import EvolverError
from evolver.evaluate import workers
from evolver.evaluate.stats import Look, LookPlan, Verdict, decide, look, plan_looks
from evolver.evaluate.workers import Bench, Cancelled, Round, calibrate, windows_for

run_round = workers.timing_round  # the measuring step, replaced by synthetic rounds in tests


@dataclass
class Entry:
    """One candidate in the race: its pairs so far and, once it left the race, why."""

    index: int  # 1-based: the position of its benches after the parent's
    benches: Sequence[Bench]  # one per slot
    seeds: list[int] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)  # "AB" / "BA": parent or candidate first in the round
    parent_s: list[float] = field(default_factory=list)
    candidate_s: list[float] = field(default_factory=list)
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (parent, candidate) per pair
    cpu_share: list[tuple[float, float]] = field(default_factory=list)
    verdict: Verdict | None = None
    stats: Look | None = None  # at the look that decided it
    failure: EvolverError | None = None
    looks: int = 0
    decided_after_s: float | None = None

    @property
    def pairs(self) -> int:
        return len(self.parent_s)


@dataclass(frozen=True)
class Progress:
    """What a race reports after each batch of rounds."""

    rounds: int
    live: int
    next_look: int
    seconds_per_round: float  # wall time of the rounds so far, per round


Decided = Callable[[Entry], None]
Reported = Callable[[Progress], None]


class Race:
    """Race ``candidates`` (each a bench per slot) against ``parent`` (a bench per slot)."""

    def __init__(self, parent: Sequence[Bench], candidates: Sequence[Sequence[Bench]], *, alpha: float,
                 min_effect: float, max_pairs: int | None = None, n_candidates: int | None = None,
                 rng: np.random.Generator | None = None, on_decided: Decided | None = None,
                 on_progress: Reported | None = None, out_of_time: Callable[[], bool] | None = None) -> None:
        self.parent = list(parent)
        self.entries = [Entry(i + 1, list(benches)) for i, benches in enumerate(candidates)]
        self.alpha, self.min_effect = alpha, min_effect
        self.plan: LookPlan = plan_looks(max_pairs or self.parent[0].settings.max_pairs, alpha,
                                         n_candidates or max(1, len(self.entries)))
        self.rng = rng or np.random.default_rng()
        self.on_decided, self.on_progress = on_decided, on_progress
        self.out_of_time = out_of_time or (lambda: False)
        self.rounds = 0
        self.round_s = 0.0

    @property
    def slots(self) -> int:
        return len(self.parent)

    def run(self) -> list[Entry]:
        loops = calibrate(self.parent[0], EvolverError)
        windows = windows_for(self.parent[0])
        for bench in (*self.parent, *(b for e in self.entries for b in e.benches)):
            bench.loops, bench.window_s = loops, self.parent[0].window_s
        start = time.monotonic()
        live = list(self.entries)
        while live:
            target = self.plan.next_look(self.rounds + 1)
            while self.rounds < target and live:
                if self.out_of_time():
                    self._stop(live, Cancelled("not judged: the time budget is used up"), start)
                    return self.entries
                batch = min(self.slots, target - self.rounds)
                for found in self._batch(live, loops, windows, batch):
                    self._record(found, live, start)
                self.rounds += batch
                self.round_s = (time.monotonic() - start) / self.rounds
                if self.on_progress is not None:
                    self.on_progress(Progress(self.rounds, len(live), target, self.round_s))
            for entry in list(live):
                self._look(entry, live, final=target == self.plan.last, decision=target in self.plan.decisions,
                           start=start)
        return self.entries

    def _batch(self, live: list[Entry], loops: int, windows: int, count: int) -> list[tuple[list[Entry], Round]]:
        """``count`` rounds, one per slot, at once."""
        jobs = []
        for slot in range(count):
            seed = int(self.rng.integers(0, 2**32))
            arms = [0, *(e.index for e in live)]
            order = [arms[i] for i in self.rng.permutation(len(arms))]
            benches = [self.parent[slot], *(e.benches[slot] for e in live)]
            position = {arm: k for k, arm in enumerate(arms)}
            jobs.append((list(live), seed, [position[a] for a in order], benches))
        if count == 1:
            members, seed, order, benches = jobs[0]
            return [(members, run_round(benches, loops, seed, order, windows))]
        with ThreadPoolExecutor(max_workers=count) as pool:
            futures = [(members, pool.submit(run_round, benches, loops, seed, order, windows))
                       for members, seed, order, benches in jobs]
            return [(members, future.result()) for members, future in futures]

    def _record(self, found: tuple[list[Entry], Round], live: list[Entry], start: float) -> None:
        members, timed = found
        parent = timed.times[0]
        for k, entry in enumerate(members, start=1):
            if entry not in live:
                continue
            if k in timed.failures:
                self._leave(entry, live, start, failure=timed.failures[k])
                continue
            mine = timed.times[k]
            entry.seeds.append(timed.seed)
            entry.orders.append("AB" if timed.order.index(0) < timed.order.index(k) else "BA")
            entry.parent_s.append(parent.per_loop_s)
            entry.candidate_s.append(mine.per_loop_s)
            entry.rss_mb.append((parent.peak_rss_mb, mine.peak_rss_mb))
            if parent.cpu_share is not None and mine.cpu_share is not None:
                entry.cpu_share.append((parent.cpu_share, mine.cpu_share))

    def _look(self, entry: Entry, live: list[Entry], *, final: bool, decision: bool, start: float) -> None:
        entry.looks += 1
        stats = look(entry.parent_s, entry.candidate_s)
        verdict = decide(stats, alpha_look=self.plan.alpha_look, min_effect=self.min_effect, final=final,
                         decision=decision)
        if verdict is not None:
            entry.verdict, entry.stats = verdict, stats
            self._leave(entry, live, start)

    def _leave(self, entry: Entry, live: list[Entry], start: float, failure: EvolverError | None = None) -> None:
        entry.failure = failure
        entry.decided_after_s = time.monotonic() - start
        live.remove(entry)
        if self.on_decided is not None:
            self.on_decided(entry)

    def _stop(self, live: list[Entry], why: EvolverError, start: float) -> None:
        for entry in list(live):
            self._leave(entry, live, start, failure=why)
