"""The command line end to end, on small real projects written into a temp dir."""

from __future__ import annotations

import json
import textwrap
import threading
from pathlib import Path

import pytest
from cli_project import FIB, TESTS, digest, error_line, make_project, run_cli, table


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


# -- bad input: one line, exit 2, nothing changed ---------------------------------------------
@pytest.mark.parametrize("name, content, message", [
    ("missing.py", None, "no such file"),
    ("notes.txt", b"hello\n", "not a Python module"),
    ("broken.py", b"def f(:\n    pass\n", "syntax error"),
    ("binary.py", b"x = '\xff\xfe\xfa'\n", "cannot decode"),
])
def test_bad_module_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
                          content: bytes | None, message: str) -> None:
    project = make_project(tmp_path / "proj").parent
    path = project / name
    if content is not None:
        path.write_bytes(content)
    before = digest(project)
    for command in ("evolve", "analyze"):
        code, _out, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), command, str(path))
        assert code == 2
        assert message in err
        assert error_line(err)
    assert digest(project) == before


def test_a_folder_without_modules_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()  # a folder is a package target (tests/package); this one has no module
    code, _, err = run_cli(capsys, "evolve", str(tmp_path / "empty"))
    assert code == 2 and "no Python modules to work on in this folder" in err


def test_oracle_failing_at_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_project(tmp_path / "proj", tests=TESTS.replace("13", "14"))
    before = digest(path.parent)
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), "evolve", str(path))
    assert code == 2
    assert "tests fail on the unchanged code" in error_line(err)
    assert digest(path.parent) == before
    assert not (tmp_path / "ws" / "generations").exists()


def test_workload_that_raises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_project(tmp_path / "proj", workload="def run():\n    raise KeyError('boom')\n")
    before = digest(path.parent)
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), "evolve", str(path))
    assert code == 2
    assert "workload" in error_line(err) and "KeyError" in error_line(err)
    assert digest(path.parent) == before


def test_unknown_generation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["diff", "fib/0042"], ["promote", "fib/0042"], ["promote", "no-such-thing"]):
        code, _, err = run_cli(capsys, "--workspace", str(tmp_path), *argv)
        assert code == 2 and "unknown generation" in err


def test_bad_bench_spec(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "evolve", str(project), "--bench", "no-colon")
    assert code == 2 and "module:function" in err


def test_analyze_reports_sites_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = FIB + textwrap.dedent('''\

        import random


        def noisy(n: int) -> int:
            return n + random.randint(0, 1)
        ''')
    path = make_project(tmp_path / "proj", module=module)
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), "analyze", str(path), "--json")
    assert code == 0, err
    data = json.loads(out)
    sites = {s["transform"] + "@" + s["target"]: s for s in data["sites"]}
    assert sites["memoize@fib:fib"]["verdict"] == "applicable"
    refused = sites["memoize@fib:noisy"]
    assert refused["verdict"] == "refused" and any("random" in r for r in refused["reasons"])
    assert data["profile"]["functions"] and data["metrics"]["wall_time_ms"] > 0


TWO_HOTSPOTS = FIB + '''

def paths(n: int) -> int:
    # lattice paths in a 2 x n strip: exponential without a cache too
    return 1 if n <= 1 else paths(n - 1) + paths(n - 2)
'''


@pytest.mark.parametrize("bad_source", [
    pytest.param("while True:\n    pass\n", marks=pytest.mark.slow),  # hangs at import: waits out a timeout
    pytest.param("import os\nos._exit(3)\n", marks=pytest.mark.slow),  # kills its interpreter
    "raise MemoryError('candidate blew up')\n",  # the default run keeps one real broken-candidate run
])
def test_broken_candidate_fails_and_the_run_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch, bad_source: str) -> None:
    from evolver import transforms

    path = make_project(tmp_path / "proj", module=TWO_HOTSPOTS,
                        workload="from fib import fib, paths\n\n\ndef run():\n    return fib(20), paths(20)\n")
    before = digest(path.parent)
    real_apply, broken, lock = transforms.apply, [], threading.Lock()

    def apply(source: str, site_id: str, ctx: transforms.Context) -> str:
        with lock:  # candidates are tested two at a time: only the first one is sabotaged
            if not broken:
                broken.append(site_id)
                return bad_source
        return real_apply(source, site_id, ctx)

    monkeypatch.setattr(transforms, "apply", apply)
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path / "ws"), "evolve", str(path),
                             "--cycles", "1", "--timeout", "8")
    assert code == 0, err
    assert broken and broken[0] in out
    rows = {row["candidate"]: row["status"] for row in table(out, "status")}
    assert rows[broken[0]] == "failed"
    assert any(status == "approved" for site, status in rows.items() if site != broken[0])
    assert digest(path.parent) == before
