"""Timing on real sandboxed workers (the fixture's loop takes ~5 ms) and the statistics it uses."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import numpy as np
import pytest

from evolver.errors import EvolverError
from evolver.evaluate import workers
from evolver.evaluate.limits import Limits
from evolver.evaluate.stats import decide, look, plan_looks
from evolver.evaluate.timing import compare
from evolver.evaluate.workers import Bench, CandidateFailed, TimedOut, timing_round, workload_spec
from evolver.model import Settings, Target, source_hash
from evolver.sandbox.scratch import Scratch

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sandbox_proj"
SOURCE = (FIXTURE / "calc.py").read_text()
TARGET = Target(path=FIXTURE / "calc.py", root=FIXTURE, import_root=FIXTURE, module="calc")
HALF_THE_WORK = SOURCE.replace("N = 60000", "N = 30000")


@contextmanager
def benches(*sources: str, timeout_s: float = 60, expected: str | None = None) -> Iterator[list[Bench]]:
    settings = Settings(bench="workload:run_calc", timeout_s=timeout_s)
    limits = Limits(timeout_s, timeout_s, f"{timeout_s:g} s", startup_s=min(30.0, timeout_s))
    with ExitStack() as stack:
        made = []
        for source in sources:
            scratch = stack.enter_context(Scratch(TARGET, source, settings))
            made.append(Bench(scratch, settings, source_hash(source), limits=limits))
        if expected is not None:
            made[-1].expected_hash = expected
        yield made


# -- the statistics, on synthetic samples ----------------------------------------------------------

def noisy(rng: np.random.Generator, n: int, scale: float = 1.0) -> np.ndarray:
    """Times from a bimodal machine: a shared per-pair speed, plus noise."""
    speed = rng.choice([1.0, 1.25], size=n) * rng.lognormal(0, 0.03, size=n)
    return 0.005 * scale * speed


def test_a_halved_workload_is_faster() -> None:
    rng = np.random.default_rng(1)
    parent = noisy(rng, 10)
    candidate = parent * 0.5 * rng.lognormal(0, 0.03, size=10)
    stats = look(parent, candidate)
    assert stats.ci_high < 1 and 0.45 < stats.ratio < 0.55
    assert decide(stats, alpha_look=0.01 / 3, min_effect=0.03, final=False) == "faster"


def test_a_doubled_workload_is_slower() -> None:
    rng = np.random.default_rng(2)
    parent = noisy(rng, 10)
    stats = look(parent, parent * 2 * rng.lognormal(0, 0.03, size=10))
    assert decide(stats, alpha_look=0.01 / 3, min_effect=0.03, final=False) == "slower"


@pytest.mark.parametrize("seed", range(20))
def test_identical_code_is_never_faster(seed: int) -> None:
    rng = np.random.default_rng(seed)
    parent, candidate = noisy(rng, 40), noisy(rng, 40)
    plan = plan_looks(40, 0.01)
    for n in plan.looks:
        stats = look(parent[:n], candidate[:n])
        verdict = decide(stats, alpha_look=plan.alpha_look, min_effect=0.03, final=n == 40,
                         decision=n in plan.decisions)
        assert verdict != "faster"


def test_an_effect_below_the_minimum_is_not_faster() -> None:
    rng = np.random.default_rng(3)
    parent = noisy(rng, 40)
    stats = look(parent, parent * 0.99 * rng.lognormal(0, 0.002, size=40))
    assert stats.p_faster < 0.001  # real, but smaller than min_effect
    assert decide(stats, alpha_look=0.01 / 3, min_effect=0.03, final=True) == "no significant difference"


def test_a_tight_interval_around_one_stops_early() -> None:
    rng = np.random.default_rng(4)
    parent = noisy(rng, 20)
    stats = look(parent, parent * rng.lognormal(0, 0.002, size=20))
    assert decide(stats, alpha_look=0.01 / 3, min_effect=0.03, final=False) == "no significant difference"


def test_a_wide_interval_keeps_sampling() -> None:
    rng = np.random.default_rng(5)
    stats = look(noisy(rng, 10), noisy(rng, 10))
    assert decide(stats, alpha_look=0.01 / 3, min_effect=0.03, final=False) is None


def test_the_decision_is_reproducible_from_the_samples() -> None:
    rng = np.random.default_rng(6)
    parent, candidate = noisy(rng, 20), noisy(rng, 20, 0.9)
    assert look(parent, candidate) == look(parent.copy(), candidate.copy())


def test_look_plan() -> None:
    assert plan_looks(40, 0.01).looks == (4, 6, 10, 20, 40)
    assert plan_looks(40, 0.01).decisions == (10, 20, 40)
    assert plan_looks(20, 0.01).decisions == (10, 20)
    assert plan_looks(60, 0.01).decisions == (11, 22, 44, 60)  # four looks: alpha / 4 each
    assert plan_looks(6, 0.01).looks == (4, 6)


# -- live comparisons on the fixture (each loop ~5 ms) --------------------------------------------

@pytest.mark.slow  # a real run of 10 s or more: CI's whole suite runs it
def test_aa_identical_copies_are_not_faster() -> None:
    with benches(SOURCE, SOURCE) as (parent, candidate):
        result = compare(parent, candidate, alpha=0.01, min_effect=0.03, max_pairs=20)
    assert result.verdict != "faster"
    assert result.pairs in (4, 6, 10, 20)
    assert len(result.parent_s) == len(result.candidate_s) == result.pairs
    extra = result.extra
    assert len(extra["seed_pairs"]) == len(extra["order"]) == result.pairs
    assert set(extra["order"]) <= {"AB", "BA"}
    assert extra["alpha_look"] == pytest.approx(0.01 / 2)
    assert extra["parent_hash"] == extra["candidate_hash"] == source_hash(SOURCE)


def test_half_the_work_is_faster() -> None:
    with benches(SOURCE, HALF_THE_WORK) as (parent, candidate):
        result = compare(parent, candidate, alpha=0.01, min_effect=0.03)
    assert result.verdict == "faster", result
    assert result.ci_high < 1 and result.ratio < 0.8
    assert result.loops == parent.loops and result.loops >= 2
    assert result.extra["candidate_hash"] == source_hash(HALF_THE_WORK)
    assert result.extra["looks"] >= 1


def test_bonferroni_over_candidates_splits_alpha() -> None:
    with benches(SOURCE, HALF_THE_WORK) as (parent, candidate):
        result = compare(parent, candidate, alpha=0.01, min_effect=0.03, n_candidates=4)
    assert result.extra["alpha_look"] == pytest.approx(0.01 / 3 / 4)
    assert result.verdict == "faster" and result.pairs >= 12  # 10 pairs cannot reach p < 0.00083


def test_a_crashing_candidate_fails() -> None:
    crashing = SOURCE.replace("def work():\n", "def work():\n    raise MemoryError('candidate broke')\n")
    with benches(SOURCE, crashing) as (parent, candidate):
        with pytest.raises(CandidateFailed, match="MemoryError: candidate broke"):
            compare(parent, candidate, alpha=0.01, min_effect=0.03)


def test_a_hanging_candidate_times_out_at_its_limit() -> None:
    hanging = SOURCE.replace("def work():\n", "def work():\n    import time; time.sleep(60)\n")
    with benches(SOURCE, timeout_s=60) as (parent,), benches(hanging, timeout_s=2) as (candidate,):
        start = time.monotonic()
        with pytest.raises(TimedOut, match="took longer than 4 s") as caught:
            compare(parent, candidate, alpha=0.01, min_effect=0.03)
    assert caught.value.limit_s == 4 and time.monotonic() - start < 30


def test_a_candidate_that_is_not_the_code_meant_fails() -> None:
    with benches(SOURCE, HALF_THE_WORK, expected=source_hash(SOURCE)) as (parent, candidate):
        with pytest.raises(CandidateFailed, match="differs from the expected"):
            compare(parent, candidate, alpha=0.01, min_effect=0.03)


def test_a_broken_parent_is_an_error_not_a_candidate_failure() -> None:
    with benches(SOURCE, SOURCE, expected="f" * 64) as (candidate, parent):
        with pytest.raises(EvolverError) as caught:
            compare(parent, candidate, alpha=0.01, min_effect=0.03)
    assert not isinstance(caught.value, CandidateFailed)


@pytest.mark.parametrize(("tests", "bench", "expected"), [
    (None, "workload:run_calc", "workload:run_calc"),
    (None, None, "pytest:-q -p no:cacheprovider"),
    ("pytest checks -x", None, "pytest:checks -x -q -p no:cacheprovider"),
    ("doctest", None, "pytest:-q -p no:cacheprovider --doctest-modules {module}"),
])
def test_workload_spec(tests: str | None, bench: str | None, expected: str) -> None:
    settings = Settings(tests=tests, bench=bench)
    with Scratch(TARGET, SOURCE, settings) as scratch:
        assert workload_spec(scratch, settings) == expected.format(module=scratch.module_path)


def test_a_shell_test_command_without_bench_cannot_be_timed() -> None:
    settings = Settings(tests="make test")
    with Scratch(TARGET, SOURCE, settings) as scratch:
        with pytest.raises(EvolverError, match="set bench"):
            workload_spec(scratch, settings)


# -- alternating windows: two live workers taking turns ---------------------------------------------

CRASH_LATER = SOURCE.replace("def work():\n", "_calls = []\n\n\ndef work():\n"
                             "    _calls.append(1)\n    if len(_calls) > 3:\n        raise KeyError('third window')\n")
EXIT_LATER = SOURCE.replace("def work():\n", "_calls = []\n\n\ndef work():\n"
                            "    _calls.append(1)\n    if len(_calls) > 3:\n        import os; os._exit(3)\n")


def test_a_round_times_every_version_the_same_windows() -> None:
    with benches(SOURCE, HALF_THE_WORK, SOURCE) as (parent, half, same):
        loops = workers.calibrate(parent)
        found = timing_round([parent, half, same], loops, seed=7, order=[2, 0, 1], windows=3)
    assert not found.failures
    assert len(found.times[0].windows) == len(found.times[1].windows) == 3
    assert 0 < found.times[1].per_loop_s < found.times[0].per_loop_s  # the fastest window, per loop
    assert found.times[0].peak_rss_mb > 1 and found.times[1].cpu_share is not None


@pytest.mark.parametrize(("source", "reason"), [(CRASH_LATER, "KeyError: 'third window'"),
                                                (EXIT_LATER, "exited with 3|stopped early")])
def test_a_candidate_failing_between_windows_leaves_the_others_timed(source: str, reason: str) -> None:
    with benches(SOURCE, source, HALF_THE_WORK) as (parent, failing, half):
        start = time.monotonic()
        found = timing_round([parent, failing, half], 1, seed=1, order=[0, 1, 2], windows=4)
    assert time.monotonic() - start < 30  # nobody waited for a timeout
    assert list(found.failures) == [1] and isinstance(found.failures[1], CandidateFailed)
    assert re.search(reason, str(found.failures[1]))
    assert set(found.times) == {0, 2}


def test_a_failing_parent_fails_the_round() -> None:
    with benches(CRASH_LATER, SOURCE) as (parent, candidate):
        with pytest.raises(EvolverError, match="third window") as caught:
            timing_round([parent, candidate], 1, seed=1, order=[0, 1], windows=4)
    assert not isinstance(caught.value, CandidateFailed)


def test_compare_records_windows_and_cpus() -> None:
    with benches(SOURCE, HALF_THE_WORK) as (parent, candidate):
        result = compare(parent, candidate, alpha=0.01, min_effect=0.03, max_pairs=10, memory=False)
    # the parent's windows as calibrated: settings.windows, or fewer when one window is long (under load it
    # can be: the rule itself is test_long_windows_are_taken_fewer_times)
    assert parent.window_s and result.extra["windows"] == workers.windows_for(parent)
    assert 1 <= result.extra["windows"] <= parent.settings.windows
    cpus = result.extra["cpus"]
    assert cpus is None or len(cpus) == result.pairs


def test_rounds_at_once_on_copies_of_their_own() -> None:
    with benches(SOURCE, SOURCE, HALF_THE_WORK, HALF_THE_WORK) as (a1, a2, b1, b2):
        result = compare([a1, a2], [b1, b2], alpha=0.01, min_effect=0.03)
    assert result.verdict == "faster" and result.extra["slots"] == 2
    assert len(set(result.extra["seed_pairs"])) == result.pairs


@pytest.mark.parametrize(("window_s", "configured", "expected"), [
    (None, 6, 6), (0.02, 6, 6), (0.05, 6, 3), (0.1, 6, 2), (0.6, 6, 1), (0.6, 1, 1), (0.001, 4, 4)])
def test_long_windows_are_taken_fewer_times(window_s: float | None, configured: int, expected: int) -> None:
    from types import SimpleNamespace

    bench = SimpleNamespace(settings=Settings(windows=configured), window_s=window_s)
    assert workers.windows_for(bench) == expected  # type: ignore[arg-type]
