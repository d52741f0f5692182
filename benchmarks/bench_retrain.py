"""Wall time of `evolver retrain` on a history of 10,000 decided candidates (goal: under 10 s).

The rows are SYNTHETIC: drawn from a planted model (success depends on the transform kind and
on two site features, gain on the profile share), spread over 40 made-up targets. They measure
the cost of retraining and show that cross-validation recovers a planted signal; the CV figures
say nothing about how well the predictor does on real histories.

    .venv/bin/python benchmarks/bench_retrain.py [rows]
"""

from __future__ import annotations

import json
import math
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from evolver.history import History, utc_now
from evolver.predictor import load, retrain

ROWS = 10_000
TARGETS = 40
KINDS = ("memoize", "thread-pool", "retry")
BASE_LOGIT = {"memoize": 0.3, "thread-pool": -0.2, "retry": -0.8}


def synthetic_row(rng: np.random.Generator, session: str, i: int) -> tuple:
    kind = KINDS[int(rng.integers(len(KINDS)))]
    features = {"loc": int(rng.integers(3, 120)), "complexity": int(rng.integers(1, 15)),
                "loop_depth": int(rng.integers(0, 3)), "recursive": bool(rng.random() < 0.2),
                "call_sites": int(rng.integers(0, 8)), "profile_share": float(rng.beta(1, 4)),
                "profile_calls": int(rng.integers(1, 10_000))}
    logit = BASE_LOGIT[kind] + 1.5 * features["recursive"] - 0.1 * features["complexity"]
    won = rng.random() < 1 / (1 + math.exp(-logit))
    measured = won or rng.random() < 0.5
    gain = -math.log(1 - features["profile_share"] * rng.uniform(0.3, 1.0)) if won else rng.normal(0, 0.01)
    now = utc_now()
    return (session, f"synthetic_mod{i % TARGETS}", f"{kind}@synthetic:f{i}", kind, "0" * 64,
            "approved" if won else ("rejected" if measured else "failed"),
            math.exp(-gain) if measured else None, json.dumps(features), now, now)


def fill(db: Path, rows: int) -> None:
    """Write the synthetic rows straight into the history file: 10,000 API transactions would
    time SQLite, not retrain."""
    with History.open(db) as history:
        session = history.start_session("bench-retrain (synthetic)")
    rng = np.random.default_rng(0)
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO improvements (session_id, target, site_id, transform, parent_hash, status, "
            "ratio, features_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [synthetic_row(rng, session, i) for i in range(rows)])
    conn.close()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    with tempfile.TemporaryDirectory() as tmp:
        db, state = Path(tmp) / "evolver.db", Path(tmp) / ".evolver"
        fill(db, rows)
        with History.open(db) as history:
            start = time.perf_counter()
            summary = retrain(history, state)
            wall = time.perf_counter() - start
        start = time.perf_counter()
        predictor = load(state)
        load_s = time.perf_counter() - start
        size_mb = Path(summary["path"]).stat().st_size / 1e6
    cv = summary["cv"]
    print(f"SYNTHETIC history: {summary['rows']} decided rows, {summary['measured']} measured, "
          f"{summary['targets']} targets (planted signal; timing only)")
    print(f"retrain wall time: {wall:.2f} s (goal < 10 s); load + refit: {load_s:.2f} s; file {size_mb:.1f} MB")
    print(f"success ROC AUC {cv['auc']} ({cv['auc_folds']} folds by {cv['auc_split']}), "
          f"per-transform rate alone {cv['baseline_auc']}")
    print(f"gain Spearman rho {cv['spearman']} ({cv['gain_folds']} folds by {cv['gain_split']})")
    print(f"models learned: success={predictor.success_model is not None}, gain={predictor.gain_model is not None}")


if __name__ == "__main__":
    main()
