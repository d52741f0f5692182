"""The client side of the measuring worker (``sandbox/worker.py``): one version of the module live
in a scratch copy (``Bench``), one-shot worker runs (check, survey, calibrate, memory) and timing
rounds, where fresh workers of several versions take turns timing windows over two FIFOs each.

Every answer is checked: the worker must have imported the file meant, with the bytes meant.
"""

from __future__ import annotations

import json
import math
import os
import select
import shlex
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evolver.errors import EvolverError
from evolver.evaluate.limits import Limits, limits_for
from evolver.model import FunctionProfile, Profile, Settings
from evolver.sandbox.oracle import pytest_args
from evolver.sandbox.scratch import Scratch
from evolver.sandbox.worker import DROPPED, RETAKES

WORKER = Path(__file__).resolve().parent.parent / "sandbox" / "worker.py"
CHECK_SEED = 0
MIN_SAMPLE_S = 0.02  # seconds one timing window lasts at least
SIDE_BUDGET_S = 0.15  # timing per side of a pair beyond which fewer windows are taken (one, at least)
_MB = 1024 * 1024
_PYTEST_QUIET = ["-q", "-p", "no:cacheprovider"]


class CandidateFailed(EvolverError):
    """A candidate's worker crashed, hung, or measured other code than meant: the candidate fails."""


class TimedOut(CandidateFailed):
    """A run went past its limit; ``limit_s`` is the limit it had."""

    def __init__(self, message: str, limit_s: float) -> None:
        super().__init__(message)
        self.limit_s = limit_s


class Cancelled(EvolverError):
    """evolver stopped the run itself (the time budget of the whole run is used up)."""


class Unmeasured(EvolverError):
    """Timing rounds gave a candidate no pair: every window of one side waited for a CPU most of its
    time (the worker retakes such a window and then drops it). No verdict either way."""


class Bench:
    """One version of the module, ready to be measured, living in a Scratch.

    ``limits`` bounds its runs (one workload call, one test run); ``cancel``, when set, stops
    every run of it at once. The calibration (``loops``, ``window_s``) is done once, on the parent.
    """

    def __init__(self, scratch: Scratch, settings: Settings, expected_hash: str,
                 limits: Limits | None = None, cancel: threading.Event | None = None) -> None:
        self.scratch = scratch
        self.settings = settings
        self.expected_hash = expected_hash
        self.limits = limits or limits_for(settings)
        self.cancel = cancel
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


# -- one-shot runs ------------------------------------------------------------------------------

def run_worker(bench: Bench, mode: str, *, seed: int = CHECK_SEED, failure: type[EvolverError] = CandidateFailed,
               wrapper: Sequence[str] = (), calls: float = 1, **fields: Any) -> dict[str, Any]:
    """Run the worker once in a fresh process, allowed the time of ``calls`` workload calls; raise
    ``failure`` unless it answered for the code meant."""
    with bench.scratch.io_dir() as tmp:
        return worker_in(bench, Path(tmp), mode, seed=seed, failure=failure, wrapper=wrapper,
                         timeout_s=bench.limits.run_s(calls), **fields)


def worker_in(bench: Bench, tmp: Path, mode: str, *, seed: int, failure: type[EvolverError], timeout_s: float,
              wrapper: Sequence[str] = (), cancel: threading.Event | None = None, **fields: Any) -> dict[str, Any]:
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
                      env=env, timeout_s=timeout_s, readable=(WORKER.parent,), cancel=_either(cancel, bench.cancel))
    answer = _read_answer(tmp / "answer.json")
    if run.cancelled:
        if bench.cancel is not None and bench.cancel.is_set():
            raise Cancelled(f"the {mode} run was stopped: the time budget is used up")
        raise failure(f"the {mode} run was stopped")
    if run.timed_out:
        raise TimedOut(f"the {mode} run timed out after {timeout_s:.0f} s", timeout_s) if failure is CandidateFailed \
            else failure(f"the {mode} run timed out after {timeout_s:.0f} s")
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


class _Either(threading.Event):
    """Set when either of two events is: a run stops for its own deadline or the whole budget."""

    def __init__(self, *events: threading.Event) -> None:
        super().__init__()
        self.events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)


def _either(a: threading.Event | None, b: threading.Event | None) -> threading.Event | None:
    present = [e for e in (a, b) if e is not None]
    return None if not present else present[0] if len(present) == 1 else _Either(*present)


def _read_answer(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Check:
    """One workload run under a fixed hash seed: the module's hash, the result's digest or the error."""

    hash: str
    output: str | None
    error: str | None

    @property
    def outcome(self) -> str:
        """What two versions must agree on: the output digest, or the exception line."""
        return f"error: {self.error}" if self.error else str(self.output)


def check(bench: Bench, failure: type[EvolverError] = CandidateFailed) -> Check:
    answer = run_worker(bench, "check", failure=failure, calls=1)
    return Check(answer["hash"], answer["output"], answer["error"])


@dataclass(frozen=True)
class Survey:
    """What three workload runs in one process tell about a version: a plain run (output, time,
    CPU share, peak RSS), a profiled run, and a traced run (argument repeats, surfaced transient
    failures); with ``calibrated`` also the timing loops, from warm windows."""

    output: str | None
    error: str | None
    wall_s: float  # the plain (first, cold) run
    cpu_share: float  # process CPU time / wall time of the plain run (threads' CPU included)
    peak_rss_mb: float
    tracemalloc_peak_mb: float | None
    error_count: int | None  # surfaced transient failures; None: not counted (``survey(failures=False)``)
    error_types: dict[str, int]
    profile: Profile
    loops: int | None = None
    window_s: float | None = None  # per window of ``loops`` calls, warm

    @property
    def call_s(self) -> float:
        """One workload call: warm when calibrated, else the plain run."""
        if self.loops and self.window_s:
            return self.window_s / self.loops
        return self.wall_s

    def metrics(self) -> dict[str, float]:
        """The figures the bottleneck rules and the history read, by metric name."""
        found = {"wall_time_ms": self.call_s * 1000, "peak_memory_mb": self.peak_rss_mb,
                 "cpu_percent": 100 * self.cpu_share}
        if self.error_count is not None:
            found["error_count"] = float(self.error_count)
        if self.tracemalloc_peak_mb is not None:
            found["tracemalloc_peak_mb"] = self.tracemalloc_peak_mb
        if self.loops:
            found["loops"] = float(self.loops)
        return found


def survey(bench: Bench, *, calibrated: bool = False, failures: bool = True,
           failure: type[EvolverError] = EvolverError) -> Survey:
    """The survey run; ``calibrated`` also fixes the bench's timing loops (``MIN_SAMPLE_S`` a window).
    ``failures=False`` leaves surfaced transient failures uncounted (a caller that counts them in a
    fresh run of their own): that count hooks every call of the module for the whole traced run,
    which made it many times slower than a plain one on a deep recursion."""
    uncounted: dict[str, Any] = {} if failures else {"transient": []}
    answer = run_worker(bench, "survey", failure=failure, calls=4 if calibrated else 3,
                        calibrate=calibrated, min_time=MIN_SAMPLE_S, **uncounted)
    module = bench.scratch.target.module
    total = float(answer["profile_total"]) or 1e-12
    functions = sorted(
        (FunctionProfile(f"{module}:{f['qualname']}", int(f["calls"]), float(f["tottime"]),
                         float(f["cumtime"]), min(1.0, float(f["cumtime"]) / total),
                         None if f.get("repeat_rate") is None else float(f["repeat_rate"]),
                         None if f.get("keyed_calls") is None else int(f["keyed_calls"]),
                         None if f.get("regex_s") is None else float(f["regex_s"]))
         for f in answer["functions"]),
        key=lambda f: -f.cumtime_s)
    found = Survey(output=answer["output"], error=answer["error"], wall_s=float(answer["wall_s"]),
                   cpu_share=float(answer["cpu_share"]), peak_rss_mb=answer["peak_rss_bytes"] / _MB,
                   tracemalloc_peak_mb=_mb(answer.get("tracemalloc_peak_bytes")),
                   error_count=int(answer["error_count"]) if failures else None,
                   error_types=dict(answer.get("error_types") or {}),
                   profile=Profile(total_s=float(answer["profile_total"]), functions=tuple(functions)),
                   loops=answer.get("loops"), window_s=answer.get("sample_s"))
    if calibrated and found.loops:
        bench.loops, bench.window_s = int(found.loops), float(found.window_s or 0.0)
    return found


def _mb(value: Any) -> float | None:
    return None if value is None else float(value) / _MB


def calibrate(bench: Bench, failure: type[EvolverError] = CandidateFailed) -> int:
    """Loops per timing window so that one window takes at least ``MIN_SAMPLE_S``; cached on the bench."""
    if bench.loops is None:
        answer = run_worker(bench, "calibrate", failure=failure, calls=3, min_time=MIN_SAMPLE_S)
        bench.loops, bench.window_s = int(answer["loops"]), float(answer.get("sample_s", 0.0))
    return bench.loops


def windows_for(bench: Bench) -> int:
    """Timing windows per version in a round: ``settings.windows`` for short windows, fewer (one at
    least) when one window is long, so that a version times about ``SIDE_BUDGET_S`` at most: long
    windows already average the machine's short-term noise, so a second window of a long workload
    buys a pair little precision at a large cost. On the integrator sample (0.6 s windows, A/A, 3
    copies a round; benchmarks/bench_windows.py and two earlier runs of the same method) a pair's
    log ratio had a standard deviation of 0.035, 0.035 and 0.054 with one window against 0.033,
    0.043 and 0.043 with the fastest of two, at 57-60% of the wall time per pair: 1.1-2.4 times the
    precision per second of racing. More pairs, each from fresh workers under a hash seed of their
    own, beat a second window."""
    wanted = max(1, bench.settings.windows)
    window_s = getattr(bench, "window_s", None)
    if not window_s or window_s <= 0:
        return wanted
    return min(wanted, math.ceil(SIDE_BUDGET_S / window_s))  # >= 1: both are


def error_count(bench: Bench, failure: type[EvolverError] = CandidateFailed) -> int:
    """Surfaced transient failures over one fresh workload run (the "errors" mode, no timing)."""
    return int(run_worker(bench, "errors", failure=failure, calls=3)["error_count"])


def memory_run(bench: Bench, seed: int, failure: type[EvolverError]) -> dict[str, Any]:
    """Peak RSS, tracemalloc peak and CPU % of one fresh workload run (the "memory" mode)."""
    return run_worker(bench, "memory", seed=seed, failure=failure, calls=2)


def pair_cpu(seed: int) -> int | None:
    """The CPU all runs of the round with hash seed ``seed`` are pinned to (``settings.pin_cpu``)."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    return cpus[seed % len(cpus)] if len(cpus) > 1 else None


# -- timing rounds: several versions taking turns ------------------------------------------------

@dataclass(frozen=True)
class Timed:
    """One version's part of a round: the fastest window per loop, peak RSS and CPU share."""

    per_loop_s: float
    peak_rss_mb: float
    cpu_share: float | None  # process CPU / wall over its windows; None if the worker did not say
    windows: tuple[float | None, ...]  # per loop; None: dropped (it mostly waited for a CPU, even retaken)
    retaken: int = 0  # windows the worker took again because they mostly waited for a CPU

    @property
    def dropped(self) -> int:
        return sum(w is None for w in self.windows)


@dataclass
class Round:
    """A timing round: ``times[i]`` for ``benches[i]``, ``failures[i]`` when that one failed, or
    ``empty[i]`` (its ``Timed`` with no measured window) when every one of its windows was dropped."""

    seed: int
    order: tuple[int, ...]  # the order of the first turn (then reversed, and so on)
    times: dict[int, Timed] = field(default_factory=dict)
    failures: dict[int, EvolverError] = field(default_factory=dict)
    empty: dict[int, Timed] = field(default_factory=dict)


def timing_round(benches: Sequence[Bench], loops: int, seed: int, order: Sequence[int], windows: int) -> Round:
    """Fresh workers of every bench (``benches[0]`` is the parent), started together under hash seed
    ``seed``; once all are warm they time ``windows`` windows each by turns: ``order``, then its
    reverse, and so on, so that all share every phase of the machine's speed.

    A candidate that fails (crashes, answers late, measures other code) is dropped from the round
    and its failure recorded; a failing parent raises ``EvolverError``. Each window must come
    within the bench's call limit times ``loops``."""
    found = Round(seed=seed, order=tuple(order))
    cpu = pair_cpu(seed) if benches[0].settings.pin_cpu else None
    alive = list(range(len(benches)))
    with ExitStack() as stack:
        channels = [stack.enter_context(_Channel(i, Path(stack.enter_context(b.scratch.io_dir()))))
                    for i, b in enumerate(benches)]
        cancels = [threading.Event() for _ in benches]
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=len(benches)))
        stack.callback(_stop_all, channels)  # before the pool joins
        stack.push(_cancel_on_error(cancels))  # a failing round kills its workers at once
        process_s = sum(b.limits.call_s * (loops * windows * (1 + RETAKES) + 1) for b in benches) \
            + benches[0].limits.startup_s
        futures = [pool.submit(worker_in, b, channels[i].dir, "alternate", seed=seed,
                               failure=EvolverError if i == 0 else CandidateFailed, timeout_s=process_s,
                               cancel=cancels[i], loops=loops, cpu=cpu, commands=str(channels[i].commands),
                               answers=str(channels[i].answers))
                   for i, b in enumerate(benches)]

        def drop(i: int, error: EvolverError) -> None:
            cancels[i].set()
            channels[i].stop()
            if i == 0:
                raise error
            found.failures[i] = error
            alive.remove(i)

        for i in list(alive):
            _expect(i, "ready", benches[i], channels[i], futures[i], benches[i].limits.ready_s(), drop)
        for k in range(windows):
            for i in (order if k % 2 == 0 else list(reversed(order))):
                if i in alive:
                    channels[i].send("time")
                    _expect(i, None, benches[i], channels[i], futures[i],
                            benches[i].limits.call_s * loops * (1 + RETAKES), drop)
        for i in alive:
            channels[i].stop()
        for i in list(alive):
            try:
                answer = futures[i].result()
            except EvolverError as exc:
                drop(i, exc)
                continue
            per_loop = tuple(None if x is None else float(x) for x in answer["per_loop_s"])
            if len(per_loop) != windows or any(x is not None and not x > 0 for x in per_loop):
                drop(i, CandidateFailed("an alternate worker timed fewer windows than asked, or a window "
                                        "that took no time"))
                continue
            wall = float(answer.get("windows_wall_s") or 0.0)
            measured = [x for x in per_loop if x is not None]
            timed = Timed(per_loop_s=min(measured, default=math.nan),
                          peak_rss_mb=float(answer["peak_rss_bytes"]) / _MB,
                          cpu_share=float(answer["windows_cpu_s"]) / wall if wall > 0 else None,
                          windows=per_loop, retaken=int(answer.get("retaken") or 0))
            (found.times if measured else found.empty)[i] = timed
    return found


def _expect(i: int, word: str | None, bench: Bench, channel: _Channel, future: Future[Any], limit_s: float,
            drop: Any) -> None:
    """Wait for worker ``i``'s next line; on a late or wrong answer drop it with the right failure."""
    try:
        channel.expect(word, future, time.monotonic() + limit_s)
    except _ChannelClosed as closed:
        if bench.cancel is not None and bench.cancel.is_set():
            drop(i, Cancelled("the timing round was stopped: the time budget is used up"))
            return
        if closed.late:
            what = "warm-up" if word == "ready" else "timing window"
            error: EvolverError = TimedOut(f"the {what} took longer than {limit_s:.0f} s", limit_s) \
                if i else EvolverError(f"the parent's {what} took longer than {limit_s:.0f} s")
            drop(i, error)
            return
        channel.stop()
        try:
            future.result()  # the worker's own failure, if it had one
        except EvolverError as exc:
            drop(i, exc)
            return
        drop(i, (CandidateFailed if i else EvolverError)(f"the alternate worker stopped early: {closed}"))


class _ChannelClosed(Exception):
    def __init__(self, why: str, late: bool = False) -> None:
        super().__init__(why)
        self.late = late


class _Channel:
    """The two FIFOs of one alternate worker, in its io folder; evolver holds both ends open first,
    so neither side blocks opening them, and reads with a deadline so a dead worker cannot hang it."""

    def __init__(self, index: int, folder: Path) -> None:
        self.index, self.dir = index, folder
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
        """The worker's next line (``word`` exactly; when ``word`` is None a number or ``DROPPED``)."""
        while b"\n" not in self._buffer:
            if time.monotonic() > deadline:
                raise _ChannelClosed("no answer before the limit", late=True)
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
                raise _ChannelClosed("the worker exited")
            if ready:  # end of file: the worker has not opened its end yet
                time.sleep(0.002)
        line, _, rest = bytes(self._buffer).partition(b"\n")
        self._buffer[:] = rest
        text = line.decode("ascii", errors="replace").strip()
        if (word is not None and text != word) or (word is None and not (_is_number(text) or text == DROPPED)):
            raise _ChannelClosed(f"unexpected answer {text[:40]!r}")
        return text


def _cancel_on_error(cancels: Sequence[threading.Event]) -> Any:
    def exit_(kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            for cancel in cancels:
                cancel.set()
    return exit_


def _stop_all(channels: Sequence[_Channel]) -> None:
    for channel in channels:
        channel.stop()


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False
