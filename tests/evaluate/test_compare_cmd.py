"""`evolver compare <a> <b>`: inputs, exit codes, a small live comparison, live instruction counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evolver.cli import main
from evolver.compare_cmd import compare_versions, load_version, render, target_of
from evolver.config import resolve_target
from evolver.errors import EvolverError
from evolver.evaluate.footprint import instruction_counts
from evolver.evaluate.workers import Bench
from evolver.generations import GenerationStore
from evolver.model import Settings, source_hash
from evolver.sandbox.scratch import Scratch

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sandbox_proj"
BENCH = '[tool.evolver]\nbench = "workload:run_calc"\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(FIXTURE, root)
    (root / "pyproject.toml").write_text(BENCH)
    return root


def variant(project: Path, name: str, old: str, new: str) -> Path:
    source = (project / "calc.py").read_text()
    assert old in source
    path = project.parent / name
    path.write_text(source.replace(old, new))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["compare", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_quarter_of_the_work_is_faster(project: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    quarter = variant(project, "quarter.py", "N = 60000", "N = 15000")
    # a quarter of the work computes another result: only the timing is asked for here
    code, out, _ = run(capsys, str(project / "calc.py"), str(quarter), "--max-pairs", "20", "--json", "--no-behaviour")
    assert code == 0
    result = json.loads(out)
    assert result["verdict"] == "faster" and result["ratio"] < 0.6
    assert result["ci"][1] < 0.97 and result["p_value"] < 0.01 / 2
    assert result["pairs"] in (10, 20) and len(result["samples"]["a_s"]) == result["pairs"]
    memory = result["memory"]
    assert {"ratio", "ci", "p", "verdict", "parent_peak_mb", "candidate_peak_mb", "over_budget"} <= set(memory)
    assert memory["parent_peak_mb"] > 1 and memory["over_budget"] is False
    assert result["same_output"] is False  # a quarter of the work sums to another number
    assert result["a"]["kind"] == result["b"]["kind"] == "file"
    text = render(result)
    assert "verdict       faster" in text and "x faster (95% CI" in text and "budget" in text


def test_generation_ids_name_versions(project: Path, tmp_path: Path) -> None:
    store = GenerationStore(tmp_path / "generations")
    target = resolve_target(project / "calc.py")
    root = store.root_for(target, (project / "calc.py").read_text())
    child_source = (project / "calc.py").read_text().replace("N = 60000", "N = 30000")
    child = store.add(target, root, child_source, transforms=[], measurements={})
    a, b = load_version(root.id, store), load_version(child.id, store)
    assert (a.kind, b.kind) == ("generation", "generation")
    assert b.source == child_source
    assert target_of(a, store, None) == target


def test_a_generation_is_retimed_on_the_workload_it_was_evolved_with(project: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's default workload may be another one (several workloads, one project): a
    generation's figure is checked on its own workload unless --bench names one."""
    import evolver.compare_cmd as compare_cmd

    store = GenerationStore(tmp_path / "ws" / "generations")
    target = resolve_target(project / "calc.py")
    root = store.root_for(target, (project / "calc.py").read_text())
    child = store.add(target, root, (project / "calc.py").read_text().replace("N = 60000", "N = 30000"),
                      transforms=[], measurements={"bench": "workload:run_caught"})
    timed: list[str | None] = []

    def measured(a: Bench, b: Bench, **_: object) -> None:
        timed.append(a.settings.bench)
        raise EvolverError("timing not needed here")

    monkeypatch.setattr(compare_cmd, "compare", measured)
    monkeypatch.setattr(compare_cmd, "run_once", lambda bench, name, version: "same")
    for argv, bench in (([], "workload:run_caught"), (["--bench", "workload:run_calc"], "workload:run_calc")):
        with pytest.raises(EvolverError, match="timing not needed"):
            compare_versions(str(project / "calc.py"), child.id, workspace=tmp_path / "ws",
                             overrides={"behaviour": False, "bench": argv[1] if argv else None})
        assert timed.pop() == bench
    assert compare_cmd.with_recorded_bench({}, store, load_version(root.id, store)) == ({}, None)


@pytest.mark.parametrize(("a", "b", "message"), [
    ("calc.py", "missing.py", "no such file or generation: missing.py"),
    ("missing.py", "calc.py", "no such file or generation: missing.py"),
    ("calc.py", "broken.py", "syntax error"),
    ("calc.py", "calc/0007", "unknown generation"),
    ("calc.py", "checks", "is not a file"),
])
def test_bad_input_exits_2(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                           a: str, b: str, message: str) -> None:
    monkeypatch.chdir(project)
    (project / "broken.py").write_text("def broken(:\n")
    code, out, err = run(capsys, a, b)
    assert code == 2 and out == ""
    assert message in err


def test_a_generation_of_another_module_is_refused(project: Path, tmp_path: Path) -> None:
    store = GenerationStore(tmp_path / "generations")
    other = resolve_target(project / "flaky.py")
    gen = store.root_for(other, (project / "flaky.py").read_text())
    with pytest.raises(EvolverError, match="is of module flaky, not of calc"):
        compare_versions(str(project / "calc.py"), gen.id, workspace=tmp_path)


def test_a_workload_that_raises_exits_2(project: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    raising = variant(project, "raising.py", "def work():\n", "def work():\n    raise KeyError('gone')\n")
    code, out, err = run(capsys, "calc.py", str(raising))
    assert code == 2 and out == ""
    assert "the workload raises on <b>" in err and "KeyError" in err


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_instruction_counts_see_half_the_work(project: Path) -> None:
    target = resolve_target(project / "calc.py")
    settings = Settings(bench="workload:run_calc", timeout_s=60)
    full = (project / "calc.py").read_text()
    source, half = full.replace("N = 60000", "N = 6000"), full.replace("N = 60000", "N = 3000")
    with Scratch(target, source, settings) as a, Scratch(target, half, settings) as b:
        counts = instruction_counts(Bench(a, settings, source_hash(source)), Bench(b, settings, source_hash(half)))
    assert not counts.skipped, counts
    assert counts.parent is not None and counts.parent > 1e6 and counts.ratio == pytest.approx(0.5, abs=0.03)
