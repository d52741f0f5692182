"""How a function touches one of its variables: every binding and every read, each classified.

A transform that changes *when* or *how* an object is read or changed (``acc = acc + [x]`` into
``acc.append(x)``, ``sorted(xs)[0]`` into ``min(xs)`` after an emptiness guard, a loop into a
comprehension) needs to know every place the variable is touched. A context not understood is an
``escape``: the object may then be reachable from code we cannot see.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

from evolver.analysis import catalogue
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.scopes import Binding
from evolver.analysis.tree import chain_top, deferred, is_store

Use = Literal[
    "bind",     # rebinds the name (assignment, for target, walrus, del)
    "augment",  # ``name op= value``
    "read",     # looks at the object without keeping or changing it
    "iterate",  # the iterable of a for loop or comprehension
    "grow",     # adds or replaces elements, never removes (append, add, insert, extend, update, x[i] = v)
    "mutate",   # any other change (pop, remove, clear, del x[i], slice stores, sort, heappush(x, ...))
    "view",     # a lazy iterator or live view over it (iter, enumerate, zip, map, d.keys(), a generator)
    "return",   # returned from the function
    "operand",  # an operand of a binary operator (the other operand's type decides what runs)
    "escape",   # stored, aliased, passed on, captured by a closure, or a context we do not know
    "recurse",  # a parameter passed as itself, in its own place, to a direct self-call: the call does to
                # it what the function's own code does (so its other uses decide)
]

GROW_METHODS = frozenset({"append", "add", "insert", "extend", "update", "setdefault", "appendleft", "extendleft"})
# Methods that only read their receiver, whatever builtin type has them.
READ_METHODS = frozenset(
    name.split(".", 1)[1] for name, call in catalogue.METHODS.items()
    if not call.mutates and not call.calls and not call.lazy) - GROW_METHODS
MUTATING_METHODS = frozenset(name.split(".", 1)[1] for name, call in catalogue.METHODS.items() if call.mutates)
VIEW_METHODS = frozenset({"keys", "values", "items"})
# Calls that reach a frame's variables by name, bypassing every reference the code shows.
INTROSPECTION = frozenset({"builtins.locals", "builtins.vars", "builtins.eval", "builtins.exec",
                           "builtins.breakpoint", "sys._getframe", "inspect.currentframe", "inspect.stack",
                           "inspect.getouterframes", "inspect.trace"})


@dataclass(frozen=True)
class Ref:
    """One touch of a variable: the name (or parameter) node, how it is used, and the node that
    carries the use (the method call, the store target, the binding statement)."""

    node: ast.AST
    use: Use
    at: ast.AST


def variable_refs(index: ModuleIndex, fn: FunctionInfo, name: ast.Name) -> list[Ref] | None:
    """Every binding and reference of the local variable or parameter ``name`` names in ``fn``, in
    source order; None when it is not one (a global, a builtin, a variable of another function, a
    name bound by an import, a def or a class), or when ``fn`` can reach its variables by name."""
    found = index.resolve(name)
    own = index.function_scope(fn)
    if found.kind not in ("local", "param") or found.scope is not own or introspects(index, fn):
        return None
    return binding_refs(index, fn, found.bindings)


def binding_refs(index: ModuleIndex, fn: FunctionInfo, bindings: tuple[Binding, ...]) -> list[Ref] | None:
    key = ("refs", bindings[0].scope.node, bindings[0].name)
    if key in index.cache:
        return index.cache[key]
    refs: list[Ref] = []
    for binding in bindings:
        if binding.kind in ("import", "def", "class", "match"):
            index.cache[key] = None
            return None
        if binding.kind == "param":
            refs.append(Ref(binding.node, "bind", binding.statement))
        elif binding.kind != "declare":
            use: Use = "augment" if binding.kind == "augassign" else "bind"
            refs.append(Ref(binding.node, use, binding.statement))
    for read in bindings[0].references:
        use, at = classify(index, fn, read)
        refs.append(Ref(read, use, at))
    result = sorted(refs, key=lambda r: (getattr(r.node, "lineno", 0), getattr(r.node, "col_offset", 0)))
    index.cache[key] = result
    return result


def introspects(index: ModuleIndex, fn: FunctionInfo) -> bool:
    """Whether the function (or code nested in it) can reach its variables without naming them."""
    return bool(introspection(index, fn))


def introspection(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """The calls (``locals``, ``sys._getframe``...) by which the function can reach its variables."""
    key = ("introspection", fn.node)
    if key not in index.cache:
        found = [index.qualified_name(chain_top(index, n)) for scope in index.function_scopes(fn) for n in scope.loads]
        index.cache[key] = list(dict.fromkeys(q.removeprefix("builtins.") for q in found if q in INTROSPECTION))
    return index.cache[key]


def classify(index: ModuleIndex, fn: FunctionInfo, name: ast.Name) -> tuple[Use, ast.AST]:
    """How the read ``name`` uses the variable's object, and the node that carries the use."""
    if deferred(index, name, fn.node):
        return "escape", name
    return use_where_run(index, fn, name)


def use_where_run(index: ModuleIndex, fn: FunctionInfo, name: ast.Name) -> tuple[Use, ast.AST]:
    """How the read uses the object when its code runs (a lambda's or generator's code too: what
    it does is the same, only later)."""
    node = _value_of(index, name)  # ``xs or ys`` / ``xs if c else ys`` is used as xs is
    parent = index.parent(node)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return _attribute_use(index, parent)
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return _subscript_use(parent), parent
    if node is name and _passed_through(index, fn, name, parent):
        return "recurse", parent  # type: ignore[return-value]
    if isinstance(parent, ast.Call) and node in parent.args:
        use = _argument_use(index, parent, parent.args.index(node))
        return ("iterate" if use == "view" and _consumed_at_once(index, parent) else use), parent
    call = index.parent(parent) if isinstance(parent, ast.keyword) else None
    if isinstance(parent, ast.keyword) and isinstance(call, ast.Call):
        return _argument_use(index, call, parent.arg or "**"), call
    if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is node:
        return "iterate", parent
    if isinstance(parent, ast.comprehension) and parent.iter is node:
        generator = index.parent(parent)
        lazy = isinstance(generator, ast.GeneratorExp) and not (
            generator.generators[0] is parent and _consumed_at_once(index, generator))
        return ("view" if lazy else "iterate"), parent
    if isinstance(parent, (ast.Compare, ast.FormattedValue, ast.Expr)):
        return "read", parent
    if isinstance(parent, ast.BinOp):
        return "operand", parent
    if isinstance(parent, ast.Return):
        return "return", parent
    if isinstance(parent, ast.Tuple) and isinstance(index.parent(parent), ast.Return):
        return "return", index.parent(parent)  # type: ignore[return-value]
    if in_test(index, node):
        return "read", parent if parent is not None else node
    return "escape", node


def _consumed_at_once(index: ModuleIndex, call: ast.Call | ast.GeneratorExp) -> bool:
    """The lazy iterator a call makes is used up right away, kept nowhere: unpacked into a display
    (``{*map(type, xs)}``) or handed to a builtin that only iterates it (``set(map(f, xs))``,
    ``sorted(w.strip() for w in xs)``)."""
    parent = index.parent(call)
    if isinstance(parent, ast.Starred):
        return isinstance(index.parent(parent), (ast.Set, ast.List, ast.Tuple))
    if isinstance(parent, ast.Call) and call in parent.args:
        name = index.qualified_name(parent.func)
        found = catalogue.lookup(name) if name is not None else None
        position = parent.args.index(call)
        return found is not None and not (found.lazy or found.special or found.mutates) \
            and position not in found.calls and "*" not in found.calls
    return False


def _passed_through(index: ModuleIndex, fn: FunctionInfo, name: ast.Name, parent: ast.AST | None) -> bool:
    """``name`` is a parameter of ``fn`` handed to a direct call of ``fn`` in the same place."""
    call = index.parent(parent) if isinstance(parent, ast.keyword) else parent
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == fn.name
            and fn.cls is None and not fn.nested and index.module_function(fn.name) is fn
            and index.binding(call.func) == "global" and index.binding(name) == "param"):
        return False
    positional = [*fn.node.args.posonlyargs, *fn.node.args.args]
    if isinstance(parent, ast.keyword):
        return parent.arg == name.id and name.id not in {p.arg for p in fn.node.args.posonlyargs}
    at = call.args.index(name) if name in call.args else -1
    return 0 <= at < len(positional) and positional[at].arg == name.id and not any(
        isinstance(a, ast.Starred) for a in call.args[:at])


def _value_of(index: ModuleIndex, node: ast.AST) -> ast.AST:
    """The largest ``and``/``or``/conditional expression whose value may be ``node``'s value."""
    parent = index.parent(node)
    while not in_test(index, node) and (
            isinstance(parent, ast.BoolOp) or (isinstance(parent, ast.IfExp) and parent.test is not node)):
        node, parent = parent, index.parent(parent)
    return node


def in_test(index: ModuleIndex, node: ast.AST) -> bool:
    """Only the truth value of ``node`` is used (an if/while/assert test, ``not``, or an operand of
    ``and``/``or`` that is itself only tested)."""
    parent = index.parent(node)
    if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)):
        return parent.test is node
    if isinstance(parent, ast.comprehension):
        return node in parent.ifs
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, ast.BoolOp):
        return in_test(index, parent)
    return False


def _attribute_use(index: ModuleIndex, attribute: ast.Attribute) -> tuple[Use, ast.AST]:
    call = index.parent(attribute)
    if not (isinstance(call, ast.Call) and call.func is attribute):
        return "escape", attribute
    method = attribute.attr
    if method in GROW_METHODS:
        return "grow", call
    if method in MUTATING_METHODS:
        return "mutate", call
    if method in VIEW_METHODS:
        return "view", call
    return ("read" if method in READ_METHODS else "escape"), call


def _subscript_use(subscript: ast.Subscript) -> Use:
    if not is_store(subscript):
        return "read"
    whole = not isinstance(subscript.slice, ast.Slice)
    return "grow" if whole and isinstance(subscript.ctx, ast.Store) else "mutate"


def _argument_use(index: ModuleIndex, call: ast.Call, position: int | str) -> Use:
    """What a call does with one of its arguments."""
    func = call.func
    name = index.qualified_name(func)
    found = catalogue.lookup(name) if name is not None else None
    if found is None and isinstance(func, ast.Attribute) and name is None:
        if func.attr == "join" and isinstance(func.value, ast.Constant) and isinstance(func.value.value, str):
            return "read"
        return "escape"  # stored by append/add..., or handed to an unknown method
    if found is None or found.special:
        return "escape"
    if position in found.mutates:
        return "mutate"
    if position in found.calls or "*" in found.calls:
        return "escape"
    if found.lazy:
        return "view"
    if found.result == "item" and len(call.args) > 1:
        return "escape"  # max(a, b) returns one of its arguments: an alias
    return "read"
