"""Bad input: one line that names the flag or setting at fault and says what to do next, exit 2,
no file of the user's changed, and no workspace state created by a refused command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_project import digest, error_line, make_project, run_cli

from evolver.history import History


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


@pytest.mark.parametrize(("flags", "message"), [
    (["--cycles", "0"], "--cycles must be a positive integer, got 0"),
    (["--max-pairs", "0"], "--max-pairs must be a positive integer, got 0"),
    (["--windows", "-2"], "--windows must be a positive integer, got -2"),
    (["--min-effect", "1.5"], "--min-effect must be a fraction below 1"),
    (["--timeout", "0"], "--timeout must be a positive number of seconds, got 0"),
    (["--bench", "nocolon"], "--bench 'nocolon' must look like module:function"),
    (["--cycles", "two"], "argument --cycles: invalid int value: 'two'"),
])
def test_a_bad_flag_is_named(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             flags: list[str], message: str) -> None:
    before = digest(project.parent)
    code, _out, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), "evolve", str(project), *flags)
    assert code == 2
    if "invalid" in message:  # argparse's own check: one line too, naming --help
        assert err.count("\n") == 1 and message in err and "evolver evolve --help" in err
    else:
        assert message in error_line(err)
    assert digest(project.parent) == before
    assert not (tmp_path / "ws").exists()


def test_a_bad_setting_names_its_file(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = project.parent / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("cycles = 2", "cycles = 0"))
    code, _out, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), "evolve", str(project))
    assert code == 2
    assert f"{pyproject.resolve()}: [tool.evolver] cycles must be a positive integer, got 0" in error_line(err)
    code, _out, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), "evolve", str(project), "--cycles", "1",
                              "--bench", "nope")
    assert "--bench 'nope'" in error_line(err)  # the flag wins over the file, and is named


def test_a_workload_that_cannot_be_found_says_where_it_looked(project: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("evolve", "analyze"):
        code, _out, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), command, str(project),
                                  "--bench", "workloads.fast:run")
        line = error_line(err)
        assert code == 2
        assert "--bench = 'workloads.fast:run': cannot find module 'workloads.fast'" in line
        assert f"workloads/fast.py and workloads/fast/__init__.py in {project.parent.resolve()}" in line
    assert not (tmp_path / "ws").exists()


def test_a_module_without_tests_gets_told_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "lonely"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'lonely'\nversion = '0'\n")
    module = project / "lonely.py"
    module.write_text(textwrap.dedent('''\
        def double(n: int) -> int:
            """
            >>> double(2)
            4
            """
            return 2 * n
        '''))
    before = digest(project)
    monkeypatch.chdir(project)  # the workspace is this project: nothing may appear in it
    code, _out, err = run_cli(capsys, "evolve", "lonely.py")
    line = error_line(err)
    assert code == 2
    assert "no tests collected" in line and "--tests doctest" in line and '--tests "<command>"' in line
    assert f"evolver ran pytest in {project.resolve()} (the default" in line
    assert digest(project) == before
    assert sorted(p.name for p in project.iterdir()) == ["lonely.py", "pyproject.toml"]


def test_a_refused_evolve_keeps_an_existing_history(project: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws"
    History.open(ws / ".evolver" / "evolver.db").close()
    (project.parent / "tests" / "test_fib.py").write_text("def test_no():\n    assert False\n")
    code, _out, err = run_cli(capsys, "--workspace", str(ws), "evolve", str(project))
    assert code == 2 and "tests fail on the unchanged code" in error_line(err)
    with History.open(ws / ".evolver" / "evolver.db") as history:
        (session,) = history.rows("sessions")
    assert (session["command"], session["status"]) == ("evolve", "refused")


@pytest.mark.parametrize("argv", [
    ["log", "missing.py"],
    ["diff", "fib/0001"],
    ["diff", "fib/0000", "nonsense"],
    ["promote", "fib/0003"],
    ["revert", "fib.py"],
    ["retrain"],
    ["compare", "fib.py", "missing.py"],
    ["analyze", "tests"],  # a folder of tests only: no module to work on
])
def test_refused_commands_leave_no_state(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    monkeypatch.chdir(project.parent)
    before = digest(project.parent)
    code, _out, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), *argv)
    assert code == 2 and error_line(err)
    assert digest(project.parent) == before
    assert not (tmp_path / "ws").exists()


def test_read_only_commands_on_an_empty_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws"
    code, out, _ = run_cli(capsys, "--workspace", str(ws), "stats")
    assert code == 0 and out.startswith(f"no history in {ws} yet")
    code, out, _ = run_cli(capsys, "--workspace", str(ws), "log")
    assert code == 1 and "no generations" in out
    assert not ws.exists()


def test_with_json_an_error_is_json_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path), "diff", "fib/0042", "--json")
    assert code == 2 and json.loads(out) == {"error": error_line(err).removeprefix("evolver: error: "),
                                             "exit_code": 2}


def test_a_reader_that_leaves_early_gets_no_traceback() -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before evolver writes a byte (like `| head` once it has enough)
    try:
        done = subprocess.run([sys.executable, "-m", "evolver.cli", "transforms", "--json"], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
