"""Evidence for a rewrite that pays off only on slow or flaky calls: does a function (or a module
function it calls) block on I/O, or can it fail transiently (raise one of the configured transient
exceptions, or talk to the network)? A least fixpoint: what is reachable through the call graph.
Evidence decides what is worth trying, never what is sound.
"""

from __future__ import annotations

import ast
import builtins

from evolver.analysis import catalogue, types
from evolver.analysis import kinds as k
from evolver.analysis.callgraph import reachable
from evolver.analysis.index import FunctionInfo, ModuleIndex

BLOCKING_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes"})


def blocking_call(index: ModuleIndex, call: ast.Call, fn: FunctionInfo | None = None) -> str | None:
    """The name of a call that blocks the calling thread on I/O, or None."""
    qualified = index.qualified_name(call.func)
    if qualified is not None:
        entry = catalogue.lookup(qualified)
        return qualified if entry is not None and entry.blocks else None
    if not isinstance(call.func, ast.Attribute):
        return None
    if fn is not None:
        receiver = types.facts(index, fn).of(call.func.value)
        if k.known(receiver):
            for kind in receiver:
                entry = catalogue.method(kind.base, call.func.attr)
                if entry is not None and entry.blocks:
                    return f"{kind.base}.{call.func.attr}"
    return f"pathlib.Path.{call.func.attr}" if call.func.attr in BLOCKING_METHODS else None


def io_evidence(index: ModuleIndex, qualname: str) -> list[str]:
    """Blocking I/O calls the function makes, directly or through module functions it calls."""
    key = ("io", qualname)
    if key not in index.cache:
        start = index.function(qualname)
        index.cache[key] = [] if start is None else list(dict.fromkeys(
            name for fn in reachable(index, start) for name in _blocking(index, fn)))
    return index.cache[key]


def _blocking(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    key = ("blocking", fn.node)
    if key not in index.cache:
        index.cache[key] = [name for s in fn.node.body for n in index.walk(s) if isinstance(n, ast.Call)
                            if (name := blocking_call(index, n, fn)) is not None]
    return index.cache[key]


def transient_evidence(index: ModuleIndex, qualname: str, transient: tuple[str, ...]) -> list[str]:
    """Transient exceptions it raises and network calls it makes, directly or through callees."""
    key = ("transient", qualname, transient)
    if key not in index.cache:
        start = index.function(qualname)
        index.cache[key] = [] if start is None else list(dict.fromkeys(
            e for fn in reachable(index, start) for e in _transient(index, fn, transient)))
    return index.cache[key]


def _transient(index: ModuleIndex, fn: FunctionInfo, transient: tuple[str, ...]) -> list[str]:
    found = []
    for node in (n for s in fn.node.body for n in index.walk(s)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if is_transient_class(index, exc, transient, frozenset()):
                found.append(f"raises {index.code(exc)}")
        elif isinstance(node, ast.Call):
            qualified = index.qualified_name(node.func)
            entry = catalogue.lookup(qualified) if qualified is not None else None
            if entry is not None and "network" in entry.reads | entry.writes:
                found.append(f"calls {qualified}")
            elif qualified is None and isinstance(node.func, ast.Attribute):
                receiver = types.facts(index, fn).of(node.func.value)
                for kind in receiver if k.known(receiver) else ():
                    method = catalogue.method(kind.base, node.func.attr)
                    if method is not None and "network" in method.reads | method.writes:
                        found.append(f"calls {kind.base}.{node.func.attr}")
    return found


def is_transient_class(index: ModuleIndex, expr: ast.AST, transient: tuple[str, ...], seen: frozenset[str]) -> bool:
    """The exception class is one of ``transient``, a builtin subclass of one, or a module class
    deriving from one."""
    name = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else None
    if name is None or name in seen:
        return False
    if name in transient:
        return True
    known = getattr(builtins, name, None)
    if isinstance(known, type) and any(
            isinstance(getattr(builtins, t, None), type) and issubclass(known, getattr(builtins, t)) for t in transient):
        return True
    cls = index.module_class(name) if isinstance(expr, ast.Name) else None
    return cls is not None and any(is_transient_class(index, base, transient, seen | {name}) for base in cls.bases)
