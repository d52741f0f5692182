"""Power: how often does the harness accept a candidate with a real, known speedup?

The candidate does 10% (or 5%) less of the same work as the parent (a shorter loop in a ~10 ms
workload), so the speedup is real by construction. Each trial is one comparison as evolve runs
it. Acceptance: a 10% speedup accepted in at least 95% of 40 trials, a 5% one in at least 80%.
The summary gives each rate with its 95% Clopper-Pearson interval.

    flock /work/team/heavy.lock .venv/bin/python benchmarks/bench_harness_power.py [--trials 40] [--effects 10 5]

A series too long for one hold of the shared lock is split: ``--json FILE`` keeps every trial
(with the machine's load) and a later run with the same file adds trials until each effect has
``--trials``; ``--minutes M`` stops starting trials after M minutes; ``--lock PATH`` takes that
flock for the run (the trials only, not the summary).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench_harness_aa import HEADER, MachineLoad, line, project, run_comparison, target_source
from scipy.stats import binomtest

TARGETS = {10.0: 95.0, 5.0: 80.0}  # speedup % -> acceptance rate % wanted


class Series:
    """The trials of each effect, kept in a JSON file (when given) across runs of one rule."""

    def __init__(self, path: Path | None, *, max_pairs: int) -> None:
        self.path, self.max_pairs = path, max_pairs
        found = json.loads(path.read_text()) if path is not None and path.exists() else {"effects": {}}
        if found["effects"] and found.get("max_pairs") != max_pairs:
            raise SystemExit(f"{path} holds trials with max {found.get('max_pairs')} pairs, not {max_pairs}")
        self.effects: dict[str, list[dict[str, Any]]] = found["effects"]

    def trials(self, effect: float) -> list[dict[str, Any]]:
        return self.effects.setdefault(f"{effect:g}", [])

    def add(self, effect: float, verdict: str, pairs: int, ratio: float, seconds: float) -> None:
        self.trials(effect).append({"verdict": verdict, "pairs": pairs, "ratio": ratio, "seconds": seconds,
                                    "load": os.getloadavg()[0], "at": time.strftime("%H:%M:%S")})
        if self.path is not None:
            self.path.write_text(json.dumps({"max_pairs": self.max_pairs, "effects": self.effects}, indent=0))


@contextmanager
def held(lock: str | None) -> Iterator[None]:
    if lock is None:
        yield
        return
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def summary_line(effect: float, trials: list[dict[str, Any]]) -> str:
    accepted = sum(t["verdict"] == "faster" for t in trials)
    interval = binomtest(accepted, len(trials)).proportion_ci(0.95)
    wanted = TARGETS.get(effect)
    goal = f" (acceptance: at least {wanted:g}%)" if wanted else ""
    loads = [t["load"] for t in trials]
    return (f"  {effect:g}% speedup: accepted {accepted}/{len(trials)} = {100 * accepted / len(trials):.0f}% "
            f"(95% CI {100 * interval.low:.1f}-{100 * interval.high:.1f}%){goal}; "
            f"median ratio {statistics.median(t['ratio'] for t in trials):.3f} (true {1 - effect / 100:.3f}); "
            f"pairs median {statistics.median(t['pairs'] for t in trials):g}; "
            f"time median {statistics.median(t['seconds'] for t in trials):.1f} s, "
            f"worst {max(t['seconds'] for t in trials):.1f} s; "
            f"load {min(loads):.1f}-{max(loads):.1f}, median {statistics.median(loads):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40, help="trials wanted per effect (kept ones count)")
    parser.add_argument("--effects", type=float, nargs="+", default=[10.0, 5.0], help="speedups, in %%")
    parser.add_argument("--max-pairs", type=int, default=40)
    parser.add_argument("--json", type=Path, default=None, help="keep the trials here; trials already in it count")
    parser.add_argument("--minutes", type=float, default=None, help="start no trial after this many minutes")
    parser.add_argument("--lock", default=None, help="take this flock while the trials run")
    args = parser.parse_args()
    series = Series(args.json, max_pairs=args.max_pairs)
    needed = any(len(series.trials(effect)) < args.trials for effect in args.effects)
    with held(args.lock if needed else None), project() as target:
        started = time.perf_counter()  # the minutes (and this run's load) count from the lock, not the wait
        load, load_before = MachineLoad(), os.getloadavg()[0]
        parent = target_source()
        for effect in args.effects:
            kept = series.trials(effect)
            out_of_time = args.minutes is not None and time.perf_counter() - started > 60 * args.minutes
            if len(kept) >= args.trials or out_of_time:
                continue
            candidate = target_source(1 - effect / 100)
            print(f"\n{effect:g}% less work, {args.trials} trials ({len(kept)} kept), max {args.max_pairs} pairs"
                  f"\n{HEADER}")
            while len(kept) < args.trials:
                if args.minutes is not None and time.perf_counter() - started > 60 * args.minutes:
                    break
                result, seconds = run_comparison(target, parent, candidate, max_pairs=args.max_pairs)
                series.add(effect, result.verdict, result.pairs, result.ratio, seconds)
                print(line(len(kept), result, seconds) + f"  load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"\npower, max {args.max_pairs} pairs (this run: load {load_before:.1f}->{os.getloadavg()[0]:.1f}; "
          f"machine busy {load.busy_percent():.0f}% of all CPUs, this benchmark included):")
    for effect in args.effects:
        if series.trials(effect):
            print(summary_line(effect, series.trials(effect)))


if __name__ == "__main__":
    main()
