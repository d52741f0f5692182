from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evolver.errors import EvolverError
from evolver.generations import Generation, GenerationStore
from evolver.history import History
from evolver.model import Target, source_hash
from evolver.promote import atomic_write_bytes, promote, revert

ORIGINAL = b"def f(x):\r\n    return x + 1\r\n\r\ny = f(1)"  # CRLF, no final newline
EVOLVED = "def f(x):\r\n    return x + 2\r\n\r\ny = f(1)"
SIBLING = "def f(x):\r\n    return x + 3\r\n\r\ny = f(1)"


@pytest.fixture
def target(tmp_path: Path) -> Target:
    root = tmp_path / "proj"
    root.mkdir()
    path = root / "mod.py"
    path.write_bytes(ORIGINAL)
    return Target(path, root, root, "mod")


@pytest.fixture
def store(tmp_path: Path) -> GenerationStore:
    return GenerationStore(tmp_path / "generations")


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / ".evolver" / "evolver.db") as h:
        yield h


@pytest.fixture
def session(history: History) -> str:
    return history.start_session("promote")


def _child(store: GenerationStore, target: Target, source: str = EVOLVED) -> Generation:
    root = store.root_for(target, ORIGINAL.decode())
    return store.add(target, root, source, transforms=[], measurements={})


def test_promote_then_revert_is_byte_identical(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    gen = _child(store, target)
    done = promote(gen, history, session)
    assert target.path.read_bytes() == EVOLVED.encode()
    assert done == {
        "target": str(target.path), "generation": "mod/0001",
        "previous_hash": source_hash(ORIGINAL), "new_hash": source_hash(EVOLVED),
        "applied_id": done["applied_id"], "upgrade": False,
    }  # fmt: skip
    applied = history.last_applied(target.path)
    assert (applied["generation_id"], applied["previous_bytes"]) == ("mod/0001", ORIGINAL)
    undone = revert(target.path, history, session)
    assert target.path.read_bytes() == ORIGINAL
    assert (undone["generation"], undone["written"]) == ("mod/0001", True)
    assert history.last_applied(target.path) is None
    assert history.stats()["rolled_back"] == 1


def test_promote_refused_when_edited_since(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    gen = _child(store, target)
    edited = ORIGINAL.replace(b"\r\n", b"\n")  # only the newlines changed
    target.path.write_bytes(edited)
    with pytest.raises(EvolverError, match=r"mod.py was edited since generation mod/0001 was"):
        promote(gen, history, session)
    assert target.path.read_bytes() == edited
    assert history.rows("applied_improvements") == []


def test_promote_refuses_a_root(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    root = store.root_for(target, ORIGINAL.decode())
    with pytest.raises(EvolverError, match="nothing to promote"):
        promote(root, history, session)
    assert target.path.read_bytes() == ORIGINAL


def test_promote_refuses_a_missing_target(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    gen = _child(store, target)
    target.path.unlink()
    with pytest.raises(EvolverError, match="does not exist"):
        promote(gen, history, session)
    assert not target.path.exists()


def test_revert_refused_when_nothing_promoted(
    target: Target, history: History, session: str
) -> None:
    with pytest.raises(EvolverError, match="nothing to revert"):
        revert(target.path, history, session)
    assert target.path.read_bytes() == ORIGINAL


def test_second_promote_needs_a_revert_first(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    gen = _child(store, target)
    sibling = store.add(target, store.get("mod/0"), SIBLING, transforms=[], measurements={})
    promote(gen, history, session)
    with pytest.raises(EvolverError, match="already holds generation mod/0001"):
        promote(gen, history, session)
    with pytest.raises(EvolverError, match=r"holds generation mod/0001 .* revert .* first"):
        promote(sibling, history, session)
    assert target.path.read_bytes() == EVOLVED.encode()
    revert(target.path, history, session)
    promote(sibling, history, session)
    assert target.path.read_bytes() == SIBLING.encode()


def test_upgrade_along_the_lineage_reverts_one_step_at_a_time(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    gen = _child(store, target)
    promote(gen, history, session)
    grandchild = store.add(target, gen, EVOLVED + "\r\n", transforms=[], measurements={})
    assert promote(grandchild, history, session)["upgrade"] is True
    assert target.path.read_bytes() == (EVOLVED + "\r\n").encode()
    assert revert(target.path, history, session)["generation"] == "mod/0002"
    assert target.path.read_bytes() == EVOLVED.encode()
    assert revert(target.path, history, session)["generation"] == "mod/0001"
    assert target.path.read_bytes() == ORIGINAL


def test_revert_refused_when_edited_since_promote(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    promote(_child(store, target), history, session)
    target.path.write_bytes(b"# mine now\n")
    with pytest.raises(EvolverError, match="edited since generation mod/0001 was promoted"):
        revert(target.path, history, session)
    assert target.path.read_bytes() == b"# mine now\n"
    assert history.last_applied(target.path) is not None


def test_revert_of_a_file_restored_by_hand_only_records_it(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    promote(_child(store, target), history, session)
    target.path.write_bytes(ORIGINAL)
    assert revert(target.path, history, session)["written"] is False
    assert history.last_applied(target.path) is None


def test_promote_refuses_an_altered_generation(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    gen = _child(store, target)
    gen.source_path.write_bytes(b"import os; os.remove('everything')\n")
    with pytest.raises(EvolverError, match="altered"):
        promote(gen, history, session)
    assert target.path.read_bytes() == ORIGINAL


def test_failed_write_leaves_file_and_history_unchanged(
    store: GenerationStore, target: Target, history: History, session: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    gen = _child(store, target)

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        promote(gen, history, session)
    assert target.path.read_bytes() == ORIGINAL
    assert history.rows("applied_improvements") == []
    assert sorted(p.name for p in target.path.parent.iterdir()) == ["mod.py"]


def test_improvement_statuses_follow_promote_and_revert(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    gen = _child(store, target)
    improvement = history.add_improvement(
        session, "mod", "memoize@mod:f", "memoize", source_hash(ORIGINAL)
    )
    history.set_status(improvement, "testing", candidate_hash=gen.source_hash)
    history.set_status(improvement, "approved")
    promote(gen, history, session)
    assert history.improvements()[0]["status"] == "applied"
    revert(target.path, history, session)
    assert history.improvements()[0]["status"] == "rolled_back"


@pytest.mark.parametrize("mode", [0o640, 0o755])
def test_atomic_write_keeps_the_mode(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"old")
    path.chmod(mode)
    atomic_write_bytes(path, b"new\r\nbytes")
    assert path.read_bytes() == b"new\r\nbytes"
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir()] == ["m.py"]


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_bytes(b"old")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    atomic_write_bytes(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_evolving_a_promoted_file_again_is_an_upgrade(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    promote(_child(store, target), history, session)
    new_root = store.root_for(target, EVOLVED)
    assert new_root.number == 2
    later = store.add(target, new_root, SIBLING, transforms=[], measurements={})
    assert promote(later, history, session)["upgrade"] is True
    revert(target.path, history, session)
    revert(target.path, history, session)
    assert target.path.read_bytes() == ORIGINAL


def test_a_promotion_undone_by_hand_does_not_block(
    store: GenerationStore, target: Target, history: History, session: str
) -> None:
    gen = _child(store, target)
    sibling = store.add(target, store.get("mod/0"), SIBLING, transforms=[], measurements={})
    promote(gen, history, session)
    target.path.write_bytes(ORIGINAL)  # e.g. `git checkout mod.py`
    assert promote(sibling, history, session)["upgrade"] is False
    assert revert(target.path, history, session)["generation"] == "mod/0002"
    assert target.path.read_bytes() == ORIGINAL
    assert revert(target.path, history, session)["written"] is False
    with pytest.raises(EvolverError, match="nothing to revert"):
        revert(target.path, history, session)


_PIECES = st.sampled_from(["a", " ", "\r", "\n", "\r\n", "\t", "é", "\x0c", "\ufeff"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.lists(_PIECES).map("".join))
def test_round_trip_is_exact_for_any_text(tmp_path: Path, text: str) -> None:
    workdir = Path(tempfile.mkdtemp(dir=tmp_path))
    path = workdir / "mod.py"
    path.write_bytes(text.encode())
    target = Target(path, workdir, workdir, "mod")
    store = GenerationStore(workdir / "generations")
    gen = store.add(target, store.root_for(target, text), text + "\nx = 1", transforms=[],
                    measurements={})  # fmt: skip
    with History.open(workdir / "evolver.db") as history:
        session = history.start_session("promote")
        promote(gen, history, session)
        assert path.read_bytes() == (text + "\nx = 1").encode()
        revert(path, history, session)
    assert path.read_bytes() == text.encode()
