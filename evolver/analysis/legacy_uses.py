"""How a function uses one of its variables: every binding and every reference, each classified.

A transform that changes *when* or *how* an object is read or changed (``acc = acc + [x]`` into
``acc.append(x)``, ``sorted(xs)[0]`` into ``min(xs)`` after an emptiness guard) needs to know every
place the variable is touched. Unknown contexts classify as ``escape``: the object may be reachable
from code we cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import libcst as cst
from libcst.metadata import Assignment, BuiltinAssignment

from evolver.analysis.static import FunctionInfo, ModuleIndex

Use = Literal[
    "bind",     # rebinds the name (assignment, for target, walrus)
    "augment",  # ``name op= value``
    "read",     # looks at the object without keeping or changing it
    "iterate",  # the iterable of a for loop or comprehension
    "grow",     # adds or replaces elements, never removes (append, add, insert, extend, update, x[i] = v)
    "mutate",   # any other change (pop, remove, clear, del x[i], slice stores, sort, ...)
    "view",     # a lazy iterator or live view over it (iter, enumerate, zip, map, d.keys(), ...)
    "return",   # returned from the function
    "operand",  # an operand of a binary operator (the other operand's type decides what runs)
    "escape",   # stored, aliased, passed on, captured by a closure, or a context we do not know
]

GROW_METHODS = frozenset({"append", "add", "insert", "extend", "update", "setdefault"})
SHRINK_METHODS = frozenset({
    "pop", "remove", "clear", "discard", "popitem", "sort", "reverse", "difference_update",
    "intersection_update", "symmetric_difference_update",
})
READ_METHODS = frozenset({
    "count", "index", "copy", "get", "startswith", "endswith", "find", "rfind", "lower", "upper",
    "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "casefold", "isdisjoint", "issubset",
    "issuperset", "union", "intersection", "difference", "symmetric_difference", "encode", "decode",
})
VIEW_METHODS = frozenset({"keys", "values", "items"})
READ_CALLS = frozenset({
    "builtins.len", "builtins.sorted", "builtins.list", "builtins.tuple", "builtins.set",
    "builtins.frozenset", "builtins.sum", "builtins.min", "builtins.max", "builtins.any", "builtins.all",
    "builtins.str", "builtins.repr", "builtins.bool", "builtins.isinstance", "builtins.print",
    "builtins.dict", "builtins.hash", "builtins.type",
})
VIEW_CALLS = frozenset({"builtins.iter", "builtins.enumerate", "builtins.zip", "builtins.map",
                        "builtins.filter", "builtins.reversed"})
# Calls that reach a frame's variables by name, bypassing every reference the code shows.
INTROSPECTION = frozenset({"builtins.locals", "builtins.vars", "builtins.eval", "builtins.exec",
                           "sys._getframe", "inspect.currentframe", "inspect.stack"})
LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_BOUNDARIES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


@dataclass(frozen=True)
class Ref:
    """One touch of a variable: the name node, how it is used, and the node that carries the use
    (the method call, the store target, the binding statement)."""

    node: cst.Name
    use: Use
    at: cst.CSTNode


def variable_refs(index: ModuleIndex, fn: FunctionInfo, name: cst.Name) -> list[Ref] | None:
    """Every binding and reference of the local variable or parameter ``name`` names in ``fn``, in
    source order; None when it is not one (a global, a builtin, a name bound in a nested function)."""
    assignments = index.assignments(name)
    own = index.scope(fn.node.body)
    if not assignments or any(a.scope is not own for a in assignments) or introspects(index, fn):
        return None
    refs: dict[int, Ref] = {}
    for assignment in assignments:
        node = getattr(assignment, "node", None)
        if not isinstance(assignment, Assignment) or isinstance(assignment, BuiltinAssignment):
            return None
        if isinstance(node, cst.Param):
            refs[id(node.name)] = Ref(node.name, "bind", node)
        elif isinstance(node, cst.Name) and index.enclosing_function(node) is fn:
            kind: Use = "augment" if isinstance(index.parent(node), cst.AugAssign) else "bind"
            refs[id(node)] = Ref(node, kind, binding_site(index, node))
        else:
            return None  # an import, a def, a class, or a nonlocal store in a nested function
        for access in assignment.references:
            if isinstance(access.node, cst.Name) and id(access.node) not in refs:
                use, at = classify(index, fn, access.node)
                refs[id(access.node)] = Ref(access.node, use, at)
    return sorted(refs.values(), key=lambda r: index.order(r.node))


def introspects(index: ModuleIndex, fn: FunctionInfo) -> bool:
    """Whether the function (or code nested in it) can reach its variables without naming them."""
    key = ("introspects", fn.qualname)
    if key not in index.cache:
        index.cache[key] = any(isinstance(n, (cst.Name, cst.Attribute)) and index.qualified_name(n) in INTROSPECTION
                               for n in index.walk(fn.node.body))
    return index.cache[key]


def binding_site(index: ModuleIndex, name: cst.Name) -> cst.CSTNode:
    """The statement or clause that binds ``name``."""
    node: cst.CSTNode = name
    parent = index.parent(node)
    while parent is not None and not isinstance(parent, (cst.BaseSmallStatement, cst.For, cst.CompFor,
                                                         cst.NamedExpr, cst.WithItem, cst.ExceptHandler)):
        node, parent = parent, index.parent(parent)
    return parent if parent is not None else name


def classify(index: ModuleIndex, fn: FunctionInfo, name: cst.Name) -> tuple[Use, cst.CSTNode]:
    if _deferred(index, fn, name):
        return "escape", name
    node = _value_of(index, name)  # ``xs or ys`` / ``xs if c else ys`` is used as xs is
    parent = index.parent(node)
    if isinstance(parent, cst.Attribute) and parent.value is node:
        return _attribute_use(index, parent)
    if isinstance(parent, cst.Subscript) and parent.value is node:
        return _subscript_use(index, parent), parent
    if isinstance(parent, cst.Arg) and parent.value is node and not parent.star:
        call = index.parent(parent)
        if isinstance(call, cst.Call):
            return _argument_use(index, call), call
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is node:
        lazy = isinstance(index.parent(parent), cst.GeneratorExp)
        return ("view" if lazy else "iterate"), parent
    if isinstance(parent, (cst.Comparison, cst.ComparisonTarget, cst.FormattedStringExpression)):
        return "read", parent
    if isinstance(parent, cst.BinaryOperation):
        return "operand", parent
    if isinstance(parent, cst.Expr):
        return "read", parent
    if isinstance(parent, cst.Return):
        return "return", parent
    if isinstance(parent, cst.Element) and isinstance(index.parent(parent), cst.Tuple) \
            and isinstance(index.parent(index.parent(parent)), cst.Return):
        return "return", index.parent(index.parent(parent))  # type: ignore[return-value]
    if isinstance(parent, cst.Del):
        return "bind", parent
    if in_test(index, node):
        return "read", parent if parent is not None else node
    return "escape", node


def _value_of(index: ModuleIndex, node: cst.CSTNode) -> cst.CSTNode:
    """The largest ``and``/``or``/conditional expression whose value may be ``node``'s value."""
    parent = index.parent(node)
    while not in_test(index, node) and (
            isinstance(parent, cst.BooleanOperation)
            or (isinstance(parent, cst.IfExp) and parent.test is not node)):
        node, parent = parent, index.parent(parent)
    return node


def in_test(index: ModuleIndex, node: cst.CSTNode) -> bool:
    """Whether only the truth value of ``node`` is used (an if/while/assert test, ``not``, or an
    operand of ``and``/``or`` that is itself only tested)."""
    parent = index.parent(node)
    if isinstance(parent, (cst.If, cst.While, cst.IfExp, cst.Assert, cst.CompIf)):
        return getattr(parent, "test", None) is node
    if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
        return True
    if isinstance(parent, cst.BooleanOperation):
        return in_test(index, parent)
    return False


def _deferred(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> bool:
    """Read later than where it stands: inside a lambda, a nested def or class, or the lazy part of a
    generator expression (its first iterable is evaluated at once)."""
    child, current = node, index.parent(node)
    while current is not None and current is not fn.node:
        if isinstance(current, _BOUNDARIES):
            return True
        if isinstance(current, cst.GeneratorExp) and child is not current.for_in:
            return True
        if isinstance(current, cst.CompFor) and child is not current.iter \
                and isinstance(index.parent(current), cst.GeneratorExp):
            return True
        child, current = current, index.parent(current)
    return False


def _attribute_use(index: ModuleIndex, attribute: cst.Attribute) -> tuple[Use, cst.CSTNode]:
    call = index.parent(attribute)
    if not (isinstance(call, cst.Call) and call.func is attribute):
        return "escape", attribute
    method = attribute.attr.value
    if method in GROW_METHODS:
        return "grow", call
    if method in SHRINK_METHODS:
        return "mutate", call
    if method in VIEW_METHODS:
        return "view", call
    return ("read" if method in READ_METHODS else "escape"), call


def _subscript_use(index: ModuleIndex, subscript: cst.Subscript) -> Use:
    if not is_target(index, subscript):
        return "read"
    parent = index.parent(subscript)
    whole = len(subscript.slice) == 1 and isinstance(subscript.slice[0].slice, cst.Index)
    if whole and isinstance(parent, (cst.AssignTarget, cst.AugAssign)):
        return "grow"
    return "mutate"


def _argument_use(index: ModuleIndex, call: cst.Call) -> Use:
    name = index.qualified_name(call.func)
    if name in READ_CALLS:
        return "read"
    if name in VIEW_CALLS:
        return "view"
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "join" and isinstance(
            func.value, (cst.SimpleString, cst.ConcatenatedString)):
        return "read"
    return "escape"


def is_target(index: ModuleIndex, node: cst.CSTNode) -> bool:
    """Whether ``node`` is stored into or deleted (an assignment, augmented, for or del target)."""
    current, parent = node, index.parent(node)
    while isinstance(parent, (cst.Tuple, cst.List, cst.Element, cst.StarredElement)):
        current, parent = parent, index.parent(parent)
    if isinstance(parent, cst.AssignTarget):
        return True
    if isinstance(parent, (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr)):
        return parent.target is current
    if isinstance(parent, cst.Del):
        return True
    return isinstance(parent, cst.AsName)


def within(index: ModuleIndex, node: cst.CSTNode, outer: cst.CSTNode) -> bool:
    current: cst.CSTNode | None = node
    while current is not None:
        if current is outer:
            return True
        current = index.parent(current)
    return False


def enclosing_loops(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> list[cst.CSTNode]:
    """The loops (statements and comprehensions) of ``fn`` around ``node``, innermost first."""
    found, current = [], index.parent(node)
    while current is not None and current is not fn.node:
        if isinstance(current, LOOPS):
            found.append(current)
        current = index.parent(current)
    return found


def statement_of(index: ModuleIndex, node: cst.CSTNode) -> cst.CSTNode:
    """The innermost statement (simple or compound) that contains ``node``."""
    current: cst.CSTNode = node
    while not isinstance(current, (cst.BaseStatement, cst.BaseSmallStatement)):
        parent = index.parent(current)
        if parent is None:
            return current
        current = parent
    return current


def lone_parameter(node: cst.Lambda) -> cst.Name | None:
    """The parameter of ``lambda p: ...`` with exactly one plain positional parameter, no default."""
    params = node.params
    extra = params.posonly_params or params.kwonly_params or params.star_kwarg is not None
    if len(params.params) != 1 or params.params[0].default is not None or extra \
            or not isinstance(params.star_arg, cst.MaybeSentinel):
        return None
    return params.params[0].name


def builtin_free(index: ModuleIndex, node: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` at ``node`` still means the builtin (nothing binds it in a visible scope)."""
    scope = index.scope(node)
    if scope is None or index.star_import:
        return False
    return all(isinstance(a, BuiltinAssignment) for a in scope[name])
