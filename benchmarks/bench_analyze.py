"""Time of `evolver analyze` without the profile run on ~1,000-line modules (budget: 200 ms).

Runs the static part of the analysis (libcst + radon facts and every transform's site search)
in-process on real standard-library modules of about 1,000 lines, several times each (cold: each
run gets a distinct source, so no cached parse is reused), and prints the median and worst time
per module, plus the whole CLI command's wall time once.

    .venv/bin/python benchmarks/bench_analyze.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from evolver import transforms
from evolver.analysis.facts import analyze_module

MODULES = ("functools.py", "traceback.py", "ftplib.py", "socket.py")
REPEATS = 7


def static_analysis(source: str, module: str) -> None:
    analyze_module(source, module)
    transforms.propose(source, transforms.Context(module=module))


def main() -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    print(f"{'module':<14}{'lines':>7}{'median ms':>11}{'worst ms':>10}")
    medians = []
    for name in MODULES:
        source = (stdlib / name).read_text(encoding="utf-8")
        static_analysis(source, name[:-3])  # warm imports and caches once
        times = []
        for run in range(REPEATS):
            # a distinct source each run, so no parse cached from an earlier run is reused
            fresh = f"{source}\n# run {run}\n"
            start = time.perf_counter()
            static_analysis(fresh, name[:-3])
            times.append((time.perf_counter() - start) * 1000)
        medians.append(statistics.median(times))
        print(f"{name:<14}{len(source.splitlines()):>7}{medians[-1]:>11.1f}{max(times):>10.1f}")
    print(f"median over modules: {statistics.median(medians):.1f} ms (budget 200 ms)")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "functools_copy.py"
        copy.write_text((stdlib / "functools.py").read_text(encoding="utf-8"), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "evolver.cli", "--workspace", tmp, "analyze", str(copy),
                        "--no-profile", "--json"], check=True, capture_output=True)
        print(f"`evolver analyze --no-profile` whole command (with interpreter start-up): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
