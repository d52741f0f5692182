"""`evolver watch` stops cleanly on SIGTERM / Ctrl-C: between steps, no scratch folder left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fibproject import make_fib_project

from evolver.history import History


def test_watch_with_a_missing_target_is_a_one_line_error(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "evolver.cli", "--workspace", str(tmp_path), "watch",
                          str(tmp_path / "nope.py")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stderr.strip().count("\n") == 0 and "no such file" in run.stderr


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_evolve_stops_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    path = make_fib_project(tmp_path / "proj")
    original = path.read_bytes()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "evolver.cli", "--workspace", str(tmp_path / "ws"), "watch",
                             str(path), "--max-cycles", "3", "--interval", "0"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith("evolver-scratch-") for p in scratch.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 128 + sig, err  # 143 SIGTERM, 130 Ctrl-C, as for every command
    assert f"watch ended: {sig.name} received" in out
    assert list(scratch.iterdir()) == []  # no scratch folder, no worker io folder left
    assert path.read_bytes() == original
    with History.open(tmp_path / "ws" / ".evolver" / "evolver.db") as history:
        assert history.intents() == []
        # a stop is no refusal: the runs it cut short end "interrupted" (or "ok" between steps)
        assert {r["status"] for r in history.rows("sessions")} <= {"ok", "interrupted"}, history.rows("sessions")
