"""Measure versions of a module in sandbox workers and compare two of them with paired statistics.

Every sample runs in a fresh worker process that times the workload itself (start-up excluded) and
reports the hash of the module it imported; parent and candidate samples come in interleaved pairs,
in random order, each pair under one random ``PYTHONHASHSEED``. The decision is group-sequential:
a one-sided Wilcoxon signed-rank test on the per-pair log ratios at each look, plus a bootstrap
95% interval on the ratio that must clear the minimum effect. Peak memory and CPU % are judged by
the same paired rule in runs of their own; instruction counts (valgrind) are recorded on request.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import re
import select
import shlex
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
from scipy.stats import wilcoxon

from evolver.errors import EvolverError
from evolver.model import Comparison, FunctionProfile, Profile, Settings
from evolver.sandbox.oracle import pytest_args
from evolver.sandbox.scratch import Scratch

WORKER = Path(__file__).resolve().parent / "sandbox" / "worker.py"
LOOKS = (10, 20, 40, 80)  # the looks below settings.max_pairs, then max_pairs itself
MEMORY_PAIRS = 7  # the fewest pairs whose signed-rank test can reach p < 0.01 (1 / 128)
MIN_SAMPLE_S = 0.02  # seconds one timing window lasts at least
SIDE_BUDGET_S = 0.15  # timing per side of a pair beyond which fewer windows are taken
MIN_WINDOWS = 2
BOOTSTRAP = 2000
CHECK_SEED = 0
_MB = 1024 * 1024
_PYTEST_QUIET = ["-q", "-p", "no:cacheprovider"]

Verdict = Literal["faster", "slower", "no significant difference"]
T = TypeVar("T")


class CandidateFailed(EvolverError):
    """A candidate's worker crashed, hung, or measured other code than meant: the candidate fails."""


class Bench:
    """One version of the module, ready to be measured, living in a Scratch."""

    def __init__(self, scratch: Scratch, settings: Settings, expected_hash: str) -> None:
        self.scratch = scratch
        self.settings = settings
        self.expected_hash = expected_hash
        self.loops: int | None = None  # calibrated once, on the parent, and reused
        self.window_s: float | None = None  # what one window of ``loops`` calls took at calibration

    @property
    def workload(self) -> str:
        return workload_spec(self.scratch, self.settings)


def workload_spec(scratch: Scratch, settings: Settings) -> str:
    """``settings.bench``, or the pytest run the oracle uses, run in-process by the worker."""
    if settings.bench:
        return settings.bench
    if settings.tests is None:
        return "pytest:" + shlex.join(_PYTEST_QUIET)
    args = pytest_args(settings.tests)
    if args is not None:
        return "pytest:" + shlex.join([*args, *_PYTEST_QUIET])
    if settings.tests.strip() == "doctest":
        return "pytest:" + shlex.join([*_PYTEST_QUIET, "--doctest-modules", str(scratch.module_path)])
    raise EvolverError(f"cannot time the test command `{settings.tests}` in-process: "
                       "set bench = \"module:function\"")


def run_worker(bench: Bench, mode: str, *, seed: int = CHECK_SEED, failure: type[EvolverError] = CandidateFailed,
               wrapper: Sequence[str] = (), **fields: Any) -> dict[str, Any]:
    """Run the worker once in a fresh process; raise ``failure`` unless it answered for the code meant."""
    with bench.scratch.io_dir() as tmp:
        return worker_in(bench, Path(tmp), mode, seed=seed, failure=failure, wrapper=wrapper, **fields)


def worker_in(bench: Bench, tmp: Path, mode: str, *, seed: int, failure: type[EvolverError],
              wrapper: Sequence[str] = (), **fields: Any) -> dict[str, Any]:
    """``run_worker`` with the request and answer files in ``tmp``, a folder of the bench's scratch."""
    scratch = bench.scratch
    workload = bench.workload
    request = {"mode": mode, "module": scratch.target.module, "module_file": str(scratch.module_path),
               "expected_hash": bench.expected_hash, "workload": workload,
               "transient": list(bench.settings.transient), "result": str(tmp / "answer.json"), **fields}
    (tmp / "request.json").write_text(json.dumps(request), encoding="utf-8")
    cwd = scratch.dir if workload.startswith("pytest:") else scratch.import_root
    env = {"HOME": str(scratch.dir), "PYTHONPATH": str(scratch.import_root), "PYTHONHASHSEED": str(seed)}
    run = scratch.run([*wrapper, sys.executable, "-P", str(WORKER), str(tmp / "request.json")], cwd,
                      env=env, timeout_s=bench.settings.timeout_s, readable=(WORKER.parent,))
    answer = _read_answer(tmp / "answer.json")
    if run.timed_out:
        raise failure(f"the {mode} run timed out after {bench.settings.timeout_s:g} s")
    if run.killed:
        raise failure(f"the {mode} run was stopped by the sandbox: {run.killed}")
    if answer is None:
        last = (run.stderr.strip().splitlines() or ["no output"])[-1][:300]
        raise failure(f"the {mode} worker exited with {run.returncode} and no answer: {last}")
    if not answer.get("ok"):
        raise failure(" ".join(str(answer.get("error", "the worker refused")).split())[:500])
    if answer.get("hash") != bench.expected_hash:
        raise failure(f"the worker measured module {str(answer.get('hash'))[:12]}, "
                      f"not the expected {bench.expected_hash[:12]}")
    return answer


def _read_answer(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def check(bench: Bench) -> dict[str, Any]:
    """Run the workload once under a fixed hash seed: the module's hash, the output digest, the error."""
    answer = run_worker(bench, "check")
    return {"hash": answer["hash"], "output": answer["output"], "error": answer["error"]}


def profile(bench: Bench) -> Profile:
    answer = run_worker(bench, "profile")
    total = float(answer["total"]) or 1e-12
    module = bench.scratch.target.module
    functions = sorted(
        (FunctionProfile(f"{module}:{f['qualname']}", int(f["calls"]), float(f["tottime"]),
                         float(f["cumtime"]), min(1.0, float(f["cumtime"]) / total),
                         None if f.get("repeat_rate") is None else float(f["repeat_rate"]))
         for f in answer["functions"]),
        key=lambda f: -f.cumtime_s)
    return Profile(total_s=float(answer["total"]), functions=tuple(functions))


def calibrate(bench: Bench, failure: type[EvolverError] = CandidateFailed) -> int:
    """Loops per timing window so that one window takes at least ``MIN_SAMPLE_S``; cached on the bench."""
    if bench.loops is None:
        answer = run_worker(bench, "calibrate", failure=failure, min_time=MIN_SAMPLE_S)
        bench.loops, bench.window_s = int(answer["loops"]), float(answer.get("sample_s", 0.0))
    return bench.loops


def windows_for(bench: Bench) -> int:
    """Timing windows per side of a pair: ``settings.windows`` for short windows, fewer (never
    below ``MIN_WINDOWS``) when one window is long, so that a side times about ``SIDE_BUDGET_S`` at
    most: long windows already average the machine's short-term noise, and a 0.6 s workload timed
    6 times per side would make each pair cost 7 s."""
    wanted = max(1, bench.settings.windows)
    window_s = getattr(bench, "window_s", None)
    if not window_s or window_s <= 0:
        return wanted
    return max(min(MIN_WINDOWS, wanted), min(wanted, math.ceil(SIDE_BUDGET_S / window_s)))


def sample(bench: Bench, loops: int, seed: int, failure: type[EvolverError] = CandidateFailed) -> float:
    """Per-loop seconds of one fresh worker process: the fastest of its ``windows_for(bench)`` timing
    windows, on the CPU the pair's seed draws (``pair_cpu``) when ``settings.pin_cpu``."""
    cpu = pair_cpu(seed) if bench.settings.pin_cpu else None
    answer = run_worker(bench, "time", seed=seed, failure=failure, loops=loops,
                        repeat=windows_for(bench), cpu=cpu)
    return float(min(answer["per_loop_s"]))


def alternating_pair(parent: Bench, candidate: Bench, loops: int, seed: int, order: str) -> tuple[float, float]:
    """One pair: a fresh worker per side, both started at once under hash seed ``seed``, both pinned
    to ``pair_cpu(seed)``, then timing ``settings.windows`` windows each by turns (``order``, then
    reversed, and so on: ABBAAB...), so that both sides share every phase of the machine's speed.
    Each side's sample is its fastest window, in per-loop seconds."""
    windows = windows_for(parent)
    cpu = pair_cpu(seed) if parent.settings.pin_cpu else None
    sides = {"A": (parent, EvolverError), "B": (candidate, CandidateFailed)}
    timeout_s = max(parent.settings.timeout_s, candidate.settings.timeout_s)
    with ExitStack() as stack:
        channels: dict[str, _Channel] = {}
        for who, (bench, _) in sides.items():
            channels[who] = stack.enter_context(_Channel(who, Path(stack.enter_context(bench.scratch.io_dir()))))
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=2))
        stack.callback(_stop_all, channels)  # before the pool joins
        futures = {who: pool.submit(worker_in, bench, channels[who].dir, "alternate", seed=seed, failure=failure,
                                    loops=loops, cpu=cpu, commands=str(channels[who].commands),
                                    answers=str(channels[who].answers))
                   for who, (bench, failure) in sides.items()}
        deadline = time.monotonic() + timeout_s + 5
        try:
            for who in "AB":
                channels[who].expect("ready", futures[who], deadline)
            for k in range(windows):
                for who in order if k % 2 == 0 else order[::-1]:
                    channels[who].send("time")
                    channels[who].expect(None, futures[who], deadline)
        except _ChannelClosed as closed:
            for channel in channels.values():
                channel.stop()
            futures[closed.who].result()  # raises the worker's own failure, if it had one
            raise sides[closed.who][1](f"the alternate worker stopped early: {closed}") from None
        for channel in channels.values():
            channel.stop()
        answers = {who: future.result() for who, future in futures.items()}
    if any(len(answers[who]["per_loop_s"]) != windows for who in "AB"):
        raise EvolverError("an alternate worker timed fewer windows than asked")
    return float(min(answers["A"]["per_loop_s"])), float(min(answers["B"]["per_loop_s"]))


class _ChannelClosed(Exception):
    def __init__(self, who: str, why: str) -> None:
        super().__init__(why)
        self.who = who


class _Channel:
    """The two FIFOs of one alternate worker, in its io folder; evolver holds both ends open first,
    so neither side blocks opening them, and reads with a deadline so a dead worker cannot hang it."""

    def __init__(self, who: str, folder: Path) -> None:
        self.who, self.dir = who, folder
        self.commands, self.answers = folder / "commands", folder / "answers"
        self._buffer = bytearray()
        self._stopped = False

    def __enter__(self) -> _Channel:
        os.mkfifo(self.commands, 0o600)
        os.mkfifo(self.answers, 0o600)
        self._answers = os.open(self.answers, os.O_RDONLY | os.O_NONBLOCK)
        self._commands = os.open(self.commands, os.O_RDWR)  # never blocks, even before the worker opens it
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._commands)
        os.close(self._answers)

    def send(self, line: str) -> None:
        os.write(self._commands, line.encode("ascii") + b"\n")

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self.send("stop")

    def expect(self, word: str | None, future: Future[Any], deadline: float) -> str:
        """The worker's next line (``word`` exactly, or a number when ``word`` is None)."""
        while b"\n" not in self._buffer:
            if time.monotonic() > deadline:
                raise _ChannelClosed(self.who, "no answer before the timeout")
            ready, _, _ = select.select([self._answers], [], [], 0.05)
            chunk = b""
            if ready:
                try:
                    chunk = os.read(self._answers, 4096)
                except BlockingIOError:
                    chunk = b""
            if chunk:
                self._buffer += chunk
                continue
            if future.done():
                raise _ChannelClosed(self.who, "the worker exited")
            if ready:  # end of file: the worker has not opened its end yet
                time.sleep(0.002)
        line, _, rest = bytes(self._buffer).partition(b"\n")
        self._buffer[:] = rest
        text = line.decode("ascii", errors="replace").strip()
        if (word is not None and text != word) or (word is None and not _is_number(text)):
            raise _ChannelClosed(self.who, f"unexpected answer {text[:40]!r}")
        return text


def _stop_all(channels: dict[str, _Channel]) -> None:
    for channel in channels.values():
        channel.stop()


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def pair_cpu(seed: int) -> int | None:
    """The CPU both runs of the pair with hash seed ``seed`` are pinned to, among those this process
    may use: the two vCPUs of a shared machine run at different speeds for seconds at a time, so a
    pair split across them would measure the CPUs, not the code."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return cpus[seed % len(cpus)] if len(cpus) > 1 else None


def measure(bench: Bench, runs: int = 5) -> dict[str, float]:
    """Baseline metrics: wall time per workload run (median of ``runs`` processes, spread = MAD),
    peak RSS, tracemalloc peak, CPU %, and surfaced transient failures."""
    loops = calibrate(bench)
    rng = np.random.default_rng()
    times = np.array([sample(bench, loops, int(rng.integers(0, 2**32))) for _ in range(max(1, runs))])
    median = float(np.median(times))
    memory = run_worker(bench, "memory")
    return {
        "wall_time_ms": median * 1000,
        "wall_time_ms_spread": float(np.median(np.abs(times - median))) * 1000,
        "peak_memory_mb": memory["peak_rss_bytes"] / _MB,
        "tracemalloc_peak_mb": memory["tracemalloc_peak_bytes"] / _MB,
        "cpu_percent": float(memory["cpu_percent"]),
        "error_count": float(error_count(bench)),
        "loops": float(loops),
        "samples": float(len(times)),
    }


def error_count(bench: Bench) -> int:
    """Surfaced transient failures over one workload run (the "errors" mode alone, no timing)."""
    return int(run_worker(bench, "errors")["error_count"])


@dataclass(frozen=True)
class Look:
    """The statistics of the pairs so far."""

    ratio: float  # exp of the Hodges-Lehmann estimate of the per-pair log ratios
    ci_low: float  # bootstrap 95% interval on that ratio
    ci_high: float
    p_faster: float  # one-sided Wilcoxon signed-rank p-values
    p_slower: float
    bootstrap_seed: int


def look(parent_s: np.ndarray, candidate_s: np.ndarray) -> Look:
    """Paired statistics on per-pair log ratios; reproducible from the samples alone."""
    logs = np.log(candidate_s) - np.log(parent_s)
    seed = int.from_bytes(hashlib.sha256(logs.tobytes()).digest()[:7], "little")  # fits SQLite integers
    rng = np.random.default_rng(seed)
    resampled = logs[rng.integers(0, len(logs), size=(BOOTSTRAP, len(logs)))]
    low, high = np.percentile(_hodges_lehmann(resampled), [2.5, 97.5])
    point = float(_hodges_lehmann(logs[None, :])[0])
    return Look(math.exp(point), math.exp(low), math.exp(high),
                _wilcoxon(logs, "less"), _wilcoxon(logs, "greater"), seed)


def _hodges_lehmann(rows: np.ndarray) -> np.ndarray:
    """Median of the Walsh averages of each row: the estimate that goes with the signed-rank test."""
    i, j = np.triu_indices(rows.shape[1])
    return np.median((rows[:, i] + rows[:, j]) / 2, axis=1)


def _wilcoxon(logs: np.ndarray, alternative: str) -> float:
    if not np.any(logs):
        return 1.0
    return float(wilcoxon(logs, alternative=alternative).pvalue)


def decide(stats: Look, *, alpha_look: float, min_effect: float, final: bool) -> Verdict | None:
    """A verdict, or None to keep sampling."""
    if stats.p_faster < alpha_look and stats.ci_high < 1 - min_effect:
        return "faster"
    if stats.p_slower < alpha_look and stats.ci_low > 1 / (1 - min_effect):
        return "slower"
    if final or stats.ci_low >= 1 - min_effect:  # the interval rules out any gain worth having
        return "no significant difference"
    return None


def look_schedule(max_pairs: int) -> tuple[int, ...]:
    return tuple(sorted({n for n in LOOKS if n < max_pairs} | {max_pairs}))


def compare(parent: Bench, candidate: Bench, *, alpha: float, min_effect: float, n_candidates: int = 1,
            max_pairs: int | None = None, memory: bool | None = None,
            instructions: bool | None = None) -> Comparison:
    """Interleaved A/B pairs with group-sequential looks; alpha split over looks and candidates.

    ``max_pairs`` defaults to the parent's ``settings.max_pairs``. Memory and CPU % are judged in
    pairs of their own: always (``memory=True``), never (False) or when the candidate is faster
    (None). Instruction counts are recorded when ``instructions`` (default: the parent's
    ``settings.instructions``) asks for them; they never decide.
    """
    loops = calibrate(parent, EvolverError)
    schedule = look_schedule(max_pairs or parent.settings.max_pairs)
    alpha_look = alpha / len(schedule) / max(1, n_candidates)
    rng = np.random.default_rng()
    pairs, stats, verdict = timed_pairs(parent, candidate, loops, rng, schedule=schedule, alpha_look=alpha_look,
                                        min_effect=min_effect)
    extra: dict[str, Any] = {
        "seed_pairs": pairs.seeds, "order": pairs.orders, "windows": windows_for(parent),
        "cpus": [pair_cpu(seed) for seed in pairs.seeds] if parent.settings.pin_cpu else None,
        "alpha": alpha, "alpha_look": alpha_look,
        "min_effect": min_effect, "n_candidates": n_candidates, "looks": schedule.index(len(pairs.seeds)) + 1,
        "schedule": list(schedule), "bootstrap_seed": stats.bootstrap_seed,
        "parent_hash": parent.expected_hash, "candidate_hash": candidate.expected_hash,
        "isolation": list(candidate.scratch.isolation), "memory": None}
    if memory or (memory is None and verdict == "faster"):
        extra.update(memory_and_cpu(parent, candidate, rng, pairs.seeds, alpha=alpha, min_effect=min_effect,
                                    budget=parent.settings.memory_budget))
    if parent.settings.instructions if instructions is None else instructions:
        extra["instructions"] = instruction_counts(parent, candidate)
    return Comparison(
        verdict=verdict, ratio=stats.ratio, ci_low=stats.ci_low, ci_high=stats.ci_high,
        p_value=p_value(stats, verdict), pairs=len(pairs.seeds), parent_s=tuple(pairs.parent_s),
        candidate_s=tuple(pairs.candidate_s), loops=loops, extra=extra)


@dataclass
class Pairs:
    """The timing pairs run so far: per-loop seconds of each side, each pair's hash seed and order."""

    seeds: list[int] = dataclasses.field(default_factory=list)
    orders: list[str] = dataclasses.field(default_factory=list)
    parent_s: list[float] = dataclasses.field(default_factory=list)
    candidate_s: list[float] = dataclasses.field(default_factory=list)


def timed_pairs(parent: Bench, candidate: Bench, loops: int, rng: np.random.Generator, *,
                schedule: tuple[int, ...], alpha_look: float, min_effect: float) -> tuple[Pairs, Look, Verdict]:
    """Run pairs up to each look of ``schedule`` until one decides (the last one always does)."""
    pairs = Pairs()
    for k, target_pairs in enumerate(schedule, start=1):
        seeds, orders = new_pairs(rng, target_pairs - len(pairs.seeds))
        timed = [alternating_pair(parent, candidate, loops, seed, order) for seed, order in zip(seeds, orders)]
        a, b = [x for x, _ in timed], [y for _, y in timed]
        pairs.seeds.extend(seeds)
        pairs.orders.extend(orders)
        pairs.parent_s.extend(a)
        pairs.candidate_s.extend(b)
        stats = look(np.array(pairs.parent_s), np.array(pairs.candidate_s))
        verdict = decide(stats, alpha_look=alpha_look, min_effect=min_effect, final=k == len(schedule))
        if verdict is not None:
            return pairs, stats, verdict
    raise AssertionError("the last look always decides")


def p_value(stats: Look, verdict: Verdict) -> float:
    """One-sided in the direction of the verdict; two-sided when there is no difference."""
    return {"faster": stats.p_faster, "slower": stats.p_slower}.get(
        verdict, min(1.0, 2 * min(stats.p_faster, stats.p_slower)))


def new_pairs(rng: np.random.Generator, n: int) -> tuple[list[int], list[str]]:
    """``n`` pairs: a hash seed each, shared by its two runs, and a random order."""
    seeds = [int(rng.integers(0, 2**32)) for _ in range(max(0, n))]
    return seeds, ["AB" if rng.random() < 0.5 else "BA" for _ in seeds]


def paired_runs(parent: Bench, candidate: Bench, seeds: Sequence[int], orders: Sequence[str],
                run: Callable[[Bench, int, type[EvolverError]], T]) -> tuple[list[T], list[T]]:
    """``run`` on the parent (A) and the candidate (B) once per pair, in the pair's order and seed."""
    a: list[T] = []
    b: list[T] = []
    for seed, order in zip(seeds, orders):
        for who in order:
            if who == "A":
                a.append(run(parent, seed, EvolverError))
            else:
                b.append(run(candidate, seed, CandidateFailed))
    return a, b


def memory_over_budget(comparison: Comparison) -> bool:
    """True when the candidate's peak memory may exceed the memory budget: reject it."""
    return bool((comparison.extra.get("memory") or {}).get("over_budget", False))


# -- memory and CPU, in pairs of their own (tracemalloc distorts time) ------------------------------

_MEMORY_WORDS = {"faster": "less", "slower": "more"}
_CPU_WORDS = {"faster": "lower", "slower": "higher"}


def paired_judgement(parent: Sequence[float], candidate: Sequence[float], *, alpha: float, min_effect: float,
                     floor: float, words: dict[str, str]) -> dict[str, Any]:
    """The time rule at one look, for any positive per-run figure; ``words`` rename "faster" and
    "slower". Values below ``floor`` are raised to it, so a zero is not an infinite log ratio."""
    stats = look(np.maximum(np.asarray(parent, float), floor), np.maximum(np.asarray(candidate, float), floor))
    verdict = decide(stats, alpha_look=alpha, min_effect=min_effect, final=True)
    assert verdict is not None
    return {"ratio": stats.ratio, "ci": [stats.ci_low, stats.ci_high], "p": p_value(stats, verdict),
            "verdict": words.get(verdict, verdict)}


def memory_and_cpu(parent: Bench, candidate: Bench, rng: np.random.Generator, seeds: Sequence[int], *,
                   alpha: float, min_effect: float, budget: float) -> dict[str, Any]:
    """Peak RSS (judged against ``budget``, the largest candidate/parent ratio allowed), tracemalloc
    peak and CPU % from the worker's memory mode, in ``MEMORY_PAIRS`` interleaved pairs."""
    extra_seeds, _ = new_pairs(rng, MEMORY_PAIRS - len(seeds))
    seeds = [*seeds[:MEMORY_PAIRS], *extra_seeds]
    orders = ["AB" if rng.random() < 0.5 else "BA" for _ in seeds]
    a, b = paired_runs(parent, candidate, seeds, orders,
                       lambda bench, seed, failure: run_worker(bench, "memory", seed=seed, failure=failure))

    def judged(key: str, scale: float, floor: float, words: dict[str, str] = _MEMORY_WORDS) -> dict[str, Any]:
        pa, pb = [x[key] / scale for x in a], [x[key] / scale for x in b]
        found = paired_judgement(pa, pb, alpha=alpha, min_effect=min_effect, floor=floor, words=words)
        return found | {"parent": float(np.median(pa)), "candidate": float(np.median(pb)),
                        "parent_runs": pa, "candidate_runs": pb}

    rss = judged("peak_rss_bytes", _MB, 1 / _MB)
    traced = judged("tracemalloc_peak_bytes", _MB, 1 / _MB)
    cpu = judged("cpu_percent", 1.0, 0.01, _CPU_WORDS)
    memory = rss | {"metric": "peak RSS, MB", "parent_peak_mb": rss["parent"], "candidate_peak_mb": rss["candidate"],
                    "budget": budget, "over_budget": bool(rss["ci"][1] > budget), "tracemalloc": traced,
                    "pairs": len(seeds), "seed_pairs": seeds, "order": orders}
    return {"memory": memory, "cpu": cpu | {"metric": "CPU time / wall time, %"}}


# -- instruction counts: a low-noise signal, recorded, never deciding -------------------------------

VALGRIND = ("--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")
VALGRIND_SLOWDOWN = 50  # how much longer than native a run may take under cachegrind
INSTRUCTION_CALLS = 2
_I_REFS = re.compile(r"^==\d+==\s+I\s+refs:\s+([\d,]+)\s*$", re.MULTILINE)


def instruction_counts(parent: Bench, candidate: Bench) -> dict[str, Any]:
    """Instructions per workload call of each version under valgrind (cachegrind), with the
    interpreter's start-up, the import and the warm-up call subtracted; ``skipped`` says why not."""
    missing = valgrind_missing()
    if missing:
        return {"skipped": missing}
    try:
        counts = [instructions_per_call(bench) for bench in (parent, candidate)]
    except EvolverError as exc:
        return {"skipped": f"cachegrind run failed: {exc}"}
    return {"parent": counts[0], "candidate": counts[1], "ratio": counts[1] / counts[0] if counts[0] else None,
            "tool": "cachegrind", "binary": os.path.realpath(sys.executable), "hash_seed": CHECK_SEED,
            "calls": INSTRUCTION_CALLS}


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
    slow = Bench(bench.scratch, dataclasses.replace(
        bench.settings, timeout_s=min(3600.0, bench.settings.timeout_s * VALGRIND_SLOWDOWN)), bench.expected_hash)
    base, more = (_instructions(slow, loops) for loops in (1, 1 + INSTRUCTION_CALLS))
    return max(0.0, (more - base) / INSTRUCTION_CALLS)


def _instructions(bench: Bench, loops: int) -> int:
    with bench.scratch.io_dir() as tmp:
        log = Path(tmp, "cachegrind.log")
        run_worker(bench, "time", loops=loops, repeat=1,
                   wrapper=(shutil.which("valgrind") or "valgrind", *VALGRIND, f"--log-file={log}"))
        found = _I_REFS.findall(log.read_text(encoding="utf-8", errors="replace")) if log.exists() else []
    if not found:
        raise EvolverError("cachegrind wrote no instruction count")
    return int(found[-1].replace(",", ""))
