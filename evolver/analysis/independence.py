"""Does a function (or method) write nothing that a caller or a concurrent call could see?

Proven when neither its own code nor any module function it calls stores into or mutates an
object it did not create, changes outside state (prints, logs, writes files, sends data), calls
code that cannot be seen, or declares ``global``/``nonlocal`` (a greatest fixpoint over the call
graph). Reading shared state is allowed. Used by thread-pool (calls may overlap) and retry (a
failed attempt may be repeated).
"""

from __future__ import annotations

from evolver.analysis import effects
from evolver.analysis.callgraph import callees_of, prove
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.purity import decorator_reasons, default_reasons

SHARED = frozenset({"output", "mutation", "unknown", "declaration"})


def independence_reasons(index: ModuleIndex, qualname: str, exact_params: bool = False) -> list[str]:
    """Why a function is not proven to write nothing shared (empty: proven). ``exact_params``: when
    its annotated parameters are exactly their builtins (a run-time guard tested the arguments); the
    functions it calls are still taken at their annotations' word only."""
    table = prove(index, "independence", lambda fn: _local(index, fn), lambda fn: True, "independent")
    fn = index.function(qualname)
    if not exact_params or fn is None:
        return table.get(qualname, ["is not a function of the module"])
    own = _local(index, fn, exact_params=True)
    return own + [f"calls {c.qualname}, which is not proven independent ({table[c.qualname][0]})"
                  for c in callees_of(index, fn) if table.get(c.qualname)]


def _local(index: ModuleIndex, fn: FunctionInfo, exact_params: bool = False) -> list[str]:
    found = [e.reason for e in effects.scan(index, fn, exact=False, exact_params=exact_params) if e.kind in SHARED]
    return decorator_reasons(index, fn) + default_reasons(index, fn) + found


def thread_local_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """Thread-local state the function reads: it reads differently on a worker thread."""
    return [e.reason for e in effects.scan(index, fn, exact=False) if e.kind == "thread-local"]
