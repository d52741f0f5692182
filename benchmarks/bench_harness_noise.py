"""Noise: how much do the per-pair log ratios of identical code spread, per sampling strategy?

The harness's power depends on one figure: the spread of log(candidate / parent) over pairs. This
benchmark runs A/A pairs of the ~10 ms workload of bench_harness_aa through the real sandbox
workers, with each strategy in turn (round robin, so the machine's load hits all of them alike):

- sequential: one fresh worker per side, one after the other, each timing ``--windows`` windows
  (the sample is the fastest), as the harness did before alternating windows;
- alternate: both workers alive at once, timing their windows by turns (what compare does), their
  two processes pinned to one random CPU or left to the scheduler.

It prints, per strategy, the standard deviation and the scaled median absolute deviation
(MAD x 1.4826, robust to the outliers a shared machine throws in) of the per-pair log ratios, and
what a pair costs.

    .venv/bin/python benchmarks/bench_harness_noise.py [--pairs 60] [--windows 6]
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from contextlib import ExitStack

import numpy as np
from bench_harness_aa import MachineLoad, project, target_source

from evolver.harness import Bench, alternating_pair, calibrate, new_pairs, sample
from evolver.model import Settings, source_hash
from evolver.sandbox.scratch import Scratch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=60)
    parser.add_argument("--windows", type=int, default=Settings.windows)
    args = parser.parse_args()
    load = MachineLoad()
    strategies = [("sequential", False), ("sequential", True), ("alternate", False), ("alternate", True)]
    logs: dict[tuple[str, bool], list[float]] = {s: [] for s in strategies}
    seconds: dict[tuple[str, bool], float] = dict.fromkeys(strategies, 0.0)
    base = Settings(bench="bench:run", timeout_s=120, windows=args.windows)
    with project() as target, ExitStack() as stack:
        source = target_source()
        scratches = [stack.enter_context(Scratch(target, source, base)) for _ in range(2)]
        loops = calibrate(Bench(scratches[0], base, source_hash(source)))
        rng = np.random.default_rng()
        for _ in range(args.pairs):
            for how, pinned in strategies:
                settings = dataclasses.replace(base, pin_cpu=pinned)
                a, b = (Bench(scratch, settings, source_hash(source)) for scratch in scratches)
                (seed,), (order,) = new_pairs(rng, 1)
                start = time.perf_counter()
                if how == "alternate":
                    ta, tb = alternating_pair(a, b, loops, seed, order)
                else:
                    timed = {who: sample(bench, loops, seed) for who, bench in
                             sorted((("A", a), ("B", b)), key=lambda x: order.index(x[0]))}
                    ta, tb = timed["A"], timed["B"]
                seconds[(how, pinned)] += time.perf_counter() - start
                logs[(how, pinned)].append(float(np.log(tb / ta)))
    print(f"A/A pairs of a ~10 ms workload, {loops} loops per window, {args.windows} windows per side, "
          f"{args.pairs} pairs per strategy (machine busy {load.busy_percent():.0f}% of all CPUs, "
          "this benchmark included)")
    print(f"{'strategy':>11} {'pinned':>7} {'sd':>8} {'MAD-sd':>8} {'|log| p95':>10} {'s/pair':>7}")
    for key in strategies:
        values = np.array(logs[key])
        mad = 1.4826 * float(np.median(np.abs(values - np.median(values))))
        print(f"{key[0]:>11} {key[1]!s:>7} {values.std(ddof=1):>8.4f} {mad:>8.4f} "
              f"{np.percentile(np.abs(values), 95):>10.4f} {seconds[key] / args.pairs:>7.2f}")


if __name__ == "__main__":
    main()
