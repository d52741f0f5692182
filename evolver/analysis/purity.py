"""Is a module function pure: does its result depend only on its arguments, and does calling it
change nothing? A greatest fixpoint over the call graph, so self- and mutual recursion are fine.

Proven for exact builtin arguments (``effects`` in exact mode): a rewrite that relies on purity
checks ``type(x) is ...`` before using the proof (memoize's guard). Unknown means refuse: a call
that is not known to be harmless is a reason.
"""

from __future__ import annotations

import ast

from evolver.analysis import effects, types
from evolver.analysis import kinds as k
from evolver.analysis.callgraph import prove
from evolver.analysis.index import FunctionInfo, ModuleIndex

IMPURE = frozenset({"input", "output", "mutation", "unknown", "declaration"})


def purity_reasons(index: ModuleIndex, qualname: str) -> list[str]:
    """Why a module-level function is not proven pure (empty: it is)."""
    table = prove(index, "purity", lambda fn: _local(index, fn), lambda fn: fn.cls is None and not fn.nested, "pure",
                  only=qualname)
    return table.get(qualname, ["is not a module-level function"])


def _local(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    reasons = [e.reason for e in effects.scan(index, fn, exact=True) if e.kind in IMPURE]
    if fn.is_async or index.own(fn, ast.Await, lambdas=False):
        reasons.append("is async")
    return decorator_reasons(index, fn) + default_reasons(index, fn) + reasons


def decorator_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    reasons = []
    for decorator in fn.node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if index.qualified_name(target) not in effects.HARMLESS_DECORATORS:
            reasons.append(f"is decorated with @{index.code(decorator)} (unknown effect)")
    return reasons


def default_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """Defaults are evaluated once and shared by every call: each must be an immutable constant."""
    module = types.facts(index, None)
    args = fn.node.args
    defaults = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
    positional = [*args.posonlyargs, *args.args]
    names = [p.arg for p in positional[len(positional) - len(args.defaults):]] + [
        p.arg for p, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    return [f"default value of `{name}` is not an immutable constant"
            for name, default in zip(names, defaults) if not k.immutable(module.of(default))]
