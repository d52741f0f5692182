"""Promote a generation into the user's tree and revert it, atomically and hash-checked.

These are the only functions that write the user's files. Before the rename that changes a file,
the history gets the promotion (with the exact bytes it replaces) and an *intent*; the intent goes
in the same transaction that records the result. A crash in between (even SIGKILL) leaves the
intent, and :func:`reconcile`, run before any later promote, revert or watch, completes or
forgets it by the hash the file holds. One lock file serialises writers and reconcilers; SIGINT
and SIGTERM are held back until the history agrees with the file again.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import signal
import stat
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from evolver.errors import EvolverError
from evolver.generations import Generation, GenerationStore
from evolver.history import History
from evolver.model import source_hash


def promote(gen: Generation, history: History, session_id: str) -> dict[str, Any]:
    """Write ``gen``'s source over its target file.

    Refused unless the file still holds the original the lineage was built from, or holds a
    promoted generation that ``gen`` builds on (an upgrade, undone by one revert).
    """
    if gen.is_root:
        raise EvolverError(f"generation {gen.id} is the original source: nothing to promote")
    chain = GenerationStore(gen.dir.parent.parent).ancestry(gen)
    new_bytes = _stored_source(chain)
    target = Path(gen.manifest["target"]["path"])
    with writing(history):
        _reconcile(history, target)
        if not target.is_file():
            raise EvolverError(f"{target} does not exist; cannot promote {gen.id}")
        current = target.read_bytes()
        current_hash = source_hash(current)
        upgrade = _check_promotable(gen, chain, target, current_hash, history.last_applied(target))
        temp = _temp_path(target)
        applied_id, intent = history.begin_promote(
            {"generation_id": gen.id, "target_path": target, "previous_hash": current_hash,
             "new_hash": gen.source_hash, "previous_bytes": current, "session_id": session_id},
            temp, [g.source_hash for g in chain[1:]])
        _write_then_record(history, intent, target, temp, new_bytes)
    return {
        "target": str(target),
        "generation": gen.id,
        "previous_hash": current_hash,
        "new_hash": gen.source_hash,
        "applied_id": applied_id,
        "upgrade": upgrade,
    }


def revert(target_path: Path, history: History, session_id: str, reason: str | None = None) -> dict[str, Any]:
    """Put back the exact bytes the last promotion of ``target_path`` replaced; ``reason`` is
    recorded with the rollback."""
    with writing(history):
        _reconcile(history, target_path)
        return _revert(target_path, history, session_id, reason)


def _revert(target_path: Path, history: History, session_id: str, reason: str | None) -> dict[str, Any]:
    applied = history.last_applied(target_path)
    if applied is None:
        raise EvolverError(f"nothing to revert: no promotion of {target_path} is recorded")
    target = Path(applied["target_path"])
    previous = bytes(applied["previous_bytes"])
    if source_hash(previous) != applied["previous_hash"]:
        raise EvolverError(f"history record {applied['id']} is damaged; not reverting {target}")
    if not target.is_file():
        raise EvolverError(f"{target} does not exist any more; not reverting")
    current_hash = source_hash(target.read_bytes())
    written = current_hash != applied["previous_hash"]
    if written and current_hash != applied["new_hash"]:
        raise EvolverError(
            f"{target.name} was edited since generation {applied['generation_id']} was "
            f"promoted (hash {current_hash[:12]}, expected {applied['new_hash'][:12]}); "
            "not reverting"
        )
    if written:
        temp = _temp_path(target)
        intent = history.begin_revert(applied, temp, session_id, reason)
        _write_then_record(history, intent, target, temp, previous)
    else:
        history.mark_rolled_back(applied["id"], session_id, reason)
    return {
        "target": str(target),
        "generation": applied["generation_id"],
        "previous_hash": applied["new_hash"],
        "new_hash": applied["previous_hash"],
        "applied_id": applied["id"],
        "written": written,
    }


def reconcile(history: History, target_path: Path | None = None) -> list[dict[str, Any]]:
    """Settle every promote or revert that a crash interrupted (of ``target_path``, or all): the
    file's hash says whether the rename happened; the history is completed or the intent dropped,
    and a left-over temp file removed. Returns what was done, one dict per intent."""
    with writing(history):
        return _reconcile(history, target_path)


def _reconcile(history: History, target_path: Path | None) -> list[dict[str, Any]]:
    done = []
    for intent in history.intents(target_path):
        Path(intent["temp_path"]).unlink(missing_ok=True)
        target = Path(intent["target_path"])
        current = source_hash(target.read_bytes()) if target.is_file() else None
        if current == intent["after_hash"]:
            history.finish_intent(intent["id"])
            outcome = "completed"
        elif current == intent["before_hash"]:
            history.abandon_intent(intent["id"])
            outcome = "undone"
        else:  # edited since: the rename may or may not have happened; keep the promotion record
            # (with the bytes it replaced), so a later revert refuses with the truth, "edited since"
            if intent["kind"] == "promote":
                history.finish_intent(intent["id"])
            else:
                history.abandon_intent(intent["id"])
            outcome = "the file was changed since; the promotion stays recorded"
        done.append({"kind": intent["kind"], "target": str(target), "applied_id": intent["applied_id"],
                     "outcome": outcome})
    return done


@contextmanager
def writing(history: History) -> Iterator[None]:
    """Hold the workspace's promote lock, with SIGINT and SIGTERM held back until the end."""
    lock = history.path.parent / "promote.lock"
    with _held_signals(), open(lock, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield  # the lock goes with the file descriptor (also when the process is killed)


@contextmanager
def _held_signals() -> Iterator[None]:
    """Defer SIGINT/SIGTERM (main thread only: Python runs handlers nowhere else) and deliver
    them when the block ends."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = {sig: signal.signal(sig, hold) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


def _temp_path(target: Path) -> Path:
    real = Path(os.path.realpath(target))
    return real.parent / f".{real.name}.{uuid.uuid4().hex[:12]}.evolver-tmp"


def _write_then_record(history: History, intent: int, target: Path, temp: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(target, data, temp=temp)
    except BaseException:
        history.abandon_intent(intent)
        raise
    history.finish_intent(intent)


def atomic_write_bytes(path: Path, data: bytes, temp: Path | None = None) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder (``temp``, or a fresh name),
    fsync, rename, fsync the folder. An existing file keeps its permission bits (and owner,
    where allowed)."""
    path = Path(os.path.realpath(path))  # write through a symlink, keep the link
    old = path.stat() if path.exists() else None
    if temp is None:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        tmp = Path(tmp_name)
    else:
        fd, tmp = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), temp
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            _copy_ownership(tmp, old)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _copy_ownership(tmp: Path, old: os.stat_result) -> None:
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (tmp.stat().st_uid, tmp.stat().st_gid):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except PermissionError:
            pass  # an unprivileged user cannot give files away; the new file is theirs


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some platforms cannot open a folder; the rename is still atomic
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stored_source(chain: list[Generation]) -> bytes:
    """The generation's bytes, after checking the stored chain was not altered."""
    for parent, child in itertools.pairwise(chain):
        if child.manifest.get("parent_hash") != parent.source_hash:
            raise EvolverError(f"generation {child.id} does not match its parent {parent.id}")
    gen = chain[-1]
    data = gen.source_path.read_bytes() if gen.source_path.is_file() else b""
    if source_hash(data) != gen.source_hash:
        raise EvolverError(f"generation {gen.id} was altered after it was stored")
    return data


def _check_promotable(
    gen: Generation,
    chain: list[Generation],
    target: Path,
    current_hash: str,
    applied: dict[str, Any] | None,
) -> bool:
    """Raise unless writing ``gen`` over the file is sound; return True for an upgrade."""
    if current_hash == gen.source_hash:
        raise EvolverError(f"{target.name} already holds generation {gen.id}")
    holds_applied = applied is not None and applied["new_hash"] == current_hash
    if holds_applied:
        assert applied is not None
        if current_hash not in {g.source_hash for g in chain[:-1]}:
            raise EvolverError(
                f"{target.name} holds generation {applied['generation_id']} (promoted "
                f"{applied['applied_at']}), which {gen.id} does not build on; "
                f"run `evolver revert {target}` first"
            )
        return True
    root_hash = chain[0].source_hash
    if current_hash != root_hash:
        raise EvolverError(
            f"{target.name} was edited since generation {gen.id} was built from it "
            f"(hash {current_hash[:12]}, expected {root_hash[:12]}); re-run evolve"
        )
    return False
