"""Measure versions of a module in sandbox workers and compare two of them with paired statistics.

Every sample runs in a fresh worker process that times the workload itself (start-up excluded) and
reports the hash of the module it imported; parent and candidate samples come in interleaved pairs,
in random order, each pair under one random ``PYTHONHASHSEED``. The decision is group-sequential:
a one-sided Wilcoxon signed-rank test on the per-pair log ratios at each look, plus a bootstrap
95% interval on the ratio that must clear the minimum effect.
"""

from __future__ import annotations

import hashlib
import json
import math
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy.stats import wilcoxon

from evolver.errors import EvolverError
from evolver.model import Comparison, FunctionProfile, Profile, Settings
from evolver.sandbox.oracle import pytest_args
from evolver.sandbox.runner import run_isolated
from evolver.sandbox.scratch import Scratch

WORKER = Path(__file__).resolve().parent / "sandbox" / "worker.py"
LOOKS = (10, 20, 40)
MIN_SAMPLE_S = 0.05
BOOTSTRAP = 2000
CHECK_SEED = 0
_MB = 1024 * 1024
_PYTEST_QUIET = ["-q", "-p", "no:cacheprovider"]

Verdict = Literal["faster", "slower", "no significant difference"]


class CandidateFailed(EvolverError):
    """A candidate's worker crashed, hung, or measured other code than meant: the candidate fails."""


class Bench:
    """One version of the module, ready to be measured, living in a Scratch."""

    def __init__(self, scratch: Scratch, settings: Settings, expected_hash: str) -> None:
        self.scratch = scratch
        self.settings = settings
        self.expected_hash = expected_hash
        self.loops: int | None = None  # calibrated once, on the parent, and reused

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


def run_worker(bench: Bench, mode: str, *, seed: int = CHECK_SEED,
               failure: type[EvolverError] = CandidateFailed, **fields: Any) -> dict[str, Any]:
    """Run the worker once in a fresh process; raise ``failure`` unless it answered for the code meant."""
    scratch = bench.scratch
    workload = bench.workload
    with tempfile.TemporaryDirectory(prefix="evolver-worker-") as tmp:
        request = {"mode": mode, "module": scratch.target.module, "module_file": str(scratch.module_path),
                   "expected_hash": bench.expected_hash, "workload": workload,
                   "transient": list(bench.settings.transient), "result": str(Path(tmp, "answer.json")),
                   **fields}
        Path(tmp, "request.json").write_text(json.dumps(request), encoding="utf-8")
        cwd = scratch.dir if workload.startswith("pytest:") else scratch.import_root
        env = {"HOME": str(scratch.dir), "PYTHONPATH": str(scratch.import_root), "PYTHONHASHSEED": str(seed)}
        run = run_isolated([sys.executable, "-P", str(WORKER), str(Path(tmp, "request.json"))], cwd,
                           env=env, timeout_s=bench.settings.timeout_s)
        answer = _read_answer(Path(tmp, "answer.json"))
    if run.timed_out:
        raise failure(f"the {mode} run timed out after {bench.settings.timeout_s:g} s")
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
                         float(f["cumtime"]), min(1.0, float(f["cumtime"]) / total))
         for f in answer["functions"]),
        key=lambda f: -f.cumtime_s)
    return Profile(total_s=float(answer["total"]), functions=tuple(functions))


def calibrate(bench: Bench, failure: type[EvolverError] = CandidateFailed) -> int:
    """Loops per sample so that one sample takes at least ~50 ms; cached on the bench."""
    if bench.loops is None:
        bench.loops = int(run_worker(bench, "calibrate", failure=failure, min_time=MIN_SAMPLE_S)["loops"])
    return bench.loops


def sample(bench: Bench, loops: int, seed: int, failure: type[EvolverError] = CandidateFailed) -> float:
    """Per-loop seconds of one fresh worker process."""
    return float(run_worker(bench, "time", seed=seed, failure=failure, loops=loops, repeat=1)["per_loop_s"][0])


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
    if final or (1 - min_effect < stats.ci_low and stats.ci_high < 1 / (1 - min_effect)):
        return "no significant difference"
    return None


def look_schedule(max_pairs: int) -> tuple[int, ...]:
    return tuple(sorted({n for n in LOOKS if n < max_pairs} | {max_pairs}))


def compare(parent: Bench, candidate: Bench, *, alpha: float, min_effect: float,
            n_candidates: int = 1, max_pairs: int = 40) -> Comparison:
    """Interleaved A/B pairs with group-sequential looks; alpha split over looks and candidates."""
    loops = calibrate(parent, EvolverError)
    schedule = look_schedule(max_pairs)
    alpha_look = alpha / len(schedule) / max(1, n_candidates)
    rng = np.random.default_rng()
    seeds: list[int] = []
    orders: list[str] = []
    times: dict[str, list[float]] = {"A": [], "B": []}
    benches = {"A": (parent, EvolverError), "B": (candidate, CandidateFailed)}
    for k, target_pairs in enumerate(schedule, start=1):
        while len(seeds) < target_pairs:
            seeds.append(int(rng.integers(0, 2**32)))
            orders.append("AB" if rng.random() < 0.5 else "BA")
            for who in orders[-1]:
                bench, failure = benches[who]
                times[who].append(sample(bench, loops, seeds[-1], failure))
        stats = look(np.array(times["A"]), np.array(times["B"]))
        verdict = decide(stats, alpha_look=alpha_look, min_effect=min_effect, final=k == len(schedule))
        if verdict is not None:
            break
    assert verdict is not None
    p_value = {"faster": stats.p_faster, "slower": stats.p_slower}.get(
        verdict, min(1.0, 2 * min(stats.p_faster, stats.p_slower)))
    return Comparison(
        verdict=verdict, ratio=stats.ratio, ci_low=stats.ci_low, ci_high=stats.ci_high, p_value=p_value,
        pairs=len(seeds), parent_s=tuple(times["A"]), candidate_s=tuple(times["B"]), loops=loops,
        extra={"seed_pairs": seeds, "order": orders, "alpha_look": alpha_look, "looks": k,
               "schedule": list(schedule), "bootstrap_seed": stats.bootstrap_seed,
               "parent_hash": parent.expected_hash, "candidate_hash": candidate.expected_hash})
