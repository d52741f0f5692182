"""Evaluate candidates against one parent: test each (in parallel, its oracle run once, its output
checked), then race the ones that pass in shared timing rounds, and judge each as soon as its
evidence allows. Progress goes to ``notify`` with each candidate's place and an estimate of the time
left; what must be recorded goes to a ``Recorder`` (the history), always from the calling thread.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol

from evolver.config import origin, tests_advice
from evolver.errors import EvolverError
from evolver.evaluate import judge
from evolver.evaluate.behaviour import BehaviourCheck, check_behaviour, turned_off
from evolver.evaluate.judge import Evidence, Judgement
from evolver.evaluate.limits import from_parent
from evolver.evaluate.race import Entry, Progress, Race
from evolver.evaluate.resources import Resources, Version
from evolver.evaluate.stats import plan_looks
from evolver.evaluate.sturdiness import FaultInjection, Sturdiness
from evolver.evaluate.timing import comparison_of
from evolver.evaluate.workers import (
    Bench,
    Cancelled,
    CandidateFailed,
    TimedOut,
    Unmeasured,
    check,
    error_count,
    survey,
    windows_for,
)
from evolver.model import OracleResult, Settings
from evolver.sandbox.oracle import run_oracle

Notify = Callable[..., None]
MAX_SLOTS = 4  # rounds at once, at most, when the workload mostly waits
WAITING_CPU_SHARE = 0.5  # a workload using less CPU than this share of its wall time mostly waits
STARTUP_S = 0.3  # a worker's start and import, for estimates


class Recorder(Protocol):
    """Where the evaluation's facts go (the history)."""

    def started(self, key: str) -> None: ...
    def tested(self, key: str, version: Version) -> None: ...
    def judged(self, key: str, judgement: Judgement, candidate_hash: str | None) -> None: ...


class Quiet:
    """A recorder that records nothing."""

    def started(self, key: str) -> None:
        pass

    def tested(self, key: str, version: Version) -> None:
        pass

    def judged(self, key: str, judgement: Judgement, candidate_hash: str | None) -> None:
        pass


@dataclass(frozen=True)
class Proposal:
    """One candidate to evaluate: ``make`` gives its source (or raises EvolverError)."""

    key: str
    make: Callable[[], str]
    info: dict[str, Any] = field(default_factory=dict)  # extra fields of its "candidate" event
    tests: tuple[str, ...] | None = None  # the tests that reach the rewritten code (None: all of them)


@dataclass(frozen=True)
class Result:
    key: str
    judgement: Judgement
    version: Version | None  # live until the cycle's resources release it


@dataclass
class Parent:
    """The parent of a cycle, measured once: its survey, output, error count, test count."""

    version: Version
    tests_expected: int
    errors: int
    nondeterministic: bool = False


def measure_parent(resources: Resources, version: Version, *, tests_expected: int | None = None) -> Parent:
    """Measure a parent once: its tests (unless already run; alongside the workload's runs, on the
    other CPU), the workload's output, a calibrated survey (profile, argument repeats, CPU share)
    and its surfaced transient failures. Raises ``EvolverError`` when its tests or its workload
    fail (the tests' failure first): nothing can be judged against it."""
    if version.oracle is None and resources.settings.bench:
        with ThreadPoolExecutor(max_workers=1) as pool:
            tests = pool.submit(_parent_tests, resources, version)
            try:
                _measure_workload(resources, version)
            finally:
                tests.result()  # failing tests are the first thing to say
    elif version.oracle is None:
        _parent_tests(resources, version)
        _measure_workload(resources, version)
    else:
        _measure_workload(resources, version)
    assert version.oracle is not None and version.survey is not None and version.errors is not None
    nondeterministic = version.check is not None and version.survey.output != version.check.output
    expected = version.oracle.tests_run if tests_expected is None else tests_expected
    return Parent(version=version, tests_expected=expected, errors=version.errors, nondeterministic=nondeterministic)


def _measure_workload(resources: Resources, version: Version) -> None:
    settings = resources.settings
    if settings.bench and version.check is None:
        version.check = check(version.bench, failure=EvolverError)
        if version.check.error:
            raise EvolverError(f"the workload {settings.bench} ({origin(settings, 'bench')}) raises on the "
                               f"unchanged code: {version.check.error}")
    if version.survey is None:  # the failures are counted below, in a fresh run as a candidate's are
        version.survey = survey(version.bench, calibrated=True, failures=False)
    if version.survey.error:
        raise EvolverError(f"the workload {settings.bench or '(the test run)'} raises on the parent: "
                           f"{version.survey.error}")
    if version.errors is None:
        version.errors = error_count(version.bench, failure=EvolverError) if settings.transient else 0


def _parent_tests(resources: Resources, version: Version) -> None:
    """The parent's test run; raises when its tests fail (or the budget ran out meanwhile)."""
    settings = resources.settings
    version.oracle = run_oracle(version.bench.scratch, settings, timeout_s=version.bench.limits.tests_s,
                                cancel=resources.clock.cancel)
    if resources.clock.out_of_time():
        raise Cancelled("the time budget is used up")
    if not version.oracle.passed:
        raise EvolverError(tests_advice(settings, resources.target, version.oracle.reason, version.oracle.tests_run))


def slots_for(cpu_share: float) -> int:
    """Rounds at once: one for a CPU-bound workload, more (up to ``MAX_SLOTS``) when it mostly waits."""
    if cpu_share >= WAITING_CPU_SHARE:
        return 1
    return max(1, min(MAX_SLOTS, math.floor(0.8 / max(cpu_share, 0.05))))


class Evaluator:
    """Evaluates candidates against ``parent`` with the resources of the run."""

    def __init__(self, resources: Resources, parent: Parent, *, notify: Notify, recorder: Recorder | None = None,
                 workers: int | None = None) -> None:
        self.resources, self.parent = resources, parent
        self.settings: Settings = resources.settings
        self.notify, self.recorder = notify, recorder or Quiet()
        self.workers = workers or max(1, min(2, os.cpu_count() or 1))
        survey_ = parent.version.survey
        assert survey_ is not None and parent.version.oracle is not None
        self.limits = from_parent(self.settings, call_s=survey_.call_s, tests_s=parent.version.oracle.duration_s)
        self.slots = slots_for(survey_.cpu_share)
        self.n_candidates: int | None = None  # the alpha split (None: the candidates given to ``evaluate``)
        self._test_s: list[float] = []
        self._round_s: float | None = None
        self._behaviour: dict[str, BehaviourCheck] = {}  # by candidate hash
        self._trace_parent: Bench | None = None
        self._trace_lock = threading.Lock()
        self._injection = FaultInjection(parent.version, self.settings, resources.target)
        self._sturdiness: dict[str, Sturdiness] = {}  # by candidate hash: its runs with injected faults
        self._start = time.monotonic()

    # -- the whole evaluation: tests in the background, the race as candidates pass them -----------
    def evaluate(self, proposals: Sequence[Proposal]) -> list[Result]:
        """Test the candidates in their order (the ranker's first first) and race each one that
        passes as soon as it does; every verdict is reported (``outcome``) when it is reached. While
        the race runs it has a CPU of its own: tests then run one at a time fewer, so that the first
        candidates' rounds are not slowed by the later ones' tests."""
        results: dict[str, Result] = {}
        total = len(proposals)
        parent = self.parent.version
        race = Race(self.resources.slots(parent, self.slots), alpha=self.settings.alpha,
                    min_effect=self.settings.min_effect, n_candidates=self.n_candidates or max(1, total),
                    on_progress=lambda p: self._progress(p, race), out_of_time=self.resources.clock.out_of_time)
        racing: dict[int, tuple[str, Version, int]] = {}

        def decided(entry: Entry) -> None:
            key, version, position = racing[id(entry)]
            results[key] = self._finish(key, version, self._verdict(entry, race, version), position, total)

        race.on_decided = decided
        gate = Gate(self.workers)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            testing = {pool.submit(self._test, proposal, position, total, gate): (position, proposal)
                       for position, proposal in enumerate(proposals, start=1)}
            while testing or race.live:
                gate.racing(bool(race.live))
                if not race.live:  # nothing to time yet: wait for a test to end
                    wait(testing, return_when=FIRST_COMPLETED)
                for future in [f for f in testing if f.done()]:  # in the order they end
                    position, proposal = testing.pop(future)
                    version, verdict, seconds = future.result()
                    self._test_s.append(seconds)
                    if version is not None and version.oracle is not None:
                        self.recorder.tested(proposal.key, version)
                    if verdict is not None:
                        results[proposal.key] = self._finish(proposal.key, version, verdict, position, total)
                    elif version is not None:
                        entry = race.add(self.resources.slots(version, self.slots))
                        racing[id(entry)] = (proposal.key, version, position)
                gate.racing(bool(race.live))
                race.step()
        return [results[p.key] for p in proposals if p.key in results]

    def test(self, proposal: Proposal) -> tuple[Version | None, Judgement | None]:
        """One candidate's tests and the checks before timing, alone: its version, and its verdict
        when a check fails (an executor's test task)."""
        version, verdict, _ = self._test(proposal, 1, 1)
        return version, verdict

    def behaviour(self, version: Version) -> BehaviourCheck | None:
        """The behaviour check of ``version`` against this parent, once made."""
        return self._behaviour.get(version.hash)

    def given_behaviour(self, version: Version, found: BehaviourCheck) -> None:
        """The behaviour check of ``version`` against this parent, made elsewhere (a test task)."""
        self._behaviour.setdefault(version.hash, found)

    def _test(self, proposal: Proposal, position: int, total: int,
              gate: Gate | None = None) -> tuple[Version | None, Judgement | None, float]:
        """In a worker thread: the candidate's source, copy, test run and output (once ``gate`` lets
        it start)."""
        with gate.turn(position) if gate is not None else nullcontext():
            return self._test_now(proposal, position, total)

    def _test_now(self, proposal: Proposal, position: int, total: int) -> tuple[Version | None, Judgement | None, float]:
        start = time.monotonic()
        if self.resources.clock.out_of_time():
            return None, judge.not_judged(), 0.0
        self.recorder.started(proposal.key)
        self.notify("candidate", site=proposal.key, position=position, total=total, phase="testing",
                    eta_s=self._eta(total - position + 1), **proposal.info)
        version = None
        try:
            source = proposal.make()
            version = self.resources.version(source, self.limits)
            return version, self._prepare(version, proposal.tests), time.monotonic() - start
        except Cancelled:
            return version, judge.not_judged(), time.monotonic() - start
        except TimedOut as exc:
            return version, self._timed_out(exc.limit_s), time.monotonic() - start
        except (CandidateFailed, EvolverError) as exc:
            return version, Judgement("failed", str(exc)), time.monotonic() - start

    def _prepare(self, version: Version, tests: tuple[str, ...] | None) -> Judgement | None:
        """The candidate's test run (only ``tests`` when given), output; the checks before timing."""
        if version.oracle is None:
            version.oracle = run_oracle(version.bench.scratch, self.settings, timeout_s=self.limits.tests_s,
                                        cancel=self.resources.clock.cancel, select=tests)
            version.selected = tests
        if self.resources.clock.out_of_time():
            raise Cancelled("the time budget is used up")
        if version.oracle.passed and version.check is None and self.settings.bench:
            version.check = check(version.bench)
        verdict = judge.before_timing(self._evidence(version))
        if verdict is None and version.hash not in self._behaviour:
            self._behaviour[version.hash] = self._check_behaviour(version) if self.settings.behaviour \
                else turned_off()
            verdict = judge.before_timing(self._evidence(version))
        if verdict is None and version.hash not in self._sturdiness:
            found = self._injection.measure(version)  # None: the candidate adds no retry
            if found is not None:
                self._sturdiness[version.hash] = found
                verdict = judge.before_timing(self._evidence(version))
        if verdict is not None and _timed_out(version.oracle):
            return judge.not_measured(verdict.reason, timed_out_s=self.limits.tests_s, basis=self.limits.tests_basis)
        return verdict

    def _evidence(self, version: Version, comparison: Any = None) -> Evidence:
        errors = None
        sturdy = self._sturdiness.get(version.hash)
        if sturdy is not None and sturdy.errors is not None:
            errors = sturdy.errors  # counted under injected faults
        elif self.parent.errors > 0 and version.errors is not None:
            errors = (self.parent.errors, version.errors)
        notes = {"output": "nondeterministic"} if self.parent.nondeterministic else {}
        expected = len(version.selected) if version.selected else self.parent.tests_expected
        return Evidence(parent=self.parent.version, child=version, tests_expected=expected,
                        comparison=comparison, errors=errors, notes=notes, behaviour=self._behaviour.get(version.hash),
                        faults=sturdy)

    def _check_behaviour(self, version: Version) -> BehaviourCheck:
        """The candidate's calls against the parent's, the parent traced in a copy of its own (its
        main copy runs timing rounds, and a workload may write files there)."""
        parent = self.parent.version
        with self._trace_lock:
            if self._trace_parent is None:
                self._trace_parent = self.resources.spare(parent)
        return check_behaviour(self._trace_parent, version.bench, parent.source, version.source)

    # -- verdicts ------------------------------------------------------------------------------
    def _verdict(self, entry: Entry, race: Race, version: Version) -> Judgement:
        failure = entry.failure
        if isinstance(failure, TimedOut):
            return self._timed_out(failure.limit_s)
        if isinstance(failure, Cancelled):
            return judge.not_judged()
        if isinstance(failure, Unmeasured):
            return judge.not_judged(str(failure))
        if failure is not None:
            return Judgement("failed", str(failure))
        try:
            comparison = comparison_of(entry, race)
            if self.parent.errors > 0 and version.errors is None and comparison.verdict == "no significant difference":
                version.errors = error_count(version.bench)  # only then can fewer failures approve it
        except Cancelled:
            return judge.not_judged()
        except TimedOut as exc:
            return self._timed_out(exc.limit_s)
        except CandidateFailed as exc:
            return Judgement("failed", str(exc))
        return judge.after_timing(self._evidence(version, comparison))

    def _progress(self, progress: Progress, race: Race) -> None:
        self._round_s = progress.seconds_per_round
        decision = next((n for n in race.plan.decisions if n >= progress.rounds), race.plan.last)
        eta = max(0, race.plan.next_look(progress.rounds) - progress.rounds) * progress.seconds_per_round
        self.notify("race", rounds=progress.rounds, live=progress.live, next_look=progress.next_look,
                    next_decision=decision, slots=race.slots, seconds_per_round=progress.seconds_per_round,
                    eta_s=eta)

    def _timed_out(self, limit_s: float) -> Judgement:
        """A workload run went past its limit (a timing window's is the call limit times the loops)."""
        return judge.not_measured("", timed_out_s=limit_s, basis=self.limits.basis)

    # -- bookkeeping ------------------------------------------------------------------------------
    def _finish(self, key: str, version: Version | None, verdict: Judgement, position: int | None = None,
                total: int | None = None) -> Result:
        self.recorder.judged(key, verdict, None if version is None else version.hash)
        self.notify("outcome", site=key, status=verdict.status, reason=verdict.reason, measured=verdict.measured,
                    position=position, total=total, elapsed_s=time.monotonic() - self._start,
                    timed_out_s=verdict.timed_out_s)
        return Result(key, verdict, version)

    def _eta(self, remaining: int) -> float | None:
        """Seconds left for this evaluation: the tests still to run, then a race to its first decision."""
        if not self._test_s:
            return None
        testing = remaining * (sum(self._test_s) / len(self._test_s)) / max(1, self.workers - 1)
        survey_ = self.parent.version.survey
        assert survey_ is not None
        arms = remaining + 1
        window = (self.parent.version.bench.window_s or survey_.call_s)
        round_s = self._round_s or (STARTUP_S + survey_.call_s + arms * windows_for(self.parent.version.bench) * window)
        rounds = plan_looks(self.settings.max_pairs, self.settings.alpha, max(1, arms - 1)).decisions[0]
        return testing + rounds * round_s / self.slots


class Gate:
    """Which candidate's tests start, and when: in the ranker's order (``position`` 1, 2, ...), with
    every test worker busy before the race starts and one fewer while it runs (the race has a CPU of
    its own, so the first candidates' rounds are not slowed by the later ones' tests). A test waits
    here in its worker thread, so the next one starts as soon as one ends, not when the race's
    current rounds do."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._racing = False
        self._running = 0
        self._next = 1  # the position whose turn it is
        self._changed = threading.Condition()

    def racing(self, racing: bool) -> None:
        with self._changed:
            self._racing = racing
            self._changed.notify_all()

    def capacity(self) -> int:
        return max(1, self.workers - 1) if self._racing else self.workers

    @contextmanager
    def turn(self, position: int) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: self._next == position and self._running < self.capacity())
            self._running += 1
            self._next += 1
            self._changed.notify_all()
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify_all()


def _timed_out(oracle: OracleResult | None) -> bool:
    return oracle is not None and "timed out after" in oracle.reason
