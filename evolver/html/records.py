"""Read-only access to what the report shows: the history file's rows and the stored generations.

Nothing here writes: the history is opened with SQLite's ``mode=ro`` (no migration, no journal
change), generation folders are only read. Rows come back as plain dicts, so a column added or
missing in another schema version is a missing key, not an error.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from evolver.errors import EvolverError
from evolver.generations import MANIFEST, Generation, GenerationStore, format_id

TABLES = ("sessions", "performance_metrics", "improvements", "applied_improvements", "generations",
          "refusals", "test_results")


@dataclass(frozen=True)
class Records:
    """Every row of the tables the report reads, and every stored generation, of one workspace."""

    history_path: Path
    rows: dict[str, list[dict[str, Any]]]
    generations: list[Generation]
    problems: list[str]  # generation folders that could not be read, said on the page

    def table(self, name: str) -> list[dict[str, Any]]:
        return self.rows.get(name, [])


def history_path(workspace: Path) -> Path:
    return workspace / ".evolver" / "evolver.db"


def read_records(workspace: Path) -> Records:
    """The history and generations of ``workspace``; EvolverError when there is no history."""
    path = history_path(workspace)
    if not path.is_file():
        raise EvolverError(f"no evolver history at {path} (run `evolver evolve <module>` first, "
                           "or give --workspace)")
    rows = _read_tables(path)
    if not rows.get("sessions") and not rows.get("generations"):
        raise EvolverError(f"the history at {path} is empty: no evolve run was recorded")
    generations, problems = _read_generations(workspace / "generations")
    return Records(history_path=path, rows=rows, generations=generations, problems=problems)


def _read_tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=30.0)
    except sqlite3.Error as exc:
        raise EvolverError(f"cannot open the history {path}: {exc}") from None
    conn.row_factory = sqlite3.Row
    try:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
                for t in TABLES if t in present}
    except sqlite3.Error as exc:
        raise EvolverError(f"cannot read the history {path}: {exc}") from None
    finally:
        conn.close()


def _read_generations(root: Path) -> tuple[list[Generation], list[str]]:
    """Every readable generation folder; an unreadable one is a problem, not the end of the report."""
    store = GenerationStore(root)
    found: list[Generation] = []
    problems: list[str] = []
    for key in store.target_keys():
        for folder in sorted((root / key).iterdir()):
            if not folder.is_dir() or not folder.name.isdigit():
                continue
            if not (folder / MANIFEST).exists():
                problems.append(f"{folder}: no manifest (being written, or left by a run that crashed)")
                continue
            try:
                found.append(store.get(format_id(key, int(folder.name))))
            except EvolverError as exc:
                problems.append(f"{folder}: {exc}")
    return found, problems


def loads(text: Any, default: Any) -> Any:
    """A ``*_json`` column's value, or ``default`` when it is missing or not JSON."""
    if not isinstance(text, str):
        return default
    try:
        value = json.loads(text)
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default
