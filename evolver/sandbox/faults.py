"""Fault injection inside the sandbox (stdlib only; worker.py's ``faults`` mode).

The evaluator names the callees a retry rewrite retries (qualnames in the target module: "fetch",
"Client.fetch"). Right after the target is imported, and before the workload is, each is replaced in
its module or class by a wrapper, so every later reference, in the parent and the candidate alike,
goes through it. On the calls the schedule picks, the wrapper raises one of the configured transient
exceptions *before* the callee runs (a dropped connection: nothing was done), else it calls it.

The schedule keys a call by its arguments (the receiver excluded, at most ``KEY_ITEMS`` values
looked at), so it depends neither on call order nor on threads, and a retry (the same arguments
again) is the same call again. A key is *faulty* when it is the first one the callee sees, or when
``sha256(seed, callee, key) < rate``; the faulty key's
- ``transient`` schedule: first ``failures`` calls fail, later ones run (what a retry absorbs);
- ``persistent`` schedule: every call fails (what a retry must give up on, and let surface).
The ``probe`` schedule injects nothing: it records which callees the recovery helpers
(``_evolver_retry*``) are handed from the given source lines, so the evaluator learns what the
rewrite retries by watching it.

Failures are counted by the worker's ``SurfacedFailures`` (where a failure leaves the recovery);
the ones injected here are told apart by identity.
"""

from __future__ import annotations

import functools
import hashlib
import sys
import threading
from collections.abc import Callable
from types import FunctionType, ModuleType
from typing import Any

RECOVERY = "_evolver_retry"  # the prefix of the recovery helpers (analysis.callgraph.RETRY_HELPER)
KEY_ITEMS = 64  # values looked at to key one call
KEY_TEXT = 200  # characters of a string or bytes value kept in a key (with its length and crc)
SCALARS = (int, float, complex, bool, type(None))


def run(request: dict[str, Any], worker: ModuleType) -> dict[str, Any]:
    """One workload call under the request's fault schedule; the answer for the worker."""
    module, path, digest = worker.load_target(request)
    plan = request["faults"]
    if plan["schedule"] == "probe":
        probe = Probe(module, path, [tuple(span) for span in plan["lines"]])
        workload = worker.load_workload(request["workload"])
        outcome = _outcome(worker, workload)
        return {"hash": digest, "outcome": outcome, **probe.answer()}
    injector = Injector(module, plan)
    workload = worker.load_workload(request["workload"])
    counter = worker.SurfacedFailures(path, tuple(request.get("transient", ())))
    threading.settrace(counter.global_trace)
    sys.settrace(counter.global_trace)
    try:
        outcome = _outcome(worker, workload)
    finally:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type, unused-ignore]
    surfaced = counter.seen
    return {"hash": digest, "outcome": outcome, "schedule": plan["schedule"], "calls": injector.calls,
            "faulty": len(injector.faulty), "injected": len(injector.injected), "surfaced": len(surfaced),
            "surfaced_injected": sum(injector.made(exc) for exc in surfaced),
            "patched": injector.patched, "missing": injector.missing, "kinds": [k.__name__ for k in injector.kinds]}


def _outcome(worker: ModuleType, workload: Callable[[], Any]) -> str:
    """What the workload's caller sees: the output's digest, or the exception line."""
    try:
        return str(worker.digest_of(workload()))
    except BaseException as exc:
        return f"error: {worker.exception_line(exc)}"


# -- the schedule ----------------------------------------------------------------------------------

class Injector:
    """Wraps the plan's callees; decides, per call, whether it fails; remembers what it raised."""

    def __init__(self, module: ModuleType, plan: dict[str, Any]) -> None:
        self.schedule = plan["schedule"]
        self.rate = float(plan.get("rate", 0.0))
        self.seed = int(plan.get("seed", 0))
        self.failures = int(plan.get("failures", 1))
        self.kinds = exception_types(module, plan.get("transient", ()))
        self.calls = 0
        self.faulty: set[tuple[str, str]] = set()
        self.injected: list[BaseException] = []  # strong references keep ids unique
        self._ids: set[int] = set()
        self._first: dict[str, str] = {}
        self._attempts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self.patched: list[str] = []
        self.missing: list[str] = []
        for callee in plan["callees"]:
            (self.patched if self.kinds and patch(module, callee, self.wrap) else self.missing).append(callee)

    def made(self, exc: BaseException) -> bool:
        return id(exc) in self._ids

    def wrap(self, func: Callable[..., Any], callee: str, receiver: bool) -> Callable[..., Any]:
        @functools.wraps(func)
        def injected(*args: Any, **kwargs: Any) -> Any:
            key = call_key(args[1:] if receiver else args, kwargs)
            failure = self.failure(callee, key)
            if failure is not None:
                raise failure
            return func(*args, **kwargs)

        return injected

    def failure(self, callee: str, key: str) -> BaseException | None:
        """The exception this call raises, or None when it runs."""
        with self._lock:
            self.calls += 1
            first = self._first.setdefault(callee, key)
            slot = (callee, key)
            attempt = self._attempts.get(slot, 0)
            self._attempts[slot] = attempt + 1
            draw = _draw(self.seed, callee, key)
            if not (key == first or draw < self.rate):
                return None
            self.faulty.add(slot)
            if self.schedule == "transient" and attempt >= self.failures:
                return None
            exc = make_exception(self.kinds[int(draw * 2**32) % len(self.kinds)], callee)
            self.injected.append(exc)
            self._ids.add(id(exc))
            return exc


def _draw(seed: int, callee: str, key: str) -> float:
    """A number in [0, 1) fixed by (seed, callee, key): the same in every process."""
    digest = hashlib.sha256(f"{seed}\0{callee}\0{key}".encode("utf-8", "backslashreplace")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def exception_types(module: ModuleType, names: Any) -> list[type[BaseException]]:
    """The transient exception classes, as the module sees each name (its globals, else builtins)."""
    import builtins

    found = []
    for name in names:
        kind = module.__dict__.get(name, getattr(builtins, name, None))
        if isinstance(kind, type) and issubclass(kind, BaseException) and kind not in found:
            found.append(kind)
    return found


def make_exception(kind: type[BaseException], callee: str) -> BaseException:
    message = f"evolver injected a transient failure into {callee}"
    try:
        return kind(message)
    except Exception:
        return kind()


def call_key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """The call's arguments as text that is the same in every process: builtin values by value,
    containers item by item, other objects by type and instance state; no user code runs (no
    ``repr``, no ``__eq__``). At most ``KEY_ITEMS`` values are looked at."""
    budget = [KEY_ITEMS]
    parts = [_key(a, budget, 0) for a in args] + [f"{k}={_key(v, budget, 0)}" for k, v in sorted(kwargs.items())]
    return ", ".join(parts)


def _key(value: Any, budget: list[int], depth: int) -> str:
    budget[0] -= 1
    if budget[0] < 0 or depth > 8:
        return "..."
    kind = type(value)
    if kind in SCALARS:
        return f"{kind.__name__}:{value!r}"
    if kind is str or kind is bytes:
        data = value.encode("utf-8", "surrogatepass") if kind is str else value
        return f"{kind.__name__}:{value[:KEY_TEXT]!r}/{len(value)}/{_crc(data)}"
    if kind in (list, tuple):
        return f"{kind.__name__}[{', '.join(_key(v, budget, depth + 1) for v in value)}]"
    if kind in (set, frozenset):
        return f"{kind.__name__}{{{', '.join(sorted(_key(v, budget, depth + 1) for v in value))}}}"
    if kind is dict:
        return "dict{" + ", ".join(f"{_key(k, budget, depth + 1)}: {_key(v, budget, depth + 1)}"
                                   for k, v in value.items()) + "}"
    name = f"{kind.__module__}.{kind.__qualname__}"
    try:
        state = object.__getattribute__(value, "__dict__")
    except Exception:
        return name
    return f"{name}({_key(dict(state), budget, depth + 1)})" if type(state) is dict else name


def _crc(data: bytes) -> int:
    import zlib

    return zlib.crc32(data)


# -- patching ----------------------------------------------------------------------------------------

Wrap = Callable[[Callable[..., Any], str, bool], Callable[..., Any]]


def patch(module: ModuleType, callee: str, wrap: Wrap) -> bool:
    """Replace ``callee`` (a qualname in ``module``) by ``wrap(function, callee, receiver)`` where it
    is defined (the module, or the class's own namespace), keeping static and class methods what
    they are. False when it is not a function there."""
    *path, name = callee.split(".")
    owner: Any = module
    for part in path:
        owner = getattr(owner, part, None)
        if not isinstance(owner, type):
            return False
    raw = (module.__dict__ if owner is module else owner.__dict__).get(name)
    in_class = owner is not module
    if isinstance(raw, staticmethod):
        replaced: Any = staticmethod(wrap(raw.__func__, callee, False))
    elif isinstance(raw, classmethod):
        replaced = classmethod(wrap(raw.__func__, callee, True))
    elif isinstance(raw, FunctionType):
        replaced = wrap(raw, callee, in_class)
    else:
        return False
    setattr(owner, name, replaced)
    return True


class Probe:
    """Watches the recovery helpers: which functions they are handed from the given source lines."""

    def __init__(self, module: ModuleType, path: str, lines: list[tuple[int, ...]]) -> None:
        self.module, self.path, self.lines = module, path, lines
        self.callees: dict[str, int] = {}
        self.unresolved: dict[str, int] = {}
        self.helpers = 0
        for name, value in list(module.__dict__.items()):
            if name.startswith(RECOVERY) and isinstance(value, FunctionType):
                setattr(module, name, self.watch(value))
                self.helpers += 1

    def watch(self, helper: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(helper)
        def watched(func: Any, /, *args: Any, **kwargs: Any) -> Any:
            caller = sys._getframe(1)
            if self._ours(caller.f_code.co_filename) and any(
                    span[0] <= caller.f_lineno <= span[-1] for span in self.lines):
                self.note(func)
            return helper(func, *args, **kwargs)

        return watched

    def _ours(self, filename: str) -> bool:
        import os

        return filename == self.path or os.path.realpath(filename) == self.path

    def note(self, func: Any) -> None:
        name = qualname_in(self.module, func)
        table = self.callees if name is not None else self.unresolved
        shown = name if name is not None else _describe(func)
        table[shown] = table.get(shown, 0) + 1

    def answer(self) -> dict[str, Any]:
        return {"callees": sorted(self.callees), "calls": sum(self.callees.values()),
                "unresolved": sorted(self.unresolved), "helpers": self.helpers}


def qualname_in(module: ModuleType, func: Any) -> str | None:
    """The qualname under which ``func`` (a function, or a method bound to an instance or class) is
    defined in ``module``; None for anything defined elsewhere or not reachable by name."""
    target = getattr(func, "__func__", func)
    if not isinstance(target, FunctionType) or target.__module__ != module.__name__:
        return None
    name = target.__qualname__
    if "<locals>" in name or "<lambda>" in name:
        return None
    *path, last = name.split(".")
    owner: Any = module
    for part in path:
        owner = getattr(owner, part, None)
        if not isinstance(owner, type):
            return None
    raw = (module.__dict__ if owner is module else owner.__dict__).get(last)
    raw = getattr(raw, "__func__", raw)
    return name if raw is target else None


def _describe(func: Any) -> str:
    name = getattr(func, "__qualname__", None) or type(func).__qualname__
    return f"{getattr(func, '__module__', None) or '?'}.{name}"
