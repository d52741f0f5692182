"""Does a function (or method) write nothing that a caller or a concurrent call could see?

Proven when neither its own code nor any module function it calls stores into or mutates an
object it did not create, changes outside state (prints, logs, writes files, sends data), calls
code that cannot be seen, or declares ``global``/``nonlocal`` (a greatest fixpoint over the call
graph). Reading shared state is allowed. Used by thread-pool (calls may overlap) and retry (a
failed attempt may be repeated).
"""

from __future__ import annotations

from evolver.analysis import effects
from evolver.analysis.callgraph import prove
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.purity import decorator_reasons, default_reasons

SHARED = frozenset({"output", "mutation", "unknown", "declaration"})


def independence_reasons(index: ModuleIndex, qualname: str) -> list[str]:
    """Why a function is not proven to write nothing shared (empty: proven)."""
    table = prove(index, "independence", lambda fn: _local(index, fn), lambda fn: True, "independent")
    return table.get(qualname, ["is not a function of the module"])


def _local(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    found = [e.reason for e in effects.scan(index, fn, exact=False) if e.kind in SHARED]
    return decorator_reasons(index, fn) + default_reasons(index, fn) + found


def thread_local_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """Thread-local state the function reads: it reads differently on a worker thread."""
    return [e.reason for e in effects.scan(index, fn, exact=False) if e.kind == "thread-local"]
