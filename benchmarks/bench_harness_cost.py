"""Cost: wall time from "compare these two" to a verdict, for a ~10 ms workload.

Runs comparisons as evolve runs them (calibration, timing pairs, and the memory pairs a faster
candidate gets) for three kinds of candidate: identical, 10% less work, half the work. Prints the
median and worst time to a verdict of each kind and overall; ``--instructions`` adds one
comparison with valgrind instruction counts to show what that optional signal costs.

    .venv/bin/python benchmarks/bench_harness_cost.py [--trials 10] [--max-pairs 40] [--instructions]
"""

from __future__ import annotations

import argparse
import statistics

from bench_harness_aa import HEADER, MachineLoad, line, project, run_comparison, target_source

KINDS = {"identical": 1.0, "10% less work": 0.9, "half the work": 0.5}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10, help="comparisons of each kind")
    parser.add_argument("--max-pairs", type=int, default=40)
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()
    load = MachineLoad()
    times: dict[str, list[float]] = {}
    with project() as target:
        parent = target_source()
        for kind, fraction in KINDS.items():
            print(f"\n{kind}\n{HEADER}")
            times[kind] = []
            for k in range(1, args.trials + 1):
                result, seconds = run_comparison(target, parent, target_source(fraction), max_pairs=args.max_pairs)
                times[kind].append(seconds)
                print(line(k, result, seconds), flush=True)
        if args.instructions:
            result, seconds = run_comparison(target, parent, target_source(0.9), max_pairs=args.max_pairs,
                                             instructions=True)
            print(f"\nwith instruction counts: {seconds:.1f} s in all; {result.extra['instructions']}")
    print(f"\ntime to a verdict, ~10 ms workload, max {args.max_pairs} pairs "
          f"(machine busy {load.busy_percent():.0f}% of all CPUs, this benchmark included):")
    every = [s for kind_times in times.values() for s in kind_times]
    for kind, kind_times in [*times.items(), ("all", every)]:
        print(f"  {kind:<14} median {statistics.median(kind_times):6.1f} s   worst {max(kind_times):6.1f} s")


if __name__ == "__main__":
    main()
