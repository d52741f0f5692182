"""SIGKILL at random points during promote and during revert: is the target ever left partly
written, or disagreeing with the history once the next evolver start has reconciled it?

Each trial starts a fresh process that imports evolver, opens the history and waits; the benchmark
tells it to go, sleeps a random time drawn from 0 to 1.25x the operation's measured duration, and
kills it with SIGKILL. Then, as the next start would, it reconciles (``promote.reconcile``) and
checks: the file holds exactly the original or the generation's bytes; the history's live
promotion names what the file holds; the candidate's status agrees (applied / rolled back); no
intent and no temp file is left. The state right after the kill (before reconciling) is counted
too, to show what reconciliation had to settle.

    python benchmarks/bench_promote_kill.py [--trials 100] [--module-kb 64] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from evolver.generations import Generation, GenerationStore
from evolver.history import History
from evolver.model import Target, source_hash
from evolver.promote import promote, reconcile, revert

CHILD = """
import sys, time
from pathlib import Path
from evolver.generations import GenerationStore
from evolver.history import History
from evolver.promote import promote, revert
ws, op, gen_id, target = sys.argv[1:5]
history = History.open(Path(ws) / ".evolver" / "evolver.db")
gen = GenerationStore(Path(ws) / "generations").get(gen_id)
print("ready", flush=True)
sys.stdin.readline()
start = time.perf_counter()
session = history.start_session(op)
if op == "promote":
    promote(gen, history, session)
else:
    revert(Path(target), history, session, reason="kill benchmark")
print(f"done {time.perf_counter() - start:.6f}", flush=True)
"""


def make_project(folder: Path, kb: int) -> tuple[Target, Generation, bytes, bytes]:
    root = folder / "proj"
    root.mkdir()
    body = "".join(f"def f{i}(x):\n    return x * {i} + {i % 7}\n\n\n" for i in range(kb * 1024 // 40))
    original = (f'"""A module of about {kb} KB."""\n\n\n' + body).encode()
    evolved = original.replace(b"return x *", b"return x*")
    path = root / "mod.py"
    path.write_bytes(original)
    target = Target(path, root, root, "mod")
    store = GenerationStore(folder / "generations")
    gen = store.add(target, store.root_for(target, original.decode()), evolved.decode(),
                    transforms=[], measurements={})
    with History.open(folder / ".evolver" / "evolver.db") as history:
        session = history.start_session("bench")
        imp = history.add_improvement(session, "mod", "bench@mod:f", "bench", source_hash(original))
        history.set_status(imp, "testing", candidate_hash=gen.source_hash)
        history.set_status(imp, "approved")
    return target, gen, original, evolved


def state(ws: Path, target: Target, original: bytes, evolved: bytes) -> dict[str, Any]:
    """What the file and the history say, and whether they agree."""
    data = target.path.read_bytes()
    with History.open(ws / ".evolver" / "evolver.db") as history:
        live = history.last_applied(target.path)
        applied = {i["id"] for i in history.improvements() if i["status"] == "applied"}
        intents = history.intents()
    leftovers = [p.name for p in target.path.parent.iterdir() if p.name != target.path.name]
    partial = data not in (original, evolved)
    promoted = data == evolved
    live_ids = set(json.loads(live["improvement_ids_json"])) if live else set()
    agrees = (not partial and not intents and not leftovers and (live is not None) == promoted
              and (live is None or live["new_hash"] == source_hash(data)) and applied == live_ids)
    return {"partial": partial, "promoted": promoted, "agrees": agrees, "intents": len(intents),
            "leftovers": leftovers}


def run_child(ws: Path, op: str, gen: Generation, target: Target, kill_after: float | None) -> float | None:
    """Run one promote/revert in a fresh process; kill it ``kill_after`` s after "go" (None:
    let it finish and return how long the operation took inside the process)."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(ws), op, gen.id, str(target.path)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    proc.stdin.write("go\n")
    proc.stdin.flush()
    if kill_after is None:
        line = proc.stdout.readline().split()
        proc.wait()
        return float(line[1])
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return None


def set_state(ws: Path, target: Target, gen: Generation, promoted: bool) -> None:
    with History.open(ws / ".evolver" / "evolver.db") as history:
        session = history.start_session("bench-reset")
        if promoted and history.last_applied(target.path) is None:
            promote(gen, history, session)
        elif not promoted and history.last_applied(target.path) is not None:
            revert(target.path, history, session)


def trials(ws: Path, op: str, n: int, target: Target, gen: Generation, original: bytes, evolved: bytes,
           rng: random.Random) -> dict[str, Any]:
    set_state(ws, target, gen, promoted=op == "revert")
    durations = []
    for _ in range(5):
        took = run_child(ws, op, gen, target, None)
        assert took is not None
        durations.append(took)
        set_state(ws, target, gen, promoted=op == "revert")
    window = 1.25 * statistics.median(durations)
    outcome: Counter[str] = Counter()
    raw_disagree = partial = disagree = 0
    for _ in range(n):
        run_child(ws, op, gen, target, rng.uniform(0.0, window))
        raw = state(ws, target, original, evolved)
        partial += raw["partial"]
        raw_disagree += not raw["agrees"]
        outcome["interrupted (intent left)" if raw["intents"] else
                ("finished" if raw["promoted"] == (op == "promote") else "not started")] += 1
        with History.open(ws / ".evolver" / "evolver.db") as history:
            reconcile(history)
        after = state(ws, target, original, evolved)
        partial += after["partial"]
        disagree += not after["agrees"]
        if not after["agrees"]:
            print(f"  DISAGREES after reconcile: {json.dumps(after)}", file=sys.stderr)
        set_state(ws, target, gen, promoted=op == "revert")
    return {"op": op, "kills": n, "duration_ms": 1000 * statistics.median(durations),
            "outcomes": dict(outcome), "raw_disagree": raw_disagree, "partial": partial, "disagree": disagree}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100, help="kills per operation (default 100)")
    parser.add_argument("--module-kb", type=int, default=64, help="size of the module written")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; "
          f"{os.cpu_count()} CPUs; seed {seed}; module {args.module_kb} KB")
    bad = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        target, gen, original, evolved = make_project(ws, args.module_kb)
        for op in ("promote", "revert"):
            r = trials(ws, op, args.trials, target, gen, original, evolved, rng)
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))
            print(f"{op}: {r['kills']} SIGKILLs (operation takes {r['duration_ms']:.1f} ms; kill points "
                  f"0-{1.25 * r['duration_ms']:.1f} ms): {outcomes}")
            print(f"{op}: right after the kill, file and history disagreed {r['raw_disagree']} times "
                  f"(settled by reconcile on the next start)")
            print(f"{op}: left partly written {r['partial']}, disagreeing with the history after "
                  f"reconcile {r['disagree']}")
            bad += r["partial"] + r["disagree"]
    print(f"total: {bad} bad outcomes in {2 * args.trials} kills ({time.monotonic() - started:.0f} s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
