"""memoize-helper's run-time guard, for fixed parameters real code leaves without element types.

A recursion such as ``knap(weights, values, n: int, cap: int, i: int)`` passes ``weights`` and
``values`` down unchanged, but says nothing of what they hold: their elements' operators could run
any code. The body itself may still prove everything else (read-only use, purity, an immutable
result) once the elements' types are known. So the analysis is run again with element types
*supposed* (``list[int]``, ``dict[str, list[str]]``...: the shapes the body's own use of the
parameter allows), and every supposition under which the whole check passes becomes a run-time
guard that tests exactly it, all the way down (``type(w) is list and all(type(e) is int for e in
w)``): the cached helper runs only when the arguments are what was proven; otherwise the same helper
runs uncached (``__wrapped__``), which is the original recursion. Checking is linear in the data's
size, once per outer call.
"""

from __future__ import annotations

import ast
import copy
import itertools
from collections.abc import Callable

from evolver.analysis.index import FunctionInfo, ModuleIndex

SEQUENCES = ("list[int]", "tuple[int, ...]", "list[float]", "list[str]", "list[list[int]]", "list[tuple[int, int]]")
MAPPINGS = ("dict[str, int]", "dict[int, int]", "dict[str, list[str]]", "dict[int, list[int]]", "dict[str, str]",
            "dict[str, float]")
SCALARS = ("int", "str")
DICT_METHODS = frozenset({"get", "items", "keys", "values"})
MAX_TRIES = 10
MAX_GUARDS = 3
BARE = {"list": SEQUENCES[:1] + SEQUENCES[2:], "tuple": ("tuple[int, ...]",), "dict": MAPPINGS}


def open_params(index: ModuleIndex, fn: FunctionInfo, fixed: tuple[ast.arg, ...]) -> dict[str, tuple[str, ...]]:
    """The fixed parameters that say nothing of what they hold (no annotation, or a bare ``list``,
    ``tuple``, ``dict``), each with the element types its use in the body allows."""
    found = {}
    for param in fixed:
        annotation = param.annotation
        if annotation is None:
            found[param.arg] = _shapes(index, fn, param.arg)
        elif isinstance(annotation, ast.Name) and annotation.id in BARE and index.binding(annotation) == "builtin":
            found[param.arg] = BARE[annotation.id]
    return found


def _shapes(index: ModuleIndex, fn: FunctionInfo, name: str) -> tuple[str, ...]:
    used_as_dict = used_as_container = False
    for node in index.walk(fn.node):
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        parent = index.parent(node)
        if isinstance(parent, ast.Attribute) and parent.attr in DICT_METHODS:
            used_as_dict = True
        if isinstance(parent, (ast.Subscript, ast.Attribute, ast.For, ast.comprehension, ast.Compare, ast.Call)):
            used_as_container = True
    if used_as_dict:
        return MAPPINGS
    return SEQUENCES + MAPPINGS if used_as_container else SCALARS


def supposed(index: ModuleIndex, fn: FunctionInfo, types: dict[str, str]) -> tuple[ModuleIndex, FunctionInfo]:
    """The module with the parameters annotated as supposed (comments and layout are not needed)."""
    tree = copy.deepcopy(index.tree)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == fn.name)
    for param in node.args.args:
        if param.arg in types:
            param.annotation = ast.parse(types[param.arg], mode="eval").body
    supposed_index = ModuleIndex.of(ast.unparse(tree), index.module)
    found = supposed_index.function(fn.qualname)
    assert found is not None
    return supposed_index, found


def proven(index: ModuleIndex, fn: FunctionInfo, fixed: tuple[ast.arg, ...],
           passes: Callable[[ModuleIndex, FunctionInfo], bool]) -> list[dict[str, str]]:
    """The suppositions (at most ``MAX_GUARDS``) under which ``passes`` holds, in order."""
    key = ("memo-guards", fn.node)
    if key in index.cache:
        return index.cache[key]
    params = open_params(index, fn, fixed)
    found: list[dict[str, str]] = []
    if params:
        names = list(params)
        ranked = sorted(itertools.product(*(range(len(shapes)) for shapes in params.values())), key=sum)
        for positions in ranked[:MAX_TRIES]:  # the likeliest shapes first, each parameter in turn
            types = {name: params[name][at] for name, at in zip(names, positions)}
            if passes(*supposed(index, fn, types)):
                found.append(types)
                if len(found) == MAX_GUARDS:
                    break
    index.cache[key] = found
    return found


def builtins_read(types: list[dict[str, str]]) -> list[str]:
    """The builtins the guard for these suppositions reads by name."""
    code = guard_code(types) if types else ""
    return sorted({n.id for n in ast.walk(ast.parse(code or "0", mode="eval")) if isinstance(n, ast.Name)}
                  & {"type", "all", "len", "int", "float", "str", "bytes", "bool", "list", "tuple", "dict"})


def guard_code(types: list[dict[str, str]]) -> str:
    """``type(x) is ... and ...`` for every supposition, joined with ``or``."""
    counter = itertools.count()
    alternatives = [" and ".join(_check(name, ast.parse(spec, mode="eval").body, counter) for name, spec in t.items())
                    for t in types]
    return " or ".join(f"({a})" if len(types) > 1 else a for a in alternatives)


def _check(value: str, spec: ast.expr, counter: itertools.count) -> str:
    """Code testing that ``value`` is exactly of the type ``spec`` names, all the way down."""
    if isinstance(spec, ast.Name):
        return f"type({value}) is {spec.id}"
    assert isinstance(spec, ast.Subscript) and isinstance(spec.value, ast.Name)
    base, inner = spec.value.id, spec.slice
    parts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
    n = next(counter)
    if base == "dict":
        key, item = f"_k{n}", f"_v{n}"
        return (f"type({value}) is dict and all({_check(key, parts[0], counter)} and {_check(item, parts[1], counter)}"
                f" for {key}, {item} in {value}.items())")
    element = f"_e{n}"
    if base == "tuple" and not (len(parts) == 2 and isinstance(parts[1], ast.Constant)):
        checks = " and ".join(_check(f"{value}[{i}]", p, counter) for i, p in enumerate(parts))
        return f"type({value}) is tuple and len({value}) == {len(parts)} and {checks}"
    return f"type({value}) is {base} and all({_check(element, parts[0], counter)} for {element} in {value})"
