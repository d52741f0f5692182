"""evolver's measuring worker: a stdlib-only script run *inside* the sandbox.

    python -P worker.py request.json

The request names a mode, the target module, its expected hash, a workload ("module:function" or
"pytest:<args>") and the path to write the answer to, as JSON (never stdout: user code may print).
Modes: check, survey, calibrate, time, alternate, errors, memory, trace (tracer.py), faults (faults.py),
modules (package_profile.py).
"""

from __future__ import annotations

import os
import sys


def _without(paths: list[str]) -> list[str]:
    drop = {os.path.realpath(p or ".") for p in paths}
    drop.add(os.path.dirname(os.path.realpath(__file__)))
    return [p for p in sys.path if os.path.realpath(p or ".") not in drop]


# The user's import root must not shadow the stdlib modules this script needs, and this
# script's folder must not shadow the user's modules: import first, then put the root back.
# (Imported as a module, by evolver's tests, it leaves sys.path alone.)
_AS_SCRIPT = __name__ == "__main__"
_USER_PATHS = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and _AS_SCRIPT]
if _AS_SCRIPT:
    sys.path[:] = _without(_USER_PATHS)

import cProfile  # noqa: E402
import hashlib  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import pstats  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shlex  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from types import CodeType, FrameType, ModuleType  # noqa: E402
from typing import Any  # noqa: E402

sys.path[:0] = _USER_PATHS

MAX_LOOPS = 10_000_000
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class Refused(Exception):
    """The run cannot produce a trustworthy answer (wrong module, import failure, workload raised)."""


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    sys.argv[:] = [argv[0]]
    try:
        answer = MODES[request["mode"]](request)
        answer["ok"] = True
    except Refused as exc:
        answer = {"ok": False, "error": str(exc)}
    tmp = request["result"] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(answer, handle)
    os.replace(tmp, request["result"])
    return 0 if answer["ok"] else 1


# -- the target and the workload ----------------------------------------------------------------

def load_target(request: dict[str, Any]) -> tuple[ModuleType, str, str]:
    """Import the target; refuse unless it is the expected file with the expected bytes."""
    try:
        module = importlib.import_module(request["module"])
    except BaseException as exc:
        raise Refused(f"importing {request['module']} raised {exception_line(exc)}") from None
    expected_file = os.path.realpath(request["module_file"])
    path = os.path.realpath(getattr(module, "__file__", None) or "<no file>")
    try:
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except OSError as exc:
        raise Refused(f"cannot read the imported {request['module']} at {path}: {exc}") from None
    if path != expected_file:
        raise Refused(f"imported {request['module']} from {path}, not from {expected_file}")
    expected = request.get("expected_hash")
    if expected and digest != expected:
        raise Refused(f"module hash {digest[:12]} differs from the expected {expected[:12]}")
    return module, path, digest


def load_workload(spec: str) -> Callable[[], Any]:
    if spec.startswith("pytest:"):
        import pytest  # the interpreter's own pytest, not a dependency of this script

        args = shlex.split(spec[len("pytest:"):])
        return lambda: int(pytest.main(list(args)))
    module_name, _, qualname = spec.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except BaseException as exc:
        raise Refused(f"cannot load the workload {spec}: {exception_line(exc)}") from None
    if not callable(obj):
        raise Refused(f"the workload {spec} is not callable")
    return obj


def call(workload: Callable[[], Any]) -> Any:
    try:
        return workload()
    except BaseException as exc:
        raise Refused(f"the workload raised {exception_line(exc)}") from None


def exception_line(exc: BaseException) -> str:
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


_SCALARS = (str, bytes, int, float, complex, bool, type(None))


def canonical(value: Any, depth: int = 0, path: frozenset[int] = frozenset()) -> str:
    """A repr that does not depend on object addresses or set ordering, and does not elide data."""
    if type(value) in _SCALARS:
        return repr(value)
    if depth > 100 or id(value) in path:
        return "<...>"
    inner = path | {id(value)}

    def sub(item: Any) -> str:
        return canonical(item, depth + 1, inner)

    kind = type(value).__qualname__
    if isinstance(value, dict):
        return f"{kind}{{{', '.join(f'{sub(k)}: {sub(v)}' for k, v in value.items())}}}"
    if isinstance(value, (set, frozenset)):
        return f"{kind}{{{', '.join(sorted(sub(v) for v in value))}}}"
    if isinstance(value, (list, tuple)):
        return f"{kind}[{', '.join(sub(v) for v in value)}]"
    data = _array_data(value)
    if data is not None:
        return f"{kind}({sub(data)})"
    try:
        text = repr(value)
    except Exception:
        text = f"<unrepresentable {kind}>"
    if type(value).__repr__ is object.__repr__:
        text += sub(_instance_state(value))  # the default repr shows no state at all
    return _ADDRESS.sub(" at 0x?", text)


def _array_data(value: Any) -> Any:
    """The full data of numpy and pandas objects, whose reprs elide the middle; None for others."""
    np, pd = sys.modules.get("numpy"), sys.modules.get("pandas")
    if np is not None and isinstance(value, np.ndarray):
        if value.dtype.kind == "O":
            return (str(value.dtype), value.shape, value.tolist())
        raw = np.ascontiguousarray(value).tobytes()
        return (str(value.dtype), value.shape, hashlib.sha256(raw).hexdigest())
    if pd is not None and isinstance(value, pd.DataFrame):
        return (value.columns.to_numpy(), value.index.to_numpy(), repr(value.dtypes), value.to_numpy())
    if pd is not None and isinstance(value, pd.Series):
        return (value.name, value.index.to_numpy(), repr(value.dtype), value.to_numpy())
    if pd is not None and isinstance(value, pd.Index):
        return (repr(value.dtype), value.to_numpy())
    return None


def _instance_state(value: Any) -> dict[str, Any]:
    state: dict[str, Any] = {}
    try:
        state.update(vars(value))
    except TypeError:
        pass
    for cls in type(value).__mro__:
        slots = getattr(cls, "__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            if name not in ("__dict__", "__weakref__") and hasattr(value, name):
                state[name] = getattr(value, name)
    return state


def digest_of(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8", errors="backslashreplace")).hexdigest()


# -- modes ----------------------------------------------------------------------------------------

def mode_check(request: dict[str, Any]) -> dict[str, Any]:
    _, path, digest = load_target(request)
    workload = load_workload(request["workload"])
    try:
        return {"hash": digest, "file": path, "output": digest_of(workload()), "error": None}
    except BaseException as exc:
        return {"hash": digest, "file": path, "output": None, "error": exception_line(exc)}


def cache_resetter(module: ModuleType) -> Callable[[], None]:
    """Clears every functools cache on the target's functions and classes' methods.

    Timing calls it before each workload call, in parent and candidate alike, so a sample measures
    one fresh workload run: a memoized function gains only from the repeats inside that run, not
    from earlier loops of the benchmark.
    """
    owners = [module.__dict__] + [vars(v) for v in module.__dict__.values()
                                   if isinstance(v, type) and v.__module__ == module.__name__]
    caches = [v.cache_clear for owner in owners for v in owner.values()
              if callable(getattr(v, "cache_clear", None)) and callable(getattr(v, "cache_info", None))]

    def reset() -> None:
        for clear in caches:
            clear()

    return reset


SCHEDSTAT = "/proc/thread-self/schedstat"
MAX_WAIT_SHARE = 0.9  # a window that waited for a CPU longer than this share of its wall time is retaken
RETAKES = 2  # at most this many retakes of one window; after them a window still waiting that long is dropped
_READS = 5  # tries at reading the clock and the wait with no wait accounted between them


def run_queue_wait() -> float | None:
    """Seconds this thread has spent runnable but waiting for a CPU (Linux schedstat); None where
    the kernel does not say."""
    try:
        with open(SCHEDSTAT, "rb") as handle:
            return int(handle.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def clock_name() -> str:
    return "wall" if run_queue_wait() is None else "wall - run-queue wait"


def clock_reading() -> tuple[float, float | None]:
    """(wall clock, run-queue wait) as of one instant: the wait is read on both sides of the clock,
    again until no wait was accounted in between. (Reading the wait is a system call, where a
    loaded kernel often switches threads: a wait that fell between the two readings would be
    subtracted from a window that never contained it, down to a near-zero sample.)"""
    before = run_queue_wait()
    now = time.perf_counter()
    for _ in range(_READS):
        after = run_queue_wait()
        if after == before:
            return now, after
        before, now = after, time.perf_counter()
    return now, None


class Window:
    """One timing window: its wall time, the part spent waiting for a CPU (None: unknown), and the
    CPU time of the timing thread."""

    __slots__ = ("cpu", "elapsed", "waited")

    def __init__(self, elapsed: float, waited: float | None, cpu: float) -> None:
        self.elapsed, self.waited, self.cpu = elapsed, waited, cpu

    @property
    def seconds(self) -> float:
        """What the calls took with the machine to themselves: wall time less the wait, never below
        the CPU time the thread used (a window cannot take less than its own computing)."""
        if self.waited is None:
            return self.elapsed
        return max(self.elapsed - self.waited, self.cpu)

    @property
    def mostly_waiting(self) -> bool:
        return self.waited is not None and self.waited > MAX_WAIT_SHARE * self.elapsed


def window(workload: Callable[[], Any], loops: int, reset: Callable[[], None]) -> Window:
    """``loops`` fresh workload calls, timed. Only the calling thread's waits are known; a workload's
    own threads keep theirs."""
    start, waited = clock_reading()
    cpu = time.thread_time()
    for _ in range(loops):
        reset()
        workload()
    cpu = time.thread_time() - cpu
    end, after = clock_reading()
    known = waited is not None and after is not None
    return Window(end - start, after - waited if known else None, cpu)  # type: ignore[operator]


def timed(workload: Callable[[], Any], loops: int, reset: Callable[[], None]) -> float:
    """Seconds of ``loops`` fresh workload calls, less the time this thread waited for a CPU while
    other processes ran on it: what the calls take when the machine is not shared."""
    return window(workload, loops, reset).seconds


def measured(workload: Callable[[], Any], loops: int, reset: Callable[[], None]) -> tuple[float | None, int]:
    """A timing window that is a measurement: one that waited for a CPU most of the time tells how
    busy the machine was, not what the code costs, so it is retaken (``RETAKES`` times at most) and,
    if it still waited that long, dropped (None). Also how many retakes it took."""
    taken = window(workload, loops, reset)
    retakes = 0
    while taken.mostly_waiting and retakes < RETAKES:
        retakes += 1
        taken = window(workload, loops, reset)
    return (None if taken.mostly_waiting else taken.seconds), retakes


def mode_calibrate(request: dict[str, Any]) -> dict[str, Any]:
    module, _, digest = load_target(request)
    workload = load_workload(request["workload"])
    reset = cache_resetter(module)
    call(workload)
    return {"hash": digest, **calibration(workload, reset, float(request.get("min_time", 0.05)))}


def calibration(workload: Callable[[], Any], reset: Callable[[], None], min_time: float) -> dict[str, Any]:
    """Loops per timing window so that a window lasts at least ``min_time``, and what it took."""
    loops = 1
    while True:
        elapsed = _refusing(timed, workload, loops, reset)
        if elapsed >= min_time or loops >= MAX_LOOPS:
            return {"loops": loops, "sample_s": elapsed}
        estimate = int(loops * min_time * 1.2 / max(elapsed, 1e-9)) + 1
        loops = min(MAX_LOOPS, max(loops * 2, min(estimate, loops * 100)))


def pin(cpu: Any) -> bool:
    """Run on CPU ``cpu`` only (the two runs of a pair share one); False where that is not allowed."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        return False
    try:
        os.sched_setaffinity(0, {int(cpu)})
    except (OSError, ValueError):
        return False
    return True


def warmed_up(request: dict[str, Any]) -> tuple[bool, str, Callable[[], Any], Callable[[], None]]:
    """Pinned to the requested CPU (if any), the target imported and checked, one warm-up call
    made: whether pinning held, the module's hash, the workload and its cache reset."""
    pinned = pin(request.get("cpu"))
    module, _, digest = load_target(request)
    workload = load_workload(request["workload"])
    call(workload)
    return pinned, digest, workload, cache_resetter(module)


def mode_time(request: dict[str, Any]) -> dict[str, Any]:
    """``repeat`` windows of ``loops`` calls: their per-loop seconds (None: dropped, see ``measured``).
    With ``retake`` false each window runs exactly once (an instruction count must not see retakes)."""
    pinned, digest, workload, reset = warmed_up(request)
    loops = int(request["loops"])
    once = not request.get("retake", True)
    per_loop: list[float | None] = []
    retaken = 0
    for _ in range(int(request.get("repeat", 1))):
        seconds, retakes = (_refusing(timed, workload, loops, reset), 0) if once \
            else _refusing(measured, workload, loops, reset)
        per_loop.append(None if seconds is None else seconds / loops)
        retaken += retakes
    return {"hash": digest, "per_loop_s": per_loop, "retaken": retaken, "pinned": pinned, "clock": clock_name()}


def mode_alternate(request: dict[str, Any]) -> dict[str, Any]:
    """Time windows on command, so that two workers (parent and candidate) can take turns.

    After the import and a warm-up call the worker writes "ready" to the ``answers`` FIFO, then for
    each "time" line read from the ``commands`` FIFO times one window of ``loops`` calls and writes
    its per-loop seconds, or "dropped" for a window that mostly waited for a CPU even when retaken
    (``measured``); "stop" (or the end of the commands) ends the run.
    """
    pinned, digest, workload, reset = warmed_up(request)
    loops = int(request["loops"])
    windows: list[float | None] = []
    wall = cpu = 0.0
    retaken = 0
    with _fifo_end(request["commands"], write=False) as commands, _fifo_end(request["answers"], write=True) as answers:
        answers.write("ready\n")
        for line in commands:
            if line.strip() != "time":
                break
            started, cpu_started = time.perf_counter(), process_cpu_s()
            seconds, retakes = _refusing(measured, workload, loops, reset)
            wall += time.perf_counter() - started
            cpu += process_cpu_s() - cpu_started
            retaken += retakes
            windows.append(None if seconds is None else seconds / loops)
            answers.write(f"{DROPPED if windows[-1] is None else repr(windows[-1])}\n")
    return {"hash": digest, "per_loop_s": windows, "retaken": retaken, "pinned": pinned, "clock": clock_name(),
            "peak_rss_bytes": peak_rss_bytes(), "windows_wall_s": wall, "windows_cpu_s": cpu}


DROPPED = "dropped"  # the answer for a window that was no measurement


def _fifo_end(path: str, *, write: bool) -> Any:
    """This worker's end of a FIFO whose other end evolver opened before starting it. Opened without
    blocking: when evolver is gone (killed, or the cluster worker that ran it was), opening to write
    fails and reading ends at once, where a blocking open would wait for ever."""
    try:
        fd = os.open(path, (os.O_WRONLY if write else os.O_RDONLY) | os.O_NONBLOCK)
    except OSError:  # ENXIO: nobody reads the answers
        raise Refused(f"nobody holds the other end of {os.path.basename(path)}: evolver is gone") from None
    os.set_blocking(fd, True)
    return os.fdopen(fd, "w" if write else "r", encoding="ascii", buffering=1 if write else -1)


def process_cpu_s() -> float:
    """CPU seconds of the whole process so far, its threads' (ended ones too) included. Not
    ``time.process_time()``: under the jail's RLIMIT_CPU, Linux arms a process CPU timer and that
    clock then moves in scheduler ticks (4 ms on the development machine), so a 1 ms workload read
    0% or 400% CPU; getrusage stays exact (tracer.py reads it the same way)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_bytes() -> int:
    """This process's peak resident set size so far."""
    scale = 1 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux kilobytes
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def _refusing(measure: Callable[..., Any], *args: Any) -> Any:
    try:
        return measure(*args)
    except BaseException as exc:
        raise Refused(f"the workload raised {exception_line(exc)}") from None


def mode_survey(request: dict[str, Any]) -> dict[str, Any]:
    """Three workload calls in one process: a plain one (the output's digest, its wall time, CPU
    share and the peak RSS), a profiled one (cProfile: where the time goes) and a traced one (how
    often each function's arguments repeat, surfaced transient failures; no tracemalloc: together
    with the trace hook it made the call 10x slower, and the memory mode measures it);
    with ``calibrate``, then the timing loops as in the calibrate mode. Caches are cleared between
    calls, so each is a fresh workload run. A workload that raises ends the survey at once."""
    module, path, digest = load_target(request)
    workload = load_workload(request["workload"])
    reset = cache_resetter(module)
    (start, waited), cpu = clock_reading(), process_cpu_s()
    try:
        output = digest_of(workload())
    except BaseException as exc:
        return {"hash": digest, "output": None, "error": exception_line(exc), "wall_s": 0.0, "cpu_share": 0.0,
                "peak_rss_bytes": peak_rss_bytes(), "error_count": 0, "functions": [], "profile_total": 0.0}
    cpu = process_cpu_s() - cpu
    end, after = clock_reading()
    wall = end - start
    # the CPU share of the time the call was not kept off a CPU by other processes: a CPU-bound
    # workload on a busy machine still reads as CPU-bound (only the calling thread's wait is known)
    own = wall - (after - waited) if waited is not None and after is not None else wall
    own = own if own > 0 else wall
    answer: dict[str, Any] = {"hash": digest, "output": output, "error": None, "wall_s": wall,
                              "cpu_share": cpu / own if own > 0 else 0.0, "peak_rss_bytes": peak_rss_bytes()}
    reset()
    functions, total = profiled(workload, path)
    reset()
    traced = TracedRun(path, tuple(request.get("transient", ())))
    repeats = traced.run(workload)
    for f in functions:
        f["repeat_rate"], f["keyed_calls"] = repeats.get((f["lineno"], f["name"]), (None, None))
    answer.update(functions=functions, profile_total=total, error_count=len(traced.failures.seen),
                  error_types=traced.failures.by_type())
    if request.get("calibrate"):
        answer.update(calibration(workload, reset, float(request.get("min_time", 0.05))))
    return answer


def profiled(workload: Callable[[], Any], path: str) -> tuple[list[dict[str, Any]], float]:
    """cProfile one workload call: the target file's functions, and the call's total time."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        call(workload)
    finally:
        profiler.disable()
    stats = pstats.Stats(profiler)
    names = qualnames(path)
    table = stats.stats  # type: ignore[attr-defined]
    regex = regex_seconds(table, path, names)
    functions = []
    for (filename, lineno, name), (_, nc, tt, ct, _) in table.items():
        if _same_file(filename, path) and not name.startswith("<"):
            qualname = names.get((lineno, name), name)
            functions.append({"qualname": qualname, "lineno": lineno, "name": name, "calls": nc, "tottime": tt,
                              "cumtime": ct, "regex_s": regex.get(qualname, 0.0)})
    return functions, float(stats.total_tt)  # type: ignore[attr-defined]


def regex_seconds(table: dict[Any, Any], path: str, names: dict[tuple[int, str], str]) -> dict[str, float]:
    """For each function of the target file (by qualname): the profiled time its calls of the ``re``
    module's functions (``re.match``, ``re.sub``, ``re.compile``, ...) spent in ``re``'s own Python
    code (the wrapper, the pattern cache, compiling a pattern it had not cached) rather than in what
    that code calls outside ``re`` (the compiled pattern's C methods). That is all precompiling the
    pattern can save there. Calls made from a generator expression, comprehension or lambda count
    for the function that holds it. A ``re`` function's time is split over its callers by their
    number of calls (cProfile records each call edge's count and time, not what the callee did for
    each caller). cProfile's own cost per call distorts it either way, so it is an estimate, not a
    bound (the screen allows for that: ``screen.REGEX_MARGIN``)."""
    folder = os.path.dirname(_real(re.__file__)) + os.sep

    def in_re(key: Any) -> bool:
        return _real(key[0]).startswith(folder)

    kept: dict[Any, float] = {}  # re function -> time of its direct callees outside re
    for callee, (_, _, _, _, callers) in table.items():
        if in_re(callee):
            continue
        for caller, edge in callers.items():
            if in_re(caller):
                kept[caller] = kept.get(caller, 0.0) + edge[3]
    found: dict[str, float] = {}
    for key, (_, nc, _, ct, callers) in table.items():
        if not in_re(key) or nc <= 0:
            continue
        per_call = max(0.0, ct - kept.get(key, 0.0)) / nc
        for (filename, lineno, name), edge in callers.items():
            if _same_file(filename, path):
                parts = names.get((lineno, name), name).split(".")
                while parts and parts[-1].startswith("<"):  # <genexpr>, <listcomp>, <lambda>: its holder's
                    parts.pop()
                if parts:
                    holder = ".".join(parts)
                    found[holder] = found.get(holder, 0.0) + edge[1] * per_call
    return found


class TracedRun:
    """One workload call under one trace hook that both counts argument repeats
    (``ArgumentRepeats``) and surfaced transient failures (``SurfacedFailures``). The call's
    result and any exception it raises are ignored."""

    def __init__(self, path: str, transient: tuple[str, ...]) -> None:
        self.repeats = ArgumentRepeats(path)
        self.failures = SurfacedFailures(path, transient)

    def trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        self.repeats.trace(frame, event, arg)
        if self.failures.transient:
            return self.failures.global_trace(frame, event, arg)
        if self.repeats.total >= REPEAT_CALLS:  # nothing left to count: a hook on every call of a deep
            sys.settrace(None)  # recursion would make this run many times slower than a plain one
            threading.settrace(None)  # type: ignore[arg-type, unused-ignore]
        return None

    def run(self, workload: Callable[[], Any]) -> dict[tuple[int, str], tuple[float, int]]:
        try:
            threading.settrace(self.trace)
            sys.settrace(self.trace)
            workload()
        except BaseException:
            pass
        finally:
            sys.settrace(None)
            threading.settrace(None)  # type: ignore[arg-type, unused-ignore]
        return self.repeats.rates()


def qualnames(path: str) -> dict[tuple[int, str], str]:
    """(first line, name) -> dotted qualname ("Class.method", "outer.inner") of each function."""
    with open(path, "rb") as handle:
        code = compile(handle.read(), path, "exec")
    found: dict[tuple[int, str], str] = {}
    stack: list[CodeType] = [code]
    while stack:
        current = stack.pop()
        for const in current.co_consts:
            if isinstance(const, CodeType):
                qual = getattr(const, "co_qualname", const.co_name).replace(".<locals>", "")
                found[(const.co_firstlineno, const.co_name)] = qual
                stack.append(const)
    return found


_REAL: dict[str, str] = {}  # a code object's file name -> its real path ("<...>", "~" kept as they are)


def _real(filename: str) -> str:
    if filename not in _REAL:
        _REAL[filename] = os.path.realpath(filename) if filename and filename[0] not in "<~" else filename
    return _REAL[filename]


def _same_file(filename: str, path: str) -> bool:
    return _real(filename) == path


REPEAT_CALLS = 200_000  # target-module calls keyed before the counting run stops tracing
REPEAT_KEYS = 4096  # distinct argument tuples remembered per function
KEY_ITEMS = 64  # values looked at to key one call; larger arguments leave the call unkeyed
_KEY_TYPES = frozenset({int, float, complex, bool, str, bytes, type(None)})
CO_VARARGS, CO_VARKEYWORDS, CO_GENERATOR, CO_COROUTINE, CO_ASYNC_GENERATOR = 0x04, 0x08, 0x20, 0x80, 0x200


class ArgumentRepeats:
    """Per target-module function: the share of its keyed calls whose arguments equal (value and
    type, as ``lru_cache(typed=True)`` keys them) those of an earlier call.

    Only calls whose arguments are builtin immutable values (and tuples / frozensets of them,
    up to ``KEY_ITEMS`` values) are keyed, so hashing runs no user code and costs little; the
    others are not counted. Tracing stops after ``REPEAT_CALLS`` keyed calls (the rest of the
    run is not keyed)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: dict[CodeType, set[Any]] = {}
        self.keyed: dict[CodeType, int] = {}
        self.repeated: dict[CodeType, int] = {}
        self.total = 0

    def rates(self) -> dict[tuple[int, str], tuple[float, int]]:
        """(first line, name) -> (repeat rate, calls keyed) of each function with keyed calls."""
        return {(code.co_firstlineno, code.co_name): (self.repeated.get(code, 0) / n, n)
                for code, n in self.keyed.items() if n}

    def trace(self, frame: FrameType, event: str, arg: Any) -> None:
        code = frame.f_code
        if event != "call" or self.total >= REPEAT_CALLS or not _same_file(code.co_filename, self.path):
            return None
        key = call_key(code, frame.f_locals)
        if key is None:
            return None
        seen = self.seen.setdefault(code, set())
        self.keyed[code] = self.keyed.get(code, 0) + 1
        if key in seen:
            self.repeated[code] = self.repeated.get(code, 0) + 1
        elif len(seen) < REPEAT_KEYS:
            seen.add(key)
        self.total += 1
        return None


def call_key(code: CodeType, local: dict[str, Any]) -> tuple[Any, ...] | None:
    """The call's arguments as a typed key; None when one is not a small builtin immutable value,
    or for a generator or coroutine (whose resumptions are "call" events too)."""
    if code.co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR):
        return None
    count = code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & CO_VARARGS)
    names = code.co_varnames[:count + bool(code.co_flags & CO_VARKEYWORDS)]
    budget = [KEY_ITEMS]
    parts = []
    for i, name in enumerate(names):
        value = local.get(name)
        if i == count and type(value) is dict:  # **kwargs: keyed in call order, like lru_cache
            value = tuple(value.items())
        part = _keyed(value, budget)
        if part is None:
            return None
        parts.append(part)
    return tuple(parts)


def _keyed(value: Any, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        return None
    kind = type(value)
    if kind in _KEY_TYPES:
        return (kind, value)
    if kind is tuple or kind is frozenset:
        items = [_keyed(v, budget) for v in value]
        if any(i is None for i in items):
            return None
        return (kind, tuple(items) if kind is tuple else frozenset(items))
    return None


def mode_errors(request: dict[str, Any]) -> dict[str, Any]:
    _, path, digest = load_target(request)
    workload = load_workload(request["workload"])
    counter = SurfacedFailures(path, tuple(request.get("transient", ())))
    threading.settrace(counter.global_trace)
    sys.settrace(counter.global_trace)
    try:
        workload()
    except BaseException as exc:
        escaped: str | None = exception_line(exc)
    else:
        escaped = None
    finally:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type, unused-ignore]
    return {"hash": digest, "error_count": len(counter.seen), "escaped": escaped,
            "by_type": counter.by_type()}


class SurfacedFailures:
    """Counts distinct transient exceptions that *surface*: after propagating out of the frame that
    raised them, the last target-module frame they reach (the one that catches them, or the one they
    leave the module from, to the workload's caller) is not a recovery helper (``_evolver_retry*``).
    A failure counts where it leaves the recovery, not where it enters the module: one raised by
    library code into ``fetch`` and absorbed by a retry of ``fetch`` does not count."""

    def __init__(self, path: str, transient: tuple[str, ...]) -> None:
        self.path = path
        self.transient = frozenset(transient)
        self._last: dict[int, tuple[BaseException, bool]] = {}  # strong references keep ids unique

    @property
    def seen(self) -> list[BaseException]:
        """The surfaced failures, in the order they first propagated."""
        return [exc for exc, recovered in self._last.values() if not recovered]

    def global_trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call" and _same_file(frame.f_code.co_filename, self.path):
            frame.f_trace_lines = False
            return self.local_trace
        return None

    def local_trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        if event == "exception":
            _, exc, tb = arg
            if (tb is not None and tb.tb_next is not None
                    and any(cls.__name__ in self.transient for cls in type(exc).__mro__)):
                self._last[id(exc)] = (exc, frame.f_code.co_name.startswith("_evolver_retry"))
        return self.local_trace

    def by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for exc in self.seen:
            counts[type(exc).__name__] = counts.get(type(exc).__name__, 0) + 1
        return counts


def mode_memory(request: dict[str, Any]) -> dict[str, Any]:
    module, _, digest = load_target(request)
    workload = load_workload(request["workload"])
    wall, cpu = time.perf_counter(), process_cpu_s()
    call(workload)
    wall, cpu = time.perf_counter() - wall, process_cpu_s() - cpu
    rss = peak_rss_bytes()
    cache_resetter(module)()  # the traced run is a fresh run too
    tracemalloc.start()
    try:
        call(workload)
        traced_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return {"hash": digest, "peak_rss_bytes": rss, "tracemalloc_peak_bytes": traced_peak,
            "cpu_percent": 100.0 * cpu / wall if wall > 0 else 0.0, "wall_s": wall}


def mode_trace(request: dict[str, Any]) -> dict[str, Any]:
    """The differential call trace of one workload run: wrappers go in after the target's import
    and before the workload's, so the workload's references are the wrappers (see tracer.py)."""
    tracer = _load_tracer()
    module, _, digest = load_target(request)
    recorder = tracer.Recorder(module, request)
    recorder.install()
    return {"hash": digest, **recorder.run(load_workload(request["workload"]))}


def _load_tracer() -> ModuleType:
    """tracer.py and its siblings, by path: this script's folder is kept off sys.path."""
    import importlib.util

    module: ModuleType | None = None
    for name in ("trace_values", "trace_samples", "tracer"):
        path = os.path.join(os.path.dirname(os.path.realpath(__file__)), f"{name}.py")
        spec = importlib.util.spec_from_file_location(f"_evolver_{name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    assert module is not None
    return module


def _sibling(name: str) -> ModuleType:
    """A stdlib-only mode file of this folder (which is off sys.path), loaded by its path."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.realpath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_evolver_{name}", path)
    assert spec is not None and spec.loader is not None
    found = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(found)
    return found


def mode_faults(request: dict[str, Any]) -> dict[str, Any]:
    """One workload call with transient failures injected at the callees a retry wraps (faults.py)."""
    return _sibling("faults").run(request, sys.modules[__name__])


def mode_modules(request: dict[str, Any]) -> dict[str, Any]:
    """One profiled workload call, its time charged module by module of a package (package_profile.py)."""
    return _sibling("package_profile").run(request, sys.modules[__name__])


MODES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "check": mode_check, "survey": mode_survey, "calibrate": mode_calibrate, "time": mode_time,
    "alternate": mode_alternate, "errors": mode_errors, "memory": mode_memory, "trace": mode_trace,
    "faults": mode_faults, "modules": mode_modules,
}

if __name__ == "__main__":
    code = main(sys.argv)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(code)  # the answer is written: do not wait for threads the workload left running
