"""Continuous mode: every ``cycle_interval`` seconds, check the promoted version, roll it back
when it went bad, evolve again from what the file holds, and (with ``auto_deploy``) promote a
generation whose gain passes ``performance_threshold``.

A cycle is a sequence of steps (check, roll back, evolve, deploy). A stop request (Ctrl-C,
SIGTERM, a cancelled coroutine) is honoured at the next step boundary, which includes every
stage and candidate of an evolve run: the run unwinds through its context managers, so no
scratch folder is left, and a promote or revert in progress always finishes first (they hold
the signals and the promote lock).
"""

from __future__ import annotations

import signal
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from evolver.api import engine
from evolver.api.loop import SelfImprovementLoop
from evolver.errors import EvolverError
from evolver.evolve import Evolution, EvolveResult
from evolver.generations import Generation
from evolver.model import Comparison, source_hash, to_json
from evolver.promote import promote, revert


class Stopped(Exception):
    """Raised at a step boundary once a stop was requested."""


class StopToken:
    """A stop request shared between a signal handler (or a coroutine) and the watch thread."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""
        self.signal: int | None = None  # the signal that requested the stop, if one did

    @property
    def event(self) -> threading.Event:
        return self._event

    def request(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
        self._event.set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True as soon as a stop is requested."""
        return self._event.wait(max(0.0, seconds))

    def check(self) -> None:
        if self._event.is_set():
            raise Stopped(self.reason)


@contextmanager
def stop_on_signals(token: StopToken) -> Iterator[None]:
    """SIGINT / SIGTERM request a stop at the next step; a second one interrupts at once
    (KeyboardInterrupt: the step unwinds and cleans up). Main thread only."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if token.requested:
            raise KeyboardInterrupt
        if not token.requested:
            token.signal = signum
        token.request(f"{signal.Signals(signum).name} received")

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@dataclass
class Clone:
    """A generation made by one evolve run from what the file held: a candidate to deploy."""

    generation: str
    parent_source_hash: str  # what the file held when it was made
    source_hash: str
    transforms: list[str]
    comparison: Comparison | None  # against what the file held, measured directly
    errors: tuple[int, int] | None = None

    @property
    def gain(self) -> float | None:
        """Share of time saved per workload run at the slow end of the 95% interval."""
        return None if self.comparison is None else 1 - self.comparison.ci_high


@dataclass
class CycleReport:
    number: int
    started_at: float
    check: str = ""  # what the promoted version's re-measure said ("" when nothing is promoted)
    rolled_back: str | None = None  # the generation rolled back
    rollback_reason: str | None = None
    clone: Clone | None = None
    deployed: bool = False
    notes: list[str] = field(default_factory=list)


def describe(report: CycleReport) -> str:
    """One line per cycle for the terminal."""
    parts = [f"cycle {report.number}:"]
    if report.check:
        parts.append(f"check: {report.check};")
    if report.rolled_back:
        parts.append(f"ROLLED BACK {report.rolled_back};")
    if report.clone is not None:
        cmp = report.clone.comparison
        parts.append(f"new {report.clone.generation}" + (f" ({cmp.describe()})" if cmp else "")
                     + ("; deployed" if report.deployed else "") + ";")
    else:
        parts.append("no new generation;")
    parts.extend(report.notes)
    return " ".join(parts).rstrip(";")


@dataclass
class WatchSummary:
    cycles: list[CycleReport] = field(default_factory=list)
    stopped: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycles": len(self.cycles),
            "clones_created": [c.clone.generation for c in self.cycles if c.clone],
            "deployed": [c.clone.generation for c in self.cycles if c.deployed and c.clone],
            "rolled_back": [{"generation": c.rolled_back, "reason": c.rollback_reason}
                            for c in self.cycles if c.rolled_back],
            "stopped": self.stopped,
            "reports": [to_json(c) for c in self.cycles],
        }


class Watch:
    """The continuous loop over one :class:`SelfImprovementLoop`'s target."""

    def __init__(self, loop: SelfImprovementLoop, stop: StopToken | None = None,
                 on_cycle: Callable[[CycleReport], None] | None = None) -> None:
        self.loop = loop
        self.stop = stop or StopToken()
        self.on_cycle = on_cycle
        self._thread = threading.current_thread()

    @property
    def stop(self) -> StopToken:
        return self._stop

    @stop.setter
    def stop(self, token: StopToken) -> None:
        self._stop = token
        self.loop.cancel = token.event  # the engine's runs stop at once when a stop is requested

    def _notify(self, event: str, **data: Any) -> None:
        # Every stage and candidate of the engine is a step boundary; the engine's own threads
        # are stopped through its cancel event (``loop.cancel``) instead of an exception.
        if threading.current_thread() is self._thread:
            self.stop.check()
        self.loop.notify(event, **data)

    # -- steps --------------------------------------------------------------------------------
    def check_promoted(self, report: CycleReport) -> None:
        """Re-measure the live promotion against the bytes it replaced; roll it back when its
        tests or output fail or it is significantly slower."""
        loop = self.loop
        live = loop.history.last_applied(loop.target.path)
        current = loop.target.path.read_bytes()
        if live is None or source_hash(current) != live["new_hash"]:
            return
        self._notify("stage", text=f"re-measuring promoted {live['generation_id']} against the version it replaced")
        try:
            health = engine.check_promoted(loop.target, loop.settings, current.decode("utf-8"),
                                           bytes(live["previous_bytes"]).decode("utf-8"), notify=self._notify,
                                           cancel=self.stop.event)
        except engine.Cancelled:
            self.stop.check()
            raise
        self._record(health.comparison, live)
        report.check = health.reason
        if health.healthy:
            return
        self.stop.check()
        revert(loop.target.path, loop.history, loop.session_id, reason=health.reason)
        report.rolled_back, report.rollback_reason = live["generation_id"], health.reason
        loop.notify("rollback", generation=live["generation_id"], reason=health.reason)

    def _record(self, cmp: Comparison | None, live: dict[str, Any]) -> None:
        """The promoted version's time per run, as a point of the performance trend."""
        if cmp is None:
            return
        times = [t * 1000 for t in cmp.candidate_s]
        median = statistics.median(times)
        self.loop.history.add_metric(self.loop.session_id, str(self.loop.target.path), live["new_hash"],
                                     "wall_time_ms", median, unit="ms",
                                     spread=statistics.median(abs(t - median) for t in times),
                                     generation_id=live["generation_id"])

    def create_clone(self) -> Clone | None:
        """One evolve run (``settings.cycles`` generations at most) from what the file holds."""
        loop = self.loop
        parent_hash = source_hash(loop.target.path.read_bytes())
        self._thread = threading.current_thread()
        run = Evolution(loop.target, loop.settings, loop.workspace, loop.history, self._notify)
        with engine.relayed(self.stop.event, run.clock.cancel):
            result: EvolveResult = run.run()
        self.stop.check()  # a stop ends the run as a used-up budget would: report it as the stop
        if not result.generations:
            return None
        gen: Generation = result.generations[-1]
        return Clone(generation=gen.id, parent_source_hash=parent_hash, source_hash=gen.source_hash,
                     transforms=[t["site"] for g in result.generations for t in g.manifest["transforms"]],
                     comparison=result.overall, errors=result.errors)

    def deploy(self, clone: Clone) -> bool:
        """Promote ``clone`` if the file still holds what it was made from."""
        loop = self.loop
        if source_hash(loop.target.path.read_bytes()) != clone.parent_source_hash:
            raise EvolverError(f"{loop.target.path.name} changed since {clone.generation} was made from it")
        promote(loop.store.get(clone.generation), loop.history, loop.session_id)
        return True

    def passes_threshold(self, clone: Clone) -> bool:
        cmp = clone.comparison
        return (cmp is not None and cmp.verdict == "faster"
                and 1 - cmp.ci_high >= self.loop.settings.performance_threshold)

    # -- the loop -----------------------------------------------------------------------------
    def cycle(self, number: int) -> CycleReport:
        report = CycleReport(number=number, started_at=time.time())
        self.check_promoted(report)
        self.stop.check()
        try:
            report.clone = self.create_clone()
        except EvolverError as exc:
            self.stop.check()
            report.notes.append(f"evolve: {exc}")
        if report.clone is None:
            return report
        if not self.loop.settings.auto_deploy:
            report.notes.append(f"{report.clone.generation} kept (auto_deploy is off): `evolver promote` deploys it")
        elif self.passes_threshold(report.clone):
            self.stop.check()
            report.deployed = self.deploy(report.clone)
        else:
            gain = report.clone.gain
            report.notes.append(f"{report.clone.generation} not deployed: gain "
                                f"{'unknown' if gain is None else f'{gain:.1%}'} at the 95% interval's slow end, "
                                f"below performance_threshold {self.loop.settings.performance_threshold:.0%}")
        return report

    def run(self, max_cycles: int | None = None, cycle_interval: float | None = None) -> WatchSummary:
        """Run cycles until ``max_cycles`` are done or a stop is requested."""
        settings = self.loop.settings
        cycles = settings.max_cycles if max_cycles is None else max_cycles
        interval = settings.cycle_interval if cycle_interval is None else cycle_interval
        summary = WatchSummary()
        self._thread = threading.current_thread()
        for number in range(1, cycles + 1):
            started = time.monotonic()
            report = CycleReport(number=number, started_at=time.time())
            try:
                self.stop.check()
                report = self.cycle(number)
            except (Stopped, KeyboardInterrupt) as exc:
                report.notes.append(f"stopped during the cycle: {exc or 'interrupted'}")
                summary.cycles.append(report)
                summary.stopped = self.stop.reason or "interrupted"
                return summary
            summary.cycles.append(report)
            if self.on_cycle is not None:
                self.on_cycle(report)
            if number < cycles and self.stop.wait(interval - (time.monotonic() - started)):
                summary.stopped = self.stop.reason
                return summary
        summary.stopped = f"{cycles} cycles done"
        return summary

