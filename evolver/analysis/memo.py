"""The checks only memoization needs: the function's shape, its parameters as cache keys (and the
run-time guard that makes them exact), its return value, its recursion.

``functools.lru_cache(typed=True)`` keys a call by its arguments' equality and their top-level
types; equal values inside a tuple (``1``, ``True``; ``"red"`` and a ``StrEnum`` member) share an
entry, and a subclass may define ``__eq__``/``__hash__`` as it likes. So a memoized function caches
only calls whose arguments are *exactly* the builtins their annotations name (checked at run time:
``type(n) is int``, element by element in a tuple); any other call runs the original function.
Floats are refused: ``0.0 == -0.0`` and ``1 == 1.0`` would share entries.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from evolver.analysis import annotations, types
from evolver.analysis import kinds as k
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.tree import all_params
from evolver.analysis.uses import variable_refs

KEY_SCALARS = {"int": "int", "bool": "bool", "str": "str", "bytes": "bytes", "none": "None"}
EQUAL_ACROSS = frozenset({"int", "bool", "float", "complex"})  # 1 == True == 1.0


@dataclass(frozen=True)
class Key:
    """A parameter usable as a cache key, and the expression that checks its exactness."""

    param: ast.arg
    guard: str  # e.g. "type(n) is int", "type(t) is tuple and len(t) == 2 and ..."


def shape_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """A module-level, synchronous, undecorated, non-generator def bound exactly once."""
    reasons = []
    if fn.cls is not None:
        reasons.append("is a method")
    elif fn.nested:
        reasons.append("is a nested function")
    elif not fn.top_level:
        reasons.append("is defined conditionally (not a top-level statement)")
    if fn.is_async:
        reasons.append("is async")
    if generator(index, fn):
        reasons.append("is a generator")
    if fn.node.decorator_list:
        reasons.append("has decorators")
    if fn.cls is None and not fn.nested and not index.bound_once(fn.name):
        reasons.append("rebound elsewhere in the module")
    for node in index.own(fn, (ast.Global, ast.Nonlocal), lambdas=False):
        word = "global" if isinstance(node, ast.Global) else "nonlocal"
        reasons.append(f"declares {word} {', '.join(node.names)}")
    return reasons


def generator(index: ModuleIndex, fn: FunctionInfo) -> bool:
    return bool(index.own(fn, (ast.Yield, ast.YieldFrom), lambdas=False))


def keys(index: ModuleIndex, params: list[ast.arg]) -> tuple[list[Key], list[str]]:
    """The parameters as guarded cache keys, and the reasons some cannot be one."""
    found, reasons = [], []
    for param in params:
        declared = annotations.declared(index, param.annotation) if param.annotation is not None else k.UNKNOWN
        guard, reason = _guard(param.arg, declared, top=True)
        if reason is not None:
            reasons.append(f"parameter `{param.arg}` {reason}")
        else:
            found.append(Key(param, guard))
    return found, reasons


def _guard(expr: str, declared: k.Type, top: bool, depth: int = 0) -> tuple[str, str | None]:
    """A check that ``expr`` is exactly one of the declared hashable builtins, or why there is none."""
    if not k.known(declared) or depth > 2:
        return "", "has no immutable hashable annotation"
    if k.bases(declared) == {"bytes", "bytearray", "memoryview"}:  # PEP 484 lets them stand for bytes
        declared = frozenset(kind for kind in declared if kind.base == "bytes")
    found = k.bases(declared)
    if found & {"float", "complex"}:
        return "", "can be a float: 0.0 and -0.0 (or 1 and 1.0) would share a cache entry"
    if not found <= set(KEY_SCALARS) | {"tuple", "frozenset"}:
        return "", "has no immutable hashable annotation"
    if not top and len(found & EQUAL_ACROSS) > 1:
        return "", "holds int or bool in a container: 1 and True would share a cache entry"
    checks = []
    for kind in sorted(declared, key=lambda kd: kd.base):
        if kind.base == "none":
            checks.append(f"{expr} is None")
        elif kind.base in KEY_SCALARS:
            checks.append(f"type({expr}) is {KEY_SCALARS[kind.base]}")
        else:
            inner, reason = _container_guard(expr, kind, depth)
            if reason is not None:
                return "", reason
            checks.append(inner)
    return " or ".join(f"({c})" if " and " in c and len(checks) > 1 else c for c in checks), None


def _container_guard(expr: str, kind: k.Kind, depth: int) -> tuple[str, str | None]:
    item = f"_e{depth}"
    if kind.base == "tuple" and kind.parts is not None:
        parts = [f"type({expr}) is tuple", f"len({expr}) == {len(kind.parts)}"]
        for position, part in enumerate(kind.parts):
            check, reason = _guard(f"{expr}[{position}]", part, top=False, depth=depth + 1)
            if reason is not None:
                return "", reason
            parts.append(f"({check})" if " or " in check else check)
        return " and ".join(parts), None
    if kind.items is None:
        return "", "has no immutable hashable annotation"
    check, reason = _guard(item, kind.items, top=False, depth=depth + 1)
    if reason is not None:
        return "", reason
    return f"type({expr}) is {kind.base} and all({check} for {item} in {expr})", None


def return_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """Every returned value is provably an exact immutable builtin (the cached object is handed to
    every later caller). The return annotation is a claim; the body is what counts."""
    facts = types.facts(index, fn, exact_params=True)
    reasons = []
    for node in index.own(fn, ast.Return, lambdas=False):
        if node.value is not None and not k.immutable(facts.of(node.value)):
            shown = k.show(facts.of(node.value))
            reasons.append(f"return value `{index.code(node.value)}` is not provably immutable ({shown})")
    return reasons


def mutated_parameter_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """Stores into, or mutating calls on, the function's own parameters."""
    reasons = []
    for param in all_params(fn.node.args):
        name = ast.Name(param.arg, ast.Load())
        refs = _param_refs(index, fn, param)
        if refs and any(r.use in ("grow", "mutate") for r in refs):
            reasons.append(f"mutates parameter `{name.id}`")
    return reasons


def _param_refs(index: ModuleIndex, fn: FunctionInfo, param: ast.arg) -> list | None:  # type: ignore[type-arg]
    scope = index.function_scope(fn)
    bindings = scope.bindings.get(param.arg)
    if not bindings:
        return None
    read = next(iter(bindings[0].references), None)
    return variable_refs(index, fn, read) if read is not None else []


def attribute_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """``f.__code__``, ``f.calls = 0``: the rewritten function does not have the original's attributes."""
    reasons = []
    for read in index.scopes.module.references.get(fn.name, []):
        parent = index.parent(read)
        if isinstance(parent, ast.Attribute) and parent.value is read:
            reasons.append(f"its attributes are used ({index.code(parent)})")
    return reasons


def self_calls(index: ModuleIndex, fn: FunctionInfo) -> list[ast.Call]:
    """Calls of the function by its own module-level name inside its body (lambdas included)."""
    key = ("self_calls", fn.node)
    if key not in index.cache:
        index.cache[key] = [
            node for node in index.own(fn, ast.Call)
            if isinstance(node.func, ast.Name) and node.func.id == fn.name
            and index.binding(node.func) == "global" and index.module_function(fn.name) is fn]
    return index.cache[key]


def recursion_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """A recursion through one self-call per level goes as deep as its argument; each level also
    passes through the cache (and its guard): RecursionError would come at a third of the depth,
    while the cache saves nothing within one call."""
    if len(self_calls(index, fn)) == 1:
        return ["recurses through one self-call per level: caching saves nothing within a call, and the "
                "cache wrapper would make RecursionError come at a third of the depth"]
    return []
