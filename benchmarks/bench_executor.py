"""The Dask executor against the local one: candidates evaluated per minute with the local executor
and with a real ``distributed.LocalCluster`` of 1 and 2 worker processes, and the overhead per task.

One parent is measured once; then the same candidates (every applicable rewrite of a module of
several independent exponential functions, plus loops that leave nothing to gain) are evaluated by
each executor in turn (tests, race, verdicts), from the same live parent, candidates released in
between so nothing measured is reused. The 1-worker cluster runs 2 threads (two tests at a time,
as the local executor does); the 2-worker one runs 1 thread each. With ``--rounds 2`` (the default)
the executors run in one order, then in the reverse one, so a drift of the machine's load weighs
on each alike; the summary gives each executor's median rate over the rounds.

What one machine can show: the two clusters are worker *processes* of this machine, sharing its
CPUs, and both workers are on one host, where races run one at a time (two races on one machine
would time each other). So on a 2-CPU machine the 2-worker figure is the cost of spreading the
tasks over two processes, not a gain from more hardware: scaling out needs workers on other
machines, which then race at the same time (each its own candidates) and test in parallel.

Overhead per task: one candidate whose tests fail (a test task, no race), evaluated alternately by
the local executor and by the 1-worker cluster, ``--repeats`` times each; the figure is the median
of the paired differences (the client's copy, the request and result as plain data, the scheduler,
the worker's evaluator) with the range of the differences.

    flock /work/team/heavy.lock .venv/bin/python benchmarks/bench_executor.py

Prints the machine's load (load average before and after, share of both CPUs busy in each part).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from distributed import LocalCluster

from evolver import transforms
from evolver.config import load_settings, resolve_target
from evolver.evaluate.evaluator import Parent, Proposal, Result, measure_parent
from evolver.evaluate.executor import Executor, LocalExecutor
from evolver.evaluate.executor_dask import DaskExecutor
from evolver.evaluate.resources import Resources
from evolver.model import Settings, Target

FUNCTIONS = 6


def make_project(root: Path) -> Path:
    """Six exponential functions sharing the workload (each cache is a large, real gain) and two
    loops a comprehension rewrites for no measurable gain."""
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "benchproj"
        version = "0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.evolver]
        tests = "pytest tests"
        bench = "workload:run"
        """))
    body = "\n\n".join(f"def f{k}(n: int) -> int:\n    return n if n < 2 else f{k}(n - 1) + f{k}(n - 2)\n"
                       for k in range(FUNCTIONS))
    loops = textwrap.dedent("""

        def squares(n: int) -> list[int]:
            out = []
            for i in range(n):
                out.append(i * i)
            return out


        def evens(n: int) -> list[int]:
            out = []
            for i in range(n):
                out.append(2 * i)
            return out
        """)
    (root / "mod.py").write_text(body + loops)
    calls = ", ".join(f"mod.f{k}(17)" for k in range(FUNCTIONS))
    (root / "workload.py").write_text(f"import mod\n\n\ndef run():\n    return [{calls}], mod.squares(50), mod.evens(50)\n")
    tests = "\n\n".join(f"def test_f{k}():\n    assert [mod.f{k}(i) for i in range(8)] == [0, 1, 1, 2, 3, 5, 8, 13]\n"
                        for k in range(FUNCTIONS))
    (root / "tests" / "test_mod.py").write_text("import mod\n\n\n" + tests +
                                                "\n\ndef test_loops():\n    assert mod.squares(3) == [0, 1, 4]\n"
                                                "    assert mod.evens(3) == [0, 2, 4]\n")
    return root / "mod.py"


class Load:
    """Share of both CPUs busy (every process) between two readings, and the load average."""

    def __init__(self) -> None:
        self.start = self._read()

    @staticmethod
    def _read() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        return sum(values) - values[3] - values[4], sum(values)

    def busy(self) -> float:
        busy, total = self._read()
        return 100.0 * (busy - self.start[0]) / max(1, total - self.start[1])


def quiet(event: str, **data: Any) -> None:
    """No progress output."""


def proposals(source: str, target: Target, settings: Settings) -> list[Proposal]:
    ctx = transforms.Context.of(target, settings)
    sites = [s for s in transforms.propose(source, ctx) if s.verdict == "applicable"]

    def make(site_id: str) -> Callable[[], str]:
        return lambda: transforms.apply(source, site_id, ctx)

    return [Proposal(s.id, make(s.id)) for s in sites]


def evaluate(executor: Executor, resources: Resources, parent: Parent, given: Sequence[Proposal]) -> tuple[float, list[Result]]:
    resources.keep_only(lambda v: v is parent.version)  # nothing measured in an earlier run is reused
    start = time.perf_counter()
    results = executor.evaluator(resources, parent, notify=quiet).evaluate(given)
    return time.perf_counter() - start, results


def tally(results: Sequence[Result]) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.judgement.status] = counts.get(r.judgement.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def cluster(workers: int, threads: int) -> LocalCluster:
    return LocalCluster(n_workers=workers, threads_per_worker=threads, processes=True, dashboard_address=":0",
                        silence_logs=logging.ERROR)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=6, help="pairs of the overhead measurement (default 6)")
    parser.add_argument("--verdicts", action="store_true", help="print each candidate's verdict and worker")
    parser.add_argument("--rounds", type=int, default=2,
                        help="passes over the executors, every other one in reverse order (default 2)")
    args = parser.parse_args(argv)
    logging.getLogger("distributed").setLevel(logging.ERROR)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (1 min) before; python "
          f"{sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="bench-executor-") as tmp:
        target = resolve_target(make_project(Path(tmp) / "proj"))
        settings = load_settings(target)
        source = target.path.read_text(encoding="utf-8")
        with Resources(target, settings) as resources:
            parent = measure_parent(resources, resources.version(source))
            given = proposals(source, target, settings)
            print(f"{len(given)} candidates ({', '.join(p.key for p in given)})")
            rates: dict[str, list[float]] = {}
            runs: list[tuple[str, Callable[[], Executor], LocalCluster | None]] = [("local", LocalExecutor, None)]
            for workers, threads in ((1, 2), (2, 1)):
                made = cluster(workers, threads)
                runs.append((f"dask, {workers} worker{'s' if workers > 1 else ''} x {threads} thread{'s' if threads > 1 else ''}",
                             lambda made=made: DaskExecutor(made.scheduler_address, target, settings), made))
            try:
                order = [run for k in range(args.rounds) for run in (runs if k % 2 == 0 else runs[::-1])]
                for name, make, _ in order:
                    load = Load()
                    connect = time.perf_counter()
                    with make() as executor:
                        connect = time.perf_counter() - connect
                        seconds, results = evaluate(executor, resources, parent, given)
                    rates.setdefault(name, []).append(60 * len(results) / seconds)
                    print(f"{name:<28} {rates[name][-1]:6.1f} candidates/min  ({len(results)} in {seconds:.1f} s: "
                          f"{tally(results)}; connect and send the project {connect:.2f} s; both CPUs "
                          f"{load.busy():.0f}% busy; load average {os.getloadavg()[0]:.2f})", flush=True)
                    if args.verdicts:
                        for r in results:
                            worker = (r.judgement.comparison.extra.get("worker") or {}).get("name", "-") \
                                if r.judgement.comparison else "-"
                            print(f"    {r.judgement.status:<9} {r.key:<28} worker {worker:<2} {r.judgement.reason}")
                medians = {name: statistics.median(found) for name, found in rates.items()}
                for name, found in rates.items():
                    print(f"median {name:<21} {medians[name]:6.1f} candidates/min over {len(found)} round"
                          f"{'s' if len(found) > 1 else ''} ({', '.join(f'{r:.1f}' for r in found)})")
                one, two = medians[runs[1][0]], medians[runs[2][0]]
                print(f"2 workers / 1 worker: {two / one:.2f}x; dask 1 worker / local: {one / medians['local']:.2f}x "
                      f"(workers on this machine share its {os.cpu_count()} CPUs: see the docstring)", flush=True)
                overhead(runs[1][1], resources, parent, target, source, args.repeats)
            finally:
                for _, _, made in runs:
                    if made is not None:
                        made.close()
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) after")
    return 0


def overhead(make: Callable[[], Executor], resources: Resources, parent: Parent, target: Target, source: str,
             repeats: int) -> None:
    """Per task: a candidate whose tests fail (one test task, no race), local vs the 1-worker cluster."""
    broken = source.replace("return n if n < 2 else", "return n + 1 if n < 2 else", 1)
    one = [Proposal("broken", lambda: broken)]
    load = Load()
    local, remote = [], []
    with make() as executor:
        evaluate(executor, resources, parent, one)  # the worker's first task unpacks the project: not counted
        for _ in range(repeats):
            local.append(evaluate(LocalExecutor(), resources, parent, one)[0])
            remote.append(evaluate(executor, resources, parent, one)[0])
    diffs = sorted(r - loc for r, loc in zip(remote, local))
    print(f"overhead per task (dask 1 worker - local, one failing test task, {repeats} pairs): median "
          f"{1000 * statistics.median(diffs):.0f} ms (range {1000 * diffs[0]:.0f} to {1000 * diffs[-1]:.0f} ms); "
          f"local task median {statistics.median(local):.2f} s, dask {statistics.median(remote):.2f} s; both CPUs "
          f"{load.busy():.0f}% busy", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
