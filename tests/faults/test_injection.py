"""Fault injection in the sandbox: the schedule, the probe, the counts, on the feeds fixture
(``project/``: titles fetched through ``urlopen`` of ``file:`` URLs, errors kept as rows)."""

from __future__ import annotations

import shutil
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from evolver import transforms
from evolver.config import load_settings, resolve_target
from evolver.evaluate.resources import Resources
from evolver.evaluate.sturdiness import FaultInjection, Sturdiness, retry_lines
from evolver.evaluate.workers import Bench, error_count
from evolver.model import Settings, Target, source_hash
from evolver.sandbox import faults
from evolver.sandbox.scratch import Scratch

PROJECT = Path(__file__).parent / "project"
SITE = "retry@feeds:titles#0"
SWALLOW = (" " * 12 + "if attempt == 2:\n" + " " * 16 + "raise\n",
           " " * 12 + "if attempt == 2:\n" + " " * 16 + "return None  # gives up quietly\n")


@pytest.fixture(scope="module")
def feeds() -> Iterator[tuple[Target, Settings, str, str]]:
    target = resolve_target(PROJECT / "feeds.py")
    settings = load_settings(target)
    source = target.path.read_text()
    yield target, settings, source, transforms.apply(source, SITE, transforms.Context.of(target, settings))


def measure(target: Target, settings: Settings, parent: str, child: str) -> Sturdiness | None:
    with Resources(target, settings) as live:
        return FaultInjection(live.version(parent), settings, target).measure(live.version(child))


def test_the_retry_rewrite_is_sturdier_under_the_same_schedule(feeds: tuple[Target, Settings, str, str]) -> None:
    target, settings, source, candidate = feeds
    found = measure(target, settings, source, candidate)
    assert found is not None and found.plan is not None
    assert found.plan.callees == ("fetch",)  # what the probe saw the helper retry
    parent, child = found.runs["transient"]
    assert parent.faulty == child.faulty >= 1  # the same calls are faulty on both sides
    assert parent.surfaced == parent.surfaced_injected == parent.injected == parent.faulty  # each one seen by titles
    assert child.injected == parent.injected and child.surfaced == 0  # all absorbed by the retry
    assert child.calls == parent.calls + parent.faulty  # one retry per faulty call
    assert found.errors == (parent.faulty, 0)
    parent, child = found.runs["persistent"]
    assert child.outcome == parent.outcome  # the same "unavailable" rows
    assert child.injected == 3 * parent.injected and child.surfaced_injected == parent.surfaced_injected
    assert found.hidden() == ""
    assert found.recovers is None  # no fault-free check was run here (the evaluator runs one)
    assert found.to_json()["plan"]["seed"] == found.plan.seed and found.to_json()["errors"] == [parent.faulty, 0]


def test_a_candidate_that_swallows_failures_hides_them(feeds: tuple[Target, Settings, str, str]) -> None:
    target, settings, source, candidate = feeds
    assert SWALLOW[0] in candidate
    found = measure(target, settings, source, candidate.replace(*SWALLOW))
    assert found is not None and found.errors is not None and found.errors[1] == 0  # fewer, by luck of the schedule
    assert found.hidden().startswith("hides failures: with fetch failing on every attempt the workload raises "
                                     "AttributeError")
    assert found.hidden().endswith("where the parent returns")


def test_a_rate_makes_more_calls_faulty_and_the_first_call_always_is(feeds: tuple[Target, Settings, str, str]) -> None:
    target, settings, source, candidate = feeds
    only_first = measure(target, Settings(**{**vars(settings), "fault_rate": 0.0}), source, candidate)
    every = measure(target, Settings(**{**vars(settings), "fault_rate": 1.0}), source, candidate)
    assert only_first is not None and every is not None
    assert only_first.errors == (1, 0) and every.errors == (12, 0)


def test_a_candidate_without_new_retries_is_not_injected(feeds: tuple[Target, Settings, str, str]) -> None:
    target, settings, source, candidate = feeds
    assert retry_lines(source, source) == [] and retry_lines(candidate, candidate) == []
    line = candidate.splitlines().index(" " * 12 + "found.append(title(_evolver_retry(fetch, name)))") + 1
    assert retry_lines(source, candidate) == [(line, line)]
    assert measure(target, settings, candidate, candidate) is None


def test_a_retry_the_workload_never_reaches_says_so(tmp_path: Path, feeds: tuple[Target, Settings, str, str]) -> None:
    _, _, source, candidate = feeds
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "workload.py").write_text("import feeds\n\n\ndef run():\n    return feeds.title('a b')\n")
    moved = resolve_target(project / "feeds.py")
    found = measure(moved, load_settings(moved), source, candidate)
    assert found is not None and found.plan is None and found.errors is None
    assert found.note.startswith("the workload never reaches the retried call (line ")
    assert found.note.endswith("): no fault was injected")


# -- the schedule, in-process ------------------------------------------------------------------------

def fake_module() -> types.ModuleType:
    module = types.ModuleType("fake")
    exec("class Store:\n    def get(self, key):\n        return key\n\n\ndef get(key, n=1):\n    return key * n\n",
         module.__dict__)
    return module


def failing(module: types.ModuleType, plan: dict[str, object], calls: list[tuple[str, int]]) -> list[tuple[str, int]]:
    injector = faults.Injector(module, plan)
    failed = []
    for key, n in calls:
        try:
            module.get(key, n=n)
        except ConnectionError:
            failed.append((key, n))
    assert injector.patched == ["get"] and len(injector.injected) == len(failed)
    return failed


def test_the_schedule_depends_on_the_arguments_not_on_call_order() -> None:
    plan = {"schedule": "transient", "callees": ["get"], "transient": ["ConnectionError"], "rate": 0.5, "seed": 7}
    calls = [(chr(97 + i), i % 3) for i in range(20)]
    forward = failing(fake_module(), plan, calls)
    backward = failing(fake_module(), plan, [calls[0], *reversed(calls[1:])])
    assert sorted(forward) == sorted(backward) and 2 < len(forward) < 18
    again = failing(fake_module(), plan, calls + calls)  # a faulty call fails once, then runs
    assert again == forward


def test_persistent_faults_fail_every_attempt_and_methods_are_keyed_without_the_receiver() -> None:
    module = fake_module()
    injector = faults.Injector(module, {"schedule": "persistent", "callees": ["Store.get", "gone"],
                                        "transient": ["TimeoutError", "NoSuchName"], "rate": 0.0, "seed": 0})
    assert injector.patched == ["Store.get"] and injector.missing == ["gone"]
    for store in (module.Store(), module.Store()):
        with pytest.raises(TimeoutError, match=r"evolver injected a transient failure into Store\.get"):
            store.get("first")
    assert store.get("second") == "second" and injector.calls == 3 and len(injector.faulty) == 1


def test_call_keys_run_no_user_code() -> None:
    class Loud:
        def __init__(self) -> None:
            self.state = [1, 2]

        def __repr__(self) -> str:
            raise AssertionError("repr was called")

        def __eq__(self, other: object) -> bool:
            raise AssertionError("== was called")

        __hash__ = object.__hash__

    key = faults.call_key((Loud(), "x" * 1000, {3, 1}), {"b": 2.5})
    assert "Loud(dict{str:'state'/5/2744374011: list[int:1, int:2]})" in key and "/1000/" in key and "set{int:1, int:3}" in key
    assert faults.call_key((Loud(),), {}) == faults.call_key((Loud(),), {})


# -- counted where a failure leaves the recovery ----------------------------------------------------

LIBRARY = "SEEN = set()\n\n\ndef read(key):\n    if key not in SEEN:\n        SEEN.add(key)\n" \
          "        raise ConnectionResetError(key)\n    return key.upper()\n"
MODULE = '''from library import read


def _evolver_retry(func, /, *args, **kwargs):
    for attempt in range(3):
        try:
            return func(*args, **kwargs)
        except ConnectionError:
            if attempt == 2:
                raise


def fetch(key):
    return read(key)


def retried(keys):
    return [_evolver_retry(fetch, k) for k in keys]


def plain(keys):
    out = []
    for k in keys:
        try:
            out.append(fetch(k))
        except ConnectionError:
            out.append(None)
    return out
'''


@pytest.mark.parametrize(("workload", "count"), [("plain", 3), ("retried", 0)])
def test_a_library_failure_absorbed_by_a_retry_does_not_surface(tmp_path: Path, workload: str, count: int) -> None:
    (tmp_path / "library.py").write_text(LIBRARY)
    (tmp_path / "mod.py").write_text(MODULE)
    (tmp_path / "workload.py").write_text(f"import mod\n\n\ndef run():\n    return mod.{workload}(['a', 'b', 'c'])\n")
    target = Target(path=tmp_path / "mod.py", root=tmp_path, import_root=tmp_path, module="mod")
    settings = Settings(bench="workload:run", timeout_s=60)
    with Scratch(target, MODULE, settings) as scratch:
        assert error_count(Bench(scratch, settings, source_hash(MODULE))) == count


# -- a whole evolve run --------------------------------------------------------------------------------

@pytest.mark.slow
def test_an_evolve_run_judges_the_retry_by_its_injected_faults(tmp_path: Path) -> None:
    """The retry candidate of the feeds fixture, whose workload keeps errors as rows: the parent surfaces
    every injected failure, the candidate none, and the verdict says so (approved unless the fault-free
    timing calls it slower)."""
    from evolver.evolve import evolve
    from evolver.history import History

    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    target = resolve_target(project / "feeds.py")
    settings = Settings(**{**vars(load_settings(target)), "cycles": 1})
    with History.open(tmp_path / "ws" / ".evolver" / "evolver.db") as history:
        result = evolve(target, settings, tmp_path / "ws", history)
    (outcome,) = [o for o in result.outcomes if o.candidate.site.id == SITE]
    faults = outcome.judgement.faults
    assert faults is not None and faults["plan"]["callees"] == ["fetch"] and faults["hidden"] == ""
    surfaced, absorbed = faults["errors"]
    assert surfaced >= 1 and absorbed == 0 and faults["recovers"] is True
    if outcome.status == "approved":
        assert outcome.reason.startswith("sturdier under injected ConnectionError/TimeoutError at fetch")
    else:
        assert outcome.status == "rejected"
        assert outcome.reason.endswith(f"on the fault-free run, though surfaced failures {surfaced} -> 0 under "
                                       "injected faults")
    assert project.joinpath("feeds.py").read_text() == PROJECT.joinpath("feeds.py").read_text()  # untouched
