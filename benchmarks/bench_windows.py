"""Windows per side for a long workload: one timing window, or the fastest of two?

``workers.windows_for`` times a version ``settings.windows`` times per round when one window is
short, and fewer when it is long, down to one. This benchmark checks that choice on a real sample
whose workload call is long (the integrator's: about 0.6 s): A/A rounds of the parent against
``--arms`` identical copies, each copy's pair being (the parent's sample, its own), with one window
per side and with two, interleaved round by round so the machine's load hits both alike. It prints,
per choice, the standard deviation of the per-pair log ratios, the wall time of a round per pair,
and the efficiency 1 / (variance x seconds per pair): the pairs a second of racing buys, weighted by
their precision. Pairs of one round share the parent's window, so read the spread over many rounds.

    flock /work/team/heavy.lock .venv/bin/python benchmarks/bench_windows.py [--rounds 16] [--arms 3]
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from bench_harness_aa import MachineLoad

from evolver.config import load_settings, resolve_target
from evolver.evaluate import workers
from evolver.evaluate.evaluator import measure_parent
from evolver.evaluate.resources import Resources

SAMPLE = Path(__file__).resolve().parents[1] / "targets" / "integrator"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="a sample folder (default: the integrator)")
    parser.add_argument("--module", default=None, help="its module file (default: <folder name>.py)")
    parser.add_argument("--rounds", type=int, default=16, help="rounds per choice (default 16)")
    parser.add_argument("--arms", type=int, default=3, help="copies racing the parent in a round (default 3)")
    args = parser.parse_args()
    load = MachineLoad()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (1 min) before")
    with tempfile.TemporaryDirectory(prefix="bench-windows-") as tmp:
        folder = Path(tmp) / args.sample.name
        shutil.copytree(args.sample, folder)
        target = resolve_target(folder / (args.module or f"{args.sample.name}.py"))
        settings = load_settings(target)
        rng = np.random.default_rng(1)
        with Resources(target, settings) as resources:
            parent = resources.version(target.path.read_text(encoding="utf-8"))
            measure_parent(resources, parent)
            loops = workers.calibrate(parent.bench)
            print(f"{target.module}: {loops} call(s) a window of {parent.bench.window_s:.3f} s; windows_for "
                  f"chooses {workers.windows_for(parent.bench)}")
            copies = [resources.spare(parent) for _ in range(args.arms)]
            for bench in copies:
                bench.loops, bench.window_s = parent.bench.loops, parent.bench.window_s
            benches = [parent.bench, *copies]
            logs: dict[int, list[float]] = {1: [], 2: []}
            seconds = {1: 0.0, 2: 0.0}
            for k in range(args.rounds):
                for windows in ((1, 2) if k % 2 == 0 else (2, 1)):
                    seed = int(rng.integers(0, 2**32))
                    order = [int(i) for i in rng.permutation(len(benches))]
                    start = time.monotonic()
                    found = workers.timing_round(benches, loops, seed, order, windows)
                    seconds[windows] += time.monotonic() - start
                    base = found.times.get(0)
                    if base is None:
                        continue
                    logs[windows] += [math.log(found.times[i].per_loop_s / base.per_loop_s)
                                      for i in range(1, len(benches)) if i in found.times]
    for windows, values in logs.items():
        sd = statistics.stdev(values)
        per_pair = seconds[windows] / len(values)
        print(f"{windows} window{'s' if windows > 1 else ''} a side: {len(values)} pairs, sd of log ratio {sd:.4f}, "
              f"mean {statistics.mean(values):+.4f}, {per_pair:.2f} s of rounds per pair, "
              f"efficiency {1 / (sd * sd * per_pair):.0f}")
    print(f"both CPUs {load.busy_percent():.0f}% busy during the run; load average {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
