"""Sandbox overhead per run, for each backend: process start to result of a trivial worker request.

Each run is one `check` request of the measuring worker on a one-line workload, timed from just
before the sandbox starts the process to the answer being read back, ~20 runs per backend. The
baseline row runs the same worker as a bare subprocess, with no isolation at all.

    .venv/bin/python benchmarks/bench_sandbox.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from evolver.errors import EvolverError
from evolver.evaluate.workers import WORKER, Bench, run_worker
from evolver.model import Settings, Target, source_hash
from evolver.sandbox import runner
from evolver.sandbox.backends import backend_for
from evolver.sandbox.scratch import Scratch

SOURCE = "def run():\n    return 1\n"
RUNS = 20


def timed(runs: int, once: Callable[[], object]) -> list[float]:
    once()  # warm caches and probes; not counted
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        once()
        times.append((time.perf_counter() - start) * 1000)
    return times


def sandboxed(target: Target, sandbox: str, runs: int) -> list[float]:
    settings = Settings(sandbox=sandbox, bench="trivial:run", timeout_s=60)
    with Scratch(target, SOURCE, settings) as scratch:
        bench = Bench(scratch, settings, source_hash(SOURCE))
        print(f"  {sandbox}: {', '.join(scratch.isolation)}")
        return timed(runs, lambda: run_worker(bench, "check"))


def bare(target: Target, runs: int) -> list[float]:
    """The same request as a plain subprocess: what any out-of-process evaluation costs."""
    settings = Settings(bench="trivial:run", timeout_s=60)
    with Scratch(target, SOURCE, settings) as scratch, scratch.io_dir() as tmp:
        request = Path(tmp, "request.json")
        request.write_text(
            f'{{"mode": "check", "module": "trivial", "module_file": "{scratch.module_path}", '
            f'"expected_hash": "{source_hash(SOURCE)}", "workload": "trivial:run", "transient": [], '
            f'"result": "{Path(tmp, "answer.json")}"}}', encoding="utf-8")
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(scratch.import_root)}
        return timed(runs, lambda: subprocess.run([sys.executable, "-P", str(WORKER), str(request)],
                                                  cwd=scratch.import_root, env=env, check=True))


def without_bwrap() -> None:
    os.environ["EVOLVER_NO_BWRAP"] = "1"
    runner.bwrap_available.cache_clear()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "trivial-project")
        root.mkdir()
        (root / "trivial.py").write_text(SOURCE)
        target = Target(path=root / "trivial.py", root=root, import_root=root, module="trivial")
        rows: list[tuple[str, list[float] | str]] = [("bare subprocess (no isolation)", bare(target, runs))]
        if runner.bwrap_available():
            rows.append(("process + bubblewrap", sandboxed(target, "process", runs)))
        without_bwrap()
        rows.append(("process (no bubblewrap)", sandboxed(target, "process", runs)))
        try:
            backend_for(Settings(sandbox="docker"))
            rows.append(("docker (host interpreter)", sandboxed(target, "docker", runs)))
        except EvolverError as exc:
            rows.append(("docker", f"skipped: {exc}"))
    print(f"\n{'backend':<32}{'runs':>5}{'median ms':>11}{'worst ms':>10}")
    for name, times in rows:
        if isinstance(times, str):
            print(f"{name:<32}{times}")
        else:
            print(f"{name:<32}{len(times):>5}{statistics.median(times):>11.1f}{max(times):>10.1f}")


if __name__ == "__main__":
    main()
