"""memoize-helper's checks on the recursion: every recursive call passes each fixed argument on as
itself, the function's name is used only to call it, and each fixed argument (with every local
name bound from it) is only read, so one cache per outer call may leave it out of the key."""

from __future__ import annotations

import ast

from evolver.analysis import annotations as annotated
from evolver.analysis import kinds as k
from evolver.analysis import memo
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.tree import all_params

# Builtins that read their argument and give a new object (a copy holds the same elements).
COPIES = frozenset({"builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset", "builtins.dict",
                    "builtins.sorted", "builtins.reversed"})
READING_BUILTINS = frozenset({"builtins.len", "builtins.isinstance", "builtins.min", "builtins.max", "builtins.sum",
                              "builtins.any", "builtins.all", "builtins.str", "builtins.repr", "builtins.bool",
                              "builtins.int", "builtins.float", "builtins.abs", "builtins.hash", "builtins.enumerate",
                              "builtins.zip", "builtins.range", "builtins.iter", "builtins.type", "builtins.id",
                              "builtins.ord", "builtins.chr", "builtins.round", "builtins.divmod", "builtins.format"})
READING_METHODS = frozenset({"get", "keys", "values", "items", "count", "index", "copy", "startswith", "endswith", "find",
                             "rfind", "lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "join",
                             "isdigit", "isalpha", "issubset", "issuperset", "isdisjoint", "union", "intersection",
                             "difference", "symmetric_difference"})
DATA = frozenset({"dict", "list", "set", "frozenset", "tuple", "int", "bool", "str", "bytes", "none"})


def call_reasons(index: ModuleIndex, fn: FunctionInfo, call: ast.Call, fixed: set[str]) -> list[str]:
    """Every fixed parameter passed as itself, in its own place (by position or by name)."""
    shown = index.code(call)
    if any(isinstance(a, ast.Starred) for a in call.args) or any(w.arg is None for w in call.keywords):
        return [f"the recursive call `{shown}` passes *args or **kwargs"]
    names = [p.arg for p in fn.node.args.args]
    passed: dict[str, ast.AST] = {}
    for position, arg in enumerate(call.args):
        if position >= len(names):
            return [f"the recursive call `{shown}` does not match the parameters"]
        passed[names[position]] = arg
    for keyword in call.keywords:
        if keyword.arg not in names or keyword.arg in passed:
            return [f"the recursive call `{shown}` does not match the parameters"]
        passed[keyword.arg] = keyword.value
    reasons = []
    for name in names:
        if name not in passed:
            reasons.append(f"the recursive call `{shown}` leaves `{name}` to its default")
        elif name in fixed and not (isinstance(passed[name], ast.Name) and passed[name].id == name  # type: ignore[attr-defined]
                                    and index.binding(passed[name]) == "param"):  # type: ignore[arg-type]
            reasons.append(f"the recursive call `{shown}` passes `{index.code(passed[name])}` as `{name}`, "
                           "not the same object")
    return reasons


def reference_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """The function's name used other than to call it (``map(f, xs)``) would skip the helper."""
    calls = {id(call.func) for call in memo.self_calls(index, fn)}
    return [f"`{fn.name}` is used other than in direct calls" for node in index.walk(fn.node)
            if isinstance(node, ast.Name) and node.id == fn.name and id(node) not in calls
            and isinstance(node.ctx, ast.Load) and index.binding(node) == "global"][:1]


def fixed_reasons(index: ModuleIndex, fn: FunctionInfo, param: ast.arg) -> list[str]:
    """The parameter, and every local name bound from it, only ever read (a copy may be changed)."""
    name = param.arg
    declared = annotated.declared(index, index.annotation(param))
    if not _builtin_data(declared):
        return [f"parameter `{name}` is not annotated as builtin data with its element types "
                "(e.g. dict[str, list[int]]): its methods and operators could do anything"]
    recursion = {id(arg) for call in memo.self_calls(index, fn) for arg in [*call.args, *(w.value for w in call.keywords)]}
    own = set(map(id, index.own_nodes(fn, lambdas=False)))
    held = {name: "object"}  # local names holding the parameter (or what it holds), or a copy of it
    reasons: list[str] = []
    changed = True
    while changed:
        changed, reasons = False, []
        for node in index.walk(fn.node):
            if not (isinstance(node, ast.Name) and node.id in held) or id(node) in recursion:
                continue
            if id(node) not in own and not any(node is index.annotation(a) for a in all_params(fn.node.args)):
                reasons.append(f"`{name}` (as `{node.id}`) is captured by a nested function or lambda")
                continue
            if not isinstance(node.ctx, ast.Load):
                if node.id == name:
                    reasons.append(f"parameter `{name}` is rebound")
                continue
            why, bound = _read_only(index, fn, node, held[node.id], declared if node.id == name else None)
            if why:
                reasons.append(f"`{name}` (as `{index.code(node)}`) {why}")
            for target, level in bound:
                if held.get(target) != "object" and held.get(target) != level:
                    held[target] = "object" if level == "object" or held.get(target) == "object" else level
                    changed = True
    return list(dict.fromkeys(reasons))


def _builtin_data(declared: k.Type) -> bool:
    """Builtin data types with their element types given (``dict[str, list[int]]``): a bare ``dict``
    could hold objects whose ``__eq__`` or ``get`` does anything."""
    if not k.known(declared):
        return False
    for kind in declared:
        if kind.base not in DATA:
            return False
        nested = [t for t in (kind.items, kind.values) if t is not None] + list(kind.parts or ())
        if kind.base in ("dict", "list", "set", "frozenset", "tuple") and not nested:
            return False
        if not all(_builtin_data(t) for t in nested if t):
            return False
    return True


def _read_only(index: ModuleIndex, fn: FunctionInfo, node: ast.AST, level: str, declared: k.Type | None) -> tuple[str | None, list[tuple[str, str]]]:
    """Why using ``node`` (a value read out of a fixed parameter, or a copy of one) might change it
    (None: it only reads), and the local names its value gets bound to, with what they hold."""
    current, copy = node, level == "copy"
    while True:
        parent = index.parent(current)
        if parent is None:
            return "is used outside the function", []
        if isinstance(parent, ast.Subscript) and parent.value is current:
            if not isinstance(parent.ctx, ast.Load):
                return (None, []) if copy else ("is stored into", [])
            if declared is not None and current is node and not k.exactly(declared, ("list", "tuple", "str")) \
                    and k.bases(declared) & {"dict"}:
                return "is read with `[...]`: a dict subclass (a defaultdict) may insert a missing key", []
            current, copy = parent, False
        elif isinstance(parent, ast.Attribute) and parent.value is current:
            grand = index.parent(parent)
            if isinstance(grand, ast.Call) and grand.func is parent:
                if parent.attr not in READING_METHODS and not copy:
                    return f"calls .{parent.attr}(), which may change it", []
                if parent.attr == "copy":
                    current, copy = grand, True
                    continue
                if copy and parent.attr not in READING_METHODS:
                    return None, []  # changing a copy changes nothing the call tree shares
                current, copy = grand, False
            elif not isinstance(parent.ctx, ast.Load):
                return "is stored into", []
            else:
                current = parent
        elif isinstance(parent, ast.Call) and parent in memo.self_calls(index, fn):
            return None, []  # a key argument of the recursion: the same function, which only reads its keys
        elif isinstance(parent, ast.Call) and current in parent.args:
            qualified = index.qualified_name(parent.func)
            if qualified in COPIES:
                current, copy = parent, True
            elif qualified in READING_BUILTINS:
                current, copy = parent, False
            else:
                return f"is passed to {index.code(parent.func)}, which could change it", []
        elif isinstance(parent, (ast.Compare, ast.keyword)):
            return None, []  # a comparison's result is a new bool
        elif isinstance(parent, (ast.BinOp, ast.BoolOp, ast.UnaryOp, ast.IfExp, ast.Tuple, ast.List, ast.Set,
                                 ast.FormattedValue, ast.JoinedStr, ast.Dict, ast.Starred)):
            current, copy = parent, False
        elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is current:
            return None, [(n, "object") for n in _names(parent.target)]
        elif isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            current, copy = parent, False
        elif isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and parent.value is current:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if not all(isinstance(t, (ast.Name, ast.Tuple, ast.List)) for t in targets):
                return "is stored into an attribute or item", []
            return None, [(n, "copy" if copy else "object") for t in targets for n in _names(t)]
        elif isinstance(parent, ast.AugAssign) and parent.value is current:
            return None, [(n, "object") for n in _names(parent.target)]
        elif isinstance(parent, (ast.Return, ast.If, ast.While, ast.Expr, ast.Assert)) or (
                isinstance(parent, ast.comprehension) and current in parent.ifs):
            return None, []  # returned (immutable, checked), tested or discarded
        elif isinstance(parent, ast.Subscript) and parent.slice is current:
            return None, []  # used as an index: only read
        else:
            return f"is used in a {type(parent).__name__}", []


def _names(target: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
