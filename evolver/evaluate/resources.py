"""The sandboxed resources of an evaluation, kept for reuse: scratch copies of the project (a
released copy is brought back to the project's state and takes the next version instead of a new
copy), live versions keyed by source hash (so a parent, its survey, calibration, test result and
output are measured once), and the clock of the time budget, which stops every run in flight.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import TracebackType

from evolver.evaluate.limits import Limits, limits_for
from evolver.evaluate.workers import Bench, Check, Survey
from evolver.model import OracleResult, Settings, Target, source_hash
from evolver.sandbox.scratch import Scratch


@dataclass
class Version:
    """One version of the module, live in a scratch copy, with what was measured of it so far."""

    source: str
    hash: str
    bench: Bench
    oracle: OracleResult | None = None  # its own test run (None: not run on this version)
    selected: tuple[str, ...] | None = None  # the tests that run was limited to (None: all of them)
    check: Check | None = None
    survey: Survey | None = None
    errors: int | None = None  # surfaced transient failures over one fresh workload run
    slots: list[Bench] = field(default_factory=list)  # extra copies for rounds that run at once

    def benches(self, count: int) -> list[Bench]:
        return [self.bench, *self.slots[: count - 1]]


class Clock:
    """The wall clock of a whole run against its budget: ``cancel`` is set when it is used up."""

    def __init__(self, budget_s: float | None, started: float | None = None) -> None:
        self.started = time.monotonic() if started is None else started
        self.budget_s = budget_s
        self.cancel = threading.Event()
        self._timer: threading.Timer | None = None
        if budget_s is not None:
            self._timer = threading.Timer(max(0.0, self.started + budget_s - time.monotonic()), self.cancel.set)
            self._timer.daemon = True
            self._timer.start()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float | None:
        return None if self.budget_s is None else self.budget_s - self.elapsed()

    def out_of_time(self) -> bool:
        return self.cancel.is_set() or (self.budget_s is not None and self.elapsed() >= self.budget_s)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


class Resources:
    """Context manager holding the scratch copies and live versions of one evolve run (or one
    cycle); everything is removed on exit. Thread-safe: candidates are prepared in parallel."""

    def __init__(self, target: Target, settings: Settings, clock: Clock | None = None) -> None:
        self.target, self.settings = target, settings
        self.clock = clock or Clock(settings.budget_s)
        self._stack = ExitStack()
        self._free: list[Scratch] = []
        self._versions: dict[str, Version] = {}
        self._lock = threading.Lock()
        self.copies_made = 0
        self.copies_reused = 0

    def __enter__(self) -> Resources:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stack.close()

    def version(self, source: str, limits: Limits | None = None) -> Version:
        """The live version holding ``source`` (made, or the one already live)."""
        digest = source_hash(source)
        with self._lock:
            found = self._versions.get(digest)
        if found is not None:
            if limits is not None:
                found.bench.limits = limits
            return found
        bench = self._bench(source, digest, limits or limits_for(self.settings))
        made = Version(source=source, hash=digest, bench=bench)
        with self._lock:
            return self._versions.setdefault(digest, made)

    def slots(self, version: Version, count: int) -> list[Bench]:
        """``count`` benches of ``version`` on distinct copies (the first its own), for rounds at once."""
        while len(version.slots) < count - 1:
            extra = self._bench(version.source, version.hash, version.bench.limits)
            extra.loops, extra.window_s = version.bench.loops, version.bench.window_s
            version.slots.append(extra)
        return version.benches(count)

    def spare(self, version: Version) -> Bench:
        """A bench of ``version`` on a copy of its own, apart from its rounds (kept until the end)."""
        return self._bench(version.source, version.hash, version.bench.limits)

    def release(self, version: Version) -> None:
        """Done with ``version``: its copies go back to the pool."""
        with self._lock:
            if self._versions.get(version.hash) is not version:
                return
            del self._versions[version.hash]
            self._free.extend(b.scratch for b in (version.bench, *version.slots))
            version.slots.clear()

    def keep_only(self, keep: Callable[[Version], bool]) -> None:
        """Release every live version except those ``keep`` names."""
        with self._lock:
            versions = list(self._versions.values())
        for version in versions:
            if not keep(version):
                self.release(version)

    def _bench(self, source: str, digest: str, limits: Limits) -> Bench:
        with self._lock:
            scratch = self._free.pop() if self._free else None
        if scratch is not None:
            scratch.reuse(source)
            self.copies_reused += 1
        else:
            scratch = Scratch(self.target, source, self.settings).__enter__()  # copying takes a while: unlocked
            with self._lock:
                self._stack.push(scratch.__exit__)
                self.copies_made += 1
        return Bench(scratch, self.settings, digest, limits=limits, cancel=self.clock.cancel)
