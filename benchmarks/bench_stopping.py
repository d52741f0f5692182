"""The race's stopping rule on synthetic pairs: how often a candidate of known true ratio is called
faster, and how many pairs it costs, with the futility interval alone and with the projection
(``stats.promise``) as well.

Each trial draws ``--max-pairs`` per-pair log ratios (the true log ratio plus noise) and looks at
them as the race does (``stats.plan_looks`` for ``--candidates`` raced, ``stats.verdict_at``). The
noise shapes: normal with the spread of real pairs (the integrator sample's pairs have a standard
deviation of 0.03-0.07 on this machine), Student's t with 3 degrees of freedom (heavy tails),
"jolts" (a fifth of the pairs moved by +-30%, a machine whose speed changes under load) and "wild"
(15% of the pairs with a spread of 30% more, as in a noisy power run). Both rules
see the same draws. The machine's load is printed: it changes the run time, not the figures.

With ``--real EFFECT`` the pairs are real: the power benchmark's candidate with EFFECT % less work,
timed against its parent to ``--max-pairs`` pairs with no early stop, then both rules read the same
pairs (a comparison of the rules that the machine's noise cannot tilt; ``--json`` keeps the pairs,
and a later run with the same file adds trials up to ``--trials``).

    .venv/bin/python benchmarks/bench_stopping.py [--trials 400] [--candidates 9] [--json FILE]
    flock /work/team/heavy.lock .venv/bin/python benchmarks/bench_stopping.py --real 5 --trials 30 --json F
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from evolver.evaluate.stats import plan_looks, verdict_at

ALPHA, MIN_EFFECT = 0.01, 0.03
RATIOS = (1.0, 0.98, 0.97, 0.96, 0.95, 0.93, 0.90)
Noise = Callable[[np.random.Generator, int], np.ndarray]
NOISES: dict[str, Noise] = {
    "normal 0.03": lambda rng, n: rng.normal(0, 0.03, n),
    "normal 0.06": lambda rng, n: rng.normal(0, 0.06, n),
    "t3 0.04": lambda rng, n: 0.04 * rng.standard_t(3, n),
    "jolts 0.02": lambda rng, n: rng.normal(0, 0.02, n) + rng.choice([-0.3, 0.3], n) * (rng.random(n) < 0.2),
    "wild 0.03": lambda rng, n: rng.normal(0, 0.03, n) + rng.normal(0, 0.3, n) * (rng.random(n) < 0.15),
}


def sequential(logs: np.ndarray, *, max_pairs: int, candidates: int, projected: bool) -> tuple[str, int]:
    plan = plan_looks(max_pairs, ALPHA, candidates)
    parent = np.full(max_pairs, 0.01)
    for n in plan.looks:
        _, verdict = verdict_at(parent[:n], parent[:n] * np.exp(logs[:n]), plan, min_effect=MIN_EFFECT,
                                projected=projected)
        if verdict is not None:
            return verdict, n
    raise AssertionError("the last look decides")


def real(effect: float, trials: int, max_pairs: int, path: Path | None) -> None:
    """Real pairs to the last look, then both rules on them (one candidate raced, as ``compare``)."""
    from bench_harness_aa import project, run_comparison, target_source

    from evolver.evaluate import stats

    def last_look_only(found: stats.Look, *, alpha_look: float, min_effect: float, final: bool,
                       decision: bool = True, promise: float = 1.0) -> stats.Verdict | None:
        return stats.label(found, alpha_look=alpha_look, min_effect=min_effect, decision=decision) if final else None

    real_decide = stats.decide
    kept: list[dict[str, object]] = json.loads(path.read_text()) if path is not None and path.exists() else []
    print(f"load before {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {effect:g}% less work, "
          f"{max_pairs} pairs a trial, {len(kept)} trials kept")
    with project() as target:
        parent, candidate = target_source(), target_source(1 - effect / 100)
        while len(kept) < trials:
            stats.decide = last_look_only
            try:
                result, seconds = run_comparison(target, parent, candidate, max_pairs=max_pairs)
            finally:
                stats.decide = real_decide
            kept.append({"parent_s": list(result.parent_s), "candidate_s": list(result.candidate_s),
                         "seconds": seconds, "load": os.getloadavg()[0], "at": time.strftime("%H:%M:%S")})
            if path is not None:
                path.write_text(json.dumps(kept))
    verdicts: dict[bool, list[tuple[str, int]]] = {False: [], True: []}
    for trial in kept:
        logs = np.log(np.asarray(trial["candidate_s"], float)) - np.log(np.asarray(trial["parent_s"], float))
        for projected in (False, True):
            verdicts[projected].append(sequential(logs, max_pairs=len(logs), candidates=1, projected=projected))
    differ = sum(a != b for a, b in zip(verdicts[False], verdicts[True]))
    for projected, found in verdicts.items():
        print(f"{'with projection' if projected else 'interval alone':16}: faster {sum(v == 'faster' for v, _ in found)}"
              f"/{len(found)}, pairs {sum(n for _, n in found)}")
    print(f"trials whose verdict or pairs differ: {differ}; load after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=400)
    parser.add_argument("--candidates", type=int, default=9, help="candidates raced (the alpha split)")
    parser.add_argument("--max-pairs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--real", type=float, default=None, help="time real pairs of a candidate with this %% less work")
    args = parser.parse_args()
    if args.real is not None:
        real(args.real, args.trials, args.max_pairs, args.json)
        return
    print(f"load before {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.trials} trials a row, "
          f"{args.candidates} candidates raced, at most {args.max_pairs} pairs, min effect {MIN_EFFECT:.0%}")
    print(f"{'noise':12} {'true ratio':>10} | {'interval alone: faster':>22} {'pairs':>6} | "
          f"{'with projection: faster':>23} {'pairs':>6}")
    rows = []
    start = time.monotonic()
    for name, noise in NOISES.items():
        for ratio in RATIOS:
            rng = np.random.default_rng(args.seed)
            draws = [math.log(ratio) + noise(rng, args.max_pairs) for _ in range(args.trials)]
            row: dict[str, object] = {"noise": name, "ratio": ratio}
            for projected in (False, True):
                found = [sequential(d, max_pairs=args.max_pairs, candidates=args.candidates, projected=projected)
                         for d in draws]
                key = "projected" if projected else "interval"
                row[key] = {"faster": sum(v == "faster" for v, _ in found) / args.trials,
                            "mean_pairs": sum(n for _, n in found) / args.trials,
                            "at_last_look": sum(n == args.max_pairs for _, n in found) / args.trials}
            rows.append(row)
            a, p = row["interval"], row["projected"]
            print(f"{name:12} {ratio:10.2f} | {a['faster']:22.1%} {a['mean_pairs']:6.1f} | "  # type: ignore[index]
                  f"{p['faster']:23.1%} {p['mean_pairs']:6.1f}", flush=True)  # type: ignore[index]
    print(f"{time.monotonic() - start:.0f} s; load after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps({"trials": args.trials, "candidates": args.candidates,
                                         "max_pairs": args.max_pairs, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
