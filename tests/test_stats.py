"""The harness's statistics and its decision logic, on synthetic samples (no sandbox runs)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from scipy.stats import wilcoxon

from evolver import harness
from evolver.config import load_settings
from evolver.errors import CheckFailed, EvolverError
from evolver.harness import (
    CandidateFailed,
    compare,
    decide,
    look,
    look_schedule,
    memory_over_budget,
    p_value,
    paired_judgement,
)
from evolver.model import Comparison, Settings, Target

ALPHA, MIN_EFFECT = 0.01, 0.03


def machine_noise(rng: np.random.Generator, n: int) -> np.ndarray:
    """Per-pair log ratios like this machine's: mostly small, a third of pairs hit by a speed change."""
    small = rng.normal(0, 0.03, n)
    jolt = rng.choice([-0.5, 0.5], n) * (rng.random(n) < 0.3)
    return small + jolt


def sequential(logs: np.ndarray, *, max_pairs: int, n_candidates: int = 1) -> tuple[str, int]:
    """The verdict and pairs used by compare's schedule, on pre-drawn per-pair log ratios."""
    schedule = look_schedule(max_pairs)
    alpha_look = ALPHA / len(schedule) / n_candidates
    parent = np.full(max_pairs, 0.01)
    for k, n in enumerate(schedule, start=1):
        stats = look(parent[:n], parent[:n] * np.exp(logs[:n]))
        verdict = decide(stats, alpha_look=alpha_look, min_effect=MIN_EFFECT, final=k == len(schedule))
        if verdict is not None:
            return verdict, n
    raise AssertionError("the last look must decide")


# -- decide ----------------------------------------------------------------------------------------

def stats_of(ratio: float, low: float, high: float, p_faster: float = 0.5, p_slower: float = 0.5) -> harness.Look:
    return harness.Look(ratio, low, high, p_faster, p_slower, 0)


@pytest.mark.parametrize(("stats", "final", "expected"), [
    pytest.param(stats_of(0.8, 0.75, 0.85, p_faster=0.001), False, "faster", id="significant-and-big"),
    pytest.param(stats_of(0.98, 0.975, 0.985, p_faster=0.0001), True, "no significant difference",
                 id="significant-but-below-min-effect"),
    pytest.param(stats_of(0.8, 0.6, 0.96, p_faster=0.02), False, None, id="big-but-not-significant-yet"),
    pytest.param(stats_of(0.8, 0.6, 0.96, p_faster=0.02), True, "no significant difference",
                 id="big-but-not-significant-at-the-end"),
    pytest.param(stats_of(1.3, 1.2, 1.4, p_slower=0.001), False, "slower", id="slower"),
    pytest.param(stats_of(1.01, 0.98, 1.3), False, "no significant difference", id="interval-rules-out-a-gain"),
    pytest.param(stats_of(1.0, 0.95, 1.05), False, None, id="a-gain-still-possible"),
])
def test_decide(stats: harness.Look, final: bool, expected: str | None) -> None:
    assert decide(stats, alpha_look=ALPHA / 3, min_effect=MIN_EFFECT, final=final) == expected


def test_p_value_follows_the_verdict() -> None:
    stats = stats_of(1.0, 0.9, 1.1, p_faster=0.2, p_slower=0.8)
    assert p_value(stats, "faster") == 0.2
    assert p_value(stats, "slower") == 0.8
    assert p_value(stats, "no significant difference") == pytest.approx(0.4)


def test_look_schedule_extends_to_eighty_pairs() -> None:
    assert look_schedule(80) == (10, 20, 40, 80)
    assert look_schedule(100) == (10, 20, 40, 80, 100)


# -- the procedure's error rates on synthetic noise -------------------------------------------------

def test_identical_versions_are_almost_never_accepted() -> None:
    rng = np.random.default_rng(11)
    verdicts = [sequential(machine_noise(rng, 20), max_pairs=20)[0] for _ in range(100)]
    assert verdicts.count("faster") <= 1
    assert verdicts.count("no significant difference") >= 95


def test_the_alpha_split_is_what_keeps_identical_versions_out() -> None:
    """Without the split (and the interval), peeking at every look at p < 0.05 accepts noise."""
    rng = np.random.default_rng(12)
    naive = 0
    for _ in range(100):
        logs = machine_noise(rng, 20)
        naive += any(wilcoxon(logs[:n], alternative="less").pvalue < 0.05 for n in (10, 20))
    assert naive >= 3


def test_a_ten_percent_gain_is_accepted() -> None:
    rng = np.random.default_rng(13)
    results = [sequential(math.log(0.9) + rng.normal(0, 0.04, 40), max_pairs=40) for _ in range(40)]
    assert sum(verdict == "faster" for verdict, _ in results) >= 38
    assert min(n for _, n in results) == 10  # clear cases stop at the first look


def test_more_candidates_need_more_evidence() -> None:
    logs = math.log(0.8) + np.random.default_rng(14).normal(0, 0.02, 40)
    assert sequential(logs, max_pairs=40) == ("faster", 10)
    # Ten pairs cannot reach p < 0.01 / 3 / 4: the signed-rank test's floor there is 1 / 1024.
    assert sequential(logs, max_pairs=40, n_candidates=4) == ("faster", 20)


# -- paired judgement of other figures (memory, CPU) ------------------------------------------------

MEMORY = {"faster": "less", "slower": "more"}


def test_much_more_memory_is_more_and_over_budget() -> None:
    parent = 20 + np.random.default_rng(15).normal(0, 0.05, 10)
    judged = paired_judgement(parent, parent * 1.6, alpha=ALPHA, min_effect=MIN_EFFECT, floor=1e-6, words=MEMORY)
    assert judged["verdict"] == "more"
    assert judged["ci"][0] > 1.5 and judged["p"] < ALPHA


def test_equal_memory_is_no_difference() -> None:
    parent = np.full(10, 19.0)
    judged = paired_judgement(parent, parent.copy(), alpha=ALPHA, min_effect=MIN_EFFECT, floor=1e-6, words=MEMORY)
    assert judged == {"ratio": 1.0, "ci": [1.0, 1.0], "p": 1.0, "verdict": "no significant difference"}


def test_a_zero_figure_does_not_break_the_ratio() -> None:
    judged = paired_judgement(np.zeros(10), np.zeros(10), alpha=ALPHA, min_effect=MIN_EFFECT, floor=0.01,
                              words=MEMORY)
    assert judged["ratio"] == 1.0


# -- compare's logic, with the sandbox runs replaced by synthetic ones -------------------------------

class FakeMachine:
    """Stands in for the worker: per-loop times and memory figures of two versions, logging calls."""

    def __init__(self, speed: float, memory: float = 1.0, seed: int = 0) -> None:
        self.speed, self.memory = speed, memory
        self.rng = np.random.default_rng(seed)
        self.calls: list[tuple[str, str, int]] = []  # (mode, who, hash seed)

    def sample(self, bench: Any, loops: int, seed: int, failure: type[EvolverError]) -> float:
        self.calls.append(("time", bench.name, seed))
        assert (failure is CandidateFailed) == (bench.name == "B")
        base = 0.01 * (1 + (seed % 7) / 10)  # the hash seed moves both alike
        return base * (self.speed if bench.name == "B" else 1.0) * math.exp(self.rng.normal(0, 0.02))

    def alternating_pair(self, parent: Any, candidate: Any, loops: int, seed: int, order: str) -> tuple[float, float]:
        timed = {who: self.sample(bench, loops, seed, CandidateFailed if who == "B" else EvolverError)
                 for who, bench in sorted((("A", parent), ("B", candidate)), key=lambda x: order.index(x[0]))}
        return timed["A"], timed["B"]

    def run_worker(self, bench: Any, mode: str, *, seed: int, failure: type[EvolverError]) -> dict[str, Any]:
        self.calls.append((mode, bench.name, seed))
        scale = self.memory if bench.name == "B" else 1.0
        return {"peak_rss_bytes": 20e6 * scale * math.exp(self.rng.normal(0, 0.001)),
                "tracemalloc_peak_bytes": 0.0, "cpu_percent": 99.0 + self.rng.normal(0, 0.5)}


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMachine]:
    fake = FakeMachine(speed=1.0)
    monkeypatch.setattr(harness, "calibrate", lambda bench, failure=None: 7)
    monkeypatch.setattr(harness, "sample", fake.sample)
    monkeypatch.setattr(harness, "alternating_pair", fake.alternating_pair)
    monkeypatch.setattr(harness, "run_worker", fake.run_worker)
    yield fake


def fake_bench(name: str, **settings: Any) -> Any:
    return SimpleNamespace(name=name, settings=Settings(**settings), expected_hash=name * 64,
                           scratch=SimpleNamespace(isolation=("fake",)))


def test_pairs_share_a_seed_and_come_in_both_orders(machine: FakeMachine) -> None:
    result = compare(fake_bench("A"), fake_bench("B"), alpha=ALPHA, min_effect=MIN_EFFECT, memory=False)
    timed = [call for call in machine.calls if call[0] == "time"]
    assert len(timed) == 2 * result.pairs
    for k, (first, second) in enumerate(zip(timed[::2], timed[1::2])):
        assert first[2] == second[2] == result.extra["seed_pairs"][k]
        assert first[1] + second[1] == result.extra["order"][k]
    assert set(result.extra["order"]) == {"AB", "BA"}
    assert result.loops == 7 and len(result.parent_s) == len(result.candidate_s) == result.pairs


def test_a_faster_candidate_records_its_figures(machine: FakeMachine) -> None:
    machine.speed = 0.8
    result = compare(fake_bench("A"), fake_bench("B"), alpha=ALPHA, min_effect=MIN_EFFECT, n_candidates=2)
    assert result.verdict == "faster" and 0.75 < result.ratio < 0.85
    assert result.ci_high < 0.97 and result.p_value < ALPHA / 3 / 2
    extra = result.extra
    assert extra["alpha_look"] == pytest.approx(ALPHA / 3 / 2) and extra["n_candidates"] == 2
    assert extra["memory"]["verdict"] == "no significant difference"
    assert extra["memory"]["over_budget"] is False and not memory_over_budget(result)
    assert extra["memory"]["parent_peak_mb"] == pytest.approx(20e6 / 1024**2, rel=0.01)
    assert extra["cpu"]["verdict"] == "no significant difference"
    assert "instructions" not in extra


def test_faster_but_far_bigger_is_flagged_over_budget(machine: FakeMachine) -> None:
    machine.speed, machine.memory = 0.5, 2.0
    result = compare(fake_bench("A"), fake_bench("B", memory_budget=1.5), alpha=ALPHA, min_effect=MIN_EFFECT)
    assert result.verdict == "faster"
    memory = result.extra["memory"]
    assert memory["verdict"] == "more" and memory["ratio"] == pytest.approx(2.0, rel=0.01)
    assert memory["over_budget"] is True and memory_over_budget(result)
    assert memory["candidate_peak_mb"] == pytest.approx(2 * memory["parent_peak_mb"], rel=0.01)
    memory_seeds = [seed for mode, _, seed in machine.calls if mode == "memory"]
    assert len(memory_seeds) == 2 * harness.MEMORY_PAIRS


def test_the_budget_is_read_from_the_parent(machine: FakeMachine) -> None:
    machine.speed, machine.memory = 0.5, 2.0
    result = compare(fake_bench("A", memory_budget=3.0), fake_bench("B"), alpha=ALPHA, min_effect=MIN_EFFECT)
    assert result.extra["memory"]["budget"] == 3.0 and not memory_over_budget(result)


@pytest.mark.parametrize(("speed", "verdict"), [(1.5, "slower"), (1.0, "no significant difference")])
def test_a_candidate_not_faster_skips_memory_unless_asked(machine: FakeMachine, speed: float, verdict: str) -> None:
    machine.speed = speed
    result = compare(fake_bench("A"), fake_bench("B"), alpha=ALPHA, min_effect=MIN_EFFECT)
    assert result.verdict == verdict and result.extra["memory"] is None
    assert not memory_over_budget(result)
    assert not any(mode == "memory" for mode, _, _ in machine.calls)
    asked = compare(fake_bench("A"), fake_bench("B"), alpha=ALPHA, min_effect=MIN_EFFECT, memory=True)
    assert asked.extra["memory"]["verdict"] == "no significant difference"


def test_identical_versions_stop_once_a_gain_is_ruled_out(machine: FakeMachine) -> None:
    result = compare(fake_bench("A"), fake_bench("B"), alpha=ALPHA, min_effect=MIN_EFFECT, max_pairs=80)
    assert result.verdict == "no significant difference"
    assert result.pairs == 10 and result.extra["schedule"] == [10, 20, 40, 80]


def test_max_pairs_comes_from_the_settings(machine: FakeMachine) -> None:
    machine.speed = 0.985  # real but below the minimum effect: never accepted, runs to the end
    machine.rng = np.random.default_rng(3)
    result = compare(fake_bench("A", max_pairs=20), fake_bench("B"), alpha=ALPHA, min_effect=MIN_EFFECT)
    assert result.extra["schedule"] == [10, 20]
    assert result.verdict != "faster"


def test_instructions_are_skipped_cheaply_without_valgrind(machine: FakeMachine,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness.shutil, "which", lambda name: None)
    result = compare(fake_bench("A", instructions=True), fake_bench("B"), alpha=ALPHA, min_effect=MIN_EFFECT)
    assert result.extra["instructions"] == {"skipped": "valgrind is not installed"}
    assert sum(mode == "time" for mode, _, _ in machine.calls) == 2 * result.pairs  # no extra runs


def test_the_cachegrind_summary_line_is_read() -> None:
    log = "==12== Cachegrind, a cache profiler\nuser output: I refs: 5\n==12== \n==12== I   refs:      87,949,453\n"
    assert harness._I_REFS.findall(log) == ["87,949,453"]


# -- what the reports show -------------------------------------------------------------------------

def test_describe_shows_speedup_and_interval() -> None:
    cmp = Comparison(verdict="faster", ratio=1 / 1.84, ci_low=1 / 1.97, ci_high=1 / 1.71, p_value=0.001,
                     pairs=10, parent_s=(), candidate_s=(), loops=1)
    assert cmp.describe() == "1.84x faster (95% CI 1.71-1.97)"


# -- the settings the harness reads ----------------------------------------------------------------

def settings_from(tmp_path: Path, table: str) -> Settings:
    (tmp_path / "pyproject.toml").write_text(f"[tool.evolver]\n{table}\n")
    (tmp_path / "m.py").write_text("X = 1\n")
    return load_settings(Target(tmp_path / "m.py", tmp_path, tmp_path, "m"))


def test_harness_settings_load(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, "memory_budget = 2\ninstructions = true\nmax_pairs = 80")
    assert (settings.memory_budget, settings.instructions, settings.max_pairs) == (2.0, True, 80)
    assert Settings().memory_budget == 1.5 and Settings().instructions is False and Settings().max_pairs == 40


@pytest.mark.parametrize("table", ['instructions = "yes"', "max_pairs = 0", 'memory_budget = "big"'])
def test_bad_harness_settings_are_refused(tmp_path: Path, table: str) -> None:
    with pytest.raises(EvolverError) as caught:
        settings_from(tmp_path, table)
    assert not isinstance(caught.value, CheckFailed)
