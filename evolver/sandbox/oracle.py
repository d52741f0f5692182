"""The project's own tests as the oracle: pytest (counted through JUnit XML), doctest (examples
attempted) or any shell command (its exit code decides)."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evolver.model import OracleResult, Settings
from evolver.sandbox.runner import DEFAULT_TIMEOUT_S, RunResult
from evolver.sandbox.scratch import Scratch

_PROBE = "_evolver_oracle_probe"
_PROBE_SOURCE = """\
import json, os, sys


def pytest_sessionfinish(session, exitstatus):
    module = sys.modules.get({module!r})
    path = getattr(module, "__file__", None)
    with open({out!r}, "w") as handle:
        json.dump({{"file": os.path.realpath(path) if path else None}}, handle)
"""
_DOCTEST = """\
import doctest, importlib, json, os, sys
module = importlib.import_module(sys.argv[1])
result = doctest.testmod(module)
with open(sys.argv[2], "w") as handle:
    json.dump({"failed": result.failed, "attempted": result.attempted,
               "file": os.path.realpath(module.__file__)}, handle)
"""


def pytest_args(command: str) -> list[str] | None:
    """The arguments of a "pytest ..." / "python -m pytest ..." command; None for anything else."""
    words = shlex.split(command)
    if words[:1] == ["pytest"]:
        return words[1:]
    if len(words) >= 3 and Path(words[0]).name.startswith("python") and words[1:3] == ["-m", "pytest"]:
        return words[3:]
    return None


@dataclass(frozen=True)
class _Limit:
    """How long the test run may take, and what stops it early."""

    timeout_s: float
    cancel: threading.Event | None = None


def run_oracle(scratch: Scratch, settings: Settings, *, timeout_s: float | None = None,
               cancel: threading.Event | None = None, select: Sequence[str] | None = None) -> OracleResult:
    """Run the tests ``settings.tests`` names against the scratch copy, in its sandbox, within
    ``timeout_s`` (default: ``settings.timeout_s``, else ``DEFAULT_TIMEOUT_S``); ``cancel`` stops it.
    ``select``: pytest node ids to run instead of the command's paths (a pytest command only)."""
    tests = settings.tests
    limit = _Limit(timeout_s or settings.timeout_s or DEFAULT_TIMEOUT_S, cancel)
    if tests is None:
        result = _pytest(scratch, limit, list(select or []))
    elif (args := pytest_args(tests)) is not None:
        result = _pytest(scratch, limit, list(select) if select else args)
    elif tests.strip() == "doctest":
        result = _doctest(scratch, limit)
    else:
        result = _shell(scratch, limit, tests)
    return dataclasses.replace(result, isolation=scratch.isolation)


def _env(scratch: Scratch, *extra_paths: Path) -> dict[str, str]:
    paths = [scratch.import_root, *extra_paths]
    return {"HOME": str(scratch.dir), "PYTHONPATH": os.pathsep.join(str(p) for p in paths)}


def _pytest(scratch: Scratch, limit: _Limit, args: list[str]) -> OracleResult:
    with scratch.io_dir() as tmp:
        junit, probe_out = Path(tmp, "junit.xml"), Path(tmp, "probe.json")
        Path(tmp, f"{_PROBE}.py").write_text(
            _PROBE_SOURCE.format(module=scratch.target.module, out=str(probe_out)), encoding="utf-8")
        argv = [sys.executable, "-m", "pytest", *args, "-q", "-p", "no:cacheprovider", "-p", _PROBE,
                f"--junitxml={junit}"]
        run = scratch.run(argv, scratch.dir, env=_env(scratch, Path(tmp)), timeout_s=limit.timeout_s,
                          cancel=limit.cancel)
        counts = _junit_counts(junit)
        imported = _read_json(probe_out).get("file")
    if run.timed_out or run.killed or run.cancelled:
        return _failed(run, _stopped("the tests", run, limit), counts)
    if run.returncode == 5:
        return _failed(run, "no tests collected", counts)
    if imported and imported != str(scratch.module_path.resolve()):
        return _failed(run, f"the tests imported {scratch.target.module} from {imported}, "
                            "not from the candidate's copy", counts)
    if counts is None:
        return _failed(run, f"pytest exited with {run.returncode} and wrote no report: {_last_line(run)}", None)
    if run.returncode != 0 or counts.failed:
        return _failed(run, _failure_reason(run, counts), counts)
    return OracleResult(True, counts.run, 0, run.duration_s, "", run.tail())


@dataclass(frozen=True)
class _Counts:
    run: int  # executed, not skipped
    failed: int  # failures + errors
    names: tuple[str, ...]  # the failing tests


def _junit_counts(path: Path) -> _Counts | None:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = sum(int(s.get("tests", 0)) - int(s.get("skipped", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    names = tuple(f"{case.get('classname', '')}::{case.get('name', '')}".lstrip(":")
                  for case in root.iter("testcase")
                  if case.find("failure") is not None or case.find("error") is not None)
    return _Counts(total, failed, names)


def _failure_reason(run: RunResult, counts: _Counts) -> str:
    if not counts.failed:
        return f"pytest exited with {run.returncode}: {_last_line(run)}"
    shown = ", ".join(counts.names[:3]) + (", ..." if len(counts.names) > 3 else "")
    return f"{counts.failed} of {counts.run} tests failed: {shown}"


def _doctest(scratch: Scratch, limit: _Limit) -> OracleResult:
    with scratch.io_dir() as tmp:
        out = Path(tmp, "doctest.json")
        argv = [sys.executable, "-c", _DOCTEST, scratch.target.module, str(out)]
        run = scratch.run(argv, scratch.import_root, env=_env(scratch), timeout_s=limit.timeout_s,
                          cancel=limit.cancel)
        answer = _read_json(out)
    if run.timed_out or run.killed or run.cancelled:
        return _failed(run, _stopped("the doctests", run, limit), None)
    if not answer:
        return _failed(run, f"the doctests did not run: {_last_line(run)}", None)
    attempted, failed = int(answer["attempted"]), int(answer["failed"])
    if answer["file"] != str(scratch.module_path.resolve()):
        return _failed(run, f"doctest imported {answer['file']}, not the candidate's copy", None)
    if attempted == 0:
        return OracleResult(False, 0, 0, run.duration_s, "no doctest examples found", run.tail())
    if failed:
        return OracleResult(False, attempted, failed, run.duration_s,
                            f"{failed} of {attempted} doctest examples failed", run.tail())
    return OracleResult(True, attempted, 0, run.duration_s, "", run.tail())


def _shell(scratch: Scratch, limit: _Limit, command: str) -> OracleResult:
    env = _env(scratch)
    # `python` and `pytest` in the command mean the interpreter evolver runs on
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", os.defpath)])
    run = scratch.run(["bash", "-c", command], scratch.dir, env=env, timeout_s=limit.timeout_s, cancel=limit.cancel)
    if run.timed_out or run.killed or run.cancelled:
        return OracleResult(False, -1, 1, run.duration_s, _stopped(f"`{command}`", run, limit), run.tail())
    if run.returncode != 0:
        return OracleResult(False, -1, 1, run.duration_s, f"`{command}` exited with {run.returncode}: "
                            f"{_last_line(run)}", run.tail())
    return OracleResult(True, -1, 0, run.duration_s, "", run.tail())


def _stopped(subject: str, run: RunResult, limit: _Limit) -> str:
    """Why a run did not end by itself."""
    if run.cancelled:
        return f"{subject}: stopped (the time budget is used up)"
    if run.killed:
        return f"{subject}: stopped by the sandbox ({run.killed})"
    return f"{subject} timed out after {limit.timeout_s:.0f} s"


def _failed(run: RunResult, reason: str, counts: _Counts | None) -> OracleResult:
    tests_run = counts.run if counts else 0
    failed = counts.failed if counts and counts.failed else 1
    return OracleResult(False, tests_run, failed, run.duration_s, reason, run.tail())


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _last_line(run: RunResult) -> str:
    for text in (run.stderr, run.stdout):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            return lines[-1][:300]
    return "no output"
