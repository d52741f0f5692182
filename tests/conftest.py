"""How the suite shares the machine's CPUs (pytest-xdist), and which tests must have it to themselves.

A run of the whole suite or of the default set (``pytest``, ``pytest -m ""``: no paths given) starts
two xdist workers when pytest-xdist is installed, each taking whole files (``--dist loadfile``: a
module-scoped fixture is built once, and a file's tests keep their order). A run of chosen files stays
in one process unless ``-n`` says otherwise. ``EVOLVER_TEST_WORKERS=N`` sets the number for any run
(0: one process).

Tests whose verdicts come from measured timings (real evolve runs, `compare`, timing races) never run
at the same time as any other test: each takes an exclusive lock that every other test takes shared,
so a timing test waits for the test running on the other worker to end, and the other worker waits
for it (a waiting timing test goes first). Only tests that time nothing run two at a time.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
# Folders whose tests run real evolve / compare / timing races (or read a run's verdicts) ...
TIMING = ("api", "behaviour", "cli", "distributed", "evaluate", "faults", "html", "package", "rank")
# ... except these files of theirs, which time nothing (traces, recorded runs, a corpus of histories).
UNTIMED = ("behaviour/test_call_trace.py", "behaviour/test_sound_samples.py", "behaviour/test_trace_values.py",
           "behaviour/test_unsound_rewrites.py", "html/test_report_cli.py", "rank/test_corpus.py")
WORKERS = 2  # this machine and CI have 2 CPUs


def _workers(config: pytest.Config) -> int:
    chosen = os.environ.get("EVOLVER_TEST_WORKERS")
    if chosen is not None:
        return int(chosen)
    if config.args_source != pytest.Config.ArgsSource.TESTPATHS:
        return 0  # chosen files or tests: one process (faster to start, easier to debug)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(WORKERS, cpus) if cpus > 1 else 0


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Before xdist reads its options: spread a whole run over the CPUs unless told otherwise."""
    if not config.pluginmanager.hasplugin("xdist") or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if config.option.numprocesses is not None or config.getoption("usepdb", False) \
            or config.getoption("collectonly", False):
        return  # -n given, or a run that must stay in one process
    workers = _workers(config)
    if workers > 1:
        config.option.numprocesses = workers
        if config.option.dist == "no":
            config.option.dist = "loadfile"


def is_timing(path: Path) -> bool:
    """Whether the tests of this file time things (and so must run alone)."""
    try:
        parts = path.resolve().relative_to(TESTS.resolve()).parts
    except ValueError:
        return False
    return len(parts) > 1 and parts[0] in TIMING and "/".join(parts) not in UNTIMED


class _Turns:
    """A readers-writer lock over two files, writers first: ``gate`` is taken briefly by everyone
    (and held by a waiting writer, which stops new readers), ``room`` shared by readers and exclusively
    by a writer."""

    def __init__(self, stem: str) -> None:
        self.gate = os.open(stem + ".gate", os.O_RDWR | os.O_CREAT, 0o600)
        self.room = os.open(stem + ".room", os.O_RDWR | os.O_CREAT, 0o600)

    def enter(self, alone: bool) -> None:
        fcntl.flock(self.gate, fcntl.LOCK_EX)
        try:
            fcntl.flock(self.room, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        finally:
            fcntl.flock(self.gate, fcntl.LOCK_UN)

    def leave(self) -> None:
        fcntl.flock(self.room, fcntl.LOCK_UN)

    def close(self) -> None:
        for fd in (self.gate, self.room):
            os.close(fd)


_turns: _Turns | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _turns
    run = getattr(config, "workerinput", {}).get("testrunuid")
    if run:  # an xdist worker: the lock files are the run's, shared by its workers
        _turns = _Turns(os.path.join(tempfile.gettempdir(), f"evolver-tests-{run}"))


def pytest_unconfigure(config: pytest.Config) -> None:
    global _turns
    if _turns is not None:
        _turns.close()
        _turns = None
        run = config.workerinput["testrunuid"]  # type: ignore[attr-defined]
        for end in (".gate", ".room"):
            Path(tempfile.gettempdir(), f"evolver-tests-{run}{end}").unlink(missing_ok=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    if _turns is None:
        return (yield)
    _turns.enter(alone=is_timing(Path(str(item.path))))
    try:
        return (yield)
    finally:
        _turns.leave()
