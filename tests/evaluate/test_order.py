"""The order of an evaluation's work, with the sandbox replaced by fakes: the ranker's first candidate
is tested and raced first, each verdict is reported when it is reached (not at the race's end), and
while the race runs the tests leave it a CPU."""

from __future__ import annotations

import math
import threading
import time
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from evolver.evaluate import evaluator as evaluator_mod
from evolver.evaluate import race
from evolver.evaluate.evaluator import Evaluator, Gate, Parent, Proposal
from evolver.evaluate.judge import Judgement
from evolver.evaluate.race import Entry
from evolver.evaluate.resources import Clock, Version
from evolver.evaluate.workers import Round, Timed
from evolver.model import OracleResult, Settings

TEST_S = 0.05  # a fake candidate's test run


def bench(name: str, settings: Settings) -> Any:
    return SimpleNamespace(name=name, settings=settings, expected_hash=name * 64, loops=None, window_s=None,
                           scratch=SimpleNamespace(isolation=("fake",)), limits=None)


class FakeResources:
    def __init__(self, settings: Settings) -> None:
        self.settings, self.clock = settings, Clock(None)
        self.target = SimpleNamespace(module="mod")

    def version(self, source: str, limits: Any = None) -> Version:
        return Version(source=source, hash=source * 8, bench=bench(source, self.settings))

    def slots(self, version: Version, count: int) -> list[Any]:
        return [version.bench] * count

    def spare(self, version: Version) -> Any:
        return version.bench


class Log:
    """The progress events, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def notify(self, event: str, **data: Any) -> None:
        self.events.append((event, data))

    def index(self, event: str, site: str | None = None) -> int:
        return next(i for i, (e, d) in enumerate(self.events) if e == event and site in (None, d.get("site")))


def rounds(speeds: dict[str, float], log: Log) -> Any:
    rng = np.random.default_rng(0)

    def run(benches: Any, loops: int, seed: int, order: Any, windows: int) -> Round:
        found = Round(seed=seed, order=tuple(order))
        for i, b in enumerate(benches):
            t = 0.01 * speeds.get(b.name, 1.0) * math.exp(rng.normal(0, 0.02))
            found.times[i] = Timed(t, 20.0, 0.99, (t,) * windows, retaken=0)
        time.sleep(0.002)
        return found

    return run


@pytest.fixture
def log(monkeypatch: pytest.MonkeyPatch) -> Log:
    found = Log()

    def prepare(self: Evaluator, version: Version, tests: Any) -> Judgement | None:
        if version.source == "broken":
            return Judgement("failed", "a test fails")
        time.sleep(4 * TEST_S if version.source.startswith("slow") else TEST_S)
        return None

    def verdict(self: Evaluator, entry: Entry, race_: Any, version: Version) -> Judgement:
        return Judgement("approved" if entry.verdict == "faster" else "rejected", str(entry.verdict))

    monkeypatch.setattr(Evaluator, "_prepare", prepare)
    monkeypatch.setattr(Evaluator, "_verdict", verdict)
    monkeypatch.setattr(race, "calibrate", lambda bench, failure=None: 7)
    monkeypatch.setattr(race, "windows_for", lambda bench: 2)
    monkeypatch.setattr(evaluator_mod, "windows_for", lambda bench: 2)
    return found


def evaluate(log: Log, names: list[str], speeds: dict[str, float], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    monkeypatch.setattr(race, "run_round", rounds(speeds, log))
    settings = Settings(alpha=0.01, min_effect=0.03)
    resources = FakeResources(settings)
    version = resources.version("A")
    version.oracle = OracleResult(passed=True, tests_run=3, failed=0, duration_s=1.0, reason="", output_tail="")
    version.survey = SimpleNamespace(call_s=0.01, cpu_share=1.0)
    evaluator = Evaluator(resources, Parent(version, 3, 0), notify=log.notify, workers=2)  # type: ignore[arg-type]
    return evaluator.evaluate([Proposal(name, lambda name=name: name) for name in names])


def test_verdicts_come_as_they_are_reached(log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["fast", *(f"same{k}" for k in range(5))]
    results = evaluate(log, names, {"fast": 0.5}, monkeypatch)
    assert [r.key for r in results] == names
    assert [r.judgement.status for r in results] == ["approved"] + ["rejected"] * 5
    tested = [d["site"] for e, d in log.events if e == "candidate"]
    assert tested == names  # in the ranker's order
    first = log.index("outcome")
    assert first < log.index("candidate", "same4")  # before the last candidate's tests even start
    assert first < max(i for i, (e, _) in enumerate(log.events) if e == "race")  # not at the race's end
    assert log.index("outcome", "fast") < log.index("outcome", "same4")


def test_a_failed_test_is_reported_at_once(log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    results = evaluate(log, ["broken", "slow0", "slow1"], {}, monkeypatch)
    assert {r.key: r.judgement.status for r in results}["broken"] == "failed"
    assert log.index("outcome", "broken") < log.index("race")  # not held back until the others race


def test_tests_start_in_order_and_leave_the_race_a_cpu() -> None:
    gate = Gate(workers=2)
    started: list[int] = []
    release = {k: threading.Event() for k in (1, 2, 3, 4)}

    def test(position: int) -> None:
        with gate.turn(position):
            started.append(position)
            release[position].wait(5)

    threads = {k: threading.Thread(target=test, args=(k,)) for k in (4, 3, 2, 1)}  # asked in any order
    for thread in threads.values():
        thread.start()
    wait_until(lambda: started == [1, 2])  # before the race: both workers
    gate.racing(True)
    release[1].set()
    time.sleep(0.05)
    assert started == [1, 2]  # racing: one test at a time, and 2 still runs
    release[2].set()
    wait_until(lambda: started == [1, 2, 3])
    gate.racing(False)  # the race is empty again: both workers
    wait_until(lambda: started == [1, 2, 3, 4])
    for k in (3, 4):
        release[k].set()
    for thread in threads.values():
        thread.join(5)


def wait_until(condition: Any) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.005)
