"""What the behaviour check's call trace costs on the bundled samples (targets/*): time and size.

For each sample, the functions traced are those every applicable rewrite of the sample would
change ("sites": the union of their rewritten functions, with the module functions they call),
and, as a worst case for the wrappers, the same with every other function and method of the
module traced as a callee ("wide"). Each figure is the median
over ``runs`` fresh worker processes of one workload run: untraced (the worker's memory mode,
first call) and traced (trace mode, first call, sampled inputs not included); the overhead is their
ratio (budget: 2x), by CPU time (wall time on a shared machine measures the neighbours as well),
with the wall-time ratio beside it. The tracer keeps itself within the budget: recording stops
when it and the wrappers have used ``tracer.RECORD_SHARE`` of the workload's own CPU time, and the
wrappers come out once they alone have ("stopped early": the calls after that are not traced). Sampled inputs run after the workload: their time is printed on its own.
The trace size is the JSON answer's length; its bounds are per function FIRST_CALLS calls and
then calls 2^k only, values cut at MAX_ITEMS items and MAX_DEPTH levels into 16-hex digests with
60-character previews, at most MAX_FUNCTIONS functions.

    flock /work/team/heavy.lock .venv/bin/python benchmarks/bench_trace.py [runs] [sample ...]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

from evolver import transforms
from evolver.config import load_settings, resolve_target
from evolver.errors import EvolverError
from evolver.evaluate.behaviour import sampled_functions
from evolver.evaluate.rewritten import Rewritten, rewritten
from evolver.evaluate.workers import Bench, run_worker
from evolver.model import Settings, Target, source_hash
from evolver.sandbox import trace_values, tracer
from evolver.sandbox.scratch import Scratch

TARGETS = Path(__file__).resolve().parent.parent / "targets"


def plans(target: Target, settings: Settings, source: str) -> dict[str, Rewritten]:
    ctx = transforms.Context.of(target, settings)
    changed: set[str] = set()
    callees: set[str] = set()
    for site in transforms.propose(source, ctx):
        if site.verdict != "applicable":
            continue
        try:
            plan = rewritten(source, transforms.apply(source, site.id, ctx))
        except EvolverError:
            continue
        changed |= set(plan.changed)
        callees |= set(plan.callees)
    every = set(rewritten(source, "").removed)  # everything the parent defines, as if removed: its names
    return {"sites": Rewritten(tuple(sorted(changed)), tuple(sorted(callees - changed)), (), (), ()),
            "wide": Rewritten(tuple(sorted(changed)), tuple(sorted(every - changed)), (), (), ())}


def request(plan: Rewritten, source: str, target: Target, samples: bool) -> dict[str, Any]:
    return {"changed": list(plan.changed), "callees": list(plan.callees), "exclude_globals": [],
            "sample": sampled_functions(plan, source, target.module, False) if samples else [],
            "sample_count": 30, "seed": 0}


def measure(target: Target, runs: int) -> list[str]:
    settings = load_settings(target, {"timeout_s": 600})
    source = target.path.read_text()
    lines = []
    with Scratch(target, source, settings) as scratch:
        bench = Bench(scratch, settings, source_hash(source))
        for name, plan in plans(target, settings, source).items():
            plain, traced, plain_wall, traced_wall, sizes, records, sampled = [], [], [], [], [], [], []
            complete, wrapped = [], []
            for _ in range(runs):
                memory = run_worker(bench, "memory")
                plain.append(memory["wall_s"] * memory["cpu_percent"] / 100)
                plain_wall.append(memory["wall_s"])
                answer = run_worker(bench, "trace", scratch_dir=str(scratch.dir),
                                    **request(plan, source, target, samples=name == "sites"))
                traced.append(answer["workload_cpu_s"])
                traced_wall.append(answer["workload_s"])
                sampled.append(answer["sample_s"])
                sizes.append(len(json.dumps(answer)))
                records.append(len(answer["calls"]) + len(answer["nested"]))
                complete.append(answer["complete"])
                wrapped.append(answer["wrapped_calls"])
            base, cost = statistics.median(plain), statistics.median(traced)
            wall = statistics.median(traced_wall) / statistics.median(plain_wall)
            lines.append(f"{target.module:11s} {name:5s} {len(plan.changed):3d} fn {len(plan.callees):3d} callees  "
                         f"workload cpu {base * 1000:7.1f} ms  traced {cost * 1000:7.1f} ms  "
                         f"overhead {cost / base:5.2f}x (wall {wall:4.2f}x)  samples {statistics.median(sampled):5.2f} s  "
                         f"trace {statistics.median(sizes) / 1024:6.1f} KiB, {int(statistics.median(records))} records, "
                         f"{int(statistics.median(wrapped))} calls through wrappers, "
                         f"{'complete' if all(complete) else f'stopped early in {complete.count(False)}/{runs}'}")
    return lines


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 3
    names = argv[2:] or sorted(p.name for p in TARGETS.iterdir() if (p / "pyproject.toml").exists())
    print(f"bench_trace: {runs} runs per figure (medians); load average {os.getloadavg()}, "
          f"{os.cpu_count()} CPUs; bounds: {tracer.FIRST_CALLS} first calls then 2^k per function, "
          f"{tracer.MAX_FUNCTIONS} functions, {trace_values.MAX_ITEMS} items / {trace_values.MAX_DEPTH} levels "
          f"per value, {trace_values.DIGEST_CHARS}-hex digests, {trace_values.PREVIEW_CHARS}-char previews")
    worst = 0.0
    for name in names:
        for line in measure(resolve_target(TARGETS / name / f"{name}.py"), runs):
            print(line, flush=True)
            worst = max(worst, float(line.split("overhead")[1].split("x")[0]))
    print(f"worst overhead {worst:.2f}x (budget 2x); load average after {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
