"""Racing candidates against their parent: timing rounds that share the parent's windows, looks
at fixed numbers of rounds, and a verdict for each candidate as soon as its evidence allows.

A round starts a fresh worker of the parent and of the candidates in the race (the first
``MAX_ARMS`` to join; the others wait their turn) under one random hash seed; they time windows by turns in a random order (then reversed, and so on). Each
candidate's pair in a round is (parent's fastest window, its own fastest window), so one parent
worker serves every candidate. At each look of ``stats.plan_looks`` a candidate leaves the race
with a verdict (``stats.decide``): called faster at a decision look, dropped once its interval rules
out any gain worth having or going on could not make it faster (``stats.promise``), or labelled at
the last look. Candidates are independent of the looks others reach, so the error rate of each is
that of its own sequential test, and the alpha split over candidates bounds the chance of any false
"faster" in the race.

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
from evolver.evaluate.stats import Look, LookPlan, Verdict, plan_looks, verdict_at
from evolver.evaluate.workers import Bench, Cancelled, Round, Unmeasured, calibrate, windows_for

run_round = workers.timing_round  # the measuring step, replaced by synthetic rounds in tests
MAX_ARMS = 6  # candidates in one round at most; later ones wait their turn (a round stays short)
MAX_UNMEASURED = 6  # rounds in a row that give a candidate no pair before it leaves the race unjudged


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
    retaken: int = 0  # windows of its rounds (its own and the parent's) retaken: they mostly waited for a CPU
    dropped: int = 0  # rounds that gave it no pair: one side's every window mostly waited, even retaken
    unmeasured: int = 0  # such rounds in a row, lately

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
    """Race candidates (each a bench per slot) against ``parent`` (a bench per slot). Candidates
    may join while it runs (``add``): each is looked at when its own number of pairs reaches a look,
    and ``n_candidates`` (the alpha split) must count every candidate that may join."""

    def __init__(self, parent: Sequence[Bench], candidates: Sequence[Sequence[Bench]] = (), *, alpha: float,
                 min_effect: float, max_pairs: int | None = None, n_candidates: int | None = None,
                 rng: np.random.Generator | None = None, on_decided: Decided | None = None,
                 on_progress: Reported | None = None, out_of_time: Callable[[], bool] | None = None) -> None:
        self.parent = list(parent)
        self.entries: list[Entry] = []
        self.live: list[Entry] = []
        self.alpha, self.min_effect = alpha, min_effect
        self.plan: LookPlan = plan_looks(max_pairs or self.parent[0].settings.max_pairs, alpha,
                                         n_candidates or max(1, len(candidates)))
        self.rng = rng or np.random.default_rng()
        self.on_decided, self.on_progress = on_decided, on_progress
        self.out_of_time = out_of_time or (lambda: False)
        self.rounds = 0
        self.round_s = 0.0
        self._loops: int | None = None
        self._windows = 0
        self._busy_s = 0.0
        for benches in candidates:
            self.add(benches)

    @property
    def slots(self) -> int:
        return len(self.parent)

    def add(self, benches: Sequence[Bench]) -> Entry:
        """A candidate joins the race (with no pairs yet)."""
        entry = Entry(len(self.entries) + 1, list(benches))
        self.entries.append(entry)
        self.live.append(entry)
        if self._loops is not None:
            self._calibrated(entry.benches)
        return entry

    def run(self) -> list[Entry]:
        while self.step():
            pass
        return self.entries

    def step(self) -> bool:
        """One batch of rounds (one per slot, never past any live candidate's next look), then the
        looks they reached; False when no candidate is racing."""
        if not self.live:
            return False
        if self._loops is None:
            self._loops = calibrate(self.parent[0], EvolverError)
            self._windows = windows_for(self.parent[0])
            self._calibrated([*self.parent, *(b for e in self.entries for b in e.benches)])
        if self.out_of_time():
            for entry in list(self.live):
                self._leave(entry, failure=Cancelled("not judged: the time budget is used up"))
            return False
        active = self.live[:MAX_ARMS]  # the first to join, so each reaches its verdict soon
        room = [self.plan.next_look(e.pairs + 1) - e.pairs for e in active]  # rounds to its next look
        count = max(1, min(self.slots, max(room)))
        members = [[e for e, r in zip(active, room) if r > slot] for slot in range(count)]
        start = time.monotonic()
        before = {id(e): e.pairs for e in active}
        for found in self._batch(members, self._loops, self._windows):
            self._record(found)
        self.rounds += count
        self._busy_s += time.monotonic() - start
        self.round_s = self._busy_s / self.rounds
        for entry in active:
            if entry in self.live and entry.pairs != before[id(entry)] and entry.pairs in self.plan.looks:
                self._look(entry)
        if self.on_progress is not None:
            upcoming = min((self.plan.next_look(e.pairs + 1) for e in self.live), default=self.plan.last)
            self.on_progress(Progress(self.rounds, len(self.live), upcoming, self.round_s))
        return bool(self.live)

    def _calibrated(self, benches: Sequence[Bench]) -> None:
        for bench in benches:
            bench.loops, bench.window_s = self._loops, self.parent[0].window_s

    def _batch(self, rounds: list[list[Entry]], loops: int, windows: int) -> list[tuple[list[Entry], Round]]:
        """A round per slot, at once, each of its own members: a candidate takes part only in the
        rounds before its next look, so every look comes at its planned number of pairs while the
        other slots still serve the candidates whose looks are further off."""
        jobs = []
        count = len(rounds)
        for slot, live in enumerate(rounds):
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

    def _record(self, found: tuple[list[Entry], Round]) -> None:
        """Each member's pair from one round; a member whose side (or the parent's) has no measured
        window gets no pair from it, and leaves unjudged after ``MAX_UNMEASURED`` such rounds in a row."""
        members, timed = found
        parent = timed.times.get(0)
        for k, entry in enumerate(members, start=1):
            if entry not in self.live:
                continue
            if k in timed.failures:
                self._leave(entry, failure=timed.failures[k])
                continue
            mine = timed.times.get(k)
            entry.retaken += sum(t.retaken for t in (timed.times.get(i) or timed.empty.get(i) for i in (0, k)) if t)
            if parent is None or mine is None:
                entry.dropped += 1
                entry.unmeasured += 1
                if entry.unmeasured >= MAX_UNMEASURED:
                    self._leave(entry, failure=Unmeasured(
                        f"not judged: {entry.unmeasured} timing rounds in a row gave no measurement (every window "
                        "of one side waited for a CPU most of its time, even retaken: the machine is too busy)"))
                continue
            entry.unmeasured = 0
            entry.seeds.append(timed.seed)
            entry.orders.append("AB" if timed.order.index(0) < timed.order.index(k) else "BA")
            entry.parent_s.append(parent.per_loop_s)
            entry.candidate_s.append(mine.per_loop_s)
            entry.rss_mb.append((parent.peak_rss_mb, mine.peak_rss_mb))
            if parent.cpu_share is not None and mine.cpu_share is not None:
                entry.cpu_share.append((parent.cpu_share, mine.cpu_share))

    def _look(self, entry: Entry) -> None:
        entry.looks += 1
        stats, verdict = verdict_at(entry.parent_s, entry.candidate_s, self.plan, min_effect=self.min_effect)
        if verdict is not None:
            entry.verdict, entry.stats = verdict, stats
            self._leave(entry)

    def _leave(self, entry: Entry, failure: EvolverError | None = None) -> None:
        entry.failure = failure
        entry.decided_after_s = self._busy_s
        self.live.remove(entry)
        if self.on_decided is not None:
            self.on_decided(entry)
