"""Wall time of the default evolve run on the bundled sample target, and what it found.

Copies targets/integrator to a temp dir (so the repo is untouched), runs `evolver evolve` there
with a temp workspace, and prints the wall time, the generations written and the final
generation's measured speedup against the original, with its interval.

    .venv/bin/python benchmarks/bench_evolve.py [extra evolve args]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "integrator"
        shutil.copytree(REPO / "targets" / "integrator", project,
                        ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        workspace = Path(tmp) / "ws"
        workspace.mkdir()
        evolver = [sys.executable, "-m", "evolver.cli", "--workspace", str(workspace)]
        start = time.perf_counter()
        run = subprocess.run([*evolver, "evolve", str(project / "integrator.py"), *sys.argv[1:]],
                             capture_output=True, text=True)
        wall = time.perf_counter() - start
        print(run.stdout)
        if run.returncode not in (0, 1):
            print(run.stderr, file=sys.stderr)
            sys.exit(run.returncode)
        log = subprocess.run([*evolver, "log", str(project / "integrator.py"), "--json"],
                             capture_output=True, text=True, check=False)
        lineage = json.loads(log.stdout or "[]")
        print(f"evolve wall time: {wall:.1f} s, generations written: {max(len(lineage) - 1, 0)}")
        if len(lineage) > 1:
            final = lineage[-1]["manifest"]["measurements"]
            vs = final.get("vs_root")
            if vs:
                print(f"final vs original: {1 / vs['ratio']:.2f}x faster "
                      f"(95% CI {1 / vs['ci_high']:.2f}-{1 / vs['ci_low']:.2f}), p={vs['p_value']:.2g}, "
                      f"{vs['pairs']} pairs; surfaced transient failures "
                      f"{final['errors_vs_root'][0]} -> {final['errors_vs_root'][1]}")


if __name__ == "__main__":
    main()
