"""Held-out benchmark of the transform predictor on the recorded corpus (issue 6 acceptance).

    .venv/bin/python benchmarks/bench_predictor.py [benchmarks/corpus/recorded.json] [--no-retrain]

For each target in turn, held out with its whole *project*: the predictor is fitted on the other
projects' recorded rows only (``predictor.fit``, deterministic); the generated variants are made of
the same program shapes, so they count as one project and are held out together, and the held-out target's recorded candidates are put in
three orders: (a) the learned ranking (``rank.rank`` with that predictor, no exploration), (b) the
fixed prior (``rank.rank`` with no learned model), (c) random order, as the exact expectation
over all permutations. Each order is scored by the number of evaluations until the best candidate
(the largest measured gain among the accepted ones) is reached. Targets with no accepted
candidate have no best one and are skipped. Goal: learned median <= half the random median.
Also times ``retrain`` on 10,000 history rows (``bench_retrain.py``'s synthetic history).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evolver import predictor
from evolver.history import History
from evolver.model import Site
from evolver.rank import rank

RECORDED = Path(__file__).resolve().parent / "corpus" / "recorded.json"
RETRAIN_ROWS = 10_000

Row = Mapping[str, Any]  # one row of recorded.json


@dataclass(frozen=True)
class Scores:
    target: str
    kind: str
    candidates: int
    accepted: int
    best: tuple[str, ...]  # site ids sharing the largest measured gain among accepted candidates
    best_gain: float
    learned: int
    prior: int
    random: float


def accepted(row: Row) -> bool:
    return row["status"] in predictor.SUCCEEDED


def best_sites(rows: Sequence[Row]) -> tuple[str, ...]:
    """The accepted candidates with the largest measured gain (all of them on a tie); () if none."""
    gains = {r["site_id"]: r["gain"] for r in rows if accepted(r) and r.get("gain") is not None}
    if not gains:
        return ()
    top = max(gains.values())
    return tuple(sorted(s for s, g in gains.items() if g == top))


def evaluations_to_best(order: Sequence[str], best: Iterable[str]) -> int:
    """How many candidates are evaluated, in ``order``, until one of ``best`` is (1 = the first)."""
    wanted = set(best)
    for i, site_id in enumerate(order, start=1):
        if site_id in wanted:
            return i
    raise ValueError("no best candidate in the order")


def random_expectation(n: int, k: int) -> float:
    """Expected position of the first of ``k`` marked items in a uniformly random order of ``n``."""
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got k={k}, n={n}")
    return (n + 1) / (k + 1)


def history_rows(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Recorded rows in the shape ``predictor.dataset`` reads from the history."""
    return [{"id": i, "status": r["status"], "transform": r["transform"], "target": r["target"],
             "features_json": json.dumps(r["features"]), "ratio": r["ratio"]} for i, r in enumerate(rows)]


def site_of(row: Row) -> Site:
    transform, _, target = row["site_id"].partition("@")
    return Site(transform=transform, target=target, verdict="applicable", features=dict(row["features"]))


def project(row: Row) -> str:
    """The project a row comes from: each sample target is one; the generated variants are all
    made of the same program shapes, so together they are one project (holding out one variant
    while training on its siblings would judge the model on variants of shapes it has seen)."""
    return "generated" if row.get("kind") == "generated" else str(row["target"])


def held_out(rows: Sequence[Row], target: str) -> tuple[list[Row], list[Row]]:
    """(training rows: every other project's, test rows: the held-out target's)."""
    test = [r for r in rows if r["target"] == target]
    held = project(test[0]) if test else target
    return [r for r in rows if project(r) != held], test


def fit_without(rows: Sequence[Row], target: str) -> predictor.Predictor:
    train, _ = held_out(rows, target)
    return predictor.fit(predictor.dataset(history_rows(train)))


def order(rows: Sequence[Row], learned: predictor.Predictor | None) -> list[str]:
    return [c.site.id for c in rank([site_of(r) for r in rows], None, learned)]


def score(rows: Sequence[Row], target: str) -> Scores | None:
    _, test = held_out(rows, target)
    best = best_sites(test)
    if not best:
        return None
    learned = fit_without(rows, target)
    return Scores(target=target, kind=str(test[0].get("kind", "")), candidates=len(test),
                  accepted=sum(map(accepted, test)), best=best,
                  best_gain=max(r["gain"] for r in test if r["site_id"] in best),
                  learned=evaluations_to_best(order(test, learned), best),
                  prior=evaluations_to_best(order(test, None), best),
                  random=random_expectation(len(test), len(best)))


def without(rows: Sequence[Row], feature: str) -> list[Row]:
    return [{**r, "features": {k: v for k, v in r["features"].items() if k != feature}} for r in rows]


def calibration(rows: Sequence[Row]) -> dict[str, tuple[float, float, float]]:
    """Per estimate (learned, prior), on every target held out with its project: the Brier score of
    the success probability, the share of accepted candidates, and how often the measured gain of a
    measured candidate fell in the predicted 80% range."""
    found: dict[str, list[tuple[float, int, bool | None]]] = {"learned": [], "prior": []}
    for target in sorted({r["target"] for r in rows}):
        _, test = held_out(rows, target)
        by_id = {r["site_id"]: r for r in test}
        for name, model in (("learned", fit_without(rows, target)), ("prior", None)):
            for cand in rank([site_of(r) for r in test], None, model):
                row = by_id[cand.site.id]
                p = cand.prediction
                inside = None
                if p is not None and row.get("gain") is not None and accepted(row):
                    inside = p.gain_range[0] <= max(0.0, row["gain"]) <= p.gain_range[1]
                found[name].append((cand.predicted_success, int(accepted(row)), inside))
    out = {}
    for name, items in found.items():
        brier = statistics.mean((q - y) ** 2 for q, y, _ in items)
        covered = [i for _, _, i in items if i is not None]
        out[name] = (brier, statistics.mean(y for _, y, _ in items), sum(covered) / max(1, len(covered)))
    return out


def benchmark(rows: Sequence[Row]) -> tuple[list[Scores], int]:
    """Scores of every target with an accepted candidate, and how many targets were skipped."""
    targets = sorted({r["target"] for r in rows})
    scored = [score(rows, t) for t in targets]
    return [s for s in scored if s is not None], sum(s is None for s in scored)


def retrain_seconds(rows: int = RETRAIN_ROWS) -> float:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_retrain import fill  # the synthetic 10,000-row history of bench_retrain.py

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "evolver.db"
        fill(db, rows)
        with History.open(db) as history:
            start = time.perf_counter()
            predictor.retrain(history, Path(tmp) / ".evolver")
            return time.perf_counter() - start


def report(data: Mapping[str, Any], scores: Sequence[Scores], skipped: int, ablation: Sequence[Scores]) -> None:
    rows = data["rows"]
    machine = data.get("machine", {})
    print(f"corpus: {len(data['targets'])} targets, {len(rows)} recorded evaluations "
          f"({sum(map(accepted, rows))} accepted), recorded {data.get('recorded_at')} at evolver "
          f"{', '.join(c[:7] for c in data.get('evolver', {}).get('commits', []))}, load {machine.get('load_1min_mean')} on "
          f"{machine.get('cpus')} CPUs, {data.get('seconds', 0) / 60:.0f} min")
    print(f"held out by project (each sample target one; the generated variants, made of the same shapes, one "
          f"together); {skipped} targets skipped (no accepted candidate)\n")
    bests = [f"{s.best[0].split(':')[0]}:{s.best[0].split(':', 1)[1][:24]} ({s.best_gain:+.2f})" for s in scores]
    width = max(len("best (log gain)"), *map(len, bests))
    print(f"{'target':12s} {'kind':9s} {'cands':>5s} {'acc':>3s}  {'best (log gain)':{width}s} {'learned':>7s} "
          f"{'prior':>5s} {'random':>6s}")
    for s, best in zip(scores, bests):
        print(f"{s.target:12s} {s.kind:9s} {s.candidates:5d} {s.accepted:3d}  {best:{width}s} {s.learned:7d} "
              f"{s.prior:5d} {s.random:6.2f}")
    med = {name: statistics.median(getattr(s, name) for s in scores) for name in ("learned", "prior", "random")}
    means = {name: statistics.mean(getattr(s, name) for s in scores) for name in ("learned", "prior", "random")}
    print(f"\nmedian evaluations to the best: learned {med['learned']:g}, prior {med['prior']:g}, "
          f"random {med['random']:.2f}  (means {means['learned']:.2f} / {means['prior']:.2f} / {means['random']:.2f})")
    for kind in sorted({s.kind for s in scores}):
        group = [s for s in scores if s.kind == kind]
        print(f"  {kind} targets ({len(group)}): median learned "
              f"{statistics.median(s.learned for s in group):g} / prior {statistics.median(s.prior for s in group):g} "
              f"/ random {statistics.median(s.random for s in group):.2f}, means "
              f"{statistics.mean(s.learned for s in group):.2f} / {statistics.mean(s.prior for s in group):.2f} / "
              f"{statistics.mean(s.random for s in group):.2f}")
    first = {name: sum(getattr(s, name) == 1 for s in scores) for name in ("learned", "prior")}
    print(f"best candidate first: learned {first['learned']}/{len(scores)}, prior {first['prior']}/{len(scores)}")
    goal = med["learned"] <= med["random"] / 2
    print(f"learned median <= half the random median ({med['random'] / 2:.2f}): {'YES' if goal else 'NO'}")
    if ablation:
        print(f"ablation, learned without the repeat_rate feature: median "
              f"{statistics.median(s.learned for s in ablation):g}, mean {statistics.mean(s.learned for s in ablation):.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recorded", nargs="?", type=Path, default=RECORDED)
    parser.add_argument("--no-retrain", action="store_true", help="skip timing retrain on 10,000 rows")
    args = parser.parse_args(argv)
    data = json.loads(args.recorded.read_text(encoding="utf-8"))
    rows = [r for r in data["rows"] if r["status"] in predictor.DECIDED]
    scores, skipped = benchmark(rows)
    if not scores:
        print("no target has an accepted candidate: nothing to rank")
        return
    ablation, _ = benchmark(without(rows, "repeat_rate"))
    report(data, scores, skipped, ablation)
    for name, (brier, base_rate, covered) in calibration(rows).items():
        print(f"{name} estimate on held-out projects: Brier score of success {brier:.3f} (accepted rate "
              f"{base_rate:.2f}); measured gains of accepted candidates inside the 80% range: {covered:.0%}")
    if not args.no_retrain:
        seconds = retrain_seconds()
        print(f"retrain on {RETRAIN_ROWS:,} history rows (synthetic, bench_retrain.py): {seconds:.2f} s "
              f"(goal < 10 s): {'YES' if seconds < 10 else 'NO'}")


if __name__ == "__main__":
    main()
