"""Whole evolve runs on small real projects: screening, limits from the workload, the time budget,
a run that measures nothing, progress events, and the evaluation seam."""

from __future__ import annotations

import math
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from evolver import transforms
from evolver.config import load_settings, resolve_target
from evolver.errors import CheckFailed
from evolver.evaluate import evaluate_candidate, limits
from evolver.evolve import EvolveResult, evolve
from evolver.history import History
from evolver.model import Site

MODULE = '''\
"""A small project: an exponential pure function, and one called once."""


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def table(n: int) -> list[int]:
    out = []
    for i in range(n):
        out.append(fib(i % 18))
    return out


def once(n: int) -> int:
    return sum(fib(i) for i in range(n))
'''

TESTS = '''\
from mod import fib, once, table


def test_fib():
    assert [fib(i) for i in range(10)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]


def test_table():
    assert table(3) == [0, 1, 1]


def test_once():
    assert once(5) == 7
'''


def make_project(root: Path, module: str = MODULE, workload: str = "def run():\n    return mod.table(40), mod.once(18)\n",
                 tests: str = TESTS) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "proj"
        version = "0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.evolver]
        tests = "pytest tests"
        bench = "workload:run"
        cycles = 1
        """))
    (root / "mod.py").write_text(module)
    (root / "workload.py").write_text("import mod\n\n\n" + workload)
    (root / "tests" / "test_mod.py").write_text(tests)
    return root / "mod.py"


class Events:
    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any], float]] = []
        self.start = time.monotonic()

    def __call__(self, event: str, **data: Any) -> None:
        self.seen.append((event, data, time.monotonic() - self.start))

    def of(self, event: str) -> list[dict[str, Any]]:
        return [data for name, data, _ in self.seen if name == event]


def run(path: Path, tmp_path: Path, **overrides: Any) -> tuple[EvolveResult, Events]:
    target = resolve_target(path)
    settings = load_settings(target, overrides)
    events = Events()
    with History.open(tmp_path / "ws" / ".evolver" / "evolver.db") as history:
        return evolve(target, settings, tmp_path / "ws", history, events), events


def test_screening_then_a_race_with_progress(tmp_path: Path) -> None:
    result, events = run(make_project(tmp_path / "proj"), tmp_path)
    screened = {c.site.id: reason for c, reason in result.screened}
    assert "called once per workload run: a cache cannot hit" in screened["memoize@mod:once"]
    assert all(o.candidate.site.id not in screened for o in result.outcomes)
    assert {e["site"] for e in events.of("skipped")} == set(screened)
    won = {o.candidate.site.id: o for o in result.outcomes if o.status == "approved"}
    assert "memoize@mod:fib" in won and won["memoize@mod:fib"].comparison is not None
    assert result.generations and result.overall is not None and result.overall.verdict == "faster"
    tried = events.of("candidate")  # from the testing threads: two at a time
    assert sorted(e["position"] for e in tried) == list(range(1, len(tried) + 1))
    assert all(e["total"] == len(tried) and "eta_s" in e and "prediction" in e for e in tried)
    assert events.of("race") and all(e["eta_s"] >= 0 for e in events.of("race"))
    assert len(events.of("outcome")) == len(result.outcomes)
    manifest = result.generations[0].manifest
    entry = next(t for t in manifest["transforms"] if t["site"] == "memoize@mod:fib")
    assert entry["predicted"]["text"].startswith("no history for this kind of site")
    assert entry["measured"]["speedup"] > 1 and entry["measured"]["verdict"] == "faster"
    behaviour = manifest["measurements"]["behaviour"]  # the behaviour check, with both trace digests
    assert behaviour["verdict"] == "same" and len(behaviour["parent_trace"]) == len(behaviour["candidate_trace"]) == 64


def hanging(monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    """Hand out one candidate: ``source`` in place of the module, for any site."""
    original_propose = transforms.propose

    def propose(parent: str, ctx: transforms.Context) -> list[Site]:
        sites = original_propose(parent, ctx)
        return [s for s in sites if s.id == "memoize@mod:fib"]

    monkeypatch.setattr(transforms, "propose", propose)
    monkeypatch.setattr(transforms, "apply", lambda parent, site_id, ctx: source)


@pytest.mark.slow  # a real evolve run of 8 s or more: CI's whole suite runs it
def test_a_candidate_that_times_out_is_not_measured_and_the_run_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MIN_CALL_S", 1.0)
    monkeypatch.setattr(limits, "STARTUP_S", 5.0)
    slow = MODULE.replace("def table(n: int) -> list[int]:\n", "def table(n: int) -> list[int]:\n"
                          "    import time; time.sleep(30 if n == 40 else 0)\n")
    hanging(monkeypatch, slow)
    start = time.monotonic()
    result, _ = run(make_project(tmp_path / "proj"), tmp_path)
    assert time.monotonic() - start < 60
    (outcome,) = result.outcomes
    assert outcome.status == "failed" and outcome.comparison is None
    assert outcome.reason.startswith("not measured (timed out after 6 s): a workload call may take 10x")
    assert result.generations == [] and result.measured == 0
    assert result.stop_reason.startswith("nothing was measured: 1 candidate not measured (timed out after 6 s)")
    assert "--timeout raises the limit" in result.stop_reason


@pytest.mark.slow  # a real run of 10 s or more: CI's whole suite runs it
def test_the_budget_bounds_the_whole_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = MODULE.replace("def table(n: int) -> list[int]:\n", "def table(n: int) -> list[int]:\n"
                          "    import time; time.sleep(60 if n == 40 else 0)\n")
    hanging(monkeypatch, slow)  # the default limits would let it run for 40 s
    start = time.monotonic()
    result, _ = run(make_project(tmp_path / "proj"), tmp_path, budget_s=12.0)
    took = time.monotonic() - start
    assert took < 12 + 8, took  # the candidate in flight is stopped, not waited for
    assert result.stop_reason == "time budget used up (12 s)"
    assert all(o.comparison is None for o in result.outcomes)
    assert all("time budget" in o.reason and o.status == "interrupted" for o in result.outcomes)


def test_a_budget_used_up_by_the_baseline_exits_with_that_reason(tmp_path: Path) -> None:
    with pytest.raises(CheckFailed, match=r"time budget \(0.5 s\) was used up while checking the unchanged code"):
        run(make_project(tmp_path / "proj"), tmp_path, budget_s=0.5)


def test_one_candidate_from_plain_data(tmp_path: Path) -> None:
    path = make_project(tmp_path / "proj")
    target = resolve_target(path)
    settings = load_settings(target)
    parent = path.read_text()
    cached = parent.replace("def fib(n: int) -> int:\n", "@__import__('functools').lru_cache(maxsize=None)\n"
                            "def fib(n: int) -> int:\n")
    judged = evaluate_candidate(target, settings, parent, cached)
    assert judged.status == "approved" and judged.comparison is not None
    assert [g.check for g in judged.gates] == ["tests", "test count", "output", "behaviour", "failures", "memory",
                                               "gain"]
    broken = parent.replace("return n if n < 2", "return n + 1 if n < 2")
    failed = evaluate_candidate(target, settings, parent, broken)
    assert failed.status == "failed" and failed.reason.startswith("tests fail") and failed.comparison is None


# about 3.2 s a call: 2.6 s waiting on a reply, then 0.6 s of CPU (on a quiet machine) that a cache of fib removes
SLOW_WORKLOAD = ("import time\n\n\ndef run():\n    time.sleep(2.6)\n"
                 "    return [mod.fib(33), mod.fib(31)]\n")


@pytest.mark.slow  # about 2 minutes: every timing window is a 3 s call
def test_a_workload_of_seconds_evolves_with_every_candidate_measured(tmp_path: Path) -> None:
    """The run the issue saw fail: every candidate "timed out after 30 s" on a ~3.5 s workload, then
    "no candidate gave a significant gain". Limits scale from the workload now."""
    result, _ = run(make_project(tmp_path / "proj", workload=SLOW_WORKLOAD), tmp_path, max_pairs=10)
    parent_call_s = result.outcomes[0].comparison.parent_s[0] if result.outcomes[0].comparison else 0.0
    assert parent_call_s >= 3.0, parent_call_s  # the workload this test is about: seconds a call
    assert result.outcomes
    assert all(o.comparison is not None for o in result.outcomes), [(o.candidate.site.id, o.reason)
                                                                    for o in result.outcomes]
    assert any(o.status == "approved" for o in result.outcomes)
    assert result.generations


def test_analyze_costs_three_workload_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evolver.analyze import analyze
    from evolver.sandbox.scratch import Scratch

    # the count lives in the scratch copy (the only place a sandbox may write), read before it goes
    workload = "def run():\n    open(__file__ + '.calls', 'a').write('x')\n    return mod.table(40)\n"
    path = make_project(tmp_path / "proj", workload=workload)
    target = resolve_target(path)
    counts: list[str] = []
    leave = Scratch.__exit__

    def counted_exit(self: Scratch, *exc: Any) -> None:
        counts.append((self.dir / "workload.py.calls").read_text())
        leave(self, *exc)

    monkeypatch.setattr(Scratch, "__exit__", counted_exit)
    with History.open(tmp_path / "ws" / ".evolver" / "evolver.db") as history:
        found = analyze(target, load_settings(target), history)
    assert counts == ["xxx"]  # one scratch copy: a plain, a profiled and a traced call; nothing else
    assert found.profile is not None and found.metrics["wall_time_ms"] > 0
    assert {f.qualname for f in found.profile.functions} >= {"mod:table", "mod:fib"}


@pytest.mark.slow  # a real evolve run of 8 s or more: CI's whole suite runs it
def test_candidates_run_only_the_tests_reaching_their_rewrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import evolver.evolve as evolve_module
    from evolver.evaluate.selection import function_spans

    monkeypatch.setattr(evolve_module, "SELECT_TESTS_FROM_S", 0.0)
    module = MODULE + "\n\ndef label(n: int) -> str:\n    return f'n={n}'\n"
    tests = TESTS + "\n\ndef test_label():\n    from mod import label\n    assert label(2) == 'n=2'\n"
    path = make_project(tmp_path / "proj", module=module, tests=tests)
    assert function_spans(module, "mod")["mod:label"] == (20, 20)  # its body, not its def line
    result, events = run(path, tmp_path)
    fib = next(e for e in events.of("candidate") if e["site"] == "memoize@mod:fib")
    assert fib["tests"] == 3  # test_label never reaches fib
    with History.open(tmp_path / "ws" / ".evolver" / "evolver.db") as history:
        runs = [r["tests_run"] for r in history.rows("test_results")]
    assert runs[0] == 4 and 3 in runs  # the baseline ran them all; the candidate the three
    assert result.generations and runs[-1] == 4  # the winner ran the whole suite again


@pytest.mark.slow  # a real evolve run (about 10 s on a quiet machine)
@pytest.mark.parametrize("selected", [False, True])
def test_a_win_approved_when_the_budget_ends_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        selected: bool) -> None:
    """The budget ends while the cycle's candidates are judged: what was approved before it ended
    becomes a generation (its race figure, named as such), not a "no new generation". One that ran
    only the tests reaching its rewrite runs the whole suite first, past the budget."""
    import evolver.evolve as evolve_module
    from evolver.evaluate.evaluator import Evaluator

    monkeypatch.setattr(evolve_module, "SELECT_TESTS_FROM_S", 0.0 if selected else math.inf)

    evaluate = Evaluator.evaluate

    def budget_ends_during(self: Evaluator, proposals: Any) -> Any:
        results = evaluate(self, proposals)
        self.resources.clock.cancel.set()  # as the budget's timer does
        return results

    monkeypatch.setattr(Evaluator, "evaluate", budget_ends_during)
    monkeypatch.setattr(transforms, "propose", lambda parent, ctx: [
        s for s in original_propose(parent, ctx) if s.id == "memoize@mod:fib"])
    result, events = run(make_project(tmp_path / "proj"), tmp_path, cycles=2)
    (outcome,) = result.outcomes
    assert outcome.status == "approved" and outcome.comparison is not None
    (gen,) = result.generations
    assert [t["site"] for t in gen.manifest["transforms"]] == ["memoize@mod:fib"]
    assert gen.manifest["measurements"]["vs_parent"]["ratio"] == outcome.comparison.ratio
    assert result.overall is None  # no time left to measure it again against the original
    assert result.stop_reason == "time budget used up"
    stages = [e["text"] for e in events.of("stage")]
    assert not any("measuring and profiling the parent" in text for text in stages)
    assert ("running the whole test suite on the winner (after the time budget: a generation needs it)"
            in stages) is selected
    with History.open(tmp_path / "ws" / ".evolver" / "evolver.db") as history:
        assert history.rows("test_results")[-1]["tests_run"] == 3  # the whole suite ran on what was written


original_propose = transforms.propose
