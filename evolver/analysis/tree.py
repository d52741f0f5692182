"""Walking and asking about ``ast`` trees: source-order traversal, ancestors, assignment targets.

The one home of these helpers (``within``, ``enclosing_loops``, ``statement_of``...): every
analysis and transform imports them from here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Protocol

LOOPS = (ast.For, ast.AsyncFor, ast.While)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class Parents(Protocol):
    def parent(self, node: ast.AST) -> ast.AST | None: ...


# --- traversal ---------------------------------------------------------------------------------


def children(node: ast.AST) -> list[ast.AST]:
    """The node's children in source order (``ast.iter_child_nodes`` puts decorators after the body,
    a dict's keys before all its values and a conditional's test before its body)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        rest = [c for c in ast.iter_child_nodes(node) if c not in node.decorator_list]
        return [*node.decorator_list, *rest]
    if isinstance(node, ast.Dict):
        return [c for k, v in zip(node.keys, node.values) for c in (k, v) if c is not None]
    if isinstance(node, ast.IfExp):
        return [node.body, node.test, node.orelse]
    return list(ast.iter_child_nodes(node))


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and every node under it, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def own_walk(root: ast.AST, lambdas: bool = True) -> Iterator[ast.AST]:
    """``root`` and its descendants in source order, without the bodies of nested functions and
    classes (their decorators, defaults, annotations and bases run where they stand) nor of lambdas
    unless ``lambdas``."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack.extend(reversed([*node.decorator_list, node.args, *([node.returns] if node.returns else [])]))
        elif isinstance(node, ast.ClassDef):
            stack.extend(reversed([*node.decorator_list, *node.bases, *node.keywords]))
        elif isinstance(node, ast.Lambda) and not lambdas:
            stack.append(node.args)
        else:
            stack.extend(reversed(children(node)))


# --- ancestors ---------------------------------------------------------------------------------


def within(index: Parents, node: ast.AST, outer: ast.AST | None) -> bool:
    """``node`` is ``outer`` or lies inside it."""
    current: ast.AST | None = node
    while current is not None:
        if current is outer:
            return True
        current = index.parent(current)
    return False


def inside_any(index: Parents, node: ast.AST, roots: tuple[ast.AST, ...] | list[ast.AST]) -> bool:
    current: ast.AST | None = node
    while current is not None:
        if any(current is root for root in roots):
            return True
        current = index.parent(current)
    return False


def ancestors(index: Parents, node: ast.AST, stop: ast.AST | None = None) -> Iterator[ast.AST]:
    """The nodes above ``node``, innermost first, up to (not including) ``stop``."""
    current = index.parent(node)
    while current is not None and current is not stop:
        yield current
        current = index.parent(current)


def enclosing_loops(index: Parents, node: ast.AST, stop: ast.AST | None = None) -> list[ast.AST]:
    """The loops (statements and comprehensions) around ``node``, innermost first, up to ``stop``
    (the enclosing function, usually)."""
    return [a for a in ancestors(index, node, stop) if isinstance(a, (*LOOPS, *COMPREHENSIONS))]


def statement_of(index: Parents, node: ast.AST) -> ast.AST:
    """The innermost statement that contains ``node``."""
    current: ast.AST | None = node
    while current is not None and not isinstance(current, ast.stmt):
        current = index.parent(current)
    return current if current is not None else node


def deferred(index: Parents, node: ast.AST, stop: ast.AST | None) -> bool:
    """``node`` runs later than where it stands: inside a lambda, a nested def or class body, or the
    lazy part of a generator expression (its first iterable is evaluated at once)."""
    child, current = node, index.parent(node)
    while current is not None and current is not stop:
        if isinstance(current, ast.Lambda) and child is current.body:
            return True
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child in current.body:
            return True
        if isinstance(current, ast.GeneratorExp) and child is not current.generators[0]:
            return True
        if isinstance(current, ast.comprehension) and child is not current.iter \
                and isinstance(index.parent(current), ast.GeneratorExp):
            return True
        child, current = current, index.parent(current)
    return False


# --- targets -----------------------------------------------------------------------------------


def flatten_targets(target: ast.AST) -> Iterator[ast.AST]:
    """The leaves of an assignment target (names, attributes, subscripts; starred unwrapped)."""
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from flatten_targets(element)
    elif isinstance(target, ast.Starred):
        yield from flatten_targets(target.value)
    else:
        yield target


def store_targets(node: ast.AST) -> Iterator[ast.AST]:
    """The expressions a statement or clause binds, stores into or deletes."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            yield from flatten_targets(target)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.comprehension, ast.NamedExpr)):
        yield from flatten_targets(node.target)
    elif isinstance(node, ast.Delete):
        for target in node.targets:
            yield from flatten_targets(target)
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        yield from flatten_targets(node.optional_vars)


def is_store(node: ast.AST) -> bool:
    """A Name, Attribute, Subscript, Starred, Tuple or List stored into or deleted."""
    ctx = getattr(node, "ctx", None)
    return isinstance(ctx, (ast.Store, ast.Del))


def chain_root(expr: ast.AST) -> ast.AST:
    """``a`` for ``a.b.c``, ``a[i].b`` and ``a.b(...)``'s func: the object the chain starts from."""
    while isinstance(expr, (ast.Attribute, ast.Subscript)):
        expr = expr.value
    return expr


def chain_top(index: Parents, name: ast.AST) -> ast.AST:
    """The longest attribute chain ``name.a.b`` that starts at ``name``."""
    node, parent = name, index.parent(name)
    while isinstance(parent, ast.Attribute) and parent.value is node:
        node, parent = parent, index.parent(parent)
    return node


def is_called(index: Parents, expr: ast.AST) -> bool:
    parent = index.parent(expr)
    return isinstance(parent, ast.Call) and parent.func is expr


# --- small values ------------------------------------------------------------------------------


def constant_int(expr: ast.AST) -> int | None:
    """The value of an integer literal, or of ``-``/``+`` an integer literal (not a bool)."""
    if isinstance(expr, ast.Constant) and type(expr.value) is int:
        return expr.value
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        inner = constant_int(expr.operand)
        return None if inner is None else -inner if isinstance(expr.op, ast.USub) else inner
    return None


def is_literal(expr: ast.AST) -> bool:
    """A constant, a signed number, or a tuple of those."""
    if isinstance(expr, ast.Constant):
        return expr.value is not Ellipsis
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        return isinstance(expr.operand, ast.Constant) and type(expr.operand.value) in (int, float, complex)
    if isinstance(expr, ast.Tuple):
        return all(is_literal(e) for e in expr.elts)
    return False


def position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def end_position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "end_lineno", 0) or 0, getattr(node, "end_col_offset", 0) or 0


def after(node: ast.AST, region: ast.AST) -> bool:
    """``node`` starts after everything in ``region`` ends."""
    return position(node) >= end_position(region)


def before(node: ast.AST, other: ast.AST) -> bool:
    return position(node) < position(other)


def all_params(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args, *args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a)]


def default_of(args: ast.arguments, arg: ast.arg) -> ast.AST | None:
    """The default expression of a parameter (None: it has none)."""
    positional = [*args.posonlyargs, *args.args]
    if arg in positional:
        offset = len(positional) - len(args.defaults)
        position = positional.index(arg)
        return args.defaults[position - offset] if position >= offset else None
    if arg in args.kwonlyargs:
        return args.kw_defaults[args.kwonlyargs.index(arg)]
    return None


def may_fall_off(body: list[ast.stmt]) -> bool:
    """Running ``body`` may reach its end (the analysis proves it cannot only for plain shapes:
    ending in ``return``/``raise``, or an ``if``/``with``/``try`` whose every way ends so)."""
    if not body:
        return True
    last = body[-1]
    if isinstance(last, (ast.Return, ast.Raise)):
        return False
    if isinstance(last, ast.If):
        return may_fall_off(last.body) or may_fall_off(last.orelse)
    if isinstance(last, (ast.With, ast.AsyncWith)):
        return may_fall_off(last.body)
    if isinstance(last, ast.Try):
        return (may_fall_off(last.orelse if last.orelse else last.body)
                or any(may_fall_off(h.body) for h in last.handlers)) and not (
            last.finalbody and not may_fall_off(last.finalbody))
    if isinstance(last, ast.While) and isinstance(last.test, ast.Constant) and last.test.value is True:
        return any(isinstance(n, ast.Break) for n in ast.walk(last))
    return True
