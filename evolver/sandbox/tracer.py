"""The differential call trace, recorded inside the sandbox (stdlib only; worker.py's trace mode).

The evaluator names the functions a candidate rewrites (``changed``) and the module functions
they call (``callees``). Right after the target is imported, and before the workload is, each is
replaced in its module or class by a recording wrapper, so every later reference goes through it:

- an **entry call** is a call of a changed function made while no changed function is running
  (from the workload, the tests or unchanged code). For each one the trace keeps its arguments,
  its return value (or exception type and message), the state of its mutable arguments after the
  call and a digest of the module's globals (with the ``random`` generator's state) after it.
  While an entry call runs, calls of the changed functions are not entry calls (a recursion, a
  cache, a helper the rewrite added): a memoized function is compared on the calls its callers
  make, not on its body's. A changed function called so is swapped back to its original until the
  entry call ends, so a deep recursion runs at full speed;
- a **callee call** is a call of a callee made while an entry call runs (in any thread; the callees'
  wrappers are in place only then): its
  arguments, outcome and mutated arguments are kept, and whether a transient exception escaped
  it is noted on the entry call;
- after the workload: every global, the RNG state, the files it wrote in the scratch copy, its
  result; then, for the functions the evaluator asks for, sampled inputs (``trace_samples``).

Size is bounded: per function the first ``FIRST_CALLS`` calls and then calls 2^k are recorded
(the rest are counted), at most ``MAX_FUNCTIONS`` functions are traced, a value's encoding stops
at ``trace_values.MAX_ITEMS`` items and ``MAX_DEPTH`` levels, previews are cut at 60 characters,
and at most ``MAX_STATE_NAMES`` changed globals are listed per call.

Time is bounded too: recording and the wrappers themselves (a calibrated cost per call) may take
``RECORD_SHARE`` of the CPU time the workload itself has had (load from other processes does not
count). Past it no call is recorded, and once the
wrappers alone overrun it they are taken out for the rest of the workload (the trace is then not
``complete``: its call counts are not compared).
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import resource
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

if __name__.startswith("evolver."):
    from evolver.sandbox import trace_samples, trace_values
else:  # loaded by path by worker.py inside the sandbox, after its two siblings
    trace_values = sys.modules["_evolver_trace_values"]
    trace_samples = sys.modules["_evolver_trace_samples"]

FIRST_CALLS = 64
RECORD_SHARE = 0.6  # the trace (recording, wrappers) may take this share of the CPU time the workload itself has had
MIN_RECORD_S = 0.005  # ... or this much, whichever is more
MAX_FUNCTIONS = 64
CHECK_EVERY = 256  # wrapped calls between two looks at the wrappers' cost
MAX_STATE_NAMES = 16
MAX_YIELDS = 64
MAX_FILES = 2000
MAX_FILE_BYTES = 64 * 1024 * 1024
SKIPPED_DIRS = frozenset({"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", ".git"})

Record = dict[str, Any]


def _process_cpu_s() -> float:
    """CPU seconds of the whole process (worker.py's ``process_cpu_s``: ``time.process_time()``
    moves in scheduler ticks under the jail's RLIMIT_CPU)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Printed:
    """What the program printed (to ``sys.stdout``) over a span: a running digest, its size and
    its first characters; addresses and scratch paths are left out."""

    def __init__(self) -> None:
        self.hasher = hashlib.sha256()
        self.size = 0
        self.head = ""

    def add(self, text: str) -> None:
        text = trace_values.clip(text, len(text) + 3)
        self.hasher.update(text.encode("utf-8", "backslashreplace"))
        self.size += len(text)
        if len(self.head) < 80:
            self.head += text[: 80 - len(self.head)]

    def record(self) -> list[Any]:
        return [self.hasher.hexdigest()[:16], trace_values.short(self.head), self.size]


class _Tee:
    """``sys.stdout`` while the workload runs: writes go through, and to the recorder too."""

    def __init__(self, stream: Any, recorder: Recorder) -> None:
        self._stream, self._recorder = stream, recorder

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        if isinstance(text, str) and text:
            self._recorder.printed(text)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def recorded(index: int) -> bool:
    """Whether the ``index``-th call (0-based) of a function is recorded: the first ones, then 2^k."""
    return index < FIRST_CALLS or index & (index - 1) == 0


class _Slot:
    """One traced function: where it lives, what was there, and the wrapper put in its place."""

    def __init__(self, name: str, owner: Any, attr: str, raw: Any, role: str) -> None:
        self.name, self.owner, self.attr, self.raw, self.role = name, owner, attr, raw, role
        self.wrapper_raw: Any = None
        self.calls = 0  # entry calls (changed) or calls while an entry call ran (callee)
        self.distinct: set[str] = set()

    def put(self, raw: Any) -> None:
        if isinstance(self.owner, types.ModuleType):
            self.owner.__dict__[self.attr] = raw
        else:
            setattr(self.owner, self.attr, raw)


class Recorder:
    """Records one workload run of the target ``module``; ``request`` says what to trace."""

    def __init__(self, module: types.ModuleType, request: dict[str, Any]) -> None:
        self.module = module
        self.request = request
        if request.get("scratch_dir"):
            trace_values.set_scratch(os.path.dirname(os.path.normpath(request["scratch_dir"])))
        self.encoder = trace_values.Encoder()
        self.transient = frozenset(request.get("transient", ()))
        self.excluded = frozenset(request.get("exclude_globals", ()))
        self.lock = threading.Lock()
        self.active = 0
        self.swapped: list[_Slot] = []  # changed functions swapped back to their originals in this entry call
        self.callees: list[_Slot] = []  # their wrappers are in only while an entry call runs
        self.off = False  # the wrappers are out: the trace's time share is used up
        self.wrapped = 0  # calls that went through a wrapper
        self.next_check = CHECK_EVERY  # when to weigh the wrappers' cost again
        self.per_call = 0.0  # CPU seconds one wrapped call costs when it is not recorded (calibrated)
        self.seq = 0
        self.transient_hit = False
        self.sampling = False
        self.started: float | None = None  # the process's CPU time when the workload started
        self.spent = 0.0  # CPU seconds spent recording
        self.skipped = 0  # calls not recorded for want of time
        self.run_printed = Printed()
        self.call_printed: Printed | None = None  # during a recorded entry call or sampled input
        self.entries: list[Record] = []
        self.nested: list[Record] = []
        self.notes: list[str] = []
        self.slots: dict[str, _Slot] = {}
        self.kept_args: dict[str, dict[str, Any]] = {}  # for sampling: args digest -> wire args
        self.unwireable: dict[str, str] = {}  # functions whose arguments cannot be carried: why
        self.sampled = set(request.get("sample", ()))
        self.state_cache: dict[str, tuple[Any, str]] = {}
        self.too_large: set[str] = set()
        self.last_state: dict[str, list[Any]] = {}

    # -- wrappers --------------------------------------------------------------------------

    def install(self) -> None:
        self.per_call = self._calibrate()
        names = [(n, "changed") for n in self.request.get("changed", ())]
        names += [(n, "callee") for n in self.request.get("callees", ()) if n not in self.request.get("changed", ())]
        for name, role in names:
            if len(self.slots) >= MAX_FUNCTIONS:
                self.notes.append(f"only the first {MAX_FUNCTIONS} functions are traced")
                break
            slot = self._slot(name, role)
            if slot is not None:
                slot.wrapper_raw = self._wrap(slot)
                if role == "changed":  # a callee's wrapper goes in only while an entry call runs
                    slot.put(slot.wrapper_raw)
                else:
                    self.callees.append(slot)
                self.slots[name] = slot

    def uninstall(self) -> None:
        for slot in self.slots.values():
            slot.put(slot.raw)

    def _calibrate(self, rounds: int = 2000) -> float:
        """What a call through an entry wrapper adds when the call is not recorded, in CPU seconds.
        By the thread's clock: under the sandbox's RLIMIT_CPU the process's clock only moves at ticks."""
        def noop() -> None:
            return None

        slot = _Slot("<calibration>", None, "", noop, "changed")
        wrapper = self._wrap(slot)
        slot.calls = (1 << 40) + 1  # past the recorded calls (no power of two in reach)
        best = math.inf
        for _ in range(3):
            start = time.thread_time()
            for _ in range(rounds):
                wrapper()
            middle = time.thread_time()
            for _ in range(rounds):
                noop()
            best = min(best, (middle - start) - (time.thread_time() - middle))
        self.wrapped, self.next_check = 0, CHECK_EVERY
        return max(0.0, best / rounds)

    def _slot(self, name: str, role: str) -> _Slot | None:
        owner: Any = self.module
        *path, attr = name.split(".")
        for part in path:
            owner = owner.__dict__.get(part) if isinstance(owner, (type, types.ModuleType)) else None
        if isinstance(owner, type) and attr.startswith("__") and not attr.endswith("__"):
            attr = f"_{owner.__name__.lstrip('_')}{attr}"  # a private name, as the class stores it
        raw = owner.__dict__.get(attr) if isinstance(owner, (type, types.ModuleType)) else None
        if raw is None or isinstance(raw, (property, type)) or not (
                callable(raw) or isinstance(raw, (staticmethod, classmethod))):
            self.notes.append(f"{name}: not traced (not a function of the module or of one of its classes)")
            return None
        return _Slot(name, owner, attr, raw, role)

    def _wrap(self, slot: _Slot) -> Any:
        raw = slot.raw
        kind = type(raw) if isinstance(raw, (staticmethod, classmethod)) else None
        inner = raw.__func__ if kind is not None else raw
        call = self._entry if slot.role == "changed" else self._callee

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self.off:
                return inner(*args, **kwargs)
            return call(slot, inner, args, kwargs)

        try:
            for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
                setattr(wrapper, attr, getattr(inner, attr))
            wrapper.__dict__.update(getattr(inner, "__dict__", {}))
        except (AttributeError, TypeError):
            pass
        wrapper.__wrapped__ = inner  # type: ignore[attr-defined]
        for attr in ("cache_clear", "cache_info"):
            if callable(getattr(inner, attr, None)):
                setattr(wrapper, attr, getattr(inner, attr))
        return kind(wrapper) if kind is not None else wrapper

    def _enter(self) -> None:
        with self.lock:
            if self.active == 0:
                self._activate()
            else:
                self.active += 1

    def _activate(self) -> None:
        """An entry call starts (under the lock): the callees' wrappers go in, for its duration only,
        so the callees' calls from elsewhere cost nothing (their puts count as wrapped calls)."""
        self.active = 1
        if not self.off:
            for slot in self.callees:
                slot.put(slot.wrapper_raw)
            self.wrapped += len(self.callees)

    def _leave(self) -> None:
        with self.lock:
            self.active -= 1
            if self.active == 0:
                for slot in self.swapped:
                    slot.put(slot.raw if self.off else slot.wrapper_raw)
                self.swapped.clear()
                for slot in self.callees:
                    slot.put(slot.raw)

    def _entry(self, slot: _Slot, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        with self.lock:
            self.wrapped += 1
            nested = self.active > 0
            if nested:  # called while an entry call runs: the original, until that call ends
                if slot.owner is not None and slot not in self.swapped:
                    slot.put(slot.raw)
                    self.swapped.append(slot)
            else:
                if self.wrapped >= self.next_check and self._overrun(self.wrapped * self.per_call):
                    self._take_out()
                    return func(*args, **kwargs)
                if self.wrapped >= self.next_check:
                    self.next_check = self.wrapped + CHECK_EVERY
                index = slot.calls
                slot.calls = index + 1
                self.transient_hit = False
                self._activate()
        if nested:
            return func(*args, **kwargs)
        if index >= FIRST_CALLS and index & (index - 1):  # not a recorded index: the short way
            self.call_printed = None
            try:
                result = func(*args, **kwargs)
            finally:
                self._leave()
            return self._generator(result, None) if type(result) is types.GeneratorType else result
        record = self._before(slot, index, args, kwargs, entry=True) if self._records(index) else None
        self.call_printed = Printed() if record is not None else None
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:
            self._leave()
            if record is not None:
                self._after(record, args, kwargs, exc=exc, entry=True)
            raise
        self._leave()
        if record is not None:
            self._after(record, args, kwargs, result=result, entry=True)
        if isinstance(result, types.GeneratorType):  # its body runs as part of the entry call
            return self._generator(result, record)
        return result

    def _callee(self, slot: _Slot, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        self.wrapped += 1  # without the lock: an estimate of the wrappers' cost
        if not self.active:
            return func(*args, **kwargs)
        if self.sampling:
            try:
                return func(*args, **kwargs)
            except BaseException as exc:
                self._note_transient(exc)
                raise
        with self.lock:
            index = slot.calls
            slot.calls += 1
        record = self._before(slot, index, args, kwargs, entry=False) if self._records(index) else None
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:
            self._note_transient(exc)
            if record is not None:
                self._after(record, args, kwargs, exc=exc, entry=False)
            raise
        if record is not None:
            self._after(record, args, kwargs, result=result, entry=False)
        return result

    def _records(self, index: int) -> bool:
        """Whether to record this call: an index ``recorded`` keeps, while recording and the wrappers
        have taken at most ``RECORD_SHARE`` of the CPU time the workload itself has had (or
        ``MIN_RECORD_S``), so the traced run takes at most about twice as long (one recording more:
        a call whose arguments are large may take milliseconds). Both sides compare the calls both
        recorded."""
        if not recorded(index):
            return False
        if self.started is None or self.cost() <= MIN_RECORD_S:
            return True
        if not self._overrun(self.cost()):
            return True
        self.skipped += 1
        return False

    def cost(self) -> float:
        """Seconds the trace has added to the workload so far: recording, and the wrappers."""
        return self.spent + self.wrapped * self.per_call

    def _overrun(self, spent: float) -> bool:
        """Whether ``spent`` seconds are past the trace's share of the workload's own time so far."""
        if self.started is None:
            return False
        own = _process_cpu_s() - self.started - self.cost()
        return spent > MIN_RECORD_S and spent > RECORD_SHARE * own

    def _take_out(self) -> None:
        """The wrappers alone have used the trace's time share (recording then stops anyway): out for
        the rest of the workload (called with no entry call running)."""
        self.off = True
        for slot in self.slots.values():
            slot.put(slot.raw)
        self.notes.append(f"the trace stopped after {self.wrapped} traced calls: it had used its share of the "
                          "workload's time (the calls after it run untraced; call counts are not compared)")

    def printed(self, text: str) -> None:
        self.run_printed.add(text)
        if self.call_printed is not None:
            self.call_printed.add(text)

    def _is_transient(self, exc: BaseException) -> bool:
        """Is ``exc`` of one of the configured transient types (a subclass counts)?"""
        return any(cls.__name__ in self.transient for cls in type(exc).__mro__)

    def _note_transient(self, exc: BaseException) -> None:
        if self._is_transient(exc):
            self.transient_hit = True

    # -- records ---------------------------------------------------------------------------

    def _before(self, slot: _Slot, index: int, args: tuple[Any, ...], kwargs: dict[str, Any],
                entry: bool) -> Record:
        start = time.thread_time()
        try:
            return self._opened(slot, index, args, kwargs, entry)
        finally:
            self.spent += time.thread_time() - start

    def _opened(self, slot: _Slot, index: int, args: tuple[Any, ...], kwargs: dict[str, Any],
                entry: bool) -> Record:
        with self.lock:
            self.seq += 1
            seq = self.seq
        try:
            texts, mutable = self._arg_texts(args, kwargs)
            joined = trace_values.digest("|".join(f"{k}={t}" for k, (t, _) in texts.items()))
            unknown = int(any(u for _, u in texts.values()))
            preview = ", ".join(trace_values.short(a, 30) for a in args)
            preview += "".join(f", {k}={trace_values.short(v, 30)}" for k, v in sorted(kwargs.items()))
            slot.distinct.add(joined)
            if entry and slot.name in self.sampled:
                if unknown:
                    self.unwireable.setdefault(slot.name, "an argument could not be encoded completely")
                self._keep_args(slot.name, joined, args, kwargs)
        except Exception as exc:  # recording must never break the workload
            return {"s": seq, "f": slot.name, "i": index, "broken": repr(exc)[:200]}
        return {"s": seq, "f": slot.name, "i": index, "args": [joined, "args", preview.lstrip(", "), unknown],
                "_mutable": mutable}

    def _arg_texts(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[dict[str, tuple[str, bool]], dict[str, str]]:
        texts: dict[str, tuple[str, bool]] = {}
        mutable: dict[str, str] = {}
        for key, value in [*((str(i), a) for i, a in enumerate(args)), *sorted(kwargs.items())]:
            text, unknown, is_mutable = self.encoder.encode(value)
            texts[key] = (text, unknown)
            if is_mutable and not text.startswith("<too large"):  # too large to see a change in anyway
                mutable[key] = trace_values.digest(text)
        return texts, mutable

    def _after(self, record: Record, args: tuple[Any, ...], kwargs: dict[str, Any], *, entry: bool,
               result: Any = None, exc: BaseException | None = None) -> None:
        start = time.thread_time()
        try:
            self._closed(record, args, kwargs, entry=entry, result=result, exc=exc)
        finally:
            self.spent += time.thread_time() - start

    def _closed(self, record: Record, args: tuple[Any, ...], kwargs: dict[str, Any], *, entry: bool,
                result: Any = None, exc: BaseException | None = None) -> None:
        if "broken" in record:
            self._store(record, entry)
            return
        try:
            record["out"] = {"e": self._exception(exc)} if exc is not None else {"r": self.encoder.value(result)}
            if not entry and exc is not None and self._is_transient(exc):
                record["tr"] = 1  # a callee's declared transient failure: a sturdier rewrite may recover from it
            by_key = {**{str(i): a for i, a in enumerate(args)}, **kwargs}
            changed = {}
            for key, before in record.pop("_mutable").items():
                after = self.encoder.value(by_key[key])
                if after[0] != before:
                    changed[key] = after
            if changed:
                record["mut"] = changed
            if entry:
                record.update(self._state())
                if self.transient_hit:
                    record["tr"] = 1
                if self.call_printed is not None and self.call_printed.size:
                    record["pr"] = self.call_printed.record()
                self.call_printed = None
        except Exception as error:
            record["broken"] = repr(error)[:200]
            record.pop("_mutable", None)
        self._store(record, entry)

    def _store(self, record: Record, entry: bool) -> None:
        with self.lock:
            (self.entries if entry else self.nested).append(record)

    def _exception(self, exc: BaseException) -> list[Any]:
        """[type, message shown, digest of its arguments]. A RecursionError's message says where the
        limit struck (in a call, in a comparison), which is not the program's behaviour: its type alone counts."""
        if isinstance(exc, RecursionError):
            return [trace_values.type_name(exc), "maximum recursion depth exceeded", ""]
        try:
            message = trace_values.clip(str(exc), 80)
        except Exception:
            message = "?"
        return [trace_values.type_name(exc), message, trace_values.digest(self.encoder.encode(exc.args)[0])]

    def _generator(self, gen: Any, record: Record | None) -> Iterator[Any]:
        """Runs ``gen`` as part of its entry call (its inner calls are not entry calls); for a recorded
        call, keeps digests of what it yields and how it ends."""
        items: list[str] = []
        ending: Record = {"items": items, "count": 0, "end": "open"}
        if record is not None:
            record["y"] = ending
        value: Any = None
        thrown: BaseException | None = None
        while True:
            self._enter()
            try:
                item = gen.throw(thrown) if thrown is not None else gen.send(value)
            except StopIteration as stop:
                ending["end"] = {"r": self.encoder.value(stop.value)} if record is not None else "done"
                return stop.value
            except BaseException as exc:
                ending["end"] = {"e": self._exception(exc)} if record is not None else "raised"
                raise
            finally:
                self._leave()
            ending["count"] += 1
            if record is not None and len(items) < MAX_YIELDS:
                items.append(self.encoder.value(item, preview=False)[0])
            try:
                value, thrown = (yield item), None
            except GeneratorExit:
                ending["end"] = "closed"
                gen.close()
                raise
            except BaseException as exc:
                value, thrown = None, exc

    # -- module state ------------------------------------------------------------------------

    def data_globals(self) -> Iterator[tuple[str, Any]]:
        for name, value in list(self.module.__dict__.items()):
            if name.startswith("__") or name in self.excluded or name.lower().startswith("_evolver_"):  # evolver's own caches
                continue
            if isinstance(value, (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType,
                                  staticmethod, classmethod)) or callable(getattr(value, "__wrapped__", None)):
                continue
            yield name, value

    def global_values(self, preview: bool = False) -> dict[str, list[Any]]:
        """Each data global's value record (unchanged immutable values are not encoded again)."""
        found: dict[str, list[Any]] = {}
        for name, value in self.data_globals():
            cached = self.state_cache.get(name)
            if cached is not None and cached[0] is value and not preview:
                found[name] = [cached[1], trace_values.type_name(value), "", int(name in self.too_large)]
                continue
            text, unknown, mutable = self.encoder.encode(value)
            found[name] = [trace_values.digest(text), trace_values.type_name(value),
                           trace_values.short(value) if preview else "", int(unknown)]
            if text.startswith("<too large"):
                self.too_large.add(name)  # unknown; not walked again after each call while it is the same object
            if (not mutable and not unknown) or name in self.too_large:
                self.state_cache[name] = (value, found[name][0])
        for name, state in rng_states().items():
            found[name] = [state, "rng", "", 0]
        return found

    def _state(self) -> Record:
        """The globals after an entry call: a digest of the known ones, and the names that changed."""
        now = self.global_values()
        changed = {name: value for name, value in now.items() if self.last_state.get(name, [None])[0] != value[0]}
        changed.update({name: ["", "deleted", "", 0] for name in self.last_state if name not in now})
        self.last_state = now
        listed = dict(sorted(changed.items())[:MAX_STATE_NAMES])
        for name, value in listed.items():
            if value[1] not in ("rng", "deleted"):
                value[2] = trace_values.short(self.module.__dict__.get(name))
        known = sorted((name, value[0]) for name, value in now.items() if not value[3])
        state: Record = {"g": trace_values.digest(repr(known))}
        if listed:
            state["gd"] = listed
        if len(changed) > len(listed):
            state["gd_more"] = len(changed) - len(listed)
        return state

    def _keep_args(self, name: str, joined: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """A few distinct argument lists of a function to sample, copied (as wire data) before the call."""
        kept = self.kept_args.setdefault(name, {})
        if name in self.unwireable or joined in kept or len(kept) >= trace_samples.KEEP_ARGS:
            return
        try:
            kept[joined] = trace_values.to_wire([list(args), kwargs], self.module.__name__)
        except trace_values.NotWireable as exc:
            self.unwireable[name] = str(exc)

    def reseed(self) -> None:
        seed(int(self.request.get("seed", 0)))
        self.last_state = self.global_values()

    # -- the whole run -------------------------------------------------------------------------

    def run(self, workload: Callable[[], Any]) -> dict[str, Any]:
        root = self.request.get("scratch_dir")
        before_files = file_stats(root) if root else {}
        seed(int(self.request.get("seed", 0)))
        self.last_state = self.global_values()
        start_globals = {name: list(value) for name, value in self.last_state.items()}
        started, cpu = time.perf_counter(), _process_cpu_s()
        self.started = cpu  # the trace's time share is of the CPU time the workload has had: load does not count
        result, error = None, None
        stdout, sys.stdout = sys.stdout, _Tee(sys.stdout, self)
        try:
            result = workload()
        except BaseException as exc:  # the trace of a failing run still compares
            error = self._exception(exc)
        finally:
            sys.stdout = stdout
        workload_s, cpu = time.perf_counter() - started, _process_cpu_s() - cpu
        output = self.encoder.value(result) if error is None else None
        final = {"globals": self.global_values(preview=True), "output": output, "error": error,
                 "files": written_files(root, before_files) if root else {}, "printed": self.run_printed.record()}
        answer: dict[str, Any] = {
            "functions": {name: {"role": s.role, "calls": s.calls, "distinct": len(s.distinct)}
                          for name, s in self.slots.items()},
            "calls": sorted(self.entries, key=lambda r: r["s"]),
            "nested": sorted(self.nested, key=lambda r: r["s"]),
            "start": {"globals": start_globals}, "final": final, "workload_s": workload_s, "workload_cpu_s": cpu,
        }
        complete = not self.off
        if self.off:  # back in for the sampled inputs (callees note transient failures)
            self.off = False
            for slot in self.slots.values():
                if slot.role == "changed":
                    slot.put(slot.wrapper_raw)
        answer.update(complete=complete, wrapped_calls=self.wrapped, per_call_s=self.per_call, cost_s=self.cost())
        sample_start = time.perf_counter()
        self.sampling = True  # callees still note transient failures, but keep no records
        stdout, sys.stdout = sys.stdout, _Tee(sys.stdout, self)
        try:
            answer["samples"] = trace_samples.run(self, workload_s, cpu)
        except Exception as exc:  # a failure of the sampling machinery is not the candidate's
            answer["samples"] = {}
            self.notes.append(f"sampled inputs failed: {trace_values.clip(repr(exc), 200)}")
        finally:
            sys.stdout = stdout
        answer["sample_s"] = time.perf_counter() - sample_start
        self.uninstall()
        if self.skipped:
            self.notes.append(f"{self.skipped} call(s) not recorded: recording had used its share of the time")
        answer["notes"] = self.notes
        return answer


def rng_states() -> dict[str, str]:
    """Digests of the global random generators' states (``random``; numpy's when it is loaded)."""
    states = {"<random state>": hashlib.sha256(repr(random.getstate()).encode()).hexdigest()[:16]}
    np = sys.modules.get("numpy")
    if np is not None:
        try:
            kind, keys, pos, has_gauss, cached = np.random.get_state()
            text = repr((kind, keys.tobytes(), pos, has_gauss, cached))
            states["<numpy.random state>"] = hashlib.sha256(text.encode()).hexdigest()[:16]
        except Exception:
            pass
    return states


def seed(value: int) -> None:
    """Both sides start the workload from the same generator states."""
    random.seed(value)
    np = sys.modules.get("numpy")
    if np is not None:
        try:
            np.random.seed(value)
        except Exception:
            pass


def file_stats(root: str) -> dict[str, tuple[int, int]]:
    stats: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            stats[os.path.relpath(path, root)] = (info.st_size, info.st_mtime_ns)
            if len(stats) >= MAX_FILES:
                return stats
    return stats


def written_files(root: str, before: dict[str, tuple[int, int]]) -> dict[str, str]:
    """Files the workload created, changed or deleted under ``root``: path -> content digest."""
    after = file_stats(root)
    budget = MAX_FILE_BYTES
    found: dict[str, str] = {}
    for rel, stat in sorted(after.items()):
        if before.get(rel) == stat or rel.endswith((".pyc", ".pyo")):
            continue
        if stat[0] > budget:
            found[rel] = f"? {stat[0]} bytes, not read"
            continue
        budget -= stat[0]
        try:
            with open(os.path.join(root, rel), "rb") as handle:
                found[rel] = hashlib.sha256(handle.read()).hexdigest()[:16]
        except OSError as exc:
            found[rel] = f"? {exc.strerror}"
    found.update({rel: "deleted" for rel in before if rel not in after})
    return found
