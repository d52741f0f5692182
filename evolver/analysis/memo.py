"""The checks only memoization needs: the function's shape, its parameters as cache keys, its
return value, its recursion.

``functools.lru_cache(typed=True)`` keys a call by its arguments' equality and their top-level
types, so two calls share an entry when their arguments compare equal and have the same types
(assumption ``equal-keys-interchangeable``: equal values of one type behave alike). Inside a tuple
or frozenset the types are not compared: ``(1,)`` and ``(True,)``, ``("red",)`` and
``(Color.RED,)`` share an entry, which is sound only if the function cannot tell such elements
apart (it never returns them, formats them, or asks their type: ``dims[0] * dims[1]`` cannot tell
1 from True, ``repr(key)`` can). Floats are refused: ``0.0 == -0.0``.
"""

from __future__ import annotations

import ast

from evolver.analysis import annotations as annotated
from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import repeats
from evolver.analysis.tree import all_params
from evolver.analysis.uses import variable_refs

KEY_SCALARS = frozenset({"int", "bool", "str", "bytes", "none"})
# Builtins that give a new value of their own kind, whatever subclass their argument is of.
NORMALIZING = frozenset({"builtins.len", "builtins.abs", "builtins.int", "builtins.float", "builtins.bool",
                         "builtins.hash", "builtins.sum", "builtins.ord", "builtins.round", "builtins.divmod",
                         "builtins.pow", "builtins.range"})
# Builtins that hand back one of their argument's elements, or a container of them.
SELECTING = frozenset({"builtins.min", "builtins.max", "builtins.sorted", "builtins.list", "builtins.tuple",
                       "builtins.set", "builtins.frozenset", "builtins.reversed", "builtins.iter", "builtins.next",
                       "builtins.enumerate", "builtins.zip", "builtins.filter"})
# Operators whose result's type follows an operand's (``True & True`` is a bool, ``1 & 1`` an int).
REVEALING_OPERATORS = (ast.BitAnd, ast.BitOr, ast.BitXor, ast.Mod)


def shape_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """A module-level, synchronous, undecorated, non-generator def bound exactly once."""
    reasons = []
    if fn.cls is not None:
        reasons.append("is a method (a cache would key on the instance, hash it and keep it alive)")
        reasons += _instance_state(index, fn)
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
        reasons.append(f"declares {word} {', '.join(node.names)}")  # type: ignore[attr-defined]
    return reasons


def generator(index: ModuleIndex, fn: FunctionInfo) -> bool:
    return bool(index.own(fn, (ast.Yield, ast.YieldFrom), lambdas=False))


def key_reasons(index: ModuleIndex, fn: FunctionInfo, params: list[ast.arg]) -> list[str]:
    """Why some parameters cannot be cache keys (empty: all can)."""
    reasons = []
    for param in params:
        declared = annotated.declared(index, index.annotation(param))
        reason = _key_reason(declared, top=True)
        if reason is None and _holds_equal_kinds(declared):
            reason = _revealed(index, fn, param, declared)
        if reason is not None:
            reasons.append(f"parameter `{param.arg}` {reason}")
    return reasons


def _key_reason(declared: k.Type, top: bool, depth: int = 0) -> str | None:
    if not k.known(declared) or depth > 2:
        return "has no immutable hashable annotation"
    found = k.bases(declared)
    if found == {"bytes", "bytearray", "memoryview"}:  # PEP 484 lets a bytearray stand for bytes
        return "is annotated bytes, which admits an unhashable bytearray"
    if found & {"float", "complex"}:
        return "can be a float: 0.0 and -0.0 (and 1 and 1.0) would share a cache entry"
    if not found <= KEY_SCALARS | {"tuple", "frozenset"}:
        return "has no immutable hashable annotation"
    for kind in declared:
        nested = list(kind.parts) if kind.parts is not None else [kind.items] if kind.items is not None else []
        if kind.base in ("tuple", "frozenset") and not nested:
            return "has no immutable hashable annotation"
        for part in nested:
            reason = _key_reason(part, top=False, depth=depth + 1) if part else None
            if reason is not None:
                return reason
    return None


def _holds_equal_kinds(declared: k.Type) -> bool:
    """A container whose elements may be equal values of different types (an int and a bool, a str
    and a str enum): ``typed=True`` does not tell them apart."""
    return any(kind.base in ("tuple", "frozenset") for kind in declared)


def _revealed(index: ModuleIndex, fn: FunctionInfo, param: ast.arg, declared: k.Type) -> str | None:
    """Where the function could tell apart two equal elements of different types: it returns one,
    formats one, asks its type or identity, or hands it to code that could."""
    inner = sorted(b for kind in declared for part in (kind.parts or (kind.items,) if kind.items or kind.parts
                                                        else ()) for b in (k.bases(part) if part else ()))
    what = " or ".join(dict.fromkeys(inner)) or "values"
    derived = _derived(index, fn, param)
    for node in index.own_nodes(fn):
        if not _selects(index, node, derived):
            continue
        sink = _sink(index, node, derived)
        if sink is not None:
            return (f"holds {what} in a container: equal elements of different types (1 and True, a str and a "
                    f"str enum) would share a cache entry, and `{index.code(sink)}` can tell them apart")
    return None


def _derived(index: ModuleIndex, fn: FunctionInfo, param: ast.arg) -> set[str]:
    """The parameter's name and the locals bound to its elements (by iteration, subscript or selection)."""
    names = {param.arg}
    changed = True
    while changed:
        changed = False
        for node in index.own_nodes(fn):
            targets: list[ast.AST] = []
            if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) and _selects(index, node.iter, names):
                targets = [node.target]
            elif isinstance(node, ast.Assign) and _selects(index, node.value, names):
                targets = list(node.targets)
            elif isinstance(node, ast.NamedExpr) and _selects(index, node.value, names):
                targets = [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and name.id not in names:
                        names.add(name.id)
                        changed = True
    return names


def _selects(index: ModuleIndex, expr: ast.AST, names: set[str]) -> bool:
    """``expr`` evaluates to one of the derived values, or to a container of them."""
    if isinstance(expr, ast.Name):
        return expr.id in names
    if isinstance(expr, (ast.Subscript, ast.Starred)):
        return _selects(index, expr.value, names)
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        return any(_selects(index, e, names) for e in expr.elts)
    if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return _selects(index, expr.elt, names | {n.id for g in expr.generators for n in ast.walk(g.target)
                                                  if isinstance(n, ast.Name) and _selects(index, g.iter, names)})
    if isinstance(expr, (ast.BoolOp, ast.IfExp)):
        values = expr.values if isinstance(expr, ast.BoolOp) else [expr.body, expr.orelse]
        return any(_selects(index, v, names) for v in values)
    if isinstance(expr, ast.Call) and index.qualified_name(expr.func) in SELECTING:
        return any(_selects(index, a, names) for a in expr.args)
    return False


def _sink(index: ModuleIndex, node: ast.AST, names: set[str]) -> ast.AST | None:
    """The node that reveals the derived value ``node``'s type, if any (returning it, formatting it,
    comparing its identity, a bitwise or % operator, or a call that is not a known normalizing or
    selecting builtin)."""
    parent = index.parent(node)
    if isinstance(parent, (ast.Return, ast.Yield, ast.FormattedValue)):
        return parent
    if isinstance(parent, ast.Compare) and any(isinstance(op, (ast.Is, ast.IsNot)) for op in parent.ops):
        return parent
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, REVEALING_OPERATORS):
        return parent
    if isinstance(parent, ast.Call) and node in parent.args:
        name = index.qualified_name(parent.func)
        if name not in NORMALIZING and name not in SELECTING:
            return parent
    if isinstance(parent, ast.keyword):
        return index.parent(parent)
    if isinstance(parent, ast.Attribute) and parent.value is node and not isinstance(index.parent(parent), ast.Call):
        return parent  # ``x.__class__``, ``x.name``: what a subclass adds
    return None


def return_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """Every returned value is provably an exact immutable builtin (the cached object is handed to
    every later caller). The return annotation is a claim; the body is what counts."""
    facts = types.facts(index, fn, exact_params=True)  # a subclass argument behaves as its base (assumed)
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


def _param_refs(index: ModuleIndex, fn: FunctionInfo, param: ast.arg) -> list | None:
    scope = index.function_scope(fn)
    bindings = scope.bindings.get(param.arg)
    if not bindings:
        return None
    read = next(iter(bindings[0].references), None)
    return variable_refs(index, fn, read) if read is not None else []


def _instance_state(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """A method's reads and writes of its instance's attributes (state no cache key would hold)."""
    params = [*fn.node.args.posonlyargs, *fn.node.args.args]
    if not params or any(index.qualified_name(d) == "builtins.staticmethod" for d in fn.node.decorator_list):
        return []
    own = params[0].arg
    reads: list[str] = []
    writes: list[str] = []
    for node in index.own(fn, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id == own and index.binding(node.value) == "param":
            (writes if isinstance(node.ctx, (ast.Store, ast.Del)) else reads).append(f"{own}.{node.attr}")
    found = []
    if writes:
        found.append(f"writes instance state ({', '.join(dict.fromkeys(writes))})")
    if reads:
        found.append(f"reads instance state ({', '.join(list(dict.fromkeys(reads))[:3])})")
    return found


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
    passes through the cache wrapper: RecursionError would come at about half the depth, while the
    cache saves nothing within one call."""
    calls = self_calls(index, fn)
    if len(calls) == 1 and not repeats(index, calls[0]):
        return ["recurses through one self-call per level: caching saves nothing within a call, and the "
                "cache wrapper would make RecursionError come at about half the depth"]
    return []
