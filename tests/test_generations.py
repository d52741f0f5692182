from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from evolver import __version__
from evolver.errors import EvolverError
from evolver.generations import GenerationStore, parse_id, unified_diff
from evolver.model import Target, source_hash

ORIGINAL = "def f(x):\r\n    return x + 1\r\n\r\ny = f(1)"  # CRLF, no final newline
EVOLVED = "def f(x):\r\n    return x + 2\r\n\r\ny = f(1)"


@pytest.fixture
def target(tmp_path: Path) -> Target:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    path = root / "pkg" / "integrator.py"
    path.write_bytes(ORIGINAL.encode())
    return Target(path, root, root, "pkg.integrator")


@pytest.fixture
def store(tmp_path: Path) -> GenerationStore:
    return GenerationStore(tmp_path / "ws" / "generations")


def test_root_is_number_zero_and_reused(store: GenerationStore, target: Target) -> None:
    root = store.root_for(target, ORIGINAL)
    assert (root.id, root.number, root.parent_id) == ("pkg.integrator/0000", 0, None)
    assert root.dir == store.root / "pkg.integrator" / "0000"
    assert root.source_path == root.dir / "integrator.py"
    assert store.root_for(target, ORIGINAL) == root
    assert (root.dir / "patch.diff").read_bytes() == b""


def test_changed_source_gets_a_new_root(store: GenerationStore, target: Target) -> None:
    first = store.root_for(target, ORIGINAL)
    store.add(target, first, EVOLVED, transforms=[], measurements={})
    edited = store.root_for(target, ORIGINAL + "\n# edited\n")
    assert (edited.number, edited.parent_id) == (2, None)
    assert store.root_for(target, ORIGINAL) == first


def test_children_are_numbered_in_order(store: GenerationStore, target: Target) -> None:
    root = store.root_for(target, ORIGINAL)
    one = store.add(target, root, EVOLVED, transforms=[], measurements={})
    two = store.add(target, one, EVOLVED + "\n", transforms=[], measurements={})
    assert [g.id for g in store.lineage("pkg.integrator")] == [
        "pkg.integrator/0000", "pkg.integrator/0001", "pkg.integrator/0002",
    ]  # fmt: skip
    assert two.parent_id == one.id
    assert store.latest("pkg.integrator") == two
    assert store.ancestry(two) == [root, one, two]
    assert store.lineage("unknown") == [] and store.latest("unknown") is None
    assert store.target_keys() == ["pkg.integrator"]


def test_manifest_and_exact_source(store: GenerationStore, target: Target) -> None:
    root = store.root_for(target, ORIGINAL)
    transforms = [{"site": "memoize@pkg.integrator:f", "transform": "memoize", "target": "f"}]
    gen = store.add(target, root, EVOLVED, transforms=transforms,
                    measurements={"ratio": 0.5, "path": Path("x")}, session_id="s-1")  # fmt: skip
    manifest = json.loads((gen.dir / "manifest.json").read_text())
    assert manifest == gen.manifest
    assert manifest["id"] == "pkg.integrator/0001"
    assert manifest["target"] == {
        "path": str(target.path.resolve()),
        "root": str(target.root.resolve()),
        "module": "pkg.integrator",
        "relpath": "pkg/integrator.py",
    }
    assert (manifest["parent"], manifest["number"]) == ("pkg.integrator/0000", 1)
    assert manifest["source_hash"] == source_hash(EVOLVED) == gen.source_hash
    assert manifest["parent_hash"] == source_hash(ORIGINAL)
    assert manifest["transforms"] == transforms
    assert manifest["measurements"] == {"ratio": 0.5, "path": "x"}
    assert (manifest["evolver_version"], manifest["session_id"]) == (__version__, "s-1")
    assert manifest["created_at"].endswith("+00:00")
    assert gen.source_path.read_bytes() == EVOLVED.encode()
    assert root.source_path.read_bytes() == target.path.read_bytes()


def test_patch_is_the_diff_from_the_parent(store: GenerationStore, target: Target) -> None:
    root = store.root_for(target, ORIGINAL)
    gen = store.add(target, root, EVOLVED, transforms=[], measurements={})
    diff = unified_diff(root, gen)
    assert (gen.dir / "patch.diff").read_bytes().decode() == diff
    assert diff.startswith(
        "--- pkg.integrator/0000/integrator.py\n+++ pkg.integrator/0001/integrator.py\n"
    )
    assert "-    return x + 1\r\n+    return x + 2\r\n" in diff
    assert unified_diff(root, root) == ""


def test_diff_marks_a_missing_final_newline(store: GenerationStore, target: Target) -> None:
    root = store.root_for(target, ORIGINAL)
    gen = store.add(target, root, ORIGINAL + "\n", transforms=[], measurements={})
    diff = unified_diff(root, gen)
    assert "-y = f(1)\n\\ No newline at end of file\n+y = f(1)\n" in diff


def test_diff_does_not_split_at_form_feeds(store: GenerationStore, target: Target) -> None:
    root = store.root_for(target, "a = 1\x0cb = 2\n")
    gen = store.add(target, root, "a = 1\x0cb = 3\n", transforms=[], measurements={})
    assert "-a = 1\x0cb = 2\n+a = 1\x0cb = 3\n" in unified_diff(root, gen)


@pytest.mark.parametrize(
    "spelling", ["pkg.integrator/1", "pkg.integrator/0001", " pkg.integrator/01 "]
)
def test_get_normalises_ids(store: GenerationStore, target: Target, spelling: str) -> None:
    root = store.root_for(target, ORIGINAL)
    gen = store.add(target, root, EVOLVED, transforms=[], measurements={})
    assert store.get(spelling) == gen


@pytest.mark.parametrize(
    "bad", ["pkg.integrator/7", "other/1", "pkg.integrator", "../generations/pkg.integrator/1",
            "pkg.integrator/x", "/1", ""],
)  # fmt: skip
def test_unknown_generation(store: GenerationStore, target: Target, bad: str) -> None:
    store.add(target, store.root_for(target, ORIGINAL), EVOLVED, transforms=[], measurements={})
    with pytest.raises(EvolverError, match=r"unknown generation .*\(see `evolver log`\)"):
        store.get(bad)


def test_parse_id() -> None:
    assert parse_id("a.b/12") == ("a.b", 12)
    assert parse_id("a/b/1") is None
    assert parse_id("../1") is None


def test_parent_of_another_target_is_refused(store: GenerationStore, target: Target) -> None:
    root = store.root_for(target, ORIGINAL)
    other = Target(target.path.with_name("other.py"), target.root, target.root, "pkg.other")
    with pytest.raises(EvolverError, match=r"not a generation of pkg\.other"):
        store.add(other, root, EVOLVED, transforms=[], measurements={})


def test_unfinished_and_temporary_folders_are_skipped(
    store: GenerationStore, target: Target
) -> None:
    root = store.root_for(target, ORIGINAL)
    (root.dir.parent / "0001").mkdir()  # claimed by a writer that crashed
    (root.dir.parent / ".0002.tmp-abc").mkdir()
    gen = store.add(target, root, EVOLVED, transforms=[], measurements={})
    assert gen.number == 2
    assert [g.number for g in store.lineage("pkg.integrator")] == [0, 2]
    with pytest.raises(EvolverError):
        store.get("pkg.integrator/1")


def test_failed_write_leaves_nothing(
    store: GenerationStore, target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = store.root_for(target, ORIGINAL)

    def broken_rename(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "rename", broken_rename)
    with pytest.raises(OSError, match="disk full"):
        store.add(target, root, EVOLVED, transforms=[], measurements={})
    assert sorted(p.name for p in root.dir.parent.iterdir()) == ["0000"]


def test_concurrent_adds_get_distinct_numbers(store: GenerationStore, target: Target) -> None:
    root = store.root_for(target, ORIGINAL)

    def add(i: int) -> int:
        source = f"{EVOLVED}\n# {i}\n"
        gen = GenerationStore(store.root).add(target, root, source, transforms=[], measurements={})
        return gen.number

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(add, range(16)))
    assert sorted(numbers) == list(range(1, 17))
    for gen in store.lineage("pkg.integrator")[1:]:
        assert gen.source_path.read_bytes().decode().endswith(f"# {numbers.index(gen.number)}\n")


def test_annotate_adds_measurements_only(store: GenerationStore, target: Target) -> None:
    root = store.root_for(target, ORIGINAL)
    gen = store.add(target, root, EVOLVED, transforms=[], measurements={"vs_parent": {"r": 1}})
    annotated = store.annotate(gen, {"vs_root": {"ratio": 0.5}})
    assert annotated.manifest["measurements"] == {"vs_parent": {"r": 1}, "vs_root": {"ratio": 0.5}}
    assert store.get(gen.id).manifest == annotated.manifest
    assert annotated.source_hash == gen.source_hash
    files = sorted(p.name for p in gen.dir.iterdir())
    assert files == ["integrator.py", "manifest.json", "patch.diff"]
