"""Fixtures of the report tests: a recorded real run put back on disk, and a real browser."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from report_browser import chromium, why_no_browser

HERE = Path(__file__).parent
RECORDED = HERE / "fixtures" / "recorded"
PROJECT = HERE / "fixtures" / "shop"
REPO = HERE.parents[1]
collect_ignore_glob = ["fixtures/*"]  # the shop project's own tests run only inside its evolve runs


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


@pytest.fixture
def recorded(tmp_path: Path) -> Recorded:
    return load_recorded(tmp_path)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = why_no_browser()
    if reason is not None:
        if os.environ.get("EVOLVER_REQUIRE_CHROMIUM"):
            pytest.fail(f"EVOLVER_REQUIRE_CHROMIUM is set but: {reason}")
        pytest.skip(reason)
    with chromium() as running:
        yield running


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """Where a test leaves files for a person to look at: artifacts/html/<test name>/."""
    folder = REPO / "artifacts" / "html" / request.node.name.replace("/", "_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
