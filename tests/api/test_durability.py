"""Promote and revert survive a crash at any point: intents, reconciliation, held signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evolver.errors import EvolverError
from evolver.generations import Generation, GenerationStore
from evolver.history import History
from evolver.model import Target, source_hash
from evolver.promote import promote, reconcile, revert, writing

ORIGINAL = b"def f(x):\n    return x + 1\n"
EVOLVED = "def f(x):\n    return 1 + x\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def target(tmp_path: Path) -> Target:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "mod.py").write_bytes(ORIGINAL)
    return Target(root / "mod.py", root, root, "mod")


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / ".evolver" / "evolver.db") as h:
        h.start_session("test")
        yield h


def _session(history: History) -> str:
    return str(history.rows("sessions")[0]["id"])


@pytest.fixture
def gen(tmp_path: Path, target: Target) -> Generation:
    store = GenerationStore(tmp_path / "generations")
    return store.add(target, store.root_for(target, ORIGINAL.decode()), EVOLVED, transforms=[], measurements={})


def _approved(history: History, gen: Generation) -> int:
    session = history.start_session("test")
    imp = history.add_improvement(session, "mod", "memoize@mod:f", "memoize", source_hash(ORIGINAL))
    history.set_status(imp, "testing", candidate_hash=gen.source_hash)
    history.set_status(imp, "approved")
    return imp


def _interrupted_promote(history: History, target: Target, gen: Generation, renamed: bool) -> Path:
    """The state a SIGKILL leaves between the intent and its completion."""
    temp = target.path.parent / ".mod.py.crash.evolver-tmp"
    history.begin_promote({"generation_id": gen.id, "target_path": target.path, "previous_hash": source_hash(ORIGINAL),
                           "new_hash": gen.source_hash, "previous_bytes": ORIGINAL, "session_id": _session(history)},
                          temp, [gen.source_hash])
    temp.write_bytes(EVOLVED.encode()[:5])  # half-written temp file
    if renamed:
        target.path.write_bytes(EVOLVED.encode())
        temp.unlink()
    return temp


@pytest.mark.parametrize("renamed", [False, True])
def test_reconcile_settles_an_interrupted_promote(history: History, target: Target, gen: Generation,
                                                  renamed: bool) -> None:
    imp = _approved(history, gen)
    temp = _interrupted_promote(history, target, gen, renamed)
    done = reconcile(history)
    assert [d["outcome"] for d in done] == ["completed" if renamed else "undone"]
    assert not temp.exists() and history.intents() == []
    live = history.last_applied(target.path)
    assert (live is not None) == renamed
    assert history.improvement(imp)["status"] == ("applied" if renamed else "approved")
    assert reconcile(history) == []


@pytest.mark.parametrize("renamed", [False, True])
def test_reconcile_settles_an_interrupted_revert(history: History, target: Target, gen: Generation,
                                                 renamed: bool) -> None:
    imp = _approved(history, gen)
    promote(gen, history, _session(history))
    applied = history.last_applied(target.path)
    assert applied is not None
    history.begin_revert(applied, target.path.parent / ".t.evolver-tmp", _session(history), "too slow")
    if renamed:
        target.path.write_bytes(ORIGINAL)
    reconcile(history)
    assert history.intents() == []
    assert (history.last_applied(target.path) is None) == renamed
    assert history.improvement(imp)["status"] == ("rolled_back" if renamed else "applied")
    if renamed:
        assert history.rows("applied_improvements")[0]["rollback_reason"] == "too slow"


def test_promote_and_revert_reconcile_first(history: History, target: Target, gen: Generation) -> None:
    _interrupted_promote(history, target, gen, renamed=True)
    # the interrupted promotion is completed, so this revert undoes it
    assert revert(target.path, history, _session(history), reason="by hand")["written"] is True
    assert target.path.read_bytes() == ORIGINAL
    _interrupted_promote(history, target, gen, renamed=False)
    assert promote(gen, history, _session(history))["upgrade"] is False
    assert len(history.rows("applied_improvements")) == 2


def test_an_edited_file_keeps_the_promotion_record(history: History, target: Target, gen: Generation) -> None:
    _interrupted_promote(history, target, gen, renamed=True)
    target.path.write_bytes(b"edited by hand\n")
    assert reconcile(history)[0]["outcome"].startswith("the file was changed since")
    with pytest.raises(EvolverError, match="edited since"):
        revert(target.path, history, _session(history))
    assert target.path.read_bytes() == b"edited by hand\n"


def test_signals_wait_for_the_end_of_a_write(history: History) -> None:
    got: list[str] = []

    def handler(signum: int, frame: object) -> None:
        got.append("handled")

    old = signal.signal(signal.SIGTERM, handler)
    try:
        with writing(history):
            os.kill(os.getpid(), signal.SIGTERM)
            got.append("still writing")
        got.append("after")
    finally:
        signal.signal(signal.SIGTERM, old)
    assert got == ["still writing", "handled", "after"]


def test_kill_benchmark_finds_nothing_bad(tmp_path: Path) -> None:
    """A few real SIGKILLs through the benchmark script (it runs 100 of each in full)."""
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_promote_kill.py"), "--trials", "6",
                          "--module-kb", "8"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "left partly written 0, disagreeing with the history after reconcile 0" in run.stdout
    assert "total: 0 bad outcomes in 12 kills" in run.stdout
