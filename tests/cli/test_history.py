from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evolver.errors import EvolverError
from evolver.history import MIGRATIONS, SCHEMA_VERSION, TABLES, History, migrate
from evolver.model import Comparison, Settings, Target


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / "ws" / ".evolver" / "evolver.db") as h:
        yield h


def _session(history: History) -> str:
    return history.start_session("evolve")


def _improvement(history: History, session: str, transform: str = "memoize") -> int:
    return history.add_improvement(
        session, "pkg.mod", f"{transform}@pkg.mod:fib", transform, "p" * 64
    )


def test_open_creates_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "evolver.db"
    with History.open(path) as history:
        assert history.schema_version == SCHEMA_VERSION
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(TABLES) <= names
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_reopen_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "evolver.db"
    with History.open(path) as history:
        session = history.start_session("evolve", settings=Settings(cycles=3))
    with History.open(path) as history:
        (row,) = history.rows("sessions")
    assert row["id"] == session
    assert '"cycles": 3' in row["settings_json"]
    assert row["status"] == "running"
    assert row["started_at"].endswith("+00:00")


def test_migration_adds_a_step_and_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "evolver.db"
    with History.open(path) as history:
        session = history.start_session("evolve")
    conn = sqlite3.connect(path, isolation_level=None)
    later = (*MIGRATIONS, ("ALTER TABLE sessions ADD COLUMN note TEXT DEFAULT 'n'",))
    assert migrate(conn, later) == SCHEMA_VERSION + 1
    assert conn.execute("SELECT id, note FROM sessions").fetchall() == [(session, "n")]
    assert migrate(conn, later) == SCHEMA_VERSION + 1  # idempotent
    conn.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evolver.db"
    History.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(EvolverError, match="newer"):
        History.open(path)


def test_foreign_keys_are_enforced(history: History) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        history.add_metric("no-such-session", "pkg.mod", "h", "wall_time_ms", 1.0)


def test_session_lifecycle(history: History, tmp_path: Path) -> None:
    target = Target(tmp_path / "mod.py", tmp_path, tmp_path, "mod")
    session = history.start_session("evolve", target)
    history.end_session(session, "ok")
    (row,) = history.rows("sessions")
    assert (row["module"], row["status"]) == ("mod", "ok")
    assert row["target_path"] == str((tmp_path / "mod.py").resolve())
    assert row["ended_at"] is not None
    with pytest.raises(ValueError, match="unknown session"):
        history.end_session("nope", "ok")


def test_measurements_and_tests_are_recorded(history: History) -> None:
    session = _session(history)
    history.add_metric(
        session, "pkg.mod", "h1", "wall_time_ms", 12.5,
        unit="ms", spread=0.4, samples=[12.0, 13.0], generation_id="pkg.mod/0001",
    )  # fmt: skip
    history.add_bottleneck(
        session_id=session, target="pkg.mod", source_hash="h1", metric="wall_time_ms",
        value=250.0, threshold=100.0, severity="high", impact=60.0, location="pkg.mod:fib",
    )  # fmt: skip
    history.add_test_result(session, "h1", False, 7, 2, 1.5, "2 failed", "tail")
    (metric,) = history.rows("performance_metrics")
    assert (metric["value"], metric["spread"]) == (12.5, 0.4)
    assert (metric["samples_json"], metric["generation_id"]) == ("[12.0, 13.0]", "pkg.mod/0001")
    (row,) = history.rows("bottlenecks")
    assert (row["threshold"], row["severity"], row["location"]) == (100.0, "high", "pkg.mod:fib")
    (test,) = history.rows("test_results")
    assert (test["passed"], test["tests_run"], test["failed"]) == (0, 7, 2)
    assert (test["reason"], test["output_tail"]) == ("2 failed", "tail")


@pytest.mark.parametrize(
    "path",
    [
        ["testing", "approved", "applied", "rolled_back"],
        ["testing", "rejected"],
        ["testing", "failed"],
    ],
)
def test_legal_status_paths(history: History, path: list[str]) -> None:
    improvement = _improvement(history, _session(history))
    for status in path:
        history.set_status(improvement, status)
    assert history.improvements()[0]["status"] == path[-1]


@pytest.mark.parametrize(
    ("before", "status"),
    [
        ([], "approved"),
        ([], "applied"),
        ([], "proposed"),
        (["testing"], "testing"),
        (["testing"], "applied"),
        (["testing", "rejected"], "approved"),
        (["testing", "failed"], "testing"),
        (["testing", "approved"], "rolled_back"),
        (["testing", "approved", "applied", "rolled_back"], "applied"),
        ([], "bogus"),
    ],
)
def test_illegal_status_changes_raise(history: History, before: list[str], status: str) -> None:
    improvement = _improvement(history, _session(history))
    for step in before:
        history.set_status(improvement, step)
    with pytest.raises(ValueError, match="illegal status change"):
        history.set_status(improvement, status)
    assert history.improvements()[0]["status"] == (before[-1] if before else "proposed")


def test_set_status_records_fields(history: History) -> None:
    session = _session(history)
    improvement = _improvement(history, session)
    history.set_status(improvement, "testing", candidate_hash="c" * 64)
    comparison = Comparison("faster", 0.5, 0.45, 0.55, 0.001, 40, (2.0,), (1.0,), 10)
    history.set_status(improvement, "approved", comparison=comparison, reason="2x")
    (row,) = history.improvements(session)
    assert (row["candidate_hash"], row["ratio"], row["ci_low"], row["ci_high"]) == (
        "c" * 64, 0.5, 0.45, 0.55,
    )  # fmt: skip
    assert (row["p_value"], row["reason"]) == (0.001, "2x")
    assert '"verdict": "faster"' in row["measurement_json"]
    with pytest.raises(ValueError, match="unknown fields"):
        history.set_status(improvement, "applied", colour="red")
    with pytest.raises(ValueError, match="unknown improvement"):
        history.set_status(9999, "testing")


def test_improvement_keeps_site_features(history: History) -> None:
    session = _session(history)
    history.add_improvement(
        session_id=session, target="pkg.mod", site_id="memoize@pkg.mod:fib", transform="memoize",
        parent_hash="p" * 64, predicted_success=0.7, features={"calls": 10},
    )  # fmt: skip
    (row,) = history.improvements()
    assert (row["site_id"], row["transform"]) == ("memoize@pkg.mod:fib", "memoize")
    assert (row["features_json"], row["predicted_success"]) == ('{"calls": 10}', 0.7)
    assert history.improvements("other-session") == []


def test_stats(history: History) -> None:
    session = _session(history)
    outcomes = {
        "memoize": [["testing", "approved"], ["testing", "rejected"], []],
        "retry": [["testing", "failed"], ["testing", "approved", "applied"]],
    }
    for transform, paths in outcomes.items():
        for path in paths:
            improvement = _improvement(history, session, transform)
            for status in path:
                history.set_status(improvement, status)
    first = history.add_applied("pkg.mod/0001", "/x/mod.py", "a", "b", b"old", session)
    history.add_applied("pkg.mod/0002", "/x/mod.py", "a", "c", b"old", session)
    history.mark_rolled_back(first, session)
    stats = history.stats()
    assert stats["candidates"] == 5
    assert stats["candidates_tried"] == 4
    assert stats["approved"] == 2
    assert stats["success_rate"] == pytest.approx(2 / 4)
    assert (stats["applied"], stats["rolled_back"]) == (2, 1)
    assert stats["per_transform"] == {
        "memoize": {"tried": 2, "approved": 1},
        "retry": {"tried": 2, "approved": 1},
    }
    assert stats["tables"]["improvements"] == 5
    assert stats["tables"]["sessions"] == 1


def test_stats_of_empty_history(history: History) -> None:
    stats = history.stats()
    assert stats["success_rate"] is None
    assert stats["per_transform"] == {}
    assert set(stats["tables"]) == set(TABLES)


def test_last_applied_is_newest_not_rolled_back(history: History, tmp_path: Path) -> None:
    session = _session(history)
    target = tmp_path / "mod.py"
    assert history.last_applied(target) is None
    first = history.add_applied("m/0001", target, "a", "b", b"\x00raw\r\n", session)
    second = history.add_applied("m/0002", target, "b", "c", b"b", session)
    assert history.last_applied(target)["id"] == second
    history.mark_rolled_back(second, session)
    row = history.last_applied(tmp_path / "." / "mod.py")
    assert (row["id"], row["previous_bytes"]) == (first, b"\x00raw\r\n")
    with pytest.raises(ValueError, match="already rolled back"):
        history.mark_rolled_back(second)
    with pytest.raises(ValueError, match="unknown promotion"):
        history.mark_rolled_back(12345)


def test_rows_limit_and_unknown_table(history: History) -> None:
    sessions = [history.start_session(f"c{i}") for i in range(5)]
    assert [r["id"] for r in history.rows("sessions", limit=2)] == sessions[3:]
    assert len(history.rows("sessions")) == 5
    with pytest.raises(ValueError, match="unknown table"):
        history.rows("sqlite_master")


def test_generations_for_reads_back_in_number_order(history: History, tmp_path: Path) -> None:
    path = tmp_path / "mod.py"
    common = {"target_key": "mod", "target_path": path, "transforms": [], "measurements": {}}
    history.add_generation(id="mod/0001", number=1, parent_id="mod/0000", source_hash="b",
                           parent_hash="a", **common)  # fmt: skip
    history.add_generation("mod/0000", number=0, parent_id=None, source_hash="x",
                           parent_hash=None, **common)  # fmt: skip
    history.add_generation("mod/0000", number=0, parent_id=None, source_hash="a",
                           parent_hash=None, **common)  # fmt: skip
    rows = history.generations_for("mod")
    assert [(r["id"], r["source_hash"]) for r in rows] == [("mod/0000", "a"), ("mod/0001", "b")]
    assert rows[1]["parent_id"] == "mod/0000"
    assert rows[1]["target_path"] == str(path.resolve())
    assert history.generation_exists("mod/0001")
    assert not history.generation_exists("mod/0002")
    assert history.generations_for("other") == []


_WRITER = """
import sys
from evolver.history import History
with History.open(sys.argv[1]) as h:
    s = h.start_session("w")
    for i in range(40):
        h.add_metric(s, "m", "h", "wall_time_ms", float(i))
"""


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "evolver.db"
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], cwd=Path(__file__).parents[2])
        for _ in range(3)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    with History.open(path) as history:
        assert history.stats()["tables"]["performance_metrics"] == 120
        assert history.stats()["sessions"] == 3


def test_threads_can_share_one_history(history: History) -> None:
    from concurrent.futures import ThreadPoolExecutor

    session = _session(history)
    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(lambda i: _improvement(history, session, f"t{i % 3}"), range(40)))
    assert sorted(ids) == sorted(set(ids))
    assert history.stats()["candidates"] == 40


# -- sessions always end ---------------------------------------------------------------------------
@pytest.mark.parametrize(("raised", "status"), [
    (None, "ok"),
    (EvolverError("refused"), "refused"),
    (KeyboardInterrupt(), "interrupted"),
    (RuntimeError("a bug"), "error"),
])
def test_a_session_block_always_ends_its_session(history: History, raised: BaseException | None,
                                                 status: str) -> None:
    def body() -> None:
        with history.session("evolve") as session:
            improvement = _improvement(history, session)
            history.set_status(improvement, "testing")
            if raised is not None:
                raise raised
            history.set_status(improvement, "approved")

    if raised is None:
        body()
    else:
        with pytest.raises(type(raised)):
            body()
    (row,) = history.rows("sessions")
    assert row["status"] == status and row["ended_at"] is not None
    (candidate,) = history.improvements()
    assert candidate["status"] == ("approved" if raised is None else "interrupted")


def test_unknown_session_status_is_refused(history: History) -> None:
    with pytest.raises(ValueError, match="unknown session status"):
        history.end_session(_session(history), "running")


_DIES = """
import os, sys
from evolver.history import History
h = History.open(sys.argv[1])
s = h.start_session("evolve")
i = h.add_improvement(s, "pkg.mod", "memoize@pkg.mod:f", "memoize", "p" * 64)
h.set_status(i, "testing")
os._exit(9)  # no clean-up at all, as under SIGKILL
"""


def test_a_session_whose_process_died_is_marked_killed(tmp_path: Path) -> None:
    path = tmp_path / "evolver.db"
    subprocess.run([sys.executable, "-c", _DIES, str(path)], cwd=Path(__file__).parents[2], timeout=60)
    with History.open(path) as history:
        (row,) = history.rows("sessions")
        (candidate,) = history.improvements()
        alive = history.start_session("evolve")
        assert history.end_dead_sessions() == []  # this process's own session stays running
    assert row["status"] == "killed"
    assert candidate["status"] == "interrupted" and "killed" in candidate["reason"]
    with History.open(path) as history:  # reopened while its process lives: still running
        assert {r["id"]: r["status"] for r in history.rows("sessions")}[alive] == "running"


def test_a_version_2_file_is_migrated_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "evolver.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn, MIGRATIONS[:2])
    conn.execute("INSERT INTO sessions (id, command, started_at) VALUES ('s', 'evolve', '2024-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO improvements (session_id, target, site_id, transform, parent_hash, status, "
                 "created_at, updated_at) VALUES ('s', 'm', 'memoize@m:f', 'memoize', 'p', 'testing', 't', 't')")
    conn.execute("INSERT INTO test_results (session_id, improvement_id, source_hash, passed, tests_run, failed, "
                 "duration_s, ran_at) VALUES ('s', 1, 'h', 1, 3, 0, 0.5, 't')")
    conn.close()
    with History.open(path) as history:
        assert history.schema_version == SCHEMA_VERSION
        (candidate,) = history.improvements()
        assert (candidate["id"], candidate["status"]) == (1, "testing")
        assert history.rows("test_results")[0]["improvement_id"] == 1
        history.set_status(1, "interrupted")
        with pytest.raises(sqlite3.IntegrityError):  # references are still enforced
            history.add_test_result("s", "h", True, 1, 0, 0.1, improvement_id=99)
        (session,) = history.rows("sessions")
        assert session["status"] == "running" and session["pid"] is None  # an old row: cannot tell
