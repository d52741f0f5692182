"""Counted loops: a ``for`` over ``range(...)`` or ``enumerate(...)``, the index it counts, where the
count starts, and what in its body could make an iteration skip its end.

``for i in range(stop)`` / ``range(start, stop)`` (step 1) and ``for i, x in enumerate(xs)`` /
``enumerate(xs, start)`` give ``i`` the values start, start + 1, ... in order, one per iteration,
when ``range``/``enumerate`` are the builtins and ``start`` is an int constant.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.tree import constant_int, walk, within

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass(frozen=True)
class Count:
    """The index a counted loop binds, and its first value."""

    loop: ast.For
    index: str
    start: int
    counter: str  # "range" or "enumerate"
    counter_call: ast.Call


def count_of(index: ModuleIndex, loop: ast.AST) -> Count | None:
    """The count of a ``for`` over ``range``/``enumerate`` with a constant start (None: not one)."""
    if not isinstance(loop, ast.For) or not isinstance(loop.iter, ast.Call):
        return None
    call = loop.iter
    if not isinstance(call.func, ast.Name) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    if call.func.id == "range" and not call.keywords and len(call.args) in (1, 2) and isinstance(loop.target, ast.Name):
        start = 0 if len(call.args) == 1 else constant_int(call.args[0])
        return Count(loop, loop.target.id, start, "range", call) if start is not None else None
    if call.func.id == "enumerate" and isinstance(loop.target, ast.Tuple) and len(loop.target.elts) == 2 \
            and isinstance(loop.target.elts[0], ast.Name) and 1 <= len(call.args) <= 2:
        starts = call.args[1:] + [kw.value for kw in call.keywords if kw.arg == "start"]
        if len(call.keywords) > len([kw for kw in call.keywords if kw.arg == "start"]) or len(starts) > 1:
            return None
        start = constant_int(starts[0]) if starts else 0
        return Count(loop, loop.target.elts[0].id, start, "enumerate", call) if start is not None else None
    return None


def skips_end(index: ModuleIndex, loop: ast.For) -> list[ast.Continue]:
    """The ``continue`` statements of ``loop`` itself: an iteration that runs one does not reach
    the end of the body (those of a nested loop's body belong to that loop; one in its ``else``
    belongs to this one)."""
    found = []
    for statement in loop.body:
        for node in walk(statement):
            if isinstance(node, ast.Continue) and _owner(index, node) is loop:
                found.append(node)
    return found


def _owner(index: ModuleIndex, node: ast.AST) -> ast.AST | None:
    child, parent = node, index.parent(node)
    while parent is not None and not isinstance(parent, SCOPES):
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.While)) and child in parent.body:
            return parent
        child, parent = parent, index.parent(parent)
    return None


def rebound_in(index: ModuleIndex, fn: FunctionInfo, name: str, loop: ast.For) -> list[ast.AST]:
    """Bindings of the local ``name`` inside the loop's body (and its ``else``), or by a function
    nested in ``fn`` (``nonlocal``): the loop target itself is not one."""
    scope = index.function_scope(fn)
    found = []
    for binding in scope.bindings.get(name, []):
        inside = within(index, binding.node, loop) and not within(index, binding.node, loop.target)
        nested = index.enclosing_function(binding.node) is not fn
        if inside or nested:
            found.append(binding.node)
    for inner in index.function_scopes(fn):
        if inner is not scope and name in inner.declared_nonlocal:
            found.append(inner.node)
    return found


