"""Sampled inputs for the rewritten functions the workload calls with few distinct arguments.

Runs inside the sandbox after the traced workload (worker.py's trace mode; stdlib only, plus
hypothesis when it is importable). In the parent's run, for each function the evaluator allows
(rewritten, no I/O found by the static analysis), when the trace saw fewer than ``FEW_DISTINCT``
distinct argument lists: hypothesis strategies are derived from the recorded arguments (the same
types; nearby values with the same shape; empty and boundary values), the examples are drawn
(``derandomize``, no database) and run, each on fresh copies, and returned as wire data with
their outcomes. The candidate's run gets the same examples and runs them the same way.

Each call runs under a CPU-time limit (SIGPROF: load from other processes does not count), a
looser wall-clock limit (SIGALRM, for a call that blocks) and an audit hook that stops a call that opens a
file for writing, starts a process or touches the network: such a function is not sampled
further, in parent and candidate alike.
"""

from __future__ import annotations

import itertools
import json
import math
import signal
import sys
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

if __name__.startswith("evolver."):
    from evolver.sandbox import trace_values
else:  # loaded by path by worker.py inside the sandbox
    trace_values = sys.modules["_evolver_trace_values"]

KEEP_ARGS = 8  # distinct argument lists kept per function to derive strategies from
FEW_DISTINCT = 16  # a function called with this many distinct argument lists or more is not sampled
DEFAULT_EXAMPLES = 30
EXAMPLE_BYTES = 8 * 1024  # an example larger than this (as JSON) is not kept
EXAMPLES_BYTES = 64 * 1024  # nor any beyond this many bytes of examples per function
MAX_YIELDS = 256
WALL_FACTOR = 10  # a sampled call may take this many times its CPU limit in wall-clock time
WALL_MIN_S = 5.0
_IO_EVENTS = ("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
              "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.truncate", "os.chmod", "os.symlink",
              "os.link", "os.kill", "shutil.", "urllib.", "http.", "ftplib.", "smtplib.", "os.utime")


class _Timeout(BaseException):
    pass


class _IODone(BaseException):
    pass


class _Enough(Exception):
    """Raised from inside hypothesis's loop: enough examples, or no time left."""


_GUARD = {"on": False, "hooked": False}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _GUARD["on"]:
        return
    if event == "open":
        path, mode = str(args[0]), args[1]
        if (mode is None or set(str(mode)) <= set("rbt")) and path.endswith((".py", ".pyc", ".so")):
            return  # an import
        if isinstance(mode, str) and set(mode) <= set("rbt") and path.startswith((sys.prefix, sys.base_prefix)):
            return  # the interpreter's own data files
        raise _IODone(f"open {path!r}")
    if event.startswith(_IO_EVENTS):
        raise _IODone(event)


@contextmanager
def guarded(cpu_s: float) -> Iterator[None]:
    """Stop the call after ``cpu_s`` seconds of CPU or ``WALL_FACTOR`` times that of wall-clock time
    (main thread only), or at its first I/O."""
    if not _GUARD["hooked"]:
        sys.addaudithook(_audit)
        _GUARD["hooked"] = True
    timed = threading.current_thread() is threading.main_thread()
    if timed:
        previous = [signal.signal(signal.SIGPROF, _on_alarm), signal.signal(signal.SIGALRM, _on_alarm)]
        signal.setitimer(signal.ITIMER_PROF, cpu_s)
        signal.setitimer(signal.ITIMER_REAL, max(WALL_MIN_S, WALL_FACTOR * cpu_s))
    _GUARD["on"] = True
    try:
        yield
    finally:
        _GUARD["on"] = False
        if timed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGPROF, previous[0])
            signal.signal(signal.SIGALRM, previous[1])


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout


# -- running examples (parent and candidate) ---------------------------------------------------

def run(recorder: Any, workload_s: float, workload_cpu_s: float) -> dict[str, Any]:
    """The sampled-input part of a trace answer: per function, examples and their outcomes."""
    given = recorder.request.get("examples")
    recorder.reseed()  # sampled inputs do not inherit the workload's generator state
    if given:
        return {name: _replay(recorder, name, block) for name, block in sorted(given.items())}
    found: dict[str, Any] = {}
    budget_end = time.perf_counter() + min(30.0, max(3.0, 4 * workload_s))
    for name in sorted(recorder.sampled):
        found[name] = _sample(recorder, name, workload_cpu_s, budget_end)
    return found


def _sample(recorder: Any, name: str, workload_cpu_s: float, budget_end: float) -> dict[str, Any]:
    slot = recorder.slots.get(name)
    if slot is None:
        return {"skipped": "not traced"}
    if slot.calls == 0:
        return {"skipped": "the workload does not call it"}
    if len(slot.distinct) >= FEW_DISTINCT:
        return {"skipped": f"the workload calls it with {len(slot.distinct)} distinct argument lists"}
    if name in recorder.unwireable:
        return {"skipped": f"its arguments cannot be sampled ({recorder.unwireable[name]})"}
    if not recorder.kept_args.get(name):
        return {"skipped": "none of its calls was recorded"}
    try:
        examples = draw([trace_values.from_wire(w, recorder.module) for w in recorder.kept_args[name].values()],
                        int(recorder.request.get("sample_count", DEFAULT_EXAMPLES)), recorder.module.__name__,
                        budget_end)
    except ImportError:
        return {"skipped": "hypothesis is not importable in the sandbox"}
    limit = min(2.0, max(0.25, 2 * workload_cpu_s))
    outcomes, stopped = _execute(recorder, slot, examples, [limit] * len(examples), budget_end, parent=True)
    kept = [ex for ex, out in zip(examples, outcomes) if out is not None]
    block: dict[str, Any] = {"examples": kept, "outcomes": [o for o in outcomes if o is not None]}
    if stopped:
        block["stopped"] = stopped
    return block


def _replay(recorder: Any, name: str, block: dict[str, Any]) -> dict[str, Any]:
    slot = recorder.slots.get(name)
    if slot is None:
        return {"skipped": "not traced"}
    limits = [max(0.5, 10 * float(t) + 0.25) for t in block.get("times", [])]
    limits += [2.0] * (len(block["examples"]) - len(limits))
    outcomes, stopped = _execute(recorder, slot, block["examples"], limits, None, parent=False)
    result: dict[str, Any] = {"examples": block["examples"], "outcomes": outcomes}
    if stopped:
        result["stopped"] = stopped
    return result


def _execute(recorder: Any, slot: Any, examples: list[Any], limits: list[float], budget_end: float | None,
             parent: bool) -> tuple[list[Any], str]:
    """Each example's outcome (None for one the parent dropped), and why the run stopped early."""
    raw = slot.raw
    func = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
    outcomes: list[Any] = []
    for wire, limit in zip(examples, limits):
        if budget_end is not None and time.perf_counter() > budget_end:
            return outcomes, "time budget for sampled inputs used up"
        args, kwargs = trace_values.from_wire(wire, recorder.module)
        state_before = recorder._state()["g"]
        outcome, problem = _call(recorder, func, args, kwargs, limit)
        if problem is None:
            outcome.update(recorder._state())
            outcome.pop("gd", None)
            outcome.pop("gd_more", None)
            outcomes.append(outcome)
            continue
        if not parent:
            outcomes.append({"stopped": problem})
            return outcomes, problem
        if problem.startswith("I/O") or recorder._state()["g"] != state_before:
            return outcomes, problem  # the module's state may be half-changed: stop this function
        outcomes.append(None)  # a slow input: dropped, the next ones still run
    return outcomes, ""


def _call(recorder: Any, func: Any, args: list[Any], kwargs: dict[str, Any], limit: float) -> tuple[Any, str | None]:
    mutable = recorder._arg_texts(tuple(args), kwargs)[1]
    start = time.process_time()
    recorder.transient_hit = False
    recorder.call_printed = tracer_printed = type(recorder.run_printed)()
    recorder._enter()  # as in an entry call: the rewritten functions run unwrapped, callees note failures
    try:
        with guarded(limit):
            result = func(*args, **kwargs)
            if isinstance(result, types.GeneratorType):
                result = ("<generator>", list(itertools.islice(result, MAX_YIELDS)))
    except _Timeout:
        return None, f"an input ran over {limit:.2g} s of CPU"
    except _IODone as exc:
        return None, f"I/O ({exc})"
    except BaseException as exc:
        outcome: dict[str, Any] = {"out": {"e": recorder._exception(exc)}}
    else:
        outcome = {"out": {"r": recorder.encoder.value(result)}}
    finally:
        recorder._leave()
        recorder.call_printed = None
    outcome["t"] = round(time.process_time() - start, 6)
    if tracer_printed.size:
        outcome["pr"] = tracer_printed.record()  # CPU seconds: the candidate's limit scales from it
    if recorder.transient_hit:
        outcome["tr"] = 1
    by_key = {**{str(i): a for i, a in enumerate(args)}, **kwargs}
    changed = {}
    for key, before in mutable.items():
        after = recorder.encoder.value(by_key[key])
        if after[0] != before:
            changed[key] = after
    if changed:
        outcome["mut"] = changed
    outcome["a"] = ", ".join(trace_values.short(a, 30) for a in args) + "".join(
        f", {k}={trace_values.short(v, 30)}" for k, v in sorted(kwargs.items()))
    return outcome, None


# -- drawing examples (parent only) ---------------------------------------------------------------

def draw(calls: list[list[Any]], count: int, module_name: str, deadline: float) -> list[Any]:
    """Wire examples: the recorded calls, boundary variants of them, then hypothesis draws, up to
    ``count`` examples, ``EXAMPLES_BYTES`` of them, and the ``deadline`` (a perf_counter time)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    examples: dict[str, Any] = {}
    size = [0]

    def add(args: list[Any], kwargs: dict[str, Any]) -> None:
        try:
            wire = trace_values.to_wire([list(args), dict(kwargs)], module_name)
        except trace_values.NotWireable:
            return
        text = json.dumps(wire, sort_keys=True)
        if len(examples) < count and len(text) <= EXAMPLE_BYTES and size[0] + len(text) <= EXAMPLES_BYTES \
                and text not in examples:
            examples[text] = wire
            size[0] += len(text)

    for args, kwargs in calls:
        add(args, kwargs)
    for args, kwargs in calls:
        for variant in _boundaries(args, kwargs):
            if len(examples) < count // 2:
                add(*variant)
    strategy = st.one_of([st.tuples(st.tuples(*[_near(st, a, 0) for a in args]),
                                    st.fixed_dictionaries({k: _near(st, v, 0) for k, v in kwargs.items()}))
                          for args, kwargs in calls])

    @settings(max_examples=max(1, 2 * count), derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(call: tuple[tuple[Any, ...], dict[str, Any]]) -> None:
        add(list(call[0]), call[1])
        if len(examples) >= count or time.perf_counter() > deadline:
            raise _Enough

    try:
        collect()
    except Exception:  # _Enough, or hypothesis's own complaint about it: the examples so far stand
        pass
    return list(examples.values())


def _boundaries(args: list[Any], kwargs: dict[str, Any]) -> Iterator[tuple[list[Any], dict[str, Any]]]:
    """The call with one argument at a time replaced by an empty or boundary value of its type."""
    for i, value in enumerate(args):
        for edge in _edges(value):
            yield [*args[:i], edge, *args[i + 1:]], kwargs
    for key, value in kwargs.items():
        for edge in _edges(value):
            yield args, {**kwargs, key: edge}


def _edges(value: Any) -> list[Any]:
    kind = type(value)
    if kind is int:
        return [0, -1, 1]
    if kind is float:
        return [0.0, -0.0, -1.0]
    if kind in (str, bytes, list, tuple, dict, set, frozenset):
        return [kind()]
    return []


def _near(st: Any, value: Any, depth: int) -> Any:
    """The recorded value, or one of the same type and shape with nearby leaves, or a freer one."""
    return st.just(value) | _vary(st, value, depth)


def _vary(st: Any, value: Any, depth: int) -> Any:
    kind = type(value)
    if value is None or kind is bool:
        return st.sampled_from([None]) if value is None else st.booleans()
    if kind is int:
        span = max(2, abs(value))
        return st.integers(value - span, value + span)
    if kind is float:
        if not math.isfinite(value):
            return st.just(value)
        span = max(1.0, abs(value))
        return st.floats(value - span, value + span, allow_nan=False, allow_infinity=False)
    if kind is str and len(value) <= 64:
        alphabet = sorted(set(value) | {" ", "a", "Z", "0"})
        return st.text(alphabet=st.sampled_from(alphabet), max_size=len(value) + 2)
    if kind is bytes and len(value) <= 64:
        return st.binary(max_size=len(value) + 2)
    if depth >= 3:
        return st.just(value)
    if kind in (list, tuple) and len(value) <= 12:
        same_shape = st.tuples(*[_near(st, v, depth + 1) for v in value])
        freer = st.lists(st.one_of([_near(st, v, depth + 1) for v in value[:3]]), max_size=len(value) + 2) \
            if value else st.just([])
        return (same_shape | freer).map(kind)
    if kind in (list, tuple):
        return st.lists(st.sampled_from(list(value[:64])), max_size=min(len(value) + 2, 66)).map(kind)
    if kind is dict and len(value) <= 12:
        return st.fixed_dictionaries({k: _near(st, v, depth + 1) for k, v in value.items()})
    if kind in (set, frozenset) and 0 < len(value) <= 12:
        items = sorted(value, key=repr)
        return st.sets(st.one_of([_near(st, v, depth + 1) for v in items[:3]]), max_size=len(value) + 2).map(kind)
    state = trace_values._state(value) if not isinstance(value, (dict, set, frozenset)) else None
    if state is not None and len(state) <= 12 and not isinstance(value, type):
        return st.fixed_dictionaries({k: _near(st, v, depth + 1) for k, v in state.items()}).map(
            lambda fields: _rebuild(type(value), fields))
    return st.just(value)


def _rebuild(cls: Any, fields: dict[str, Any]) -> Any:
    obj = cls.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(obj, name, value)
    return obj
