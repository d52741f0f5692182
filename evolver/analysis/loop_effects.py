"""What running a loop can do, given proven builtin types: the proofs behind hoisting an invariant
expression that reads a list, dict or set out of a loop.

* ``escape_reasons``: is a local list/dict/set private to the function (only created fresh, never
  handed to anyone), so that only the function's own statements can change it?
* ``foreign_code``: can a loop run code other than builtin operations on builtin values (a user
  method, a property, a callback, an iterator, a suspension)? Only such code could change an
  object that is reachable from outside the function.

Finalizers (``__del__``) and signal handlers can run anywhere; like every static analysis of
Python, these proofs ignore them.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from evolver.analysis import value_types as vt
from evolver.analysis.legacy_purity import bound_value
from evolver.analysis.loop_facts import Loop, inside, region
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.analysis.type_facts import TypeFacts

INTS = ("int", "bool")
NUMBERS = vt.NUMBERS
SCALARS = vt.SCALARS
FRESH_CALLS = frozenset({"builtins.list", "builtins.dict", "builtins.set", "builtins.sorted", "builtins.bytearray"})
FRESH_DISPLAYS = (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)
READ_CALLS = frozenset({"builtins.len", "builtins.sorted", "builtins.sum", "builtins.min", "builtins.max",
                        "builtins.any", "builtins.all", "builtins.list", "builtins.tuple", "builtins.set",
                        "builtins.frozenset"})
READ_METHODS = frozenset({"get", "keys", "values", "items", "copy", "count", "index"})
MUTATORS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "add",
                      "discard", "update", "setdefault", "popitem", "intersection_update",
                      "difference_update", "symmetric_difference_update"})


def _show(types: vt.Types) -> str:
    return vt.show(types)


# --- is a local private to the function? ------------------------------------------------------------


def fresh(index: ModuleIndex, name: cst.Name) -> bool:
    """Every binding of the local is a new container (a display, a comprehension, list()...)."""
    assignments = index.assignments(name)
    if index.binding(name) != "local" or not assignments:
        return False
    for assignment in assignments:
        value = bound_value(index, assignment)
        parent = index.parent(getattr(assignment, "node", None) or index.tree)
        if isinstance(parent, cst.AugAssign):
            continue  # `xs += ...` keeps the same object
        if not (isinstance(value, FRESH_DISPLAYS) or (isinstance(value, cst.Call)
                                                      and index.qualified_name(value.func) in FRESH_CALLS)):
            return False
    return True


def escape_reasons(index: ModuleIndex, fn: FunctionInfo, name: cst.Name, loop: Loop) -> list[str]:
    """Why the container a local holds may be seen or changed by code other than the function's own
    statements, or is changed by the loop (empty: it is private and the loop leaves it alone)."""
    if not fresh(index, name):
        return [f"`{name.value}` is not always a new list/dict/set made in this function"]
    reasons = []
    for ref in _references(index, name):
        use = "escape" if _in_nested_function(index, ref, fn) else _use(index, ref)
        if use == "escape":
            reasons.append(f"`{name.value}` may be shared ({index.code(index.parent(ref) or ref)})")
        elif use == "mutate" and inside(index, ref, region(loop)):
            reasons.append(f"the loop changes `{name.value}` ({index.code(index.parent(ref) or ref)})")
    return reasons


def _in_nested_function(index: ModuleIndex, node: cst.CSTNode, fn: FunctionInfo) -> bool:
    """Inside a nested function or lambda, which may run at any time (during the loop too)."""
    current = index.parent(node)
    while current is not None and current is not fn.node:
        if isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return True
        current = index.parent(current)
    return False


def _references(index: ModuleIndex, name: cst.Name) -> list[cst.CSTNode]:
    found = {id(a.node): a.node for assignment in index.assignments(name) for a in assignment.references}
    return list(found.values())


def _use(index: ModuleIndex, ref: cst.CSTNode) -> str:
    """"read", "mutate" (in place, by the function itself) or "escape" (handed to someone)."""
    parent = index.parent(ref)
    if isinstance(parent, cst.Arg) and parent.keyword is None and not parent.star:
        call = index.parent(parent)
        return "read" if isinstance(call, cst.Call) and index.qualified_name(call.func) in READ_CALLS else "escape"
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is ref:
        return "read"
    if isinstance(parent, cst.ComparisonTarget) and parent.comparator is ref and isinstance(
            parent.operator, (cst.In, cst.NotIn)):
        return "read"
    if isinstance(parent, cst.Return) or (isinstance(parent, cst.AugAssign) and parent.target is ref):
        return "read" if isinstance(parent, cst.Return) else "mutate"
    if isinstance(parent, cst.Subscript) and parent.value is ref:
        return "mutate" if _store_target(index, parent) else "read"
    if isinstance(parent, cst.Attribute) and parent.value is ref and index.is_called(parent):
        method = parent.attr.value
        return "read" if method in READ_METHODS else "mutate" if method in MUTATORS else "escape"
    return "escape"


def _store_target(index: ModuleIndex, node: cst.CSTNode) -> bool:
    """``node`` is stored into or deleted (an assignment, ``for`` or ``del`` target, maybe nested
    in a tuple target)."""
    child, parent = node, index.parent(node)
    while isinstance(parent, (cst.Element, cst.Tuple, cst.List, cst.StarredElement)):
        child, parent = parent, index.parent(parent)
    if isinstance(parent, cst.AssignTarget):
        return True
    if isinstance(parent, (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.Del)):
        return getattr(parent, "target", None) is child
    return False


# --- can a loop run foreign code? -------------------------------------------------------------------


def foreign_code(index: ModuleIndex, facts: TypeFacts, loop: Loop, protected: frozenset[str]) -> list[str]:
    """Where the loop may run code other than builtin operations on builtin values, or change one
    of the ``protected`` locals (at most three places; empty: nowhere)."""
    reasons: list[str] = []
    if isinstance(loop, cst.For):
        reasons += _iteration_reasons(index, facts, loop.iter, loop.target)
        if loop.asynchronous is not None:
            reasons.append("the loop is `async for` (other code may run between iterations)")
    for root in region(loop):
        for node in _walk(index, root):
            reason = _foreign(index, facts, node, protected)
            if reason is not None and reason not in reasons:
                reasons.append(reason)
            if len(reasons) >= 3:
                return reasons
    return reasons


def _walk(index: ModuleIndex, root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes that run in the loop: not the bodies of nested functions and lambdas (only
    defined there), not annotations (not evaluated for locals)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Annotation)):
            stack.extend(reversed(index.children(node)))


def _iteration_reasons(index: ModuleIndex, facts: TypeFacts, iterable: cst.BaseExpression,
                       target: cst.BaseExpression) -> list[str]:
    types = facts.of(iterable)
    if not vt.iterable_concrete(types):
        return [f"iterates over `{index.code(iterable)}` ({_show(types)}), whose iterator may run any code"]
    if not isinstance(target, cst.Name) and not vt.iterable_concrete(vt.elements(types)):
        return [f"unpacks the items of `{index.code(iterable)}`, which may run any code"]
    return []


_REFUSED = {cst.Del: "deletes", cst.Raise: "raises", cst.Try: "has a try", cst.TryStar: "has a try",
            cst.With: "has a with (its context manager runs code)", cst.Global: "declares global",
            cst.Nonlocal: "declares nonlocal", cst.Import: "imports", cst.ImportFrom: "imports",
            cst.ClassDef: "defines a class", cst.Match: "has a match statement",
            cst.Yield: "yields (the caller may run any code in between)",
            cst.Await: "awaits (other code may run in between)", cst.StarredElement: "unpacks with *"}
_SILENT = (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.Tuple,
           cst.List, cst.ListComp, cst.GeneratorExp, cst.NamedExpr, cst.Ellipsis,
           cst.FormattedStringText, cst.Expr, cst.Pass, cst.Break, cst.Continue, cst.Return, cst.AnnAssign)


def _foreign(index: ModuleIndex, facts: TypeFacts, node: cst.CSTNode, protected: frozenset[str]) -> str | None:
    kind = type(node)
    if kind in _REFUSED:
        return f"the loop {_REFUSED[kind]}"
    if isinstance(node, _SILENT) or not isinstance(node, (cst.BaseExpression, cst.BaseSmallStatement,
                                                          cst.BaseCompoundStatement, cst.CompFor, cst.CompIf)):
        return None
    handler = _HANDLERS.get(kind)
    if handler is None:
        return f"the loop runs `{index.code(node)}` (not analyzed)"
    return handler(index, facts, node, protected)


def _truth(index: ModuleIndex, facts: TypeFacts, expr: cst.BaseExpression) -> str | None:
    types = facts.of(expr)
    return None if vt.concrete(types) else f"tests the truth of `{index.code(expr)}` ({_show(types)})"


def _scalar(index: ModuleIndex, facts: TypeFacts, expr: cst.BaseExpression, what: str) -> str | None:
    types = facts.of(expr)
    return None if vt.within(types, SCALARS) else f"{what} `{index.code(expr)}` ({_show(types)}) may run code"


def _if(index: ModuleIndex, facts: TypeFacts, node: cst.If | cst.While | cst.IfExp | cst.CompIf | cst.Assert,
        protected: frozenset[str]) -> str | None:
    return _truth(index, facts, node.test)


def _for(index: ModuleIndex, facts: TypeFacts, node: cst.For | cst.CompFor, protected: frozenset[str]) -> str | None:
    found = _iteration_reasons(index, facts, node.iter, node.target)
    return found[0] if found else None


def _function(index: ModuleIndex, facts: TypeFacts, node: cst.FunctionDef | cst.Lambda,
              protected: frozenset[str]) -> str | None:
    """Defining a function runs its decorators, defaults and (usually) annotations."""
    params = node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params,
             *(p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param))]
    evaluated = any(p.default is not None or p.annotation is not None for p in every)
    if isinstance(node, cst.FunctionDef):
        evaluated = evaluated or bool(node.decorators) or node.returns is not None
    return f"the loop defines a function with decorators, defaults or annotations ({index.code(node, 40)})" \
        if evaluated else None


def _assign(index: ModuleIndex, facts: TypeFacts, node: cst.Assign, protected: frozenset[str]) -> str | None:
    for target in node.targets:
        if isinstance(target.target, (cst.Tuple, cst.List)) and not vt.iterable_concrete(facts.of(node.value)):
            return f"unpacks `{index.code(node.value)}`, which may run code"
    return None


def _augmented(index: ModuleIndex, facts: TypeFacts, node: cst.AugAssign, protected: frozenset[str]) -> str | None:
    return _operation(index, facts, node, vt.op_name(node.operator), node.target, node.value)


def _binary(index: ModuleIndex, facts: TypeFacts, node: cst.BinaryOperation, protected: frozenset[str]) -> str | None:
    return _operation(index, facts, node, vt.op_name(node.operator), node.left, node.right)


def _operation(index: ModuleIndex, facts: TypeFacts, node: cst.CSTNode, op: str,
               left: cst.BaseExpression, right: cst.BaseExpression) -> str | None:
    a, b = facts.of(left), facts.of(right)
    sequences = ("list", "tuple", "tuple...", "str", "bytes")
    if vt.within(a, SCALARS) and vt.within(b, SCALARS) and not (op == "Modulo" and vt.within(a, ("str", "bytes"))):
        return None
    if op in ("Add", "Multiply") and vt.within(a, (*sequences, *INTS)) and vt.within(b, (*sequences, *INTS)):
        return None
    return f"`{index.code(node)}` may run code ({_show(a)} and {_show(b)})"


def _unary(index: ModuleIndex, facts: TypeFacts, node: cst.UnaryOperation, protected: frozenset[str]) -> str | None:
    if isinstance(node.operator, cst.Not):
        return _truth(index, facts, node.expression)
    return _scalar(index, facts, node.expression, "the operand")


def _boolean(index: ModuleIndex, facts: TypeFacts, node: cst.BooleanOperation, protected: frozenset[str]) -> str | None:
    return _truth(index, facts, node.left)


def _comparison(index: ModuleIndex, facts: TypeFacts, node: cst.Comparison, protected: frozenset[str]) -> str | None:
    left = node.left
    for target in node.comparisons:
        a, b = facts.of(left), facts.of(target.comparator)
        if isinstance(target.operator, (cst.In, cst.NotIn)):
            ok = vt.within(a, SCALARS) and ((vt.within(b, ("str",)) and vt.within(a, ("str",))) or (
                vt.concrete(b) and vt.within(vt.elements(b), SCALARS)))
        else:
            ok = isinstance(target.operator, (cst.Is, cst.IsNot)) or (vt.within(a, SCALARS) and vt.within(b, SCALARS))
        if not ok:
            return f"compares `{index.code(node)}` ({_show(a)} and {_show(b)}), which may run code"
        left = target.comparator
    return None


def _displays(index: ModuleIndex, facts: TypeFacts, node: cst.Set | cst.Dict | cst.SetComp | cst.DictComp,
              protected: frozenset[str]) -> str | None:
    if isinstance(node, cst.Set):
        keys = [e.value for e in node.elements]
    elif isinstance(node, cst.Dict):
        keys = [e.key for e in node.elements if isinstance(e, cst.DictElement)]
        if len(keys) != len(node.elements):
            return "the loop unpacks a mapping with **"
    else:
        keys = [node.elt if isinstance(node, cst.SetComp) else node.key]
    for key in keys:
        reason = _scalar(index, facts, key, "hashing")
        if reason is not None:
            return reason
    return None


def _formatted(index: ModuleIndex, facts: TypeFacts, node: cst.FormattedString, protected: frozenset[str]) -> str | None:
    for part in node.parts:
        if isinstance(part, cst.FormattedStringExpression):
            reason = _scalar(index, facts, part.expression, "formatting")
            if reason is not None:
                return reason
    return None


def _attribute(index: ModuleIndex, facts: TypeFacts, node: cst.Attribute, protected: frozenset[str]) -> str | None:
    parent = index.parent(node)
    if isinstance(parent, cst.Call) and parent.func is node and not _store_target(index, node):
        return None  # the call is checked
    if index.qualified_name(node) in vt.MODULE_CONSTANTS:
        return None
    return f"reads or stores attribute `{index.code(node)}` (a property or __setattr__ could run code)"


def _subscript(index: ModuleIndex, facts: TypeFacts, node: cst.Subscript, protected: frozenset[str]) -> str | None:
    receiver = facts.of(node.value)
    if _store_target(index, node):
        if isinstance(node.value, cst.Name) and node.value.value in protected:
            return f"the loop stores into `{index.code(node)}`"
        if not _private(index, node.value, protected):
            return f"stores into `{index.code(node)}` (it may be a shared object)"
    if not vt.concrete(receiver) or len(node.slice) != 1:
        return f"indexes `{index.code(node)}` ({_show(receiver)}), which may run code"
    part = node.slice[0].slice
    keys = [b for b in (part.lower, part.upper, part.step) if b is not None] if isinstance(part, cst.Slice) else [part.value]
    wanted = SCALARS if any(k.tag == "dict" for k in receiver) else INTS
    for key in keys:
        if not vt.within(facts.of(key), wanted):
            return f"indexes `{index.code(node)}` with `{index.code(key)}` ({_show(facts.of(key))}), which may run code"
    return None


def _private(index: ModuleIndex, expr: cst.BaseExpression, protected: frozenset[str]) -> bool:
    return isinstance(expr, cst.Name) and expr.value not in protected and fresh(index, expr)


def _call(index: ModuleIndex, facts: TypeFacts, call: cst.Call, protected: frozenset[str]) -> str | None:
    if any(a.star or a.keyword is not None for a in call.args):
        return f"calls `{index.code(call)}` with keyword or starred arguments"
    args = [facts.of(a.value) for a in call.args]
    name = index.qualified_name(call.func)
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in protected:
        return f"the loop calls `{index.code(func)}`"
    if name is not None and _quiet_function(name, args):
        return None
    if name is None and isinstance(call.func, cst.Attribute) and _quiet_method(index, facts, call.func, args, protected):
        return None
    return f"calls `{index.code(call.func)}`, which may run any code"


def _quiet_function(name: str, args: list[vt.Types]) -> bool:
    short = name.removeprefix("builtins.")
    scalars = all(vt.within(a, SCALARS) for a in args)
    if name.startswith("math."):
        return all(vt.within(a, NUMBERS) for a in args)
    if short == "len":
        return len(args) == 1 and vt.within(args[0], (*vt.SIZED, "range"))
    if short in ("abs", "round", "int", "float", "str", "repr", "ord", "chr", "hex", "oct", "bin", "range", "divmod"):
        return scalars
    if short == "bool":
        return all(vt.concrete(a) for a in args)
    if short in ("min", "max"):
        return (len(args) > 1 and scalars) or (len(args) == 1 and _scalar_items(args[0]))
    if short in ("sorted", "set", "frozenset", "sum", "any", "all"):
        return len(args) == 1 and _scalar_items(args[0])
    if short in ("list", "tuple", "enumerate", "zip", "reversed"):
        return bool(args) and vt.iterable_concrete(args[0]) and all(
            vt.iterable_concrete(a) or (short == "enumerate" and vt.within(a, INTS)) for a in args)
    return False


def _scalar_items(types: vt.Types) -> bool:
    return vt.iterable_concrete(types) and vt.within(vt.elements(types), SCALARS)


def _quiet_method(index: ModuleIndex, facts: TypeFacts, func: cst.Attribute, args: list[vt.Types],
                  protected: frozenset[str]) -> bool:
    method, receiver = func.attr.value, facts.of(func.value)
    if vt.within(receiver, ("str", "bytes")):
        if method == "join":
            return len(args) == 1 and vt.iterable_concrete(args[0]) and vt.within(vt.elements(args[0]), ("str", "bytes"))
        known = vt.STR_TO_STR | vt.STR_TO_BOOL | vt.STR_TO_INT | {"split", "rsplit", "splitlines", "partition",
                                                                  "rpartition", "encode", "decode"}
        return method in known and method not in ("format", "format_map") and all(vt.within(a, SCALARS) for a in args)
    if vt.within(receiver, ("dict",)) and method == "get":
        return bool(args) and vt.within(args[0], SCALARS)
    if not _private(index, func.value, protected):
        return False
    if vt.within(receiver, ("list",)) and method in ("append", "insert", "pop"):
        return method == "append" or all(vt.within(a, INTS) for a in args[:1])
    if vt.within(receiver, ("list",)) and method == "extend":
        return len(args) == 1 and vt.iterable_concrete(args[0])
    return vt.within(receiver, ("set",)) and method in ("add", "discard") and all(vt.within(a, SCALARS) for a in args)


_HANDLERS = {
    cst.If: _if, cst.While: _if, cst.IfExp: _if, cst.CompIf: _if, cst.Assert: _if,
    cst.For: _for, cst.CompFor: _for, cst.FunctionDef: _function, cst.Lambda: _function, cst.Assign: _assign,
    cst.AugAssign: _augmented, cst.BinaryOperation: _binary, cst.UnaryOperation: _unary,
    cst.BooleanOperation: _boolean, cst.Comparison: _comparison, cst.Set: _displays, cst.Dict: _displays,
    cst.SetComp: _displays, cst.DictComp: _displays, cst.FormattedString: _formatted,
    cst.Attribute: _attribute, cst.Subscript: _subscript, cst.Call: _call,
}
