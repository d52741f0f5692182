"""The executor setting, its errors, and the plain data that travels to and from cluster workers
(quick: no cluster is started here; tests/distributed/test_cluster.py runs real ones)."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path
from typing import Any

import pytest

from evolver.cli import main
from evolver.config import load_settings, resolve_target
from evolver.errors import EvolverError
from evolver.evaluate import executor_dask
from evolver.evaluate.behaviour import BehaviourCheck
from evolver.evaluate.executor import LocalExecutor, executor_for
from evolver.evaluate.executor_plain import judgement, measured, plain, seed, typed
from evolver.evaluate.judge import Gate, Judgement
from evolver.evaluate.resources import Resources
from evolver.evaluate.workers import Check, Survey
from evolver.model import Comparison, FunctionProfile, OracleResult, Profile, Settings
from evolver.sandbox import worker


def project(root: Path, table: str = "") -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent(f"""\
        [project]
        name = "p"
        version = "0"

        [tool.evolver]
        tests = "pytest tests"
        {table}
        """))
    (root / "mod.py").write_text("def f(x):\n    return x + 1\n")
    (root / "tests" / "test_mod.py").write_text("from mod import f\n\n\ndef test_f():\n    assert f(1) == 2\n")
    return root / "mod.py"


@pytest.mark.parametrize("value", ["dask", "tcp://host", "http://h:8786", "tcp://h:port", "tcp://:8786", ""])
def test_a_bad_executor_is_refused_naming_the_flag(tmp_path: Path, value: str) -> None:
    target = resolve_target(project(tmp_path / "p"))
    with pytest.raises(EvolverError, match=r"^--executor .*: the executor must be local, or .*tcp://host:port$"):
        load_settings(target, {"executor": value})


def test_the_setting_comes_from_the_table_and_the_flag_wins(tmp_path: Path) -> None:
    target = resolve_target(project(tmp_path / "p", 'executor = "tcp://10.0.0.5:8786"'))
    assert load_settings(target).executor == "tcp://10.0.0.5:8786"
    assert load_settings(target, {"executor": "local"}).executor == "local"
    bad = resolve_target(project(tmp_path / "q", 'executor = "cluster"'))
    with pytest.raises(EvolverError, match=r"pyproject.toml: \[tool.evolver\] executor 'cluster': the executor must"):
        load_settings(bad)


def test_local_is_the_default(tmp_path: Path) -> None:
    target = resolve_target(project(tmp_path / "p"))
    assert isinstance(executor_for(target, load_settings(target)), LocalExecutor)


def test_without_distributed_one_line_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    path = project(tmp_path / "p")
    code = main(["evolve", str(path), "--executor", "tcp://127.0.0.1:8786", "--workspace", str(tmp_path / "ws")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1] == ("evolver: error: --executor tcp://127.0.0.1:8786: the Dask executor needs the optional package "
                       "distributed, which is not installed: pip install 'evolver[dask]'")


def test_no_scheduler_there_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(executor_dask, "CONNECT_S", 1.0)
    target = resolve_target(project(tmp_path / "p"))
    executor = executor_for(target, load_settings(target, {"executor": f"tcp://127.0.0.1:{port}"}))
    with pytest.raises(EvolverError, match=rf"^--executor tcp://127.0.0.1:{port}: cannot reach a Dask scheduler there"):
        executor.__enter__()


def test_the_snapshot_is_named_by_its_content_and_leaves_out_what_a_scratch_copy_does(tmp_path: Path) -> None:
    path = project(tmp_path / "p")
    root = path.parent
    (root / ".gitignore").write_text("build/\n")
    (root / "build").mkdir()
    (root / "build" / "big.bin").write_bytes(b"x" * 1000)
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    target = resolve_target(path)
    settings = load_settings(target)
    digest, data = executor_dask.snapshot(target, settings)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        assert sorted(archive.getnames()) == [".gitignore", "mod.py", "pyproject.toml", "tests/test_mod.py"]
    assert executor_dask.snapshot(target, settings)[0] == digest  # the same files: the same name
    (root / "build" / "big.bin").write_bytes(b"y")  # an ignored file does not change it
    assert executor_dask.snapshot(target, settings)[0] == digest
    (root / "tests" / "test_mod.py").write_text("def test_other():\n    pass\n")
    assert executor_dask.snapshot(target, settings)[0] != digest


def _survey() -> Survey:
    profile = Profile(1.5, (FunctionProfile("mod:f", 3, 0.5, 1.0, 0.66, 0.5, 3),))
    return Survey(output="abc", error=None, wall_s=1.2, cpu_share=0.9, peak_rss_mb=20.0, tracemalloc_peak_mb=None,
                  error_count=0, error_types={"OSError": 1}, profile=profile, loops=7, window_s=0.03)


VALUES: list[Any] = [
    Judgement("approved", "2.00x faster", Comparison("faster", 0.5, 0.4, 0.6, 1e-4, 10, (1.0, 2.0), (0.5, 1.0), 3,
                                                      {"worker": {"address": "tcp://h:1"}, "seed_pairs": [1, 2]}),
              (3, 1), (Gate("tests", True), Gate("gain", True, "2.00x faster")), None),
    Judgement("failed", "not measured (timed out after 30 s)", timed_out_s=30.0),
    OracleResult(True, 4, 0, 1.25, isolation=("process group", "rlimits")),
    Check("h", None, "ValueError: x"),
    _survey(),
    Settings(transient=("OSError",), budget_s=60.0, origins={"tests": "--tests"}),
    BehaviourCheck("differs", "behaviour differs: f(1) call 1: returned 3, parent returned 2", "f(1) returned 3",
                   ("f(1) returned 3",), ("mod:f",), ("mod:g",), 4, 2, 30, 1, 0, "a" * 64, "b" * 64,
                   ("sampled inputs skipped",), {"parent": 0.25, "candidate": 0.5}),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_typed_values_go_plain_and_come_back_equal(value: Any) -> None:
    data = plain(value)
    assert _only_plain(data)
    back = typed(type(value), data)
    assert back == value and plain(back) == data


def test_a_judgement_comes_back_from_its_plain_form() -> None:
    assert judgement(plain(VALUES[0])) == VALUES[0]


def test_a_version_takes_what_was_measured_elsewhere_and_keeps_its_own(tmp_path: Path) -> None:
    target = resolve_target(project(tmp_path / "p"))
    settings = load_settings(target)
    with Resources(target, settings) as here, Resources(target, settings) as there:
        remote = there.version("def f(x):\n    return x + 2\n")
        remote.oracle, remote.survey, remote.errors, remote.selected = VALUES[2], _survey(), 0, ("tests/t.py::a",)
        local = here.version(remote.source)
        own = OracleResult(False, 1, 1, 0.1, "tests fail")
        local.oracle = own
        seed(local, measured(remote))
        assert local.oracle is own  # what it measured itself stays
        assert (local.survey, local.errors, local.selected) == (remote.survey, 0, ("tests/t.py::a",))
        assert local.check is None and local.hash == remote.hash


def _only_plain(data: Any) -> bool:
    if isinstance(data, dict):
        return all(isinstance(k, str) and _only_plain(v) for k, v in data.items())
    if isinstance(data, list):
        return all(_only_plain(v) for v in data)
    return data is None or isinstance(data, (str, int, float, bool))



def test_a_timing_worker_whose_evolver_is_gone_ends_by_itself(tmp_path: Path) -> None:
    """A cluster worker killed while a race starts takes the FIFOs' evolver ends with it: the
    sandboxed timing worker it started must end, not wait for ever to open them (without bubblewrap's
    --die-with-parent nothing else would end it)."""
    (tmp_path / "mod.py").write_text("def run():\n    return sum(range(100))\n")
    for name in ("commands", "answers"):
        os.mkfifo(tmp_path / name)  # and nobody holds their other ends
    request = {"mode": "alternate", "module": "mod", "module_file": str(tmp_path / "mod.py"), "workload": "mod:run",
               "loops": 10, "result": str(tmp_path / "result.json"), "commands": str(tmp_path / "commands"),
               "answers": str(tmp_path / "answers")}
    (tmp_path / "request.json").write_text(json.dumps(request))
    proc = subprocess.Popen([sys.executable, "-P", worker.__file__, str(tmp_path / "request.json")],
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    try:
        assert proc.wait(timeout=60) == 1
    finally:
        proc.kill()
        proc.wait()
    assert json.loads((tmp_path / "result.json").read_text()) == \
        {"ok": False, "error": "nobody holds the other end of answers: evolver is gone"}
