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
import itertools
from collections.abc import Callable

from evolver.analysis import kinds as k
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
    """The module with the parameters annotated as supposed: an overlay on ``index`` that re-derives
    only the facts the check asks for (``ModuleIndex.supposing``), or, when a name the annotations
    read is bound in the module, the annotated source parsed again (``reparsed``)."""
    overlay = index.supposing(fn, types)
    return (overlay, fn) if overlay is not None else reparsed(index, fn, types)


def reparsed(index: ModuleIndex, fn: FunctionInfo, types: dict[str, str]) -> tuple[ModuleIndex, FunctionInfo]:
    """The module with the parameters annotated as supposed, parsed again. The annotations are
    spliced into the source text (after the parameter's name, or over its bare annotation), so every
    other byte and every position stay."""
    edits = []  # (line, start, end, text), ast's columns count UTF-8 bytes
    for param in [*fn.node.args.posonlyargs, *fn.node.args.args, *fn.node.args.kwonlyargs]:
        if param.arg not in types:
            continue
        spot = param.annotation or param
        assert spot.end_lineno == spot.lineno and spot.end_col_offset is not None
        start = spot.col_offset if param.annotation else spot.end_col_offset
        text = types[param.arg] if param.annotation else f": {types[param.arg]}"
        edits.append((spot.lineno - 1, start, spot.end_col_offset, text))
    lines = index.source.splitlines(keepends=True)
    for row, start, end, text in sorted(edits, reverse=True):
        raw = lines[row].encode()
        lines[row] = (raw[:start] + text.encode() + raw[end:]).decode()
    supposed_index = ModuleIndex.of("".join(lines), index.module)
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


# --- memoize: the exact types of a cache key, checked on entry --------------------------------------

KEY_SCALARS = ("int", "str", "bytes")
MAX_KEY_TRIES = 2


def key_suppositions(index: ModuleIndex, fn: FunctionInfo, names: list[str]) -> list[dict[str, str]]:
    """Exact types to try for parameters without an annotation, likeliest first (at most
    ``MAX_KEY_TRIES``): what the body compares them with, tests them against or calls on them."""
    ranked = {name: _key_evidence(index, fn, name) for name in names}
    tries = sorted(itertools.product(*(range(len(KEY_SCALARS)) for _ in names)), key=sum)
    return [{name: ranked[name][at] for name, at in zip(names, positions)} for positions in tries[:MAX_KEY_TRIES]]


def _key_evidence(index: ModuleIndex, fn: FunctionInfo, name: str) -> tuple[str, ...]:
    votes = dict.fromkeys(KEY_SCALARS, 0)
    for node in index.walk(fn.node):
        if not (isinstance(node, ast.Name) and node.id == name and index.binding(node) == "param"):
            continue
        parent = index.parent(node)
        others: list[ast.AST] = []
        if isinstance(parent, ast.Compare):
            others = [parent.left, *parent.comparators]
        elif isinstance(parent, ast.BinOp):
            others = [parent.left, parent.right]
        elif isinstance(parent, ast.Call) and index.qualified_name(parent.func) == "builtins.isinstance" \
                and len(parent.args) == 2:
            others = [parent.args[1]]
        elif isinstance(parent, ast.Attribute) and hasattr(str, parent.attr) and not hasattr(int, parent.attr):
            votes["str"] += 1
        for other in others:
            if isinstance(other, ast.Constant) and type(other.value).__name__ in votes:
                votes[type(other.value).__name__] += 1
            elif isinstance(other, ast.Name) and index.qualified_name(other) in {f"builtins.{t}" for t in votes}:
                votes[other.id] += 2
    return tuple(sorted(KEY_SCALARS, key=lambda t: -votes[t]))


def exact_test(value: str, declared: k.Type, counter: itertools.count | None = None) -> str | None:
    """Code testing that ``value`` is exactly one of the kinds ``declared`` admits, all the way down
    (``type(x) is int``, ``x is None``, ``type(t) is tuple and len(t) == 2 and ...``); None when a
    kind cannot be tested exactly (a mutable container, an unknown element)."""
    counter = counter if counter is not None else itertools.count()
    if not k.known(declared):
        return None
    alternatives = []
    for kind in sorted(declared, key=str):
        if kind.base == "none":
            alternatives.append(f"{value} is None")
        elif kind.base in ("int", "bool", "str", "bytes") and kind.items is None:
            alternatives.append(f"type({value}) is {kind.base}")
        elif kind.base in ("tuple", "frozenset") and kind.parts is not None and kind.base == "tuple":
            parts = [exact_test(f"{value}[{i}]", part, counter) for i, part in enumerate(kind.parts)]
            if any(p is None for p in parts):
                return None
            alternatives.append(" and ".join([f"type({value}) is tuple", f"len({value}) == {len(parts)}",
                                              *(f"({p})" if " or " in p else p for p in parts if p)]))
        elif kind.base in ("tuple", "frozenset") and kind.items is not None:
            element = f"_e{next(counter)}"
            inner = exact_test(element, kind.items, counter)
            if inner is None:
                return None
            alternatives.append(f"type({value}) is {kind.base} and all({inner} for {element} in {value})")
        else:
            return None
    if not alternatives:
        return None
    return " or ".join(f"({a})" if " and " in a and len(alternatives) > 1 else a for a in alternatives)


def spec_of(declared: k.Type) -> str | None:
    """The one builtin type, with its element types, that ``declared`` names (``list[int]``,
    ``dict[str, list[str]]``), as ``guard_code`` takes it; None for a union or anything unknown."""
    if not k.known(declared) or len(declared) != 1:
        return None
    kind = next(iter(declared))
    if kind.base in ("int", "str", "bytes", "float", "bool") and kind.items is None:
        return kind.base
    if kind.base == "tuple" and kind.parts is not None:
        parts = [spec_of(p) for p in kind.parts]
        return f"tuple[{', '.join(parts)}]" if parts and all(p is not None for p in parts) else None  # type: ignore[arg-type]
    inner = spec_of(kind.items) if kind.items is not None else None
    if inner is None:
        return None
    if kind.base == "dict":
        value = spec_of(kind.values) if kind.values is not None else None
        return f"dict[{inner}, {value}]" if value is not None else None
    if kind.base == "tuple":
        return f"tuple[{inner}, ...]"
    return f"{kind.base}[{inner}]" if kind.base in ("list", "set", "frozenset") else None
