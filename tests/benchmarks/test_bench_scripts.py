"""The issue-16 benchmark scripts' own bookkeeping: resumable power series, its interval, and the
before/after table of bench_evolve (the figures themselves come from running the scripts)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))  # bench_harness_power imports bench_harness_aa by name
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


power = load("bench_harness_power")
bench_evolve = load("bench_evolve")


def test_power_series_resumes_and_refuses_another_rule(tmp_path: Path) -> None:
    path = tmp_path / "power.json"
    first = power.Series(path, max_pairs=40)
    first.add(10.0, "faster", 6, 0.9, 3.0)
    first.add(5.0, "no significant difference", 40, 0.96, 30.0)
    again = power.Series(path, max_pairs=40)
    assert [t["verdict"] for t in again.trials(10.0)] == ["faster"]
    assert [t["pairs"] for t in again.trials(5.0)] == [40]
    with pytest.raises(SystemExit, match="max 40 pairs, not 20"):
        power.Series(path, max_pairs=20)


def test_power_summary_gives_the_clopper_pearson_interval() -> None:
    trials = [{"verdict": "faster" if k < 38 else "no significant difference", "pairs": 6, "ratio": 0.9,
               "seconds": 4.0, "load": 2.0} for k in range(40)]
    text = power.summary_line(10.0, trials)
    assert "accepted 38/40 = 95% (95% CI 83.1-99.4%) (acceptance: at least 95%)" in text


def test_evolve_table_rates_from_judged_and_wall(capsys: pytest.CaptureFixture[str]) -> None:
    def run(sample: str, wall: float, judged: int) -> dict[str, object]:
        return {"sample": sample, "wall_s": wall, "judged": judged, "screened": 0}

    before = [run("a", 600, 2), run("b", 300, 1)]
    after = [run("a", 180, 6), run("b", 120, 6), run("c", 60, 9)]  # c has no before: left out of overall
    bench_evolve.table(before, after)
    out = capsys.readouterr().out
    assert "before 3 judged in 15.0 min = 0.20/min; after 12 judged in 5.0 min = 2.40/min; 12.0x" in out
    assert "c            (missing or failed run)" in out


def test_commit_label_only_for_a_work_tree_root(tmp_path: Path) -> None:
    assert bench_evolve.commit_of(tmp_path) is None  # an extracted archive: no commit to name
    assert bench_evolve.commit_of(BENCHMARKS) is None  # inside a work tree but not its root
