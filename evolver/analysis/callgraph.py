"""Who calls whom inside one module, and the fixpoints that carry a fact along the calls.

A call is resolved to a module function (``f(...)`` with ``f`` bound once to a ``def``) or to a
method (``obj.m(...)`` when ``obj``'s class is known: ``self``/``cls`` in a method, a parameter
annotated with a class of the module, a local bound only to ``Class(...)``). A method found this way
is the class's own: a subclass defined elsewhere could override it (assumption
``methods-not-overridden``); a subclass in the module that overrides it makes the call unresolved.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.tree import chain_top

RETRY_HELPER = "_evolver_retry"


def resolve_callee(index: ModuleIndex, fn: FunctionInfo | None, func: ast.AST) -> FunctionInfo | None:
    """The module function or method an expression names (None: anything else)."""
    if isinstance(func, ast.Name):
        if index.binding(func) == "global" and func.id != RETRY_HELPER and index.qualified_name(func) is None:
            return index.module_function(func.id)  # (a def evolver wrote that stands for a library call is not)
        return None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.attr == "__wrapped__" and index.binding(func.value) == "global":
            return index.module_function(func.value.id)  # a cached function's original (memoize's guard)
        cls = receiver_class(index, func.value)
        if cls is None or _overridden(index, cls, func.attr):
            return None
        return index.method(cls, func.attr)
    return None


def parameters_for(call: ast.Call, callee: FunctionInfo, bound: bool) -> list[tuple[ast.arg, ast.AST]] | None:
    """Which parameter of ``callee`` each argument of ``call`` goes to (``bound``: called as a bound
    method, its first parameter is the receiver); None when ``*``/``**`` arguments hide it."""
    params = callee.node.args
    positional = [*params.posonlyargs, *params.args][1 if bound else 0:]
    by_name = {p.arg: p for p in [*params.args, *params.kwonlyargs]}
    pairs: list[tuple[ast.arg, ast.AST]] = []
    for at, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return None
        if at < len(positional):
            pairs.append((positional[at], arg))
        elif params.vararg is not None:
            pairs.append((params.vararg, arg))
    for keyword in call.keywords:
        if keyword.arg is None:
            return None
        param = by_name.get(keyword.arg, params.kwarg)
        if param is not None:
            pairs.append((param, keyword.value))
    return pairs


def receiver_class(index: ModuleIndex, name: ast.Name) -> ast.ClassDef | None:
    """The module class of a receiver: ``self``/``cls`` of a method, a parameter annotated with the
    class, or a local bound only to ``Class(...)``."""
    found = index.resolve(name)
    if found.kind not in ("param", "local") or not found.bindings:
        return None
    if found.kind == "param":
        if len(found.bindings) != 1:
            return None
        return _param_class(index, found.bindings[0].node)  # type: ignore[arg-type]
    classes = set()
    for binding in found.bindings:
        value = getattr(binding.statement, "value", None)
        if binding.kind != "assign" or not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
            return None
        classes.add(value.func.id)
    return index.module_class(classes.pop()) if len(classes) == 1 else None


def _param_class(index: ModuleIndex, param: ast.arg) -> ast.ClassDef | None:
    annotation = index.annotation(param)
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return index.module_class(annotation.value.strip())
    if isinstance(annotation, ast.Name):
        return index.module_class(annotation.id) if index.binding(annotation) == "global" else None
    if annotation is not None:
        return None
    owner = index.parent(index.parent(param) or param)
    if not isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    info = index.info(owner)
    positional = [*owner.args.posonlyargs, *owner.args.args]
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in owner.decorator_list)
    return info.cls if info.cls is not None and positional and positional[0] is param and not static else None


def _overridden(index: ModuleIndex, cls: ast.ClassDef, method: str) -> bool:
    """A class of the module that derives from ``cls`` defines ``method`` again."""
    key = ("overrides", cls, method)
    if key not in index.cache:
        index.cache[key] = any(
            fn.name == method and fn.cls is not None and fn.cls is not cls and _derives(index, fn.cls, cls, set())
            for fn in index.functions)
    return index.cache[key]


def _derives(index: ModuleIndex, cls: ast.ClassDef, base: ast.ClassDef, seen: set[str]) -> bool:
    for expr in cls.bases:
        if isinstance(expr, ast.Name) and expr.id not in seen:
            parent = index.module_class(expr.id)
            if parent is base or (parent is not None and _derives(index, parent, base, seen | {expr.id})):
                return True
    return False


def is_retry_call(index: ModuleIndex, call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Name) and func.id == RETRY_HELPER and index.binding(func) == "global"


def effective_calls(index: ModuleIndex, calls: list[ast.Call]) -> list[tuple[ast.expr, list[ast.expr]]]:
    """(callee, positional arguments) of each call; ``_evolver_retry(f, a)`` counts as ``f(a)``."""
    return [(call.args[0], call.args[1:]) if is_retry_call(index, call) and call.args else (call.func, call.args)
            for call in calls]


def callees_of(index: ModuleIndex, fn: FunctionInfo) -> list[FunctionInfo]:
    """Module functions and methods the function (nested code included) calls or passes along."""
    key = ("callees", fn.node)
    if key not in index.cache:
        found: dict[str, FunctionInfo] = {}
        for scope in index.function_scopes(fn):
            for name in scope.loads:
                top = chain_top(index, name)
                target = top if isinstance(top, ast.Attribute) and top.value is name else name
                callee = resolve_callee(index, fn, target)
                call = index.parent(name)
                if callee is None and isinstance(call, ast.Call) and is_retry_call(index, call) and call.args:
                    callee = resolve_callee(index, fn, call.args[0])
                if callee is not None:
                    found[callee.qualname] = callee
        index.cache[key] = list(found.values())
    return index.cache[key]


def prove(index: ModuleIndex, kind: str, local: Callable[[FunctionInfo], list[str]],
          include: Callable[[FunctionInfo], bool], adjective: str, only: str | None = None) -> dict[str, list[str]]:
    """A greatest fixpoint: a function is proven when it has no reason of its own and every module
    function it uses is proven (so recursion through proven functions stays proven). The table
    gives each function's reasons (empty: proven).

    With ``only``, the table covers that function and the functions it reaches, and nothing else:
    a function's answer depends only on what it reaches, so it is the same answer, and an index
    built for one question (a supposed parameter type) does not pay for the whole module."""
    if kind in index.cache:
        return index.cache[kind]
    known: dict[str, list[str]] = index.cache.setdefault((kind, "own"), {})
    if only is None:
        pending = [fn for fn in index.functions if include(fn)]
    else:
        start = index.function(only)
        pending = [start] if start is not None and include(start) else []
    own: dict[str, list[str]] = {}
    callees: dict[str, list[str]] = {}
    while pending:
        fn = pending.pop()
        if fn.qualname in own:
            continue
        if fn.qualname not in known:
            known[fn.qualname] = local(fn)
        own[fn.qualname] = known[fn.qualname]
        reached = callees_of(index, fn)
        callees[fn.qualname] = [c.qualname for c in reached]
        pending.extend(c for c in reached if include(c) and c.qualname not in own)
    proven = {q for q, reasons in own.items() if not reasons}
    changed = True
    while changed:
        changed = False
        for q in sorted(proven):
            if any(c not in proven for c in callees[q]):
                proven.discard(q)
                changed = True
    table = {}
    for q, reasons in own.items():
        failed = [f"calls {c}, which is not proven {adjective} ({_first(own, c)})"
                  for c in sorted(set(callees[q])) if c not in proven]
        table[q] = list(dict.fromkeys(reasons + failed))
    if only is None:
        index.cache[kind] = table
    return table


def _first(own: dict[str, list[str]], qualname: str) -> str:
    reasons = own.get(qualname)
    if reasons is None:
        return "not analyzed"
    return reasons[0] if reasons else "it uses functions that are not proven"


def reachable(index: ModuleIndex, fn: FunctionInfo) -> list[FunctionInfo]:
    """``fn`` and every module function reachable from it through calls, breadth first."""
    found, seen, pending = [], {fn.qualname}, [fn]
    while pending:
        current = pending.pop(0)
        found.append(current)
        for callee in callees_of(index, current):
            if callee.qualname not in seen:
                seen.add(callee.qualname)
                pending.append(callee)
    return found
