"""SQLite history of sessions, measurements, candidates, test runs, generations and promotions.

One file (default ``<workspace>/.evolver/evolver.db``) in WAL mode with foreign keys on. The schema
version lives in ``PRAGMA user_version``; :func:`migrate` brings an older file up to date, so a
later version adds a migration step instead of editing the tables below. Timestamps are ISO-8601
UTC text, JSON details are TEXT columns ending in ``_json``.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import psutil

from evolver.errors import EvolverError, RunStopped
from evolver.model import Comparison, Settings, Site, Target, to_json

# A candidate's status. "interrupted": its evaluation never finished (the session was stopped or
# its process died), so it is no verdict either way.
_STATUSES_V1 = ("proposed", "testing", "approved", "rejected", "applied", "rolled_back", "failed")
STATUSES = (*_STATUSES_V1, "interrupted")
TRANSITIONS: dict[str, frozenset[str]] = {
    "proposed": frozenset({"testing", "interrupted"}),
    "testing": frozenset({"approved", "rejected", "failed", "interrupted"}),
    "approved": frozenset({"applied"}),
    "applied": frozenset({"rolled_back"}),
}
# How a session ends: "ok" (it did its job, even when it found nothing), "refused" (bad input or a
# refused operation, exit 2), "interrupted" (Ctrl-C or SIGTERM), "killed" (its process died
# without ending it: found later by `History.open`), "error" (evolver itself crashed: a bug).
SESSION_STATUSES = ("running", "ok", "refused", "interrupted", "killed", "error")
# Statuses of a candidate that passed evaluation, whatever happened to it afterwards.
_APPROVED = ("approved", "applied", "rolled_back")
_TRIED = ("testing", "approved", "rejected", "failed", "applied", "rolled_back")

_S = "session_id TEXT NOT NULL REFERENCES sessions(id)"


def _improvements_table(name: str, statuses: Sequence[str]) -> str:
    return f"""CREATE TABLE {name} (
        id INTEGER PRIMARY KEY AUTOINCREMENT, {_S}, target TEXT NOT NULL,
        site_id TEXT NOT NULL, transform TEXT NOT NULL, parent_hash TEXT NOT NULL,
        candidate_hash TEXT,
        status TEXT NOT NULL CHECK (status IN ({", ".join(f"'{s}'" for s in statuses)})),
        reason TEXT NOT NULL DEFAULT '', predicted_success REAL, predicted_gain REAL,
        ratio REAL, ci_low REAL, ci_high REAL, p_value REAL,
        features_json TEXT NOT NULL DEFAULT '{{}}', measurement_json TEXT NOT NULL DEFAULT '{{}}',
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"""


_SCHEMA_V1 = (
    """CREATE TABLE sessions (
        id TEXT PRIMARY KEY, command TEXT NOT NULL, target_path TEXT, module TEXT,
        started_at TEXT NOT NULL, ended_at TEXT, status TEXT NOT NULL DEFAULT 'running',
        settings_json TEXT NOT NULL DEFAULT '{}')""",
    f"""CREATE TABLE performance_metrics (
        id INTEGER PRIMARY KEY AUTOINCREMENT, {_S}, target TEXT NOT NULL,
        source_hash TEXT NOT NULL, generation_id TEXT, metric TEXT NOT NULL, value REAL NOT NULL,
        unit TEXT NOT NULL DEFAULT '', spread REAL, samples_json TEXT NOT NULL DEFAULT '[]',
        measured_at TEXT NOT NULL)""",
    f"""CREATE TABLE bottlenecks (
        id INTEGER PRIMARY KEY AUTOINCREMENT, {_S}, target TEXT NOT NULL,
        source_hash TEXT NOT NULL, metric TEXT NOT NULL, value REAL NOT NULL,
        threshold REAL NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        impact REAL NOT NULL, location TEXT, detail_json TEXT NOT NULL DEFAULT '{{}}',
        detected_at TEXT NOT NULL)""",
    _improvements_table("improvements", _STATUSES_V1),
    f"""CREATE TABLE test_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT, {_S},
        improvement_id INTEGER REFERENCES improvements(id), source_hash TEXT NOT NULL,
        passed INTEGER NOT NULL CHECK (passed IN (0, 1)), tests_run INTEGER NOT NULL,
        failed INTEGER NOT NULL, duration_s REAL NOT NULL, reason TEXT NOT NULL DEFAULT '',
        output_tail TEXT NOT NULL DEFAULT '', ran_at TEXT NOT NULL)""",
    f"""CREATE TABLE applied_improvements (
        id INTEGER PRIMARY KEY AUTOINCREMENT, generation_id TEXT NOT NULL,
        target_path TEXT NOT NULL, applied_at TEXT NOT NULL, previous_hash TEXT NOT NULL,
        new_hash TEXT NOT NULL, previous_bytes BLOB NOT NULL, rolled_back_at TEXT, {_S},
        improvement_ids_json TEXT NOT NULL DEFAULT '[]',
        rolled_back_session_id TEXT REFERENCES sessions(id))""",
    # No foreign key on session_id: generations live on disk and outlive a deleted history file.
    """CREATE TABLE generations (
        id TEXT PRIMARY KEY, target_key TEXT NOT NULL, target_path TEXT NOT NULL,
        number INTEGER NOT NULL, parent_id TEXT, source_hash TEXT NOT NULL, parent_hash TEXT,
        transforms_json TEXT NOT NULL DEFAULT '[]', measurements_json TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL, session_id TEXT)""",
    "CREATE INDEX improvements_session ON improvements(session_id)",
    "CREATE INDEX improvements_candidate ON improvements(candidate_hash)",
    "CREATE INDEX metrics_session ON performance_metrics(session_id)",
    "CREATE INDEX tests_session ON test_results(session_id)",
    "CREATE INDEX applied_target ON applied_improvements(target_path)",
    "CREATE INDEX generations_target ON generations(target_key, number)",
)
# MIGRATIONS[v] brings a file from schema version v to v + 1. Append; never edit a released step.
_SCHEMA_V2 = ("ALTER TABLE test_results ADD COLUMN isolation_json TEXT",)  # which sandbox was in force
# An intent is written before promote/revert renames the file and removed with the record of the
# result, in one transaction: a crash in between leaves it for reconciliation (promote.reconcile).
_SCHEMA_V3 = (
    """CREATE TABLE intents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('promote', 'revert')),
        applied_id INTEGER NOT NULL REFERENCES applied_improvements(id),
        target_path TEXT NOT NULL, before_hash TEXT NOT NULL, after_hash TEXT NOT NULL,
        temp_path TEXT NOT NULL, detail_json TEXT NOT NULL DEFAULT '{}', started_at TEXT NOT NULL)""",
    "ALTER TABLE applied_improvements ADD COLUMN rollback_reason TEXT",
)
# v4: a session records the process running it (so a dead one is found and marked "killed"); a
# candidate may end "interrupted" (a CHECK constraint changes: the table is rebuilt, the
# documented SQLite way, with foreign keys off during the migration).
_SCHEMA_V4 = (
    "ALTER TABLE sessions ADD COLUMN pid INTEGER",
    "ALTER TABLE sessions ADD COLUMN host TEXT",
    _improvements_table("improvements_v4", STATUSES),
    "INSERT INTO improvements_v4 SELECT * FROM improvements",
    "DROP TABLE improvements",
    "ALTER TABLE improvements_v4 RENAME TO improvements",
    "CREATE INDEX improvements_session ON improvements(session_id)",
    "CREATE INDEX improvements_candidate ON improvements(candidate_hash)",
)
_SCHEMA_V5 = (  # sites a transform refused on a version of the target, with the reasons
    f"""CREATE TABLE refusals (
        id INTEGER PRIMARY KEY AUTOINCREMENT, {_S}, target TEXT NOT NULL,
        source_hash TEXT NOT NULL, site_id TEXT NOT NULL, transform TEXT NOT NULL,
        reasons_json TEXT NOT NULL DEFAULT '[]', detected_at TEXT NOT NULL)""",
    "CREATE INDEX refusals_session ON refusals(session_id)",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_SCHEMA_V1, _SCHEMA_V2, _SCHEMA_V3, _SCHEMA_V4, _SCHEMA_V5)
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = (
    "sessions",
    "performance_metrics",
    "bottlenecks",
    "improvements",
    "test_results",
    "applied_improvements",
    "generations",
    "intents",
    "refusals",
)
_SET_STATUS_FIELDS = frozenset(
    {"reason", "candidate_hash", "predicted_success", "predicted_gain", "ratio", "ci_low",
     "ci_high", "p_value", "features", "measurement", "comparison"}
)  # fmt: skip
_BUSY_TIMEOUT_S = 30.0


class StatusError(EvolverError, ValueError):
    """An improvement asked to make a status change its lifecycle does not allow."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat()


def migrate(
    conn: sqlite3.Connection, migrations: Sequence[Sequence[str]] = MIGRATIONS
) -> int:
    """Bring the schema to ``len(migrations)`` in one transaction; return the version reached."""
    target = len(migrations)
    # A step may rebuild a table (SQLite cannot alter a constraint): foreign keys are off while
    # it runs and checked as a whole before the commit.
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        _migrate_off(conn, migrations)
    finally:
        if foreign_keys:
            conn.execute("PRAGMA foreign_keys = ON")  # outside the transaction, so it takes effect
    return target


def _migrate_off(conn: sqlite3.Connection, migrations: Sequence[Sequence[str]]) -> None:
    target = len(migrations)
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > target:
            raise EvolverError(
                f"history file uses schema version {version}, newer than this evolver's "
                f"{target}; upgrade evolver"
            )
        for step in migrations[version:]:
            for statement in step:
                conn.execute(statement)
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise EvolverError("the history file's references do not hold after migrating it")
        if version != target:
            conn.execute(f"PRAGMA user_version = {target}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _dumps(value: Any) -> str:
    return json.dumps(to_json(value), sort_keys=True, default=_json_default)


def _json_default(value: Any) -> Any:
    item = getattr(value, "item", None)  # numpy scalars
    return item() if callable(item) else str(value)


def _real(value: Any) -> float | None:
    return None if value is None else float(value)


def _alive(pid: int, started_at: str) -> bool:
    """Is ``pid`` the process that started a session at ``started_at``?"""
    try:
        created = psutil.Process(pid).create_time()
    except psutil.AccessDenied:
        return True  # it exists; another user's
    except (psutil.NoSuchProcess, ValueError):
        return False
    return created <= datetime.fromisoformat(started_at).timestamp() + 1.0


def _target_name(target: Target | str) -> str:
    return target.module if isinstance(target, Target) else target


def path_key(path: Path | str) -> str:
    """How a target file's path is recorded: absolute, symlinks resolved."""
    return str(Path(path).resolve())


class History:
    """The history file. Each method is one short transaction; safe for concurrent processes
    and for threads sharing one History."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path

    @classmethod
    def open(cls, path: Path | str) -> History:
        """Open (creating it and its folder if needed) and migrate the history file; sessions
        whose process died since are marked "killed"."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(path)
        try:
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        history = cls(conn, path)
        history.end_dead_sessions()
        return history

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._query("PRAGMA user_version")[0]["user_version"])

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with self._write() as conn:
            cursor = conn.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values())
            )
        return int(cursor.lastrowid or 0)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(row) for row in self._conn.execute(sql, tuple(params))]

    # sessions

    def start_session(
        self,
        command: str,
        target: Target | None = None,
        settings: Settings | dict[str, Any] | None = None,
    ) -> str:
        """Record a running session of ``command`` by this process; end it with
        :meth:`end_session`, or use :meth:`session`, which always does."""
        session_id = str(uuid.uuid4())
        self._insert(
            "sessions",
            {
                "id": session_id,
                "command": command,
                "target_path": path_key(target.path) if target else None,
                "module": target.module if target else None,
                "started_at": utc_now(),
                "settings_json": _dumps(settings if settings is not None else {}),
                "pid": os.getpid(),
                "host": socket.gethostname(),
            },
        )
        return session_id

    def end_session(self, session_id: str, status: str) -> None:
        """Close a session with one of ``SESSION_STATUSES``; a candidate it left unjudged
        (proposed or testing) becomes "interrupted"."""
        if status not in SESSION_STATUSES or status == "running":
            raise ValueError(f"unknown session status {status!r}")
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET ended_at = ?, status = ? WHERE id = ?",
                (utc_now(), status, session_id),
            )
            if cursor.rowcount != 1:
                raise ValueError(f"unknown session {session_id!r}")
            conn.execute(
                "UPDATE improvements SET status = 'interrupted', updated_at = ?, "
                "reason = ? WHERE session_id = ? AND status IN ('proposed', 'testing')",
                (utc_now(), f"evaluation not finished: the session ended {status}", session_id),
            )

    @contextmanager
    def session(
        self,
        command: str,
        target: Target | None = None,
        settings: Settings | dict[str, Any] | None = None,
    ) -> Iterator[str]:
        """A session that always ends: "ok" when the block completes, "refused" on an
        EvolverError (but "interrupted" on a RunStopped and on KeyboardInterrupt, SIGTERM included),
        "error" on anything else."""
        session_id = self.start_session(command, target, settings)
        status = "error"
        try:
            yield session_id
            status = "ok"
        except EvolverError as exc:
            status = "interrupted" if isinstance(exc, RunStopped) else "refused"
            raise
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            self.end_session(session_id, status)

    def end_dead_sessions(self) -> list[str]:
        """Mark "killed" the running sessions of this machine whose process is gone (or was
        replaced by a later one with the same pid); return their ids."""
        host = socket.gethostname()
        dead = [
            row["id"]
            for row in self._query(
                "SELECT id, pid, started_at FROM sessions WHERE status = 'running' "
                "AND host = ? AND pid IS NOT NULL",
                (host,),
            )
            if not _alive(int(row["pid"]), row["started_at"])
        ]
        for session_id in dead:
            self.end_session(session_id, "killed")
        return dead

    # measurements

    def add_metric(
        self,
        session_id: str,
        target: Target | str,
        source_hash: str,
        metric: str,
        value: float,
        *,
        unit: str = "",
        spread: float | None = None,
        samples: Sequence[float] = (),
        generation_id: str | None = None,
    ) -> int:
        """Record one measured figure; ``spread`` is its MAD or CI half-width."""
        return self._insert(
            "performance_metrics",
            {
                "session_id": session_id,
                "target": _target_name(target),
                "source_hash": source_hash,
                "generation_id": generation_id,
                "metric": metric,
                "value": float(value),
                "unit": unit,
                "spread": _real(spread),
                "samples_json": _dumps(list(samples)),
                "measured_at": utc_now(),
            },
        )

    def add_bottleneck(
        self,
        session_id: str,
        target: Target | str,
        source_hash: str,
        metric: str,
        value: float,
        threshold: float,
        severity: str,
        impact: float,
        location: str | None = None,
        *,
        detail: dict[str, Any] | None = None,
    ) -> int:
        return self._insert(
            "bottlenecks",
            {
                "session_id": session_id,
                "target": _target_name(target),
                "source_hash": source_hash,
                "metric": metric,
                "value": float(value),
                "threshold": float(threshold),
                "severity": severity,
                "impact": float(impact),
                "location": location,
                "detail_json": _dumps(detail or {}),
                "detected_at": utc_now(),
            },
        )

    def add_test_result(
        self,
        session_id: str,
        source_hash: str,
        passed: bool,
        tests_run: int,
        failed: int,
        duration_s: float,
        reason: str = "",
        output_tail: str = "",
        *,
        improvement_id: int | None = None,
        isolation: Sequence[str] = (),
    ) -> int:
        """Record one oracle run (``tests_run`` is -1 when the command gives no count) and the
        isolation it ran under."""
        return self._insert(
            "test_results",
            {
                "session_id": session_id,
                "improvement_id": improvement_id,
                "source_hash": source_hash,
                "passed": int(bool(passed)),
                "tests_run": int(tests_run),
                "failed": int(failed),
                "duration_s": float(duration_s),
                "reason": reason,
                "output_tail": output_tail,
                "isolation_json": json.dumps(list(isolation)),
                "ran_at": utc_now(),
            },
        )

    # candidates

    def add_refusals(
        self, session_id: str, target: Target | str, source_hash: str, sites: Sequence[Site]
    ) -> None:
        """Record the refused sites of one version of the target with their reasons."""
        now = utc_now()
        rows = [
            (session_id, _target_name(target), source_hash, s.id, s.transform,
             json.dumps(list(s.reasons)), now)
            for s in sites
            if s.verdict == "refused"
        ]  # fmt: skip
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO refusals (session_id, target, source_hash, site_id, transform, "
                "reasons_json, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def add_improvement(
        self,
        session_id: str,
        target: Target | str,
        site_id: str,
        transform: str,
        parent_hash: str,
        *,
        candidate_hash: str | None = None,
        reason: str = "",
        predicted_success: float | None = None,
        predicted_gain: float | None = None,
        features: dict[str, Any] | None = None,
    ) -> int:
        """Record a candidate rewrite of ``site_id`` in status 'proposed'; return its id."""
        now = utc_now()
        return self._insert(
            "improvements",
            {
                "session_id": session_id,
                "target": _target_name(target),
                "site_id": site_id,
                "transform": transform,
                "parent_hash": parent_hash,
                "candidate_hash": candidate_hash,
                "status": "proposed",
                "reason": reason,
                "predicted_success": _real(predicted_success),
                "predicted_gain": _real(predicted_gain),
                "features_json": _dumps(features or {}),
                "created_at": now,
                "updated_at": now,
            },
        )

    def set_status(self, improvement_id: int, status: str, **fields: Any) -> None:
        """Move a candidate along proposed -> testing -> approved|rejected|failed, approved ->
        applied -> rolled_back; anything else raises ValueError.

        ``fields``: reason, candidate_hash, predicted_success, predicted_gain, ratio, ci_low,
        ci_high, p_value, features (dict), measurement (dict), comparison (a Comparison: fills
        ratio, ci_low, ci_high, p_value and measurement).
        """
        values = _status_fields(fields)
        with self._write() as conn:
            row = conn.execute(
                "SELECT status, reason FROM improvements WHERE id = ?", (improvement_id,)
            ).fetchone()
            if row is None:
                raise StatusError(f"unknown improvement {improvement_id}")
            if status not in TRANSITIONS.get(row["status"], frozenset()):
                raise StatusError(illegal_move(improvement_id, row["status"], status, row["reason"]))
            values.update(status=status, updated_at=utc_now())
            assignments = ", ".join(f"{column} = ?" for column in values)
            conn.execute(
                f"UPDATE improvements SET {assignments} WHERE id = ?",
                (*values.values(), improvement_id),
            )

    # generations and promotions

    def add_generation(
        self,
        id: str,
        target_key: str,
        target_path: Path | str,
        number: int,
        parent_id: str | None,
        source_hash: str,
        parent_hash: str | None,
        transforms: Sequence[dict[str, Any]] = (),
        measurements: dict[str, Any] | None = None,
        session_id: str | None = None,
        created_at: str | None = None,
    ) -> None:
        """Record a stored generation; recording the same id again refreshes its row."""
        values = {
            "id": id,
            "target_key": target_key,
            "target_path": path_key(target_path),
            "number": int(number),
            "parent_id": parent_id,
            "source_hash": source_hash,
            "parent_hash": parent_hash,
            "transforms_json": _dumps(list(transforms)),
            "measurements_json": _dumps(measurements or {}),
            "created_at": created_at or utc_now(),
            "session_id": session_id,
        }
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        updates = ", ".join(f"{c} = excluded.{c}" for c in values if c != "id")
        with self._write() as conn:
            conn.execute(
                f"INSERT INTO generations ({columns}) VALUES ({marks}) "
                f"ON CONFLICT(id) DO UPDATE SET {updates}",
                tuple(values.values()),
            )

    def generation_exists(self, gen_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM generations WHERE id = ?", (gen_id,)))

    def add_applied(
        self,
        generation_id: str,
        target_path: Path | str,
        previous_hash: str,
        new_hash: str,
        previous_bytes: bytes,
        session_id: str,
    ) -> int:
        """Record a promotion; ``previous_bytes`` are the exact bytes a revert writes back."""
        return self._insert("applied_improvements", _applied_row(
            generation_id, target_path, previous_hash, new_hash, previous_bytes, session_id))

    def delete_applied(self, applied_id: int) -> None:
        """Forget a promotion whose file write failed (the file was never changed)."""
        with self._write() as conn:
            conn.execute("DELETE FROM applied_improvements WHERE id = ?", (applied_id,))

    def apply_improvements(self, applied_id: int, candidate_hashes: Sequence[str]) -> list[int]:
        """Mark the approved candidates that produced these sources as applied by a promotion."""
        if not candidate_hashes:
            return []
        with self._write() as conn:
            return _apply(conn, applied_id, candidate_hashes)

    def mark_rolled_back(self, applied_id: int, session_id: str | None = None, reason: str | None = None) -> None:
        """Record that a promotion was reverted (by ``session_id``, because of ``reason``)."""
        with self._write() as conn:
            _rolled_back(conn, applied_id, session_id, reason)

    def last_applied(self, target_path: Path | str) -> dict[str, Any] | None:
        """The newest promotion of this file that was not rolled back, or None."""
        rows = self._query(
            "SELECT * FROM applied_improvements WHERE target_path = ? "
            "AND rolled_back_at IS NULL ORDER BY id DESC LIMIT 1",
            (path_key(target_path),),
        )
        return rows[0] if rows else None

    # interrupted promote / revert: intents (see promote.reconcile)

    def begin_promote(self, applied: dict[str, Any], temp_path: Path, candidate_hashes: Sequence[str]) -> tuple[int, int]:
        """Record a promotion (``add_applied``'s fields) and the intent to write it, at once;
        return (applied id, intent id)."""
        with self._write() as conn:
            applied_id = _insert_row(conn, "applied_improvements", _applied_row(**applied))
            intent = _insert_row(conn, "intents", {
                "kind": "promote", "applied_id": applied_id, "target_path": path_key(applied["target_path"]),
                "before_hash": applied["previous_hash"], "after_hash": applied["new_hash"],
                "temp_path": str(temp_path), "detail_json": json.dumps({"candidates": list(candidate_hashes)}),
                "started_at": utc_now()})
        return applied_id, intent

    def begin_revert(self, applied: dict[str, Any], temp_path: Path, session_id: str | None,
                     reason: str | None) -> int:
        """Record the intent to write back the bytes promotion ``applied`` replaced."""
        return self._insert("intents", {
            "kind": "revert", "applied_id": applied["id"], "target_path": applied["target_path"],
            "before_hash": applied["new_hash"], "after_hash": applied["previous_hash"], "temp_path": str(temp_path),
            "detail_json": json.dumps({"session_id": session_id, "reason": reason}), "started_at": utc_now()})

    def finish_intent(self, intent_id: int) -> None:
        """The file holds the intent's result: record what it did, and drop the intent, at once."""
        with self._write() as conn:
            row = _intent(conn, intent_id)
            detail = json.loads(row["detail_json"])
            if row["kind"] == "promote":
                _apply(conn, row["applied_id"], detail.get("candidates", []))
            else:
                _rolled_back(conn, row["applied_id"], detail.get("session_id"), detail.get("reason"))
            conn.execute("DELETE FROM intents WHERE id = ?", (intent_id,))

    def abandon_intent(self, intent_id: int) -> None:
        """The file never changed: forget the intent (and the promotion it was about to make)."""
        with self._write() as conn:
            row = _intent(conn, intent_id)
            conn.execute("DELETE FROM intents WHERE id = ?", (intent_id,))
            if row["kind"] == "promote":
                conn.execute("DELETE FROM applied_improvements WHERE id = ?", (row["applied_id"],))

    def intents(self, target_path: Path | str | None = None) -> list[dict[str, Any]]:
        if target_path is None:
            return self._query("SELECT * FROM intents ORDER BY id")
        return self._query("SELECT * FROM intents WHERE target_path = ? ORDER BY id", (path_key(target_path),))

    # queries

    def improvement(self, improvement_id: int) -> dict[str, Any]:
        rows = self._query("SELECT * FROM improvements WHERE id = ?", (improvement_id,))
        if not rows:
            raise StatusError(f"unknown improvement {improvement_id}")
        return rows[0]

    def promotion_of(self, improvement_id: int) -> dict[str, Any] | None:
        """The newest promotion that applied this improvement, or None."""
        for row in self._query("SELECT * FROM applied_improvements ORDER BY id DESC"):
            if improvement_id in json.loads(row["improvement_ids_json"]):
                return row
        return None

    def metrics(self, target: Target | str, metric: str | None = None, since: str | None = None,
                source_hash: str | None = None) -> list[dict[str, Any]]:
        """Measured figures of a target, oldest first; only ``metric``, after ``since``, of the
        source with hash ``source_hash``."""
        sql, params = "SELECT * FROM performance_metrics WHERE target = ?", [_target_name(target)]
        for column, value in (("metric = ?", metric), ("measured_at >= ?", since), ("source_hash = ?", source_hash)):
            if value is not None:
                sql, params = f"{sql} AND {column}", [*params, value]
        return self._query(sql + " ORDER BY id", params)

    def bottlenecks(self, target: Target | str, source_hash: str | None = None) -> list[dict[str, Any]]:
        """Bottlenecks found in a target (in the source with this hash), oldest first."""
        sql, params = "SELECT * FROM bottlenecks WHERE target = ?", [_target_name(target)]
        if source_hash is not None:
            sql, params = sql + " AND source_hash = ?", [*params, source_hash]
        return self._query(sql + " ORDER BY id", params)

    def generations_for(self, target_key: str) -> list[dict[str, Any]]:
        return self._query(
            "SELECT * FROM generations WHERE target_key = ? ORDER BY number", (target_key,)
        )

    def improvements(self, session_id: str | None = None) -> list[dict[str, Any]]:
        if session_id is None:
            return self._query("SELECT * FROM improvements ORDER BY id")
        return self._query(
            "SELECT * FROM improvements WHERE session_id = ? ORDER BY id", (session_id,)
        )

    def rows(self, table: str, limit: int | None = None) -> list[dict[str, Any]]:
        """All rows of a table, oldest first; with ``limit``, only the newest ``limit`` rows."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; known: {', '.join(TABLES)}")
        if limit is None:
            return self._query(f"SELECT * FROM {table} ORDER BY rowid")
        newest = self._query(f"SELECT * FROM {table} ORDER BY rowid DESC LIMIT ?", (limit,))
        return newest[::-1]

    def stats(self) -> dict[str, Any]:
        """Counts per table, candidates tried and approved, success rate, promotions.

        A candidate counts as tried once it left 'proposed', as approved when it passed
        evaluation (status approved, applied or rolled_back). ``success_rate`` is approved /
        (approved + rejected + failed), None before any verdict.
        """
        counts = {t: self._count(f"SELECT COUNT(*) AS n FROM {t}") for t in TABLES}
        by_status = {
            row["status"]: row["n"]
            for row in self._query("SELECT status, COUNT(*) AS n FROM improvements GROUP BY status")
        }
        approved = sum(by_status.get(s, 0) for s in _APPROVED)
        judged = approved + by_status.get("rejected", 0) + by_status.get("failed", 0)
        sessions = {
            row["status"]: row["n"]
            for row in self._query("SELECT status, COUNT(*) AS n FROM sessions GROUP BY status")
        }
        return {
            "tables": counts,
            "sessions": counts["sessions"],
            "sessions_by_status": {s: sessions.get(s, 0) for s in SESSION_STATUSES},
            "candidates": counts["improvements"],
            "candidates_tried": sum(by_status.get(s, 0) for s in _TRIED),
            "by_status": {s: by_status.get(s, 0) for s in STATUSES},
            "approved": approved,
            "success_rate": approved / judged if judged else None,
            "applied": counts["applied_improvements"],
            "rolled_back": self._count(
                "SELECT COUNT(*) AS n FROM applied_improvements WHERE rolled_back_at IS NOT NULL"
            ),
            "per_transform": self._per_transform(),
        }

    def _count(self, sql: str) -> int:
        return int(self._query(sql)[0]["n"])

    def _per_transform(self) -> dict[str, dict[str, int]]:
        tried = ", ".join(f"'{s}'" for s in _TRIED)
        approved = ", ".join(f"'{s}'" for s in _APPROVED)
        rows = self._query(
            f"SELECT transform, SUM(status IN ({tried})) AS tried, "
            f"SUM(status IN ({approved})) AS approved FROM improvements "
            "GROUP BY transform ORDER BY transform"
        )
        return {r["transform"]: {"tried": r["tried"], "approved": r["approved"]} for r in rows}


_NEEDS = {"testing": "proposed", "approved": "testing", "rejected": "testing", "failed": "testing",
          "applied": "approved", "rolled_back": "applied", "interrupted": "proposed or testing"}
_STATE = {"proposed": "it has not been tested yet", "testing": "it is being tested",
          "interrupted": "its evaluation was interrupted",
          "approved": "it was approved", "applied": "it is applied", "rolled_back": "it was rolled back"}


def illegal_move(improvement_id: int, status: str, wanted: str, reason: str = "") -> str:
    """Why an improvement in ``status`` cannot move to ``wanted``, in one line."""
    state = _STATE.get(status) or ("it failed" if status == "failed" else f"it was {status}")
    if status in ("rejected", "failed") and reason:
        state += f": {reason}"
    needs = _NEEDS.get(wanted)
    rule = (f"only a{'n' if needs and needs[0] in 'aeiou' else ''} {needs} improvement can become {wanted}"
            if needs else f"{wanted!r} is not a status")
    return f"improvement {improvement_id}: illegal status change {status!r} -> {wanted!r} ({state}; {rule})"


def _status_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - _SET_STATUS_FIELDS
    if unknown:
        raise ValueError(f"set_status: unknown fields {sorted(unknown)}")
    values: dict[str, Any] = {
        k: v if k in ("reason", "candidate_hash") else _real(v)
        for k, v in fields.items()
        if k not in ("features", "measurement", "comparison")
    }
    comparison: Comparison | None = fields.get("comparison")
    if comparison is not None:
        values.update(
            ratio=_real(comparison.ratio),
            ci_low=_real(comparison.ci_low),
            ci_high=_real(comparison.ci_high),
            p_value=_real(comparison.p_value),
            measurement_json=_dumps(comparison),
        )
    if "measurement" in fields:
        values["measurement_json"] = _dumps(fields["measurement"])
    if "features" in fields:
        values["features_json"] = _dumps(fields["features"])
    return values


def _insert_row(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    columns, marks = ", ".join(values), ", ".join("?" for _ in values)
    cursor = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values()))
    return int(cursor.lastrowid or 0)


def _applied_row(generation_id: str, target_path: Path | str, previous_hash: str, new_hash: str,
                 previous_bytes: bytes, session_id: str) -> dict[str, Any]:
    return {"generation_id": generation_id, "target_path": path_key(target_path), "applied_at": utc_now(),
            "previous_hash": previous_hash, "new_hash": new_hash,
            "previous_bytes": sqlite3.Binary(previous_bytes), "session_id": session_id}


def _intent(conn: sqlite3.Connection, intent_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM intents WHERE id = ?", (intent_id,)).fetchone()
    if row is None:
        raise ValueError(f"unknown intent {intent_id}")
    return row


def _apply(conn: sqlite3.Connection, applied_id: int, candidate_hashes: Sequence[str]) -> list[int]:
    marks = ", ".join("?" for _ in candidate_hashes)
    ids = [row["id"] for row in conn.execute(
        f"SELECT id FROM improvements WHERE status = 'approved' AND candidate_hash IN ({marks}) ORDER BY id",
        tuple(candidate_hashes))] if candidate_hashes else []
    _move(conn, ids, "applied")
    conn.execute("UPDATE applied_improvements SET improvement_ids_json = ? WHERE id = ?",
                 (json.dumps(ids), applied_id))
    return ids


def _rolled_back(conn: sqlite3.Connection, applied_id: int, session_id: str | None, reason: str | None) -> None:
    row = conn.execute("SELECT rolled_back_at, improvement_ids_json FROM applied_improvements WHERE id = ?",
                       (applied_id,)).fetchone()
    if row is None:
        raise ValueError(f"unknown promotion {applied_id}")
    if row["rolled_back_at"] is not None:
        raise ValueError(f"promotion {applied_id} was already rolled back")
    conn.execute("UPDATE applied_improvements SET rolled_back_at = ?, rolled_back_session_id = ?, "
                 "rollback_reason = ? WHERE id = ?", (utc_now(), session_id, reason, applied_id))
    ids = json.loads(row["improvement_ids_json"])
    still = [i for i in ids
             if conn.execute("SELECT status FROM improvements WHERE id = ?", (i,)).fetchone()[0] == "applied"]
    _move(conn, still, "rolled_back")


def _move(conn: sqlite3.Connection, ids: Sequence[int], status: str) -> None:
    now = utc_now()
    conn.executemany(
        "UPDATE improvements SET status = ?, updated_at = ? WHERE id = ?",
        [(status, now, i) for i in ids],
    )
