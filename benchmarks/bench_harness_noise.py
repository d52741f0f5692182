"""Noise: how much do the per-pair log ratios of identical code spread, per sampling strategy?

The harness's power depends on one figure: the spread of log(candidate / parent) over pairs. This
benchmark runs A/A pairs of the ~10 ms workload of bench_harness_aa through the real sandbox
workers, with each strategy in turn (round robin, so the machine's load hits all of them alike):

- sequential: one fresh worker per side, one after the other, each timing ``--windows`` windows
  (the sample is the fastest), as the harness did before alternating windows;
- round of 2: a parent and a candidate worker alive at once, timing their windows by turns;
- round of 5: one parent worker and four identical candidates taking turns (what a race does):
  each candidate's pair is (the shared parent's window, its own).

It prints, per strategy, the standard deviation and the scaled median absolute deviation
(MAD x 1.4826, robust to the outliers a shared machine throws in) of the per-pair log ratios, and
what a round costs per candidate.

    .venv/bin/python benchmarks/bench_harness_noise.py [--pairs 60] [--windows 6]
"""

from __future__ import annotations

import argparse
import time
from contextlib import ExitStack

import numpy as np
from bench_harness_aa import MachineLoad, project, target_source

from evolver.evaluate.workers import Bench, calibrate, run_worker, timing_round
from evolver.model import Settings, source_hash
from evolver.sandbox.scratch import Scratch

STRATEGIES = {"sequential": 1, "round of 2": 1, "round of 5": 4}  # -> candidates per round


def sequential(a: Bench, b: Bench, loops: int, seed: int, order: str) -> float:
    timed = {}
    for who in order:
        bench = a if who == "A" else b
        answer = run_worker(bench, "time", seed=seed, loops=loops, repeat=bench.settings.windows, calls=20)
        timed[who] = min((x for x in answer["per_loop_s"] if x is not None), default=np.nan)  # None: dropped
    return float(np.log(timed["B"] / timed["A"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=60)
    parser.add_argument("--windows", type=int, default=Settings.windows)
    args = parser.parse_args()
    load = MachineLoad()
    logs: dict[str, list[float]] = {s: [] for s in STRATEGIES}
    seconds: dict[str, float] = dict.fromkeys(STRATEGIES, 0.0)
    settings = Settings(bench="bench:run", timeout_s=120, windows=args.windows)
    with project() as target, ExitStack() as stack:
        source = target_source()
        benches = [Bench(stack.enter_context(Scratch(target, source, settings)), settings, source_hash(source))
                   for _ in range(5)]
        loops = calibrate(benches[0])
        rng = np.random.default_rng()
        for _ in range(args.pairs):
            for how, candidates in STRATEGIES.items():
                seed = int(rng.integers(0, 2**32))
                start = time.perf_counter()
                if how == "sequential":
                    logs[how].append(sequential(benches[0], benches[1], loops, seed, "AB" if rng.random() < 0.5
                                                else "BA"))
                else:
                    arms = benches[:candidates + 1]
                    found = timing_round(arms, loops, seed, [int(i) for i in rng.permutation(len(arms))],
                                         args.windows)
                    if 0 in found.times:  # a side whose every window waited for a CPU gives no pair
                        parent = found.times[0].per_loop_s
                        logs[how].extend(float(np.log(found.times[i].per_loop_s / parent))
                                         for i in range(1, len(arms)) if i in found.times)
                seconds[how] += (time.perf_counter() - start) / candidates
    print(f"A/A pairs of a ~10 ms workload, {loops} loops per window, {args.windows} windows per side, "
          f"{args.pairs} rounds per strategy (machine busy {load.busy_percent():.0f}% of all CPUs, "
          "this benchmark included)")
    print(f"{'strategy':>11} {'pairs':>6} {'sd':>8} {'MAD-sd':>8} {'|log| p95':>10} {'s/pair':>7}")
    for key in STRATEGIES:
        values = np.array(logs[key])
        values = values[np.isfinite(values)]  # a dropped side gives no pair
        mad = 1.4826 * float(np.median(np.abs(values - np.median(values))))
        print(f"{key:>11} {len(values):>6} {values.std(ddof=1):>8.4f} {mad:>8.4f} "
              f"{np.percentile(np.abs(values), 95):>10.4f} {seconds[key] / args.pairs:>7.2f}")


if __name__ == "__main__":
    main()
