"""Promote a generation into the user's tree and revert it, atomically and hash-checked.

These are the only functions that write the user's files. A promotion is recorded (with the
exact bytes it replaces) before the file is written, so a crash leaves a record that a later
promote or revert recognises, never a changed file without a record.
"""

from __future__ import annotations

import itertools
import os
import stat
import tempfile
from pathlib import Path
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
    if not target.is_file():
        raise EvolverError(f"{target} does not exist; cannot promote {gen.id}")
    current = target.read_bytes()
    current_hash = source_hash(current)
    upgrade = _check_promotable(gen, chain, target, current_hash, history.last_applied(target))
    applied_id = history.add_applied(
        gen.id, target, current_hash, gen.source_hash, current, session_id
    )
    try:
        atomic_write_bytes(target, new_bytes)
    except BaseException:
        history.delete_applied(applied_id)
        raise
    history.apply_improvements(applied_id, [g.source_hash for g in chain[1:]])
    return {
        "target": str(target),
        "generation": gen.id,
        "previous_hash": current_hash,
        "new_hash": gen.source_hash,
        "applied_id": applied_id,
        "upgrade": upgrade,
    }


def revert(target_path: Path, history: History, session_id: str) -> dict[str, Any]:
    """Put back the exact bytes the last promotion of ``target_path`` replaced."""
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
        atomic_write_bytes(target, previous)
    history.mark_rolled_back(applied["id"], session_id)
    return {
        "target": str(target),
        "generation": applied["generation_id"],
        "previous_hash": applied["new_hash"],
        "new_hash": applied["previous_hash"],
        "applied_id": applied["id"],
        "written": written,
    }


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename, fsync the
    folder. An existing file keeps its permission bits (and owner, where allowed)."""
    path = Path(os.path.realpath(path))  # write through a symlink, keep the link
    old = path.stat() if path.exists() else None
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
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
