"""Can a loop run code other than the builtin operations of exact builtin values (a user method, a
property, a callback, an iterator, a suspension)? Only such code could change an object reachable
from outside the function while the loop runs. And is a local container private to the function
(only ever a fresh list, dict or set, never handed to anyone), so that only the function's own
statements can change it?
"""

from __future__ import annotations

import ast

from evolver.analysis import catalogue, types
from evolver.analysis import kinds as k
from evolver.analysis.callgraph import resolve_callee
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import Loop, in_region, region
from evolver.analysis.tree import is_store
from evolver.analysis.types import TypeFacts
from evolver.analysis.uses import variable_refs

FRESH_CALLS = frozenset({"builtins.list", "builtins.dict", "builtins.set", "builtins.sorted", "builtins.bytearray"})
FRESH_DISPLAYS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
REFUSED = {ast.Delete: "deletes", ast.Raise: "raises", ast.Try: "has a try", ast.TryStar: "has a try",
           ast.With: "has a with (its context manager runs code)", ast.AsyncWith: "has an async with",
           ast.Global: "declares global", ast.Nonlocal: "declares nonlocal", ast.Import: "imports",
           ast.ImportFrom: "imports", ast.ClassDef: "defines a class", ast.Match: "has a match statement",
           ast.Yield: "yields (the caller may run any code in between)", ast.YieldFrom: "yields",
           ast.Await: "awaits (other code may run in between)", ast.Starred: "unpacks with *"}
SILENT = (ast.Name, ast.Constant, ast.Tuple, ast.List, ast.ListComp, ast.GeneratorExp, ast.NamedExpr, ast.Expr,
          ast.Pass, ast.Break, ast.Continue, ast.Return, ast.AnnAssign, ast.expr_context, ast.operator, ast.cmpop,
          ast.boolop, ast.unaryop, ast.keyword, ast.arguments, ast.arg, ast.comprehension)


def private_reasons(index: ModuleIndex, fn: FunctionInfo, name: ast.Name, loop: Loop) -> list[str]:
    """Why the container a local holds may be seen or changed by code other than the function's own
    statements, or is changed by the loop (empty: it is private and the loop leaves it alone)."""
    refs = variable_refs(index, fn, name)
    if refs is None or not all(_fresh(index, r.at) for r in refs if r.use == "bind"):
        return [f"`{name.id}` is not always a new list/dict/set made in this function"]
    reasons = []
    for ref in refs:
        if ref.use in ("escape", "recurse", "view", "return"):
            reasons.append(f"`{name.id}` may be shared ({index.code(ref.at)})")
        elif ref.use in ("grow", "mutate", "augment") and in_region(index, ref.node, region(loop)):
            reasons.append(f"the loop changes `{name.id}` ({index.code(ref.at)})")
    return reasons


def _fresh(index: ModuleIndex, statement: ast.AST) -> bool:
    value = getattr(statement, "value", None)
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or value is None:
        return False
    if isinstance(statement, ast.Assign) and len(statement.targets) != 1:
        return False  # ``a = b = []`` binds two aliases
    return isinstance(value, FRESH_DISPLAYS) or (
        isinstance(value, ast.Call) and index.qualified_name(value.func) in FRESH_CALLS)


def foreign_code(index: ModuleIndex, fn: FunctionInfo, facts: TypeFacts, loop: Loop,
                 protected: frozenset[str]) -> list[str]:
    """Where the loop may run code other than builtin operations on exact builtin values, or change
    one of the ``protected`` locals (at most three places; empty: nowhere)."""
    reasons: list[str] = []
    if isinstance(loop, ast.AsyncFor):
        reasons.append("the loop is `async for` (other code may run between iterations)")
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        reasons += _iteration(index, facts, loop.iter, loop.target)
    for root in region(loop):
        for node in _walk(index, root):
            reason = _foreign(index, fn, facts, node, protected)
            if reason is not None and reason not in reasons:
                reasons.append(reason)
            if len(reasons) >= 3:
                return reasons
    return reasons


def implicit_code(index: ModuleIndex, fn: FunctionInfo, roots: list[ast.AST], callees: set[str]) -> str:
    """Where ``roots`` (code of ``fn``) or the module functions ``callees`` may run code no call names:
    a special method, a property, an iterator or generator resumed, a callback ("" when nowhere).
    Calls of module functions are left out: the caller follows those."""
    places: list[tuple[FunctionInfo, list[ast.AST]]] = [(fn, roots)]
    places += [(f, list(f.node.body)) for q in sorted(callees) if (f := index.function(q)) is not None]
    for where, parts in places:
        facts = types.facts(index, where)
        for root in parts:
            loop = index.parent(root)
            if isinstance(loop, (ast.For, ast.AsyncFor)) and root is loop.iter:  # the loop steps its iterator
                found = _iteration(index, facts, loop.iter, loop.target)
                if found:
                    return found[0] if where is fn else f"{found[0]}, in {where.qualname}"
            for node in _walk(index, root):
                if isinstance(node, ast.Call) and resolve_callee(index, where, node.func) is not None:
                    continue
                reason = _foreign(index, where, facts, node, None)
                if reason is not None:
                    return reason if where is fn else f"{reason}, in {where.qualname}"
    return ""


def _walk(index: ModuleIndex, root: ast.AST) -> list[ast.AST]:
    """The nodes that run in the loop: not the bodies of nested functions and lambdas (only defined
    there), nor annotations of locals (not evaluated)."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack.extend([*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)])
        elif isinstance(node, ast.Lambda):
            stack.extend([*node.args.defaults, *(d for d in node.args.kw_defaults if d)])
        elif isinstance(node, ast.AnnAssign):
            stack.extend([node.target, *([node.value] if node.value is not None else [])])
        else:
            stack.extend(reversed(index.children(node)))
    return found


def _iteration(index: ModuleIndex, facts: TypeFacts, iterable: ast.AST, target: ast.AST) -> list[str]:
    types = facts.of(iterable)
    if not k.quiet_iteration(types):
        return [f"iterates over `{index.code(iterable)}` ({k.show(types)}), whose iterator may run any code"]
    if not isinstance(target, ast.Name) and not k.quiet_iteration(k.elements(types)):
        return [f"unpacks the items of `{index.code(iterable)}`, which may run any code"]
    return []


def _foreign(index: ModuleIndex, fn: FunctionInfo, facts: TypeFacts, node: ast.AST,
             protected: frozenset[str] | None) -> str | None:
    """Why ``node`` may run code other than builtin operations on exact builtin values, or (unless
    ``protected`` is None: only code run matters) change a ``protected`` local or a shared container."""
    kind = type(node)
    if kind in REFUSED:
        return f"the loop {REFUSED[kind]}"
    if isinstance(node, SILENT) or (isinstance(node, (ast.stmt, ast.excepthandler)) and not isinstance(
            node, (ast.If, ast.While, ast.For, ast.AsyncFor, ast.Assign, ast.AugAssign, ast.Assert, ast.FunctionDef,
                   ast.AsyncFunctionDef))):
        return None
    if isinstance(node, (ast.If, ast.While, ast.IfExp, ast.Assert)):
        return _truth(index, facts, node.test)
    if isinstance(node, (ast.For, ast.AsyncFor)):
        found = _iteration(index, facts, node.iter, node.target)
        return found[0] if found else None
    if isinstance(node, ast.comprehension):
        found = _iteration(index, facts, node.iter, node.target)
        return found[0] if found else None
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return _function(index, node)
    if isinstance(node, ast.Assign):
        unpacked = any(isinstance(t, (ast.Tuple, ast.List)) for t in node.targets)
        return f"unpacks `{index.code(node.value)}`, which may run code" if unpacked and not k.quiet_iteration(
            facts.of(node.value)) else None
    if isinstance(node, ast.AugAssign):
        return _operation(index, facts, node, node.op, node.target, node.value)
    if isinstance(node, ast.BinOp):
        return _operation(index, facts, node, node.op, node.left, node.right)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return _truth(index, facts, node.operand)
        return _scalar(index, facts, node.operand, "the operand")
    if isinstance(node, ast.BoolOp):
        return next((r for v in node.values[:-1] if (r := _truth(index, facts, v)) is not None), None)
    if isinstance(node, ast.Compare):
        return _comparison(index, facts, node)
    if isinstance(node, (ast.Set, ast.Dict, ast.SetComp, ast.DictComp)):
        return _hashed(index, facts, node)
    if isinstance(node, ast.JoinedStr):
        return next((r for p in node.values if isinstance(p, ast.FormattedValue)
                     if (r := _scalar(index, facts, p.value, "formatting")) is not None), None)
    if isinstance(node, ast.FormattedValue):
        return None
    if isinstance(node, ast.Attribute):
        return _attribute(index, node)
    if isinstance(node, ast.Subscript):
        return _subscript(index, fn, facts, node, protected)
    if isinstance(node, ast.Call):
        return _call(index, fn, facts, node, protected)
    return f"the loop runs `{index.code(node)}` (not analyzed)"


def _truth(index: ModuleIndex, facts: TypeFacts, expr: ast.AST) -> str | None:
    types = facts.of(expr)
    return None if k.truth_quiet(types) else f"tests the truth of `{index.code(expr)}` ({k.show(types)})"


def _scalar(index: ModuleIndex, facts: TypeFacts, expr: ast.AST, what: str) -> str | None:
    types = facts.of(expr)
    return None if k.exactly(types, k.SCALARS) else f"{what} `{index.code(expr)}` ({k.show(types)}) may run code"


def _function(index: ModuleIndex, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> str | None:
    """Defining a function runs its decorators, defaults and (usually) annotations."""
    args = node.args
    evaluated = bool(args.defaults or any(d is not None for d in args.kw_defaults))
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a)]
        evaluated = evaluated or bool(node.decorator_list) or node.returns is not None or any(
            index.annotation(a) is not None for a in every)
    return f"the loop defines a function with decorators, defaults or annotations ({index.code(node, 40)})" \
        if evaluated else None


def _operation(index: ModuleIndex, facts: TypeFacts, node: ast.AST, op: ast.operator, left: ast.AST,
               right: ast.AST) -> str | None:
    a, b = facts.of(left), facts.of(right)
    sequences = ("list", "tuple", "str", "bytes")
    if k.exactly(a, k.SCALARS) and k.exactly(b, k.SCALARS) and not (isinstance(op, ast.Mod) and k.is_(a, k.TEXT)):
        return None
    if isinstance(op, (ast.Add, ast.Mult)) and k.exactly(a, (*sequences, *k.INTS)) and k.exactly(b, (*sequences, *k.INTS)):
        return None
    return f"`{index.code(node)}` may run code ({k.show(a)} and {k.show(b)})"


def _comparison(index: ModuleIndex, facts: TypeFacts, node: ast.Compare) -> str | None:
    left = node.left
    for op, right in zip(node.ops, node.comparators):
        a, b = facts.of(left), facts.of(right)
        if isinstance(op, (ast.In, ast.NotIn)):
            ok = k.exactly(a, k.SCALARS) and ((k.exactly(b, ("str",)) and k.exactly(a, ("str",))) or (
                k.quiet_iteration(b) and k.exactly(k.elements(b), k.SCALARS)))
        else:
            ok = isinstance(op, (ast.Is, ast.IsNot)) or (k.exactly(a, k.SCALARS) and k.exactly(b, k.SCALARS))
        if not ok:
            return f"compares `{index.code(node)}` ({k.show(a)} and {k.show(b)}), which may run code"
        left = right
    return None


def _hashed(index: ModuleIndex, facts: TypeFacts, node: ast.AST) -> str | None:
    if isinstance(node, ast.Set):
        keys = list(node.elts)
    elif isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            return "the loop unpacks a mapping with **"
        keys = [key for key in node.keys if key is not None]
    else:
        keys = [node.elt if isinstance(node, ast.SetComp) else node.key]  # type: ignore[attr-defined]
    return next((r for key in keys if (r := _scalar(index, facts, key, "hashing")) is not None), None)


def _attribute(index: ModuleIndex, node: ast.Attribute) -> str | None:
    parent = index.parent(node)
    if isinstance(parent, ast.Call) and parent.func is node and not is_store(node):
        return None  # the call is checked
    name = index.qualified_name(node)
    entry = catalogue.lookup(name) if name is not None else None
    if entry is not None and not entry.raises:
        return None  # math.pi
    return f"reads or stores attribute `{index.code(node)}` (a property or __setattr__ could run code)"


def _subscript(index: ModuleIndex, fn: FunctionInfo, facts: TypeFacts, node: ast.Subscript,
               protected: frozenset[str] | None) -> str | None:
    receiver = facts.of(node.value)
    if is_store(node) and protected is not None:
        if isinstance(node.value, ast.Name) and node.value.id in protected:
            return f"the loop stores into `{index.code(node)}`"
        if not _private(index, fn, node.value, protected):
            return f"stores into `{index.code(node)}` (it may be a shared object)"
    if not k.exactly(receiver, k.CONTAINERS):
        return f"indexes `{index.code(node)}` ({k.show(receiver)}), which may run code"
    keys = [b for b in (node.slice.lower, node.slice.upper, node.slice.step) if b is not None] \
        if isinstance(node.slice, ast.Slice) else [node.slice]
    wanted = k.SCALARS if any(kind.base in ("dict", "defaultdict") for kind in receiver) else k.INTS
    for key in keys:
        if not k.exactly(facts.of(key), wanted):
            return f"indexes `{index.code(node)}` with `{index.code(key)}` ({k.show(facts.of(key))}), which may run code"
    if any(kind.base == "defaultdict" for kind in receiver):
        return f"indexes the defaultdict `{index.code(node.value)}` (a missing key runs its factory)"
    return None


def _private(index: ModuleIndex, fn: FunctionInfo, expr: ast.AST, protected: frozenset[str]) -> bool:
    if not isinstance(expr, ast.Name) or expr.id in protected:
        return False
    refs = variable_refs(index, fn, expr)
    return refs is not None and all(_fresh(index, r.at) for r in refs if r.use == "bind") and not any(
        r.use in ("escape", "recurse", "view", "return") for r in refs)


def _call(index: ModuleIndex, fn: FunctionInfo, facts: TypeFacts, call: ast.Call,
          protected: frozenset[str] | None) -> str | None:
    if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        return f"calls `{index.code(call)}` with keyword or starred arguments"
    args = [facts.of(a) for a in call.args]
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in (protected or ()):
        return f"the loop calls `{index.code(func)}`"
    name = index.qualified_name(func)
    if name is not None and _quiet_function(name, args):
        return None
    if name is None and isinstance(func, ast.Attribute) and _quiet_method(index, fn, facts, func, args, protected):
        return None
    inexact = next((a for a, t in zip(call.args, args) if not k.exact(t)), None)
    if name is not None and name.startswith("builtins.") and inexact is not None:
        # the builtin itself is known: what may run code is its argument's own special methods
        return (f"calls `{index.code(func)}` on `{index.code(inexact)}` ({k.show(facts.of(inexact))}), whose own "
                "special methods may run any code")
    return f"calls `{index.code(func)}`, which may run any code"


def _quiet_function(name: str, args: list[k.Type]) -> bool:
    short = name.removeprefix("builtins.")
    scalars = all(k.exactly(a, k.SCALARS) for a in args)
    if name.startswith("math."):
        return all(k.exactly(a, k.NUMBERS) for a in args)
    if short == "len":
        return len(args) == 1 and k.sized(args[0])
    if short in ("abs", "round", "int", "float", "str", "repr", "ord", "chr", "hex", "oct", "bin", "range", "divmod"):
        return scalars and name.startswith("builtins.")
    if short == "bool":
        return all(k.truth_quiet(a) for a in args)
    if short in ("min", "max"):
        return (len(args) > 1 and scalars) or (len(args) == 1 and _scalar_items(args[0]))
    if short in ("sorted", "set", "frozenset", "sum", "any", "all"):
        return len(args) == 1 and _scalar_items(args[0])
    if short in ("list", "tuple", "enumerate", "zip", "reversed"):
        return bool(args) and all(k.quiet_iteration(a) or (short == "enumerate" and k.exactly(a, k.INTS))
                                  for a in args)
    return False


def _scalar_items(types: k.Type) -> bool:
    return k.quiet_iteration(types) and k.exactly(k.elements(types), k.SCALARS)


def _quiet_method(index: ModuleIndex, fn: FunctionInfo, facts: TypeFacts, func: ast.Attribute, args: list[k.Type],
                  protected: frozenset[str] | None) -> bool:
    method, receiver = func.attr, facts.of(func.value)
    if k.exactly(receiver, k.TEXT):
        if method == "join":
            return len(args) == 1 and k.quiet_iteration(args[0]) and k.exactly(k.elements(args[0]), k.TEXT)
        entries = [catalogue.method(kind.base, method) for kind in receiver]
        return all(e is not None and e.pure for e in entries) and method not in ("format", "format_map") \
            and all(k.exactly(a, k.SCALARS) for a in args)
    if k.exactly(receiver, ("dict",)) and method == "get":
        return bool(args) and k.exactly(args[0], k.SCALARS)
    if protected is not None and not _private(index, fn, func.value, protected):
        return False
    if k.exactly(receiver, ("list",)) and method in ("append", "insert", "pop"):
        return method == "append" or all(k.exactly(a, k.INTS) for a in args[:1])
    if k.exactly(receiver, ("list",)) and method == "extend":
        return len(args) == 1 and k.quiet_iteration(args[0])
    return k.exactly(receiver, ("set",)) and method in ("add", "discard") and all(k.exactly(a, k.SCALARS) for a in args)
