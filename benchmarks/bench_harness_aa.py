"""A/A: how often does the harness call a module "faster" than an identical copy of itself?

Each trial compares a ~10 ms CPU-bound workload against a byte-identical copy, with the same
method evolve uses (a race of one: fresh workers per round taking turns, looks at 4/6/10/20/40 pairs,
Wilcoxon p < 0.01 split over the decision looks, the signed-rank interval beyond the 3% minimum
effect). Prints each verdict and the false acceptance rate with its 95% upper bound (acceptance:
at most 1%).

    flock /work/team/heavy.lock .venv/bin/python benchmarks/bench_harness_aa.py [--trials 100] [--max-pairs 40]

About 300 trials are needed before 0 false acceptances bound the rate at 1% (95% upper bound
3/n): at ~5 s a trial that is too long to hold a shared lock, so ``--json FILE`` keeps every trial
(with the machine's load) and a later run with the same file adds its trials to them; the summary
is over all of them. ``--minutes M`` stops starting trials after M minutes.

The other harness benchmarks import the project and machine helpers from here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from scipy.stats import binomtest

from evolver.evaluate.timing import compare
from evolver.evaluate.workers import Bench
from evolver.model import Comparison, Settings, Target, source_hash
from evolver.sandbox.scratch import Scratch

UNITS = 230_000  # about 10 ms per workload call on this machine when it is quiet
TARGET_SOURCE = '''"""The benchmarked module: one loop, its length the amount of work."""

UNITS = {units}


def work():
    total = 0
    for i in range(UNITS):
        total += i * i % 7
    return total
'''
BENCH_SOURCE = "import target\n\n\ndef run():\n    return target.work()\n"
ALPHA, MIN_EFFECT = 0.01, 0.03


def target_source(work_fraction: float = 1.0) -> str:
    """The module doing ``work_fraction`` of the reference work (0.9: a real 10% speedup)."""
    return TARGET_SOURCE.format(units=round(UNITS * work_fraction))


@contextmanager
def project() -> Iterator[Target]:
    with tempfile.TemporaryDirectory(prefix="bench-harness-") as tmp:
        root = Path(tmp, "proj")
        root.mkdir()
        (root / "pyproject.toml").write_text('[tool.evolver]\nbench = "bench:run"\n')
        (root / "target.py").write_text(target_source())
        (root / "bench.py").write_text(BENCH_SOURCE)
        yield Target(path=root / "target.py", root=root, import_root=root, module="target")


def run_comparison(target: Target, parent_source: str, candidate_source: str, *, max_pairs: int,
                   memory: bool | None = None, instructions: bool = False) -> tuple[Comparison, float]:
    """One comparison as evolve runs it (fresh benches, fresh calibration); its wall time."""
    settings = Settings(bench="bench:run", max_pairs=max_pairs, instructions=instructions, timeout_s=120)
    with ExitStack() as stack:
        parent, candidate = (Bench(stack.enter_context(Scratch(target, source, settings)), settings,
                                   source_hash(source)) for source in (parent_source, candidate_source))
        start = time.perf_counter()
        result = compare(parent, candidate, alpha=ALPHA, min_effect=MIN_EFFECT, memory=memory)
        return result, time.perf_counter() - start


class MachineLoad:
    """Share of both CPUs busy (all processes, this benchmark's included) between two readings."""

    def __init__(self) -> None:
        self.start = self._read()

    @staticmethod
    def _read() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        return sum(values) - values[3] - values[4], sum(values)

    def busy_percent(self) -> float:
        busy, total = self._read()
        return 100.0 * (busy - self.start[0]) / max(1, total - self.start[1])


def line(k: int, result: Comparison, seconds: float) -> str:
    return (f"{k:>4} {result.verdict:<26}{result.pairs:>6}{result.ratio:>8.3f}"
            f"  [{result.ci_low:.3f}, {result.ci_high:.3f}]  p={result.p_value:<9.2g}{seconds:>7.1f} s")


HEADER = f"{'#':>4} {'verdict':<26}{'pairs':>6}{'ratio':>8}  {'95% CI':<16}  {'p':<11}{'time':>7}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--max-pairs", type=int, default=40)
    parser.add_argument("--json", type=Path, default=None, help="keep the trials here; trials already in it count")
    parser.add_argument("--minutes", type=float, default=None, help="start no trial after this many minutes")
    args = parser.parse_args()
    kept = Trials(args.json, max_pairs=args.max_pairs)
    load = MachineLoad()
    started = time.perf_counter()
    print(f"{len(kept.trials)} trials kept from earlier runs" if kept.trials else "", HEADER, sep="\n")
    settings = Settings(bench="bench:run", max_pairs=args.max_pairs, timeout_s=120)
    with project() as target, ExitStack() as stack:
        source = target_source()
        # one scratch copy per side for every trial, and the parent's timing loops calibrated once,
        # as evolve serves every candidate of a cycle; each trial is still a race of its own: fresh
        # workers in every round under its own hash seeds, its own looks and decision
        parent, candidate = (Bench(stack.enter_context(Scratch(target, source, settings)), settings,
                                   source_hash(source)) for _ in range(2))
        for _ in range(args.trials):
            if args.minutes is not None and time.perf_counter() - started > 60 * args.minutes:
                break
            start = time.perf_counter()
            result = compare(parent, candidate, alpha=ALPHA, min_effect=MIN_EFFECT)
            seconds = time.perf_counter() - start
            kept.add(result, seconds)
            print(line(len(kept.trials), result, seconds) + f"  load {os.getloadavg()[0]:.1f}", flush=True)
    trials = kept.trials
    verdicts = [t["verdict"] for t in trials]
    accepted = verdicts.count("faster")
    upper = binomtest(accepted, len(verdicts)).proportion_ci(0.95).high
    loads = [t["load"] for t in trials]
    print(f"\nA/A, {len(verdicts)} comparisons of identical code, max {args.max_pairs} pairs "
          f"(load {min(loads):.1f}-{max(loads):.1f}, median {statistics.median(loads):.1f}):")
    print(f"  false acceptances ('faster'): {accepted} = {100 * accepted / len(verdicts):.1f}% "
          f"(95% upper bound {100 * upper:.2f}%; acceptance: at most 1%)")
    print(f"  'slower': {verdicts.count('slower')}, 'no significant difference': "
          f"{verdicts.count('no significant difference')}")
    times, pairs = [t["seconds"] for t in trials], [t["pairs"] for t in trials]
    print(f"  pairs used: median {statistics.median(pairs):g}, max {max(pairs)}; time per comparison: "
          f"median {statistics.median(times):.1f} s, worst {max(times):.1f} s, total {sum(times) / 60:.1f} min")
    print(f"  machine busy during this run: {load.busy_percent():.0f}% of all CPUs (this benchmark included)")


class Trials:
    """The trials of an A/A series, kept in a JSON file (when given) across runs of one rule."""

    def __init__(self, path: Path | None, *, max_pairs: int) -> None:
        self.path, self.max_pairs = path, max_pairs
        found = json.loads(path.read_text()) if path is not None and path.exists() else {"trials": []}
        if found["trials"] and found.get("max_pairs") != max_pairs:
            raise SystemExit(f"{path} holds trials with max {found.get('max_pairs')} pairs, not {max_pairs}")
        self.trials: list[dict[str, Any]] = found["trials"]

    def add(self, result: Comparison, seconds: float) -> None:
        self.trials.append({"verdict": result.verdict, "pairs": result.pairs, "ratio": result.ratio,
                            "ci": [result.ci_low, result.ci_high], "p": result.p_value, "seconds": seconds,
                            "load": os.getloadavg()[0], "at": time.strftime("%H:%M:%S")})
        if self.path is not None:
            self.path.write_text(json.dumps({"max_pairs": self.max_pairs, "trials": self.trials}, indent=0))


if __name__ == "__main__":
    main()
