"""The real-world corpus as data: rows of ``manifest.json`` and scratch copies of their projects.

Shared by ``run.py`` (evolver against the hand rewrites), ``measure_hand.py`` (the hand rewrites'
speedups) and ``tests/realworld`` (every row's tests and extra checks). A *variant* of a row is a
file put in place of the row's module in a scratch copy of its project: ``hand`` (the expert's
rewrite), ``naive`` (the tempting unsound rewrite of a refuse row) or any other path.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
KINDS = ("opportunity", "gate", "refuse")
IGNORED = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.pyc", "generations", ".evolver")


@dataclass(frozen=True)
class Row:
    """One module of the corpus, with what the manifest says about it."""

    name: str
    project: str
    module: str  # path of the module inside the project folder
    kind: str
    tests: str
    bench: str
    sites: tuple[str, ...]  # the functions (module:qualname) the row is about
    hand: Path | None
    hand_description: str
    hand_speedup: float | None
    hand_ci: tuple[float, float] | None
    naive: Path | None
    check: Path | None
    data: dict[str, Any]

    @property
    def project_dir(self) -> Path:
        return HERE / self.project

    def variant(self, name: str) -> Path:
        """The file of variant ``hand``/``naive``, or ``name`` itself as a path."""
        path = {"hand": self.hand, "naive": self.naive}.get(name, Path(name))
        if path is None:
            raise ValueError(f"row {self.name} has no {name} variant")
        return path


def load_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    return json.loads(path.read_text())


def rows(path: Path = MANIFEST) -> list[Row]:
    return [_row(entry) for entry in load_manifest(path)["rows"]]


def _row(entry: dict[str, Any]) -> Row:
    hand = entry.get("hand") or {}
    naive = entry.get("naive") or {}
    ci = hand.get("ci")
    return Row(
        name=entry["row"], project=entry["project"], module=entry["module"], kind=entry["kind"],
        tests=entry["tests"], bench=entry["bench"], sites=tuple(entry["sites"]),
        hand=HERE / hand["file"] if hand.get("file") else None, hand_description=hand.get("description", ""),
        hand_speedup=hand.get("speedup"), hand_ci=tuple(ci) if ci else None,  # type: ignore[arg-type]
        naive=HERE / naive["file"] if naive.get("file") else None,
        check=HERE / entry["check"] if entry.get("check") else None, data=entry,
    )


@contextmanager
def scratch(row: Row, variant: str | Path | None = None) -> Iterator[Path]:
    """A temporary copy of the row's project, with ``variant`` in place of the module."""
    with tempfile.TemporaryDirectory(prefix=f"realworld-{row.name}-") as tmp:
        root = Path(tmp) / row.project
        shutil.copytree(row.project_dir, root, ignore=IGNORED)
        if variant is not None:
            source = row.variant(variant) if isinstance(variant, str) else variant
            shutil.copyfile(source, root / row.module)
        yield root


def python_env(root: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONHASHSEED", None)
    return env


def run_tests(row: Row, root: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The row's own tests (``pytest ...``, ``python -m ...`` or a script) in ``root``."""
    args = shlex.split(row.tests)
    if args[0] == "pytest":
        args = [sys.executable, "-m", "pytest", "-q", *args[1:]]
    elif args[0] == "python":
        args = [sys.executable, *args[1:]]
    return subprocess.run(args, cwd=root, env=python_env(root), capture_output=True, text=True, timeout=timeout)


def run_check(row: Row, root: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The row's extra check (refuse rows) against the module in ``root``: exit 0 means sound."""
    if row.check is None:
        raise ValueError(f"row {row.name} has no extra check")
    return subprocess.run([sys.executable, str(row.check)], cwd=root, env=python_env(root),
                          capture_output=True, text=True, timeout=timeout)


def run_workload(row: Row, root: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Call the row's workload once in ``root``; prints the repr of its result's length and hash."""
    module, func = row.bench.split(":")
    code = (f"import hashlib, {module} as w; r = w.{func}(); "
            "print(hashlib.sha256(repr(r).encode()).hexdigest())")
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=python_env(root),
                          capture_output=True, text=True, timeout=timeout)
