"""The generation store: ``<workspace>/generations/<target key>/<NNNN>/``.

Each generation folder holds the full module source (``<module file name>``), ``manifest.json``
and ``patch.diff`` (unified diff from its parent; empty for a root). A root generation is the
user's original source; its children are evolved versions. Folders are written whole: into a
temporary folder that is then renamed onto a number claimed with an exclusive ``mkdir``, so two
evolves running at once never share a number and a reader never sees half a generation.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evolver import __version__
from evolver.errors import EvolverError
from evolver.model import Target, source_hash, to_json

MANIFEST = "manifest.json"
PATCH = "patch.diff"
_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_NUMBER = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Generation:
    """One stored version of a target module."""

    id: str  # "<target key>/<NNNN>"; the first root is number 0
    target_key: str
    number: int
    parent_id: str | None
    dir: Path
    source_path: Path
    manifest: dict[str, Any] = field(compare=False)

    @property
    def source_hash(self) -> str:
        return str(self.manifest["source_hash"])

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    def read_source(self) -> str:
        return self.source_path.read_bytes().decode("utf-8")


def format_id(target_key: str, number: int) -> str:
    return f"{target_key}/{number:04d}"


def parse_id(gen_id: str) -> tuple[str, int] | None:
    """``"integrator/2"`` -> ``("integrator", 2)``; None when it cannot name a generation."""
    key, sep, number = gen_id.strip().rpartition("/")
    if not sep or not _KEY.fullmatch(key) or not _NUMBER.fullmatch(number):
        return None
    return key, int(number)


class GenerationStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def root_for(self, target: Target, source: str) -> Generation:
        """The newest root of this target holding exactly ``source``, else a new root."""
        digest = source_hash(source)
        path = str(target.path.resolve())
        for gen in reversed(self.lineage(_checked_key(target.key))):
            if gen.is_root and gen.source_hash == digest and gen.manifest["target"]["path"] == path:
                return gen
        return self._write(target, None, source, transforms=[], measurements={}, session_id=None)

    def add(
        self,
        target: Target,
        parent: Generation,
        source: str,
        *,
        transforms: list[dict[str, Any]],
        measurements: dict[str, Any],
        session_id: str | None = None,
    ) -> Generation:
        """Store ``source`` as a new child of ``parent``."""
        if parent.target_key != target.key:
            raise EvolverError(f"generation {parent.id} is not a generation of {target.key}")
        return self._write(
            target, parent, source,
            transforms=transforms, measurements=measurements, session_id=session_id,
        )  # fmt: skip

    def get(self, gen_id: str) -> Generation:
        parsed = parse_id(gen_id)
        gen = self._load(self.root / parsed[0] / f"{parsed[1]:04d}") if parsed else None
        if gen is None:
            raise EvolverError(f"unknown generation {gen_id!r} (see `evolver log`)")
        return gen

    def lineage(self, target_key: str) -> list[Generation]:
        """Every stored generation of this target, sorted by number."""
        key_dir = self.root / target_key
        if not _KEY.fullmatch(target_key) or not key_dir.is_dir():
            return []
        found = (self._load(d) for d in key_dir.iterdir() if _is_number(d.name))
        return sorted((g for g in found if g is not None), key=lambda g: g.number)

    def latest(self, target_key: str) -> Generation | None:
        gens = self.lineage(target_key)
        return gens[-1] if gens else None

    def ancestry(self, gen: Generation) -> list[Generation]:
        """``gen`` and its ancestors, root first."""
        chain = [gen]
        while chain[-1].parent_id is not None:
            parent = self.get(chain[-1].parent_id)
            if parent.number >= chain[-1].number:
                raise EvolverError(f"generation {chain[-1].id} has a broken parent link")
            chain.append(parent)
        return chain[::-1]

    def annotate(self, gen: Generation, measurements: dict[str, Any]) -> Generation:
        """Add figures measured after ``gen`` was stored to its manifest's measurements.

        Only the manifest changes (replaced atomically); the source and its hash never do.
        """
        manifest = self.get(gen.id).manifest  # the stored one: it may have been annotated since
        manifest["measurements"] = {**manifest.get("measurements", {}), **to_json(measurements)}
        fd, tmp = tempfile.mkstemp(dir=gen.dir, prefix=f".{MANIFEST}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(manifest, indent=2) + "\n")
        os.chmod(tmp, stat.S_IMODE((gen.dir / MANIFEST).stat().st_mode))
        os.replace(tmp, gen.dir / MANIFEST)
        annotated = self._load(gen.dir)
        assert annotated is not None
        return annotated

    def headline(self, gen: Generation) -> dict[str, Any] | None:
        """A generation's one figure: its last measurement against the original (the final check
        of its run) when there is one, else its measurement against its parent, saying which.
        None for a root or a generation with no timing recorded."""
        measured = gen.manifest.get("measurements", {})
        if measured.get("vs_root"):
            cmp, against, when = measured["vs_root"], measured["vs_root"].get("root"), "at the end of its run"
        elif measured.get("vs_parent"):
            cmp, against, when = measured["vs_parent"], gen.parent_id, "when it was written"
        else:
            return None
        original = against is not None and self.get(against).is_root
        ratio, low, high = (float(cmp[k]) for k in ("ratio", "ci_low", "ci_high"))
        return {"speedup": 1 / ratio if ratio > 0 else None,
                "ci": [1 / high if high > 0 else None, 1 / low if low > 0 else None],
                "verdict": cmp.get("verdict"), "p_value": cmp.get("p_value"), "pairs": cmp.get("pairs"),
                "against": against, "against_original": original, "measured": when}

    def target_keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(d.name for d in self.root.iterdir() if d.is_dir() and _KEY.fullmatch(d.name))

    def _load(self, gen_dir: Path) -> Generation | None:
        try:
            manifest = json.loads((gen_dir / MANIFEST).read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            return None  # a number claimed by a writer that has not finished (or crashed)
        except (OSError, ValueError) as exc:
            raise EvolverError(f"cannot read {gen_dir / MANIFEST}: {exc}") from exc
        try:
            file_name = Path(manifest["target"]["path"]).name
        except (KeyError, TypeError) as exc:
            raise EvolverError(f"{gen_dir / MANIFEST} has no target path") from exc
        number = int(gen_dir.name)
        return Generation(
            id=format_id(gen_dir.parent.name, number),
            target_key=gen_dir.parent.name,
            number=number,
            parent_id=manifest.get("parent"),
            dir=gen_dir,
            source_path=gen_dir / file_name,
            manifest=manifest,
        )

    def _write(
        self,
        target: Target,
        parent: Generation | None,
        source: str,
        *,
        transforms: list[dict[str, Any]],
        measurements: dict[str, Any],
        session_id: str | None,
    ) -> Generation:
        key_dir = self.root / _checked_key(target.key)
        key_dir.mkdir(parents=True, exist_ok=True)
        number = _claim(key_dir)
        final = key_dir / f"{number:04d}"
        manifest = {
            "id": format_id(target.key, number),
            "target": {
                "path": str(target.path.resolve()),
                "root": str(target.root.resolve()),
                "module": target.module,
                "relpath": target.relpath.as_posix(),
            },
            "parent": parent.id if parent else None,
            "number": number,
            "source_hash": source_hash(source),
            "parent_hash": parent.source_hash if parent else None,
            "transforms": to_json(transforms),
            "measurements": to_json(measurements),
            "created_at": datetime.now(UTC).isoformat(),
            "evolver_version": __version__,
            "session_id": session_id,
        }
        name = target.path.name
        patch = ""
        if parent is not None:
            patch = _diff(parent.read_source(), source, parent.id, manifest["id"], name)
        tmp = Path(tempfile.mkdtemp(dir=key_dir, prefix=f".{number:04d}.tmp-"))
        try:
            (tmp / name).write_bytes(source.encode("utf-8"))
            (tmp / PATCH).write_bytes(patch.encode("utf-8"))
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            os.chmod(tmp, stat.S_IMODE(final.stat().st_mode))  # mkdtemp's 0o700 ignores umask
            os.rename(tmp, final)  # replaces the empty claimed folder
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            final.rmdir()
            raise
        gen = self._load(final)
        assert gen is not None
        return gen


def unified_diff(a: Generation, b: Generation) -> str:
    """Unified diff from ``a`` to ``b``, files labelled with the generation ids."""
    return _diff(a.read_source(), b.read_source(), a.id, b.id, b.source_path.name)


def _diff(a: str, b: str, a_id: str, b_id: str, name: str) -> str:
    out = []
    for line in difflib.unified_diff(_lines(a), _lines(b), f"{a_id}/{name}", f"{b_id}/{name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    # Split on "\n" only: str.splitlines would also break at form feeds and other separators.
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _claim(key_dir: Path) -> int:
    taken = [int(d.name) for d in key_dir.iterdir() if _is_number(d.name)]
    number = max(taken, default=-1) + 1
    while True:
        try:
            os.mkdir(key_dir / f"{number:04d}")
            return number
        except FileExistsError:
            number += 1


def _is_number(name: str) -> bool:
    return _NUMBER.fullmatch(name) is not None and name == f"{int(name):04d}"


def _checked_key(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise EvolverError(f"cannot store generations under the name {key!r}")
    return key
