"""Power: how often does the harness accept a candidate with a real, known speedup?

The candidate does 10% (or 5%) less of the same work as the parent (a shorter loop in a ~10 ms
workload), so the speedup is real by construction. Each trial is one comparison as evolve runs
it. Acceptance: a 10% speedup accepted in at least 95% of 40 trials, a 5% one in at least 80%.

    flock /work/team/heavy.lock .venv/bin/python benchmarks/bench_harness_power.py [--trials 40] [--effects 10 5]
"""

from __future__ import annotations

import argparse
import os
import statistics

from bench_harness_aa import HEADER, MachineLoad, line, project, run_comparison, target_source

TARGETS = {10.0: 95.0, 5.0: 80.0}  # speedup % -> acceptance rate % wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--effects", type=float, nargs="+", default=[10.0, 5.0], help="speedups, in %%")
    parser.add_argument("--max-pairs", type=int, default=40)
    args = parser.parse_args()
    load = MachineLoad()
    load_before = os.getloadavg()[0]
    summary = []
    with project() as target:
        parent = target_source()
        for effect in args.effects:
            candidate = target_source(1 - effect / 100)
            print(f"\n{effect:g}% less work, {args.trials} trials, max {args.max_pairs} pairs\n{HEADER}")
            results = []
            for k in range(1, args.trials + 1):
                result, seconds = run_comparison(target, parent, candidate, max_pairs=args.max_pairs)
                results.append((result, seconds))
                print(line(k, result, seconds) + f"  load {os.getloadavg()[0]:.1f}", flush=True)
            summary.append((effect, results))
    print(f"\npower, max {args.max_pairs} pairs (load {load_before:.1f}->{os.getloadavg()[0]:.1f}; machine busy "
          f"{load.busy_percent():.0f}% of all CPUs, this benchmark included):")
    for effect, results in summary:
        accepted = sum(r.verdict == "faster" for r, _ in results)
        wanted = TARGETS.get(effect)
        goal = f" (acceptance: at least {wanted:g}%)" if wanted else ""
        ratios = [r.ratio for r, _ in results]
        print(f"  {effect:g}% speedup: accepted {accepted}/{len(results)} = {100 * accepted / len(results):.0f}%"
              f"{goal}; median ratio {statistics.median(ratios):.3f} (true {1 - effect / 100:.3f}); "
              f"pairs median {statistics.median(r.pairs for r, _ in results):g}; "
              f"time median {statistics.median(s for _, s in results):.1f} s, worst {max(s for _, s in results):.1f} s")


if __name__ == "__main__":
    main()
