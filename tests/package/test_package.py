"""A package or folder as the target, on the textkit fixture (``project/``: a ``src/`` package whose
``core`` holds an exponential recursion, ``words`` leans on ``re`` and ``Counter``, ``fmt`` is called
once, ``legacy`` does not parse, and ``test_inline`` is a test kept beside the code)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from evolver.cli import main
from evolver.config import load_settings, resolve_package
from evolver.errors import EvolverError
from evolver.package import hot, modules_of, profile_package
from evolver.sandbox import package_profile

PROJECT = Path(__file__).parent / "project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "project")
    return tmp_path / "project"


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_folder_names_its_modules_and_says_which_it_leaves_out() -> None:
    package = resolve_package(PROJECT / "src" / "textkit")
    assert package.root == PROJECT.resolve()
    assert [m.module for m in package.modules] == ["textkit", "textkit.core", "textkit.fmt", "textkit.words"]
    assert all(m.import_root == PROJECT.resolve() / "src" for m in package.modules)
    (skipped, why), = package.skipped  # test_inline.py is a test, not a module to evolve
    assert skipped == "src/textkit/legacy.py" and "syntax error" in why


def test_the_workload_module_is_left_out_of_a_project_folder() -> None:
    package = resolve_package(PROJECT / "src")
    settings = load_settings(package.modules[0])
    kept, left = modules_of(package, settings)
    assert "workload" in [m.module for m in package.modules] and "workload" not in [m.module for m in kept]
    assert ("src/workload.py", "the workload's own module (--bench): rewriting it would change what is "
                               "measured") in left


def test_the_profile_charges_each_module_its_code_and_its_library_calls() -> None:
    package = resolve_package(PROJECT / "src" / "textkit")
    settings = load_settings(package.modules[0])
    modules, _ = modules_of(package, settings)
    profile = profile_package(package, modules, settings)
    shares = {m.target.module: m for m in profile.modules}
    assert [m.target.module for m in profile.modules[:2]] == ["textkit.core", "textkit.words"]
    core, words, fmt = shares["textkit.core"], shares["textkit.words"], shares["textkit.fmt"]
    assert core.share > 0.5 and core.calls > 10_000 and core.library_s < core.own_s
    assert words.library_s > words.own_s > 0  # re.sub, Counter and sorted work for it
    assert fmt.calls == 1 and fmt.share < 0.01 and shares["textkit"].calls == 0
    assert sum(m.share for m in profile.modules) <= 1.05  # charged once each (callbacks split by proportion)
    assert {e.function for e in profile.entries} >= {"textkit.core:report", "textkit.words:normalise"}
    assert all(e.caller == "src/workload.py::run" for e in profile.entries)
    chosen, others = hot(profile, settings)
    assert [m.target.module for m in chosen] == ["textkit.core", "textkit.words"]
    assert {m.target.module: why for m, why in others} == {
        "textkit.fmt": f"{fmt.share:.1%} of the workload: below the 3% minimum effect",
        "textkit": "the workload never runs its code"}


def test_library_time_that_comes_back_into_the_project_is_not_counted_twice() -> None:
    """``sorted(key=...)`` calling a project function: its time is the callee's, not the caller's too."""
    root = "/p"
    places = package_profile.Places(root, {"/p/a.py", "/p/b.py"})
    sorted_ = ("~", 0, "<built-in method builtins.sorted>")
    caller, key = ("/p/a.py", 1, "order"), ("/p/b.py", 1, "key")
    stats = {
        caller: (1, 1, 0.1, 1.0, {}),
        sorted_: (1, 1, 0.2, 0.9, {caller: (1, 1, 0.2, 0.9)}),
        key: (100, 100, 0.7, 0.7, {sorted_: (100, 100, 0.7, 0.7)}),
    }
    found = package_profile.charge(stats, places, worker=None)  # type: ignore[arg-type]
    assert found["modules"]["a.py"]["library_s"] == pytest.approx(0.2)  # 0.9 less the 0.7 spent in b.key
    assert found["modules"]["b.py"]["own_s"] == pytest.approx(0.7)
    assert found["total_s"] == pytest.approx(1.0)


def test_analyze_a_folder_ranks_its_modules_and_analyzes_the_hot_ones(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(project)
    code, out, err = cli(capsys, "--workspace", str(tmp_path / "ws"), "--json", "analyze",
                         str(project / "src" / "textkit"), "--modules", "1")
    assert code == 0, err
    view = json.loads(out)
    assert view["package"]["relpath"] == "src/textkit" and view["workload"] == "workload:run"
    ranked = {m["module"]: m for m in view["modules"]}
    assert ranked["textkit.core"]["chosen"] and not ranked["textkit.words"]["chosen"]
    assert ranked["textkit.words"]["why"].endswith("but only the 1 largest are evolved (--modules)")
    assert [a["target"]["module"] for a in view["analyses"]] == ["textkit.core"]
    assert any(s["id"] == "memoize@textkit.core:splits" and s["verdict"] == "applicable"
               for s in view["analyses"][0]["sites"])
    assert view["excluded"][0]["file"] == "src/textkit/legacy.py" and view["proposal"] == []
    assert digest(project) == before


def test_without_a_bench_the_tests_are_profiled_and_a_workload_is_proposed(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('bench = "workload:run"\n', ""))
    code, out, err = cli(capsys, "--workspace", str(tmp_path / "ws"), "analyze", str(project / "src" / "textkit"),
                         "--modules", "1")
    assert code == 0, err
    assert "where the test run spends its time" in out
    assert "no --bench: the test run is the workload" in out
    assert "    import textkit.core" in out and "    def run():" in out
    assert "    # src/bench.py" in out and "textkit.core.splits(...)  # as tests/test_textkit.py::test_splits" in out
    assert "# then: evolver evolve src/textkit --bench bench:run" in out


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p / "nowhere", "no such file: "),
    (lambda p: (p / "empty").mkdir() or p / "empty", "no Python modules to work on in this folder"),
    (lambda p: p / "tests", "no Python modules to work on in this folder"),  # only tests there
    (lambda p: p / "src" / "textkit" / "legacy.py", "syntax error"),  # a file is a module, as before
])
def test_bad_folders_get_one_line_and_change_nothing(project: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str], make, message) -> None:
    path = make(project)
    before = digest(project)
    for command in ("evolve", "analyze"):
        code, _, err = cli(capsys, "--workspace", str(tmp_path / "ws"), command, str(path))
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1 and lines[0].startswith("evolver: error: ") and message in lines[0]
    assert digest(project) == before
    assert not (tmp_path / "ws" / "generations").exists()


def test_modules_must_be_at_least_one(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "evolve", str(project / "src"), "--modules", "0")
    assert code == 2 and "--modules must be a positive integer, got 0" in err


def test_a_folder_outside_the_given_root_is_refused(project: Path, tmp_path: Path) -> None:
    with pytest.raises(EvolverError, match="is not inside the project root"):
        resolve_package(project / "src", root=project / "tests")


@pytest.mark.slow
def test_evolve_a_folder_evolves_the_hot_modules_one_lineage_each(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(project)
    code, out, err = cli(capsys, "--workspace", str(tmp_path / "ws"), "--json", "evolve",
                         str(project / "src" / "textkit"), "--cycles", "1")
    assert code == 0, err
    view = json.loads(out)
    assert [r["module"] for r in view["summary"]] == ["textkit.core", "textkit.words"]
    core = view["summary"][0]
    assert core["generations"] == 1 and core["result"]["speedup"] > 2
    assert [c["site"] for c in view["runs"][0]["evolve"]["candidates"] if c["status"] == "approved"] == [
        "memoize@textkit.core:splits"]
    assert view["runs"][1]["evolve"]["target"]["module"] == "textkit.words"  # evolved too, whatever it found
    assert sorted(p.name for p in (tmp_path / "ws" / "generations").iterdir()) == ["textkit.core", "textkit.words"]
    assert digest(project) == before  # generations only: the user's files change on promote
    assert "modules to evolve: textkit.core" in err
