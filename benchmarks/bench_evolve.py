"""Whole evolve runs on the bundled samples: wall time, candidates judged and screened out, and
candidates judged per minute; before/after tables from saved runs.

Each sample (``targets/<name>``) is copied to a temp dir with a fresh workspace, then evolved by a
small driver in a subprocess that imports evolver from ``--checkout`` (default: this repo), so an
older checkout (``git archive <commit> | tar -x -C DIR``) can be measured the same way. The driver
calls ``evolver.evolve.evolve`` as the CLI does and counts the progress events: ``outcome`` (a
candidate judged: approved, rejected or failed; not one "interrupted" before its verdict) and
``skipped`` (screened out before measuring).

    flock /work/team/heavy.lock .venv/bin/python benchmarks/bench_evolve.py [--samples integrator ...]
    .venv/bin/python benchmarks/bench_evolve.py --lock /work/team/heavy.lock --json after.json
    .venv/bin/python benchmarks/bench_evolve.py --table before.json after.json

``--lock PATH`` takes the lock around each sample's run instead of the whole benchmark (so a long
series never holds it for long); ``--budget S`` passes ``--budget`` to every run (the rate of
candidates per minute of a budgeted run is still a fair rate). Prints the machine's load (1-minute
load average before and after, and the share of both CPUs busy during each run).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLES = ("integrator", "inventory", "logparse", "pricing", "reports", "routes", "simulation", "tasklog",
           "textstats")

DRIVER = r'''
import json, sys, time
from pathlib import Path
start = time.perf_counter()
import evolver
from evolver.config import load_settings, resolve_target
from evolver.evolve import evolve
from evolver.history import History

module, workspace, budget = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
events = {"outcome": 0, "skipped": 0, "first_verdict_s": None, "statuses": {}, "verdicts": []}

def notify(event, **data):
    if event == "outcome":
        events["statuses"][data["status"]] = events["statuses"].get(data["status"], 0) + 1
        events["verdicts"].append({"site": data.get("site"), "status": data["status"],
                                   "reason": str(data.get("reason", ""))[:300],
                                   "at_s": round(time.perf_counter() - start, 1)})
        if data["status"] == "interrupted":  # stopped before a verdict (the budget ran out): not judged
            return
        events["outcome"] += 1
        if events["first_verdict_s"] is None:
            events["first_verdict_s"] = time.perf_counter() - start
    elif event == "skipped":
        events["skipped"] += 1

target = resolve_target(module)
settings = load_settings(target, {"budget_s": float(budget)} if budget else None)
with History.open(workspace / ".evolver" / "evolver.db") as history:
    result = evolve(target, settings, workspace, history, notify)
overall = result.overall
print(json.dumps({
    "evolver": evolver.__file__, "wall_s": time.perf_counter() - start, "judged": events["outcome"],
    "screened": events["skipped"], "statuses": events["statuses"], "verdicts": events["verdicts"],
    "first_verdict_s": events["first_verdict_s"], "generations": len(result.generations),
    "stop_reason": result.stop_reason,
    "speedup": None if overall is None else overall.speedup,
    "ci": None if overall is None else [1 / overall.ci_high, 1 / overall.ci_low],
    "verdict": None if overall is None else overall.verdict}))
'''


class MachineLoad:
    """Share of both CPUs busy (all processes, this run's included) between two readings."""

    def __init__(self) -> None:
        self.start = self._read()
        self.load_before = os.getloadavg()[0]

    @staticmethod
    def _read() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        return sum(values) - values[3] - values[4], sum(values)

    def figures(self) -> dict[str, float]:
        busy, total = self._read()
        return {"busy_percent": 100.0 * (busy - self.start[0]) / max(1, total - self.start[1]),
                "load_before": self.load_before, "load_after": os.getloadavg()[0]}


@contextmanager
def held(lock: str | None) -> Iterator[float]:
    """The heavy lock (when given) around one run; yields the seconds spent waiting for it."""
    if lock is None:
        yield 0.0
        return
    with open(lock, "a") as handle:
        start = time.perf_counter()
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield time.perf_counter() - start
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_sample(name: str, checkout: Path, budget: float | None, lock: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-evolve-") as tmp:
        project = Path(tmp) / name
        shutil.copytree(REPO / "targets" / name, project,
                        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "generations", ".evolver"))
        workspace = Path(tmp) / "ws"
        workspace.mkdir()
        env = dict(os.environ, PYTHONPATH=str(checkout))
        with held(lock) as waited:
            started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            load = MachineLoad()
            start = time.perf_counter()
            run = subprocess.run([sys.executable, "-c", DRIVER, str(project / f"{name}.py"), str(workspace),
                                  "" if budget is None else str(budget)],
                                 capture_output=True, text=True, env=env, cwd=tmp)
            wall = time.perf_counter() - start
            figures = load.figures()
    if run.returncode != 0:
        tail = (run.stderr.strip().splitlines() or ["no output"])[-1]
        return {"sample": name, "error": tail, "wall_s": wall, "started": started, **figures}
    found = json.loads(run.stdout.strip().splitlines()[-1])
    found.update(sample=name, wall_s=wall, lock_wait_s=waited, started=started, **figures)
    return found


def commit_of(checkout: Path) -> str | None:
    """The checked-out commit when ``checkout`` is a git work tree (an extracted archive is not)."""
    run = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    inside = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if run.returncode != 0 or Path(inside.stdout.strip()).resolve() != checkout.resolve():
        return None
    return run.stdout.strip()


def per_minute(judged: int, wall_s: float) -> float:
    return judged / (wall_s / 60) if wall_s > 0 else 0.0


def show_run(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"{r['sample']:<11} error: {r['error']}"
    speed = "" if r.get("speedup") is None else f"{r['speedup']:.2f}x ({r['ci'][0]:.2f}-{r['ci'][1]:.2f})"
    first = "-" if r.get("first_verdict_s") is None else f"{r['first_verdict_s']:.0f}"
    return (f"{r['sample']:<11}{r['wall_s']:>8.0f}{r['judged']:>7}{r['screened']:>9}"
            f"{per_minute(r['judged'], r['wall_s']):>9.2f}{first:>7}{r['generations']:>5}  {speed:<20}"
            f"load {r['load_before']:.1f}->{r['load_after']:.1f}, busy {r['busy_percent']:.0f}%"
            f"  ({r['stop_reason']})")


HEADER = (f"{'sample':<11}{'wall s':>8}{'judged':>7}{'screened':>9}{'per min':>9}{'1st s':>7}{'gens':>5}"
          f"  {'final vs original':<20}machine")


def totals(runs: list[dict[str, Any]]) -> tuple[int, float]:
    ok = [r for r in runs if "error" not in r]
    return sum(r["judged"] for r in ok), sum(r["wall_s"] for r in ok)


def load_of(r: dict[str, Any]) -> str:
    return f"{r['load_before']:.1f}->{r['load_after']:.1f}" if "load_before" in r else "?"


def table(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
    by_before = {r["sample"]: r for r in before}
    print(f"{'sample':<11}{'before: wall s':>15}{'judged':>7}{'screened':>9}{'per min':>9}{'load':>11}"
          f"{'after: wall s':>15}{'judged':>7}{'screened':>9}{'per min':>9}{'load':>11}{'x':>7}")
    for r in after:
        b = by_before.get(r["sample"])
        if b is None or "error" in b or "error" in r:
            print(f"{r['sample']:<11}  (missing or failed run)")
            continue
        pb, pa = per_minute(b["judged"], b["wall_s"]), per_minute(r["judged"], r["wall_s"])
        print(f"{r['sample']:<11}{b['wall_s']:>15.0f}{b['judged']:>7}{b['screened']:>9}{pb:>9.2f}{load_of(b):>11}"
              f"{r['wall_s']:>15.0f}{r['judged']:>7}{r['screened']:>9}{pa:>9.2f}{load_of(r):>11}"
              f"{pa / pb if pb else 0:>7.1f}")
    common = [r["sample"] for r in after if r["sample"] in by_before]
    jb, wb = totals([by_before[s] for s in common])
    ja, wa = totals([r for r in after if r["sample"] in common])
    rate_b, rate_a = per_minute(jb, wb), per_minute(ja, wa)
    print(f"overall: before {jb} judged in {wb / 60:.1f} min = {rate_b:.2f}/min; after {ja} judged in "
          f"{wa / 60:.1f} min = {rate_a:.2f}/min; {rate_a / rate_b if rate_b else 0:.1f}x (acceptance: at least 4x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", nargs="+", default=list(SAMPLES))
    parser.add_argument("--checkout", type=Path, default=REPO, help="the evolver source tree to run")
    parser.add_argument("--budget", type=float, default=None, help="--budget for every run, seconds")
    parser.add_argument("--lock", default=None, help="take this flock around each sample's run")
    parser.add_argument("--label", default=None,
                        help="what the checkout is (e.g. its commit), kept with each run in --json")
    parser.add_argument("--json", type=Path, default=None, help="append each run's figures to this file")
    parser.add_argument("--table", nargs=2, type=Path, metavar=("BEFORE", "AFTER"),
                        help="print the before/after table of two --json files and exit")
    args = parser.parse_args()
    if args.table:
        before, after = (json.loads(p.read_text()) for p in args.table)
        table(before, after)
        return
    runs: list[dict[str, Any]] = json.loads(args.json.read_text()) if args.json and args.json.exists() else []
    print(f"evolver from {args.checkout}\n{HEADER}", flush=True)
    for name in args.samples:
        found = run_sample(name, args.checkout.resolve(), args.budget, args.lock)
        found["checkout"] = str(args.checkout)
        found["label"] = args.label or commit_of(args.checkout)
        runs = [r for r in runs if r.get("sample") != name] + [found]
        if args.json:
            args.json.write_text(json.dumps(runs, indent=1))
        print(show_run(found), flush=True)
    judged, wall = totals([r for r in runs if r["sample"] in args.samples])
    print(f"overall: {judged} candidates judged in {wall / 60:.1f} min = {per_minute(judged, wall):.2f} per minute")


if __name__ == "__main__":
    main()
