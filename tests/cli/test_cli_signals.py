"""Stopping evolver: SIGTERM during a real evolve run leaves nothing half-done."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from cli_project import digest, make_project


def _testing(db: Path) -> bool:
    """Is a candidate being evaluated right now?"""
    if not db.is_file():
        return False
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM improvements WHERE status = 'testing'").fetchone()[0] > 0
    except sqlite3.Error:
        return False  # the schema is still being created


def test_sigterm_during_evolve_cleans_up(tmp_path: Path) -> None:
    module = make_project(tmp_path / "proj")
    before = digest(module.parent)
    scratch_parent = tmp_path / "tmp"  # the sandbox's scratch copies go here, and only here
    scratch_parent.mkdir()
    ws = tmp_path / "ws"
    db = ws / ".evolver" / "evolver.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "evolver.cli", "--workspace", str(ws), "evolve", str(module)],
        env={**os.environ, "TMPDIR": str(scratch_parent)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        deadline = time.monotonic() + 120
        while not _testing(db) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _testing(db), "no candidate reached evaluation"
        time.sleep(1.0)  # well inside the candidate's sandbox runs
        assert list(scratch_parent.iterdir())  # the run has scratch copies right now
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signal.SIGTERM
    assert "terminated" in err.splitlines()[-1]
    assert list(scratch_parent.iterdir()) == []
    with sqlite3.connect(db) as conn:
        sessions = conn.execute("SELECT command, status, ended_at FROM sessions").fetchall()
        candidates = conn.execute("SELECT status FROM improvements").fetchall()
    assert [(c, s) for c, s, _ in sessions] == [("evolve", "interrupted")] and sessions[0][2]
    assert candidates and all(status != "testing" for (status,) in candidates)
    assert ("interrupted",) in candidates
    assert digest(module.parent) == before
