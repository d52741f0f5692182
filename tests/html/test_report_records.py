"""What the history keeps for the report: refused sites with their reasons (schema version 5)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from evolver.history import History
from evolver.model import Site


def test_refused_sites_are_recorded_with_their_reasons(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.db") as history:
        session = history.start_session("evolve")
        history.add_refusals(session, "/p/m.py", "abc", [
            Site("memoize", "m:noisy", "refused", ("calls random.randint", "reads module global SEED")),
            Site("memoize", "m:fib", "applicable"),
        ])
        history.add_refusals(session, "/p/m.py", "abc", [])
        rows = history.rows("refusals")
    assert [(r["site_id"], r["transform"], r["source_hash"], r["target"]) for r in rows] == [
        ("memoize@m:noisy", "memoize", "abc", "/p/m.py")]
    assert json.loads(rows[0]["reasons_json"]) == ["calls random.randint", "reads module global SEED"]


def test_an_older_history_gains_the_refusals_table(tmp_path: Path) -> None:
    from evolver.history import MIGRATIONS, migrate

    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    migrate(conn, MIGRATIONS[:2])
    conn.close()
    with History.open(tmp_path / "old.db") as history:
        assert history.schema_version == len(MIGRATIONS)
        assert history.rows("refusals") == []
