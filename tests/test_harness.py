from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import numpy as np
import pytest

from evolver import harness
from evolver.errors import EvolverError
from evolver.harness import (
    Bench,
    CandidateFailed,
    compare,
    decide,
    look,
    look_schedule,
    workload_spec,
)
from evolver.model import Settings, Target, source_hash
from evolver.sandbox.scratch import Scratch

FIXTURE = Path(__file__).parent / "fixtures" / "sandbox_proj"
SOURCE = (FIXTURE / "calc.py").read_text()
TARGET = Target(path=FIXTURE / "calc.py", root=FIXTURE, import_root=FIXTURE, module="calc")
HALF_THE_WORK = SOURCE.replace("N = 60000", "N = 30000")


@contextmanager
def benches(*sources: str, timeout_s: float = 60, expected: str | None = None) -> Iterator[list[Bench]]:
    settings = Settings(bench="workload:run_calc", timeout_s=timeout_s)
    with ExitStack() as stack:
        made = []
        for source in sources:
            scratch = stack.enter_context(Scratch(TARGET, source, settings))
            made.append(Bench(scratch, settings, source_hash(source)))
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
    for n in look_schedule(40):
        stats = look(parent[:n], candidate[:n])
        assert decide(stats, alpha_look=0.01 / 3, min_effect=0.03, final=n == 40) != "faster"


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


def test_look_schedule() -> None:
    assert look_schedule(40) == (10, 20, 40)
    assert look_schedule(20) == (10, 20)
    assert look_schedule(60) == (10, 20, 40, 60)
    assert look_schedule(6) == (6,)


# -- live comparisons on the fixture (each loop ~5 ms) --------------------------------------------

def test_aa_identical_copies_are_not_faster() -> None:
    with benches(SOURCE, SOURCE) as (parent, candidate):
        result = compare(parent, candidate, alpha=0.01, min_effect=0.03, max_pairs=20)
    assert result.verdict != "faster"
    assert result.pairs in (10, 20)
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
    assert result.verdict == "faster" and result.pairs >= 20  # 10 pairs cannot reach p < 0.00083


def test_a_crashing_candidate_fails() -> None:
    crashing = SOURCE.replace("def work():\n", "def work():\n    raise MemoryError('candidate broke')\n")
    with benches(SOURCE, crashing) as (parent, candidate):
        with pytest.raises(CandidateFailed, match="MemoryError: candidate broke"):
            compare(parent, candidate, alpha=0.01, min_effect=0.03)


def test_a_hanging_candidate_fails() -> None:
    hanging = SOURCE.replace("def work():\n", "def work():\n    import time; time.sleep(60)\n")
    with benches(SOURCE, timeout_s=60) as (parent,), benches(hanging, timeout_s=2) as (candidate,):
        with pytest.raises(CandidateFailed, match="timed out after 2 s"):
            compare(parent, candidate, alpha=0.01, min_effect=0.03)


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


def test_a_pair_times_the_same_windows_on_both_sides() -> None:
    with benches(SOURCE, HALF_THE_WORK) as (parent, candidate):
        loops = harness.calibrate(parent)
        a, b = harness.alternating_pair(parent, candidate, loops, seed=7, order="BA")
    assert 0 < b < a  # the per-loop seconds of each side's fastest window


@pytest.mark.parametrize(("source", "reason"), [(CRASH_LATER, "KeyError: 'third window'"),
                                                (EXIT_LATER, "exited with 3|stopped early")])
def test_a_candidate_failing_between_windows_fails_and_frees_the_parent(source: str, reason: str) -> None:
    with benches(SOURCE, timeout_s=60) as (parent,), benches(source, timeout_s=60) as (candidate,):
        start = time.monotonic()
        with pytest.raises(CandidateFailed, match=reason):
            harness.alternating_pair(parent, candidate, 1, seed=1, order="AB")
    assert time.monotonic() - start < 30  # neither side waited for its timeout


def test_compare_records_windows_and_cpus() -> None:
    with benches(SOURCE, HALF_THE_WORK) as (parent, candidate):
        result = compare(parent, candidate, alpha=0.01, min_effect=0.03, max_pairs=10, memory=False)
    assert result.extra["windows"] == parent.settings.windows
    cpus = result.extra["cpus"]
    assert cpus is None or len(cpus) == result.pairs


@pytest.mark.parametrize(("window_s", "configured", "expected"), [
    (None, 6, 6), (0.02, 6, 6), (0.05, 6, 3), (0.6, 6, 2), (0.6, 1, 1), (0.001, 4, 4)])
def test_long_windows_are_taken_fewer_times(window_s: float | None, configured: int, expected: int) -> None:
    from types import SimpleNamespace

    bench = SimpleNamespace(settings=Settings(windows=configured), window_s=window_s)
    assert harness.windows_for(bench) == expected  # type: ignore[arg-type]
