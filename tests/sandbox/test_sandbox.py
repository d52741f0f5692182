from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import pytest

from evolver.errors import EvolverError
from evolver.model import Settings, Target
from evolver.sandbox import runner
from evolver.sandbox.runner import Limits, run_isolated
from evolver.sandbox.scratch import Scratch


def make_project(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def copied(scratch: Scratch) -> set[str]:
    return {p.relative_to(scratch.dir).as_posix() for p in scratch.dir.rglob("*") if p.is_file()}


PROJECT = {
    "pyproject.toml": "[project]\nname = 'demo'\n",
    ".gitignore": "data/\n*.log\n!keep.log\n",
    "pkg/__init__.py": "",
    "pkg/mod.py": "def f():\n    return 1\n",
    "pkg/notes.log": "ignored",
    "keep.log": "kept by a negation",
    "data/big.bin": b"\0" * 4096,
    "sub/.gitignore": "*.tmp\n",
    "sub/y.tmp": "ignored by the nested .gitignore",
    "sub/z.py": "x = 1\n",
    "other/y.tmp": "the nested .gitignore does not reach here",
    ".git/config": "[core]\n",
    ".venv/lib/site.py": "",
    "venv/bin/python": "",
    "pkg/__pycache__/mod.cpython-311.pyc": b"\0",
    "generations/pkg.mod/0001/mod.py": "",
    ".evolver/evolver.db": b"\0",
    "node_modules/x/index.js": "",
    "demo.egg-info/PKG-INFO": "",
}


def target(root: Path, rel: str = "pkg/mod.py", module: str = "pkg.mod", import_root: Path | None = None) -> Target:
    return Target(path=root / rel, root=root, import_root=import_root or root, module=module)


def test_scratch_copies_what_matters_and_honours_gitignore(tmp_path: Path) -> None:
    root = make_project(tmp_path / "demo", PROJECT)
    with Scratch(target(root), "def f():\n    return 2\n", Settings()) as scratch:
        assert copied(scratch) == {"pyproject.toml", ".gitignore", "pkg/__init__.py", "pkg/mod.py", "keep.log",
                                   "sub/.gitignore", "sub/z.py", "other/y.tmp"}
        assert scratch.dir.name == "demo"
        assert scratch.module_path == scratch.dir / "pkg" / "mod.py"
        assert scratch.module_path.read_text() == "def f():\n    return 2\n"
        assert scratch.import_root == scratch.dir
        made = scratch.dir
    assert not made.exists()
    assert (root / "pkg/mod.py").read_text() == "def f():\n    return 1\n"


def test_scratch_writes_the_source_bytes_exactly(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"m.py": "x = 1\n"})
    source = "x = 'é'\r\ny = 2\r\n"
    with Scratch(target(root, "m.py", "m"), source, Settings()) as scratch:
        assert scratch.module_path.read_bytes() == source.encode("utf-8")


def test_scratch_maps_a_src_layout(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"src/pkg/__init__.py": "", "src/pkg/mod.py": "x = 1\n"})
    t = target(root, "src/pkg/mod.py", "pkg.mod", import_root=root / "src")
    with Scratch(t, "x = 2\n", Settings()) as scratch:
        assert scratch.import_root == scratch.dir / "src"
        assert (scratch.import_root / "pkg" / "mod.py").read_text() == "x = 2\n"


def test_scratch_refuses_an_oversize_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"m.py": "x = 1\n", "blob.bin": b"\0" * 300_000})
    with pytest.raises(EvolverError, match=r"project at .* is 0.3 MB, above the 0.1 MB sandbox limit \(set max_project_mb\)"):
        with Scratch(target(root, "m.py", "m"), "x = 2\n", Settings(max_project_mb=0.1)):
            pass
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("evolver-scratch-*/p/blob.bin"))


def test_scratch_size_ignores_ignored_files(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"m.py": "x = 1\n", ".gitignore": "*.bin\n", "blob.bin": b"\0" * 300_000})
    with Scratch(target(root, "m.py", "m"), "x = 2\n", Settings(max_project_mb=0.1)) as scratch:
        assert "blob.bin" not in copied(scratch)


def test_scratch_outside_its_block_is_an_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"m.py": "x = 1\n"})
    with pytest.raises(EvolverError, match="outside its `with` block"):
        _ = Scratch(target(root, "m.py", "m"), "x = 2\n", Settings()).dir


_BEATING = "(while :; do echo . >> beat; sleep 0.05; done) &"


def _stopped_beating(beat: Path) -> bool:
    """The grandchild appended to ``beat`` and no longer does (pids are private in bwrap's namespace)."""
    time.sleep(0.3)
    size = beat.stat().st_size
    time.sleep(0.5)
    return size > 0 and beat.stat().st_size == size


def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    start = time.monotonic()
    result = run_isolated(["bash", "-c", _BEATING + " sleep 60"], tmp_path, timeout_s=1.0)
    assert result.timed_out
    assert result.returncode == -9
    assert time.monotonic() - start < 10
    assert _stopped_beating(tmp_path / "beat")


def test_grandchildren_left_behind_are_killed_too(tmp_path: Path) -> None:
    result = run_isolated(["bash", "-c", _BEATING + " sleep 0.3"], tmp_path, timeout_s=10)
    assert result.returncode == 0 and not result.timed_out
    assert _stopped_beating(tmp_path / "beat")


def test_a_flood_of_output_is_truncated(tmp_path: Path) -> None:
    code = "import sys\nsys.stdout.write('x' * 5_000_000 + 'END')\nsys.stderr.write('e' * 200_000)"
    result = run_isolated([sys.executable, "-c", code], tmp_path, timeout_s=30)
    assert result.returncode == 0
    assert len(result.stdout) < runner.OUTPUT_TAIL_BYTES + 100
    assert result.stdout.startswith("[... ") and "bytes truncated" in result.stdout
    assert result.stdout.endswith("xxxEND")
    assert len(result.stderr) < runner.OUTPUT_TAIL_BYTES + 100


def test_environment_is_scrubbed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVOLVER_TEST_SECRET", "hunter2")
    monkeypatch.setenv("PYTHONPATH", "/somewhere/else")
    code = "import json, os; print(json.dumps(dict(os.environ)))"
    result = run_isolated([sys.executable, "-c", code], tmp_path, env={"PYTHONHASHSEED": "7"}, timeout_s=30)
    env = __import__("json").loads(result.stdout)
    # PWD: bubblewrap sets it to the working directory
    assert set(env) <= {"PATH", "LANG", "HOME", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED", "LC_CTYPE", "PWD"}
    assert env["HOME"] == str(tmp_path)
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PYTHONHASHSEED"] == "7"


def test_rlimits_and_isolation_are_reported(tmp_path: Path) -> None:
    code = ("import resource as r; print(r.getrlimit(r.RLIMIT_AS)[0], r.getrlimit(r.RLIMIT_FSIZE)[0], "
            "r.getrlimit(r.RLIMIT_CPU)[0]); import os; print(os.getpgid(0) in (os.getpid(), 0))")
    limits = Limits(cpu_s=30, address_space_mb=3000, file_size_mb=10)
    result = run_isolated([sys.executable, "-c", code], tmp_path, timeout_s=30, limits=limits)
    rlimits, own_group = result.stdout.split("\n")[:2]
    assert rlimits.split() == [str(3000 * 2**20), str(10 * 2**20), "31"]
    assert own_group == "True"  # 0: the group leader lives outside bubblewrap's PID namespace
    assert {"process-group", "rlimits", "scrubbed-env"} <= set(result.isolation)


def test_a_file_size_limit_stops_a_runaway_writer(tmp_path: Path) -> None:
    code = "open('big', 'wb').write(b'0' * 3 * 2**20)"
    result = run_isolated([sys.executable, "-c", code], tmp_path, timeout_s=30, limits=Limits(file_size_mb=1))
    assert result.returncode != 0
    assert (tmp_path / "big").stat().st_size <= 2**20


@pytest.mark.skipif(not runner._netns_available(), reason="cannot enter a network namespace here")
def test_no_network_but_loopback_works(tmp_path: Path) -> None:
    code = (
        "import socket\n"
        "server = socket.create_server(('127.0.0.1', 0))\n"
        "socket.create_connection(server.getsockname(), timeout=2).close()\n"
        "print('loopback ok')\n"
        "print(len(socket.if_nameindex()))\n"
    )
    result = run_isolated([sys.executable, "-c", code], tmp_path, timeout_s=30)
    assert "no-network(unshare)" in result.isolation
    assert result.stdout.split() == ["loopback", "ok", "1"]  # only `lo` exists in the namespace


def test_a_missing_program_is_reported_not_raised(tmp_path: Path) -> None:
    result = run_isolated(["/nonexistent/program"], tmp_path, timeout_s=5)
    assert result.returncode == 127
    assert "cannot start" in result.stderr


def test_nproc_limit_counts_existing_tasks() -> None:
    limits = dict(runner._rlimits(Limits(nproc=256), timeout_s=10))
    hard = resource.getrlimit(resource.RLIMIT_NPROC)[1]
    expected = runner._tasks_of_uid() + 256
    assert limits[resource.RLIMIT_NPROC] == (expected if hard == resource.RLIM_INFINITY else min(expected, hard))


def test_an_unknown_sandbox_kind_is_refused_not_ignored(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"m.py": "x = 1\n"})
    with pytest.raises(EvolverError, match="unknown sandbox 'vm'"):
        with Scratch(target(root, "m.py", "m"), "x = 2\n", Settings(sandbox="vm")):
            pass
