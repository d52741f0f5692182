"""Static analysis time per 1,000 lines: the index plus every transform's sites (budget: 200 ms).

Runs the static part of `evolver analyze` (the ast index, radon's facts, and every transform's site
search, the applicable and the refused) in-process on real code: the standard library's top-level
modules and the real-world corpus's target modules (benchmarks/realworld). Each file is analysed
once, cold (a distinct source, so no cached index is reused). Prints the time per 1,000 lines over
all files (total time / total lines) and the median file's, in CPU time (what the analysis costs)
and wall time (what a user waits, inflated by the machine's load, printed with it), then where the
time goes: the index, the module facts (radon), and each transform. Listing sites never parses
with libcst (only building a rewrite does), so libcst is not part of it.

    .venv/bin/python benchmarks/bench_analyze.py            # stdlib top level + corpus
    .venv/bin/python benchmarks/bench_analyze.py --limit 40  # a quicker sample
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path

from evolver import transforms
from evolver.analysis.facts import analyze_module
from evolver.analysis.index import ModuleIndex

ROOT = Path(__file__).resolve().parent
BUDGET_MS = 200.0


def files(limit: int | None) -> list[tuple[str, Path]]:
    """The stdlib's top-level modules (sorted), then the corpus's target modules."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    found = [("stdlib", p) for p in sorted(stdlib.glob("*.py"))]
    manifest = json.loads((ROOT / "realworld" / "manifest.json").read_text(encoding="utf-8"))
    for row in manifest["rows"]:
        path = ROOT / "realworld" / row["project"] / row["module"]
        if path.is_file() and ("corpus", path) not in found:
            found.append(("corpus", path))
    return found[:limit] if limit else found


def timed(clock: dict[str, list[float]], name: str, run: Callable[[], object]) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    clock.setdefault(name, [0.0, 0.0])
    clock[name][0] += time.process_time() - cpu
    clock[name][1] += time.perf_counter() - wall


def analyse(source: str, module: str) -> dict[str, list[float]]:
    """The time of each part of the analysis of one source: {part: [cpu s, wall s]}."""
    clock: dict[str, list[float]] = {}
    ctx = transforms.Context(module=module)
    timed(clock, "index", lambda: ModuleIndex.of(source, module))
    timed(clock, "facts (radon)", lambda: analyze_module(source, module))
    index = ModuleIndex.of(source, module)
    for transform in transforms.all_transforms():
        timed(clock, transform.name, lambda t=transform: t.sites(index, ctx))  # type: ignore[misc]
    return clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="analyse only the first N files")
    args = parser.parse_args()
    load_before = os.getloadavg()
    totals: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0])
    per_file: list[tuple[float, float]] = []  # (cpu ms, wall ms) per 1,000 lines
    lines = {"stdlib": 0, "corpus": 0}
    skipped = 0
    for n, (origin, path) in enumerate(files(args.limit)):
        try:
            source = path.read_text(encoding="utf-8") + f"\n# bench run {n}\n"
            compile(source, str(path), "exec")
        except (UnicodeDecodeError, SyntaxError, ValueError):
            skipped += 1
            continue
        count = len(source.splitlines())
        clock = analyse(source, path.stem)
        for part, (cpu, wall) in clock.items():
            totals[part][0] += cpu
            totals[part][1] += wall
        lines[origin] += count
        per_file.append((sum(c for c, _ in clock.values()) * 1e6 / count, sum(w for _, w in clock.values()) * 1e6 / count))
    total_lines = sum(lines.values())
    cpu = sum(c for c, _ in totals.values())
    wall = sum(w for _, w in totals.values())
    facts = totals["facts (radon)"][0]
    sites = cpu - facts
    print(f"files: {len(per_file)} ({lines['stdlib']} stdlib lines, {lines['corpus']} corpus lines; {skipped} skipped)")
    print(f"load average before: {load_before[0]:.2f}, after: {os.getloadavg()[0]:.2f} (2 CPUs)")
    print(f"index + every transform's sites, per 1,000 lines: {sites * 1e6 / total_lines:.1f} ms CPU "
          f"(budget {BUDGET_MS:.0f} ms)")
    print(f"with radon's module facts (the whole static analyze): {cpu * 1e6 / total_lines:.1f} ms CPU, "
          f"{wall * 1e6 / total_lines:.1f} ms wall")
    print(f"per file, whole static analyze per 1,000 lines: median {statistics.median(c for c, _ in per_file):.1f} ms "
          f"CPU ({statistics.median(w for _, w in per_file):.1f} ms wall), worst {max(c for c, _ in per_file):.1f} ms CPU")
    print(f"{'part':<28}{'ms CPU / 1k lines':>19}{'share':>8}")
    for part, (c, _w) in sorted(totals.items(), key=lambda item: -item[1][0]):
        print(f"{part:<28}{c * 1e6 / total_lines:>19.1f}{c / cpu:>8.0%}")


if __name__ == "__main__":
    main()
