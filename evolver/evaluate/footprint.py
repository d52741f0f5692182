"""Memory and CPU beside the time: judged by the paired rule of ``stats``, either on the figures the
timing workers report (peak RSS, CPU share over their windows) or in interleaved runs of the
worker's memory mode (which adds the tracemalloc peak); and instruction counts under valgrind,
recorded, never deciding.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evolver.errors import EvolverError
from evolver.evaluate.stats import p_value, paired_figure
from evolver.evaluate.workers import CHECK_SEED, Bench, CandidateFailed, memory_run, run_worker

MEMORY_PAIRS = 7  # the fewest pairs whose signed-rank test can reach p < 0.01 (1 / 128)
_MB = 1024 * 1024
MEMORY_WORDS = {"faster": "less", "slower": "more"}
CPU_WORDS = {"faster": "lower", "slower": "higher"}


@dataclass(frozen=True)
class Figure:
    """One figure of both versions judged over paired runs (``verdict`` in the figure's own words)."""

    metric: str
    ratio: float
    ci: tuple[float, float]
    p: float
    verdict: str
    parent: float  # medians
    candidate: float
    parent_runs: tuple[float, ...]
    candidate_runs: tuple[float, ...]


@dataclass(frozen=True)
class Memory(Figure):
    """Peak RSS, judged against ``budget`` (the largest candidate/parent ratio accepted)."""

    budget: float = 1.5
    over_budget: bool = False
    parent_peak_mb: float = 0.0
    candidate_peak_mb: float = 0.0
    pairs: int = 0
    tracemalloc: Figure | None = None
    seed_pairs: tuple[int, ...] = ()
    order: tuple[str, ...] = ()


def judge_figure(metric: str, parent: Sequence[float], candidate: Sequence[float], *, alpha: float,
                 min_effect: float, floor: float, words: dict[str, str]) -> Figure:
    stats, verdict = paired_figure(parent, candidate, alpha=alpha, min_effect=min_effect, floor=floor)
    return Figure(metric=metric, ratio=stats.ratio, ci=(stats.ci_low, stats.ci_high), p=p_value(stats, verdict),
                  verdict=words.get(verdict, verdict), parent=float(np.median(parent)),
                  candidate=float(np.median(candidate)), parent_runs=tuple(map(float, parent)),
                  candidate_runs=tuple(map(float, candidate)))


def memory_of(parent_mb: Sequence[float], candidate_mb: Sequence[float], *, alpha: float, min_effect: float,
              budget: float, tracemalloc: Figure | None = None, seeds: Sequence[int] = (),
              orders: Sequence[str] = ()) -> Memory:
    rss = judge_figure("peak RSS, MB", parent_mb, candidate_mb, alpha=alpha, min_effect=min_effect,
                       floor=1 / _MB, words=MEMORY_WORDS)
    return Memory(**{f.name: getattr(rss, f.name) for f in dataclasses.fields(Figure)}, budget=budget,
                  over_budget=bool(rss.ci[1] > budget), parent_peak_mb=rss.parent, candidate_peak_mb=rss.candidate,
                  pairs=len(parent_mb), tracemalloc=tracemalloc, seed_pairs=tuple(seeds), order=tuple(orders))


def cpu_of(pairs: Sequence[tuple[float, float]], *, alpha: float, min_effect: float) -> Figure | None:
    """CPU share (process CPU time / wall time, in %) from per-pair figures; None without any."""
    if not pairs:
        return None
    return judge_figure("CPU time / wall time, %", [100 * a for a, _ in pairs], [100 * b for _, b in pairs],
                        alpha=alpha, min_effect=min_effect, floor=0.01, words=CPU_WORDS)


def memory_runs(parent: Bench, candidate: Bench, rng: np.random.Generator, seeds: Sequence[int], *,
                alpha: float, min_effect: float, budget: float) -> tuple[Memory, Figure]:
    """Peak RSS, tracemalloc peak and CPU % in ``MEMORY_PAIRS`` interleaved runs of the memory mode."""
    extra = [int(rng.integers(0, 2**32)) for _ in range(max(0, MEMORY_PAIRS - len(seeds)))]
    seeds = [*seeds[:MEMORY_PAIRS], *extra]
    orders = ["AB" if rng.random() < 0.5 else "BA" for _ in seeds]
    a, b = [], []
    for seed, order in zip(seeds, orders):
        for who in order:
            if who == "A":
                a.append(memory_run(parent, seed, EvolverError))
            else:
                b.append(memory_run(candidate, seed, CandidateFailed))
    traced = judge_figure("tracemalloc peak, MB", [x["tracemalloc_peak_bytes"] / _MB for x in a],
                          [x["tracemalloc_peak_bytes"] / _MB for x in b], alpha=alpha, min_effect=min_effect,
                          floor=1 / _MB, words=MEMORY_WORDS)
    memory = memory_of([x["peak_rss_bytes"] / _MB for x in a], [x["peak_rss_bytes"] / _MB for x in b],
                       alpha=alpha, min_effect=min_effect, budget=budget, tracemalloc=traced, seeds=seeds,
                       orders=orders)
    cpu = judge_figure("CPU time / wall time, %", [x["cpu_percent"] for x in a], [x["cpu_percent"] for x in b],
                       alpha=alpha, min_effect=min_effect, floor=0.01, words=CPU_WORDS)
    return memory, cpu


# -- instruction counts: a low-noise signal, recorded, never deciding -------------------------------

VALGRIND = ("--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")
VALGRIND_SLOWDOWN = 50  # how much longer than native a run may take under cachegrind
INSTRUCTION_CALLS = 2
I_REFS = re.compile(r"^==\d+==\s+I\s+refs:\s+([\d,]+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Instructions:
    """Instructions per workload call of each version, or why they were not counted."""

    parent: float | None = None
    candidate: float | None = None
    ratio: float | None = None
    tool: str = "cachegrind"
    binary: str = ""
    hash_seed: int = CHECK_SEED
    calls: int = INSTRUCTION_CALLS
    skipped: str = ""


def instruction_counts(parent: Bench, candidate: Bench) -> Instructions:
    """Instructions per workload call of each version under valgrind (cachegrind), with the
    interpreter's start-up, the import and the warm-up call subtracted."""
    missing = valgrind_missing()
    if missing:
        return Instructions(skipped=missing)
    try:
        counts = [instructions_per_call(bench) for bench in (parent, candidate)]
    except EvolverError as exc:
        return Instructions(skipped=f"cachegrind run failed: {exc}")
    return Instructions(parent=counts[0], candidate=counts[1], ratio=counts[1] / counts[0] if counts[0] else None,
                        binary=os.path.realpath(sys.executable))


def valgrind_missing() -> str:
    """Why instructions cannot be counted here ("" when they can)."""
    if shutil.which("valgrind") is None:
        return "valgrind is not installed"
    binary = os.path.realpath(sys.executable)
    try:
        with open(binary, "rb") as handle:
            is_elf = handle.read(4) == b"\x7fELF"
    except OSError:
        is_elf = False
    return "" if is_elf else f"the interpreter {binary} is not a native binary (a shim?)"


def instructions_per_call(bench: Bench) -> float:
    """The difference between runs of 1 + ``INSTRUCTION_CALLS`` and 1 timed calls, per call: both
    runs share the start-up, the import and the warm-up call, under one fixed hash seed."""
    base, more = (_instructions(bench, loops) for loops in (1, 1 + INSTRUCTION_CALLS))
    return max(0.0, (more - base) / INSTRUCTION_CALLS)


def _instructions(bench: Bench, loops: int) -> int:
    with bench.scratch.io_dir() as tmp:
        log = Path(tmp, "cachegrind.log")
        run_worker(bench, "time", loops=loops, repeat=1, retake=False, calls=(loops + 1) * VALGRIND_SLOWDOWN,
                   wrapper=(shutil.which("valgrind") or "valgrind", *VALGRIND, f"--log-file={log}"))
        found = I_REFS.findall(log.read_text(encoding="utf-8", errors="replace")) if log.exists() else []
    if not found:
        raise EvolverError("cachegrind wrote no instruction count")
    return int(found[-1].replace(",", ""))
