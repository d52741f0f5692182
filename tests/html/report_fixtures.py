"""The recorded real run the report tests read, put back on disk (see record_fixture.py)."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
RECORDED = HERE / "fixtures" / "recorded"
PROJECT = HERE / "fixtures" / "shop"
REPO = HERE.parents[1]


@dataclass(frozen=True)
class Recorded:
    """The workspace of a real evolve run of fixtures/shop (see record_fixture.py)."""

    root: Path  # the shop project
    workspace: Path

    @property
    def module(self) -> Path:
        return self.root / "stock.py"

    @property
    def db(self) -> Path:
        return self.workspace / ".evolver" / "evolver.db"

    def rows(self, sql: str) -> list[sqlite3.Row]:
        conn = sqlite3.connect(self.db)
        conn.row_factory = sqlite3.Row
        try:
            return list(conn.execute(sql))
        finally:
            conn.close()


def load_recorded(tmp: Path) -> Recorded:
    """The recorded history and generations, with their paths moved under ``tmp``."""
    shutil.copytree(PROJECT, tmp / "shop", ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    ws = tmp / "ws"
    for path in sorted((RECORDED / "generations").rglob("*")):
        if path.is_file():
            dest = ws / "generations" / path.relative_to(RECORDED / "generations")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(path.read_text(encoding="utf-8").replace("@TMP@", str(tmp)), encoding="utf-8")
    (ws / ".evolver").mkdir(parents=True)
    conn = sqlite3.connect(ws / ".evolver" / "evolver.db")
    conn.executescript((RECORDED / "history.sql").read_text(encoding="utf-8").replace("@TMP@", str(tmp)))
    conn.close()
    return Recorded(root=tmp / "shop", workspace=ws)


