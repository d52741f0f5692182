"""Run one side of a differential case in a fresh interpreter and write what it observed.

Usage: ``python -S driver.py SPEC.json RESULT.json``. The spec names the module (its file lies
in ``dir``), the ``setup`` statements and the ``steps`` (expressions; the first is the entry
call, the rest are the case's probes). Only the standard library is used: this file is run by an
interpreter that never imports evolver, and it is the only code that imports the module under
test (generated code never runs in the test process).

For the import, the setup and every step it records the outcome (the value, encoded, or the
exception's type and message), what was printed on stdout and stderr, the warnings raised, and
then a snapshot of the driver's own variables (the arguments a call may have mutated; names
starting with ``_`` are left out, e.g. an iterator a probe reads later) and of the module's
globals (functions, classes and modules by name only; evolver's own ``_evolver_*`` helpers are
left out).

The encoding is canonical: builtin values by exact type and content, sets sorted, objects by
their class and ``__dict__``, exceptions by type and arguments, memory addresses masked. A value
it cannot encode faithfully (an iterator, an object whose only repr is an address) becomes
``["<unknown>", type]``, which the comparing side refuses to count as equal.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import importlib
import io
import json
import re
import sys
import threading
import types
import warnings
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
MAX_DEPTH = 12
LOCK = type(threading.Lock())  # compared by whether it is held (its repr shows only an address)
SKIPPED_GLOBALS = ("_evolver", "_EVOLVER", "__")
NAMED = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type, types.ModuleType,
         types.BuiltinMethodType)


def encode(value: Any, depth: int = 0, active: frozenset[int] = frozenset()) -> Any:
    """A JSON value that is equal for two values exactly when they are indistinguishable here.
    Builtin contents are read through the builtin type's own methods, never a subclass's."""
    if depth > MAX_DEPTH:
        return ["<unknown>", "too deep"]
    if id(value) in active:
        return ["<cycle>", type(value).__qualname__]
    active = active | {id(value)}
    kind = type(value).__qualname__
    if value is None or isinstance(value, enum.Enum):
        return ["enum", kind, value.name] if value is not None else ["None"]
    for base in (bool, int, float, complex, str, bytes, bytearray):
        if isinstance(value, base):
            return [kind, base.__repr__(value), _attrs(value, depth, active)]
    if isinstance(value, LOCK):
        return ["lock", kind, value.locked()]
    if isinstance(value, BaseException):
        return ["exception", kind, [encode(a, depth + 1, active) for a in value.args]]
    if isinstance(value, NAMED) or kind == "_lru_cache_wrapper":
        return ["<named>", getattr(value, "__qualname__", getattr(value, "__name__", kind))]
    if isinstance(value, dict):
        items = [[encode(k, depth + 1, active), encode(v, depth + 1, active)] for k, v in dict.items(value)]
        factory = [encode(value.default_factory, depth + 1, active)] if isinstance(value, defaultdict) else []
        return [kind, items, factory, _attrs(value, depth, active)]
    members = _members(value)
    if members is not None:
        items = [encode(v, depth + 1, active) for v in members]
        if isinstance(value, (set, frozenset)):
            items.sort(key=json.dumps)
        return [kind, items, _attrs(value, depth, active)]
    if hasattr(value, "__dict__") and not isinstance(value, (types.GeneratorType, types.CoroutineType)):
        return ["object", kind, encode(dict(vars(value)), depth + 1, active)]
    shown = repr(value)
    if ADDRESS.search(shown):
        return ["<unknown>", kind]
    return ["repr", kind, shown]


def _members(value: Any) -> list[Any] | None:
    """The items of a builtin collection, read by the builtin type's own iterator."""
    if isinstance(value, set):
        return list(set.__iter__(value))
    if isinstance(value, frozenset):
        return list(frozenset.__iter__(value))
    if isinstance(value, list):
        return list(list.__iter__(value))
    if isinstance(value, tuple):
        return list(tuple.__iter__(value))
    if isinstance(value, deque):
        return list(deque.__iter__(value))
    return None


def _attrs(value: Any, depth: int, active: frozenset[int]) -> Any:
    """The instance attributes of a subclass of a builtin (a Markup's, a list subclass's)."""
    found = getattr(value, "__dict__", None)
    return encode(dict(found), depth + 1, active) if found else None


def observe(action: Callable[[], Any]) -> dict[str, Any]:
    """Run ``action``: its outcome, printed output and warnings."""
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        warnings.simplefilter("always")
        try:
            outcome: list[Any] = ["return", encode(action())]
        except BaseException as exc:
            outcome = ["raise", type(exc).__qualname__, ADDRESS.sub(" at 0x?", str(exc))]
    return {"outcome": outcome, "stdout": out.getvalue(), "stderr": ADDRESS.sub(" at 0x?", err.getvalue()),
            "warnings": [[w.category.__qualname__, str(w.message)] for w in caught]}


def snapshot(namespace: dict[str, Any], names: list[str], module: types.ModuleType | None) -> dict[str, Any]:
    """The driver's variables and the module's globals, encoded."""
    shown = {name: encode(namespace[name]) for name in names if name in namespace}
    if module is not None:
        shown["<module>"] = {name: encode(value) for name, value in sorted(vars(module).items())
                             if not name.startswith(SKIPPED_GLOBALS) and not isinstance(value, types.ModuleType)}
    return shown


def evaluate(code: str, namespace: dict[str, Any]) -> Any:
    """An expression's value; statements run and give None."""
    try:
        compiled = compile(code, "<step>", "eval")
    except SyntaxError:
        exec(compile(code, "<step>", "exec"), namespace)
        return None
    return eval(compiled, namespace)


def main(spec_path: str, result_path: str) -> None:
    with open(spec_path) as handle:
        spec = json.load(handle)
    sys.path.insert(0, spec["dir"])
    namespace: dict[str, Any] = {"__name__": "__driver__"}
    loaded: list[types.ModuleType] = []

    def load() -> None:
        module = importlib.import_module(spec["module"])
        loaded.append(module)
        namespace["mod"] = module
        namespace.update({k: v for k, v in vars(module).items() if not k.startswith("_")})

    record = [observe(load) | {"step": "import"}]
    if loaded:
        before = set(namespace)
        record.append(observe(lambda: evaluate(spec["setup"], namespace)) | {"step": "setup"})
        names = sorted(n for n in set(namespace) - before if not n.startswith("_"))
        for step in spec["steps"]:
            seen = observe(functools.partial(evaluate, step, namespace))
            record.append(seen | {"step": step, "state": snapshot(namespace, names, loaded[0])})
    with open(result_path, "w") as handle:
        json.dump(record, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
