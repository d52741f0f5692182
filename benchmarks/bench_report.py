"""How fast the HTML report of a long history opens in Chromium (goal: 50 generations in < 2 s).

    flock /work/team/heavy.lock .venv/bin/python benchmarks/bench_report.py [--generations 50] [--opens 5]

Builds a history of N generations of targets/integrator/integrator.py through the real History and
GenerationStore (each generation a small real edit of its parent; per cycle 6 candidates with
recorded outcomes, 12 refusals, a baseline measurement, 20 A/B pairs). The figures in that history
are synthetic (seeded), since only the page's size and speed are measured here. Then it times
`evolver report` and opens the page in headless Chromium `--opens` times, each in a fresh page:
navigation start to the end of the load event, as the browser timed it, and the wall time of the
whole navigation as the driver saw it. Prints the machine's load before and after.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "html"))  # the browser helper the tests use

from report_browser import chromium, load_time_ms, why_no_browser  # noqa: E402

from evolver.config import resolve_target  # noqa: E402
from evolver.generations import GenerationStore  # noqa: E402
from evolver.history import History  # noqa: E402
from evolver.html import write_report  # noqa: E402
from evolver.model import source_hash  # noqa: E402

GOAL_S = 2.0
OUTCOMES = (("rejected", "no significant difference (1.01x, 95% CI 0.98-1.04)"),
            ("failed", "tests fail: 1 failed, 12 passed"),
            ("failed", "workload output differs from the parent's"),
            ("rejected", "slower (0.91x, 95% CI 0.88-0.95)"),
            ("rejected", "1.20x faster (95% CI 1.1-1.3) but uses too much memory (1.90x peak)"))


def build(root: Path, ws: Path, n: int, rng: random.Random) -> Path:
    shutil.copytree(REPO / "targets" / "integrator", root, ignore=shutil.ignore_patterns("__pycache__", "corpus"))
    target = resolve_target(root / "integrator.py")
    store = GenerationStore(ws / "generations")
    source = target.path.read_text()
    parent = store.root_for(target, source)
    with History.open(ws / ".evolver" / "evolver.db") as history:
        history.add_generation(parent.id, parent.target_key, target.path, 0, None, parent.source_hash, None)
        session, time_ms = "", 900.0
        for k in range(1, n + 1):
            if k % 10 == 1:
                if session:
                    history.end_session(session, "ok")
                session = history.start_session("evolve", target=target)
            child = edit(source, k)
            ratio = math.exp(-rng.uniform(0.03, 0.25))
            history.add_metric(session, str(target.path), source_hash(source), "wall_time_ms", time_ms,
                               unit="ms", spread=time_ms * 0.02)
            history.add_refusals(session, str(target.path), source_hash(source), refusals(k))
            cmp = comparison(rng, time_ms / 1000, ratio)
            candidates(history, session, str(target.path), source, child, cmp, k, rng)
            gen = store.add(target, parent, child, session_id=session,
                            transforms=[{"site": f"memoize@integrator:step_{k}", "transform": "memoize",
                                         "target": f"integrator:step_{k}", "reason": "faster"}],
                            measurements={"vs_parent": cmp, "errors": [0, 0], "tests_run": 24})
            history.add_generation(gen.id, gen.target_key, target.path, gen.number, parent.id, gen.source_hash,
                                   parent.source_hash, gen.manifest["transforms"], gen.manifest["measurements"],
                                   session)
            parent, source, time_ms = gen, child, time_ms * ratio
        history.end_session(session, "ok")
    return target.path


def edit(source: str, k: int) -> str:
    """A small real change: a module constant added above a top-level function, whose def line
    gets a comment (one line added, one changed)."""
    lines = source.split("\n")
    defs = [i for i, line in enumerate(lines) if line.startswith("def ")]
    at = defs[k % len(defs)]
    lines[at] = f"{lines[at]}  # edited by generation {k}"
    lines.insert(at, f"GENERATION_{k} = {k}")
    return "\n".join(lines)


def refusals(k: int) -> list:
    from evolver.model import Site

    return [Site("memoize", f"integrator:helper_{k}_{i}", "refused",
                 (f"reads module global STATE_{i} (bound to the result of dict(...))", "parameter `x` is a list"))
            for i in range(12)]


def comparison(rng: random.Random, parent_s: float, ratio: float) -> dict:
    parents = [parent_s * rng.uniform(0.97, 1.05) for _ in range(20)]
    return {"verdict": "faster", "ratio": ratio, "ci_low": ratio * 0.97, "ci_high": ratio * 1.03,
            "p_value": 1e-5, "pairs": 20, "parent_s": parents,
            "candidate_s": [p * ratio * rng.uniform(0.98, 1.02) for p in parents], "loops": 1,
            "extra": {"memory": {"ratio": 1.01, "ci": [0.99, 1.03], "verdict": "no significant difference",
                                 "parent_peak_mb": 40.0, "candidate_peak_mb": 40.4}}}


def candidates(history: History, session: str, target: str, parent: str, child: str, cmp: dict, k: int,
               rng: random.Random) -> None:
    for i, (status, reason) in enumerate((("approved", "faster"), *OUTCOMES)):
        imp = history.add_improvement(session, target, f"memoize@integrator:step_{k}" if i == 0 else
                                      f"local-alias@integrator:loop_{k}#{i}", "memoize" if i == 0 else "local-alias",
                                      source_hash(parent), predicted_success=rng.random(),
                                      predicted_gain=rng.uniform(0, 0.4))
        history.set_status(imp, "testing")
        ratio = cmp["ratio"] if i == 0 else rng.uniform(0.9, 1.1)
        measured = {"ratio": ratio, "ci_low": ratio * 0.97, "ci_high": ratio * 1.03, "p_value": 0.2} \
            if status != "failed" else {}
        history.set_status(imp, status, reason=reason, candidate_hash=source_hash(child) if i == 0 else None,
                           **measured)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generations", type=int, default=50)
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="copy the page here to look at it")
    args = parser.parse_args()
    reason = why_no_browser()
    if reason:
        print(f"bench_report: {reason}", file=sys.stderr)
        return 2
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        module = build(Path(tmp) / "integrator", ws, args.generations, random.Random(13))
        start, cpu = time.perf_counter(), time.process_time()
        written = write_report(ws, module, Path(tmp) / "report.html")
        build_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
        print(f"report: {written.generations} generations, {written.size / 1024:.0f} KiB, "
              f"written by `evolver report` in {build_s:.2f} s ({cpu_s:.2f} s of CPU)")
        if args.keep:
            shutil.copy(written.path, args.keep)
        loads, walls = [], []
        with chromium() as browser:
            for _ in range(args.opens):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                errors: list[str] = []
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                start = time.perf_counter()
                page.goto(written.path.as_uri(), wait_until="load")
                walls.append(time.perf_counter() - start)
                loads.append(load_time_ms(page) / 1000)
                shown = page.locator("li.gen").count()
                assert shown == written.generations and not errors, (shown, errors)
                page.close()
    print(f"open in Chromium (navigation start -> load event end), {args.opens} opens: "
          f"median {statistics.median(loads):.3f} s, max {max(loads):.3f} s")
    print(f"navigation wall time seen by the driver: median {statistics.median(walls):.3f} s, max {max(walls):.3f} s")
    verdict = "meets" if max(loads) < GOAL_S else "MISSES"
    print(f"goal: {args.generations} generations open in under {GOAL_S:.0f} s: {verdict} it (worst open)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if verdict == "meets" else 1


if __name__ == "__main__":
    sys.exit(main())
