"""What the transforms that turn a loop into one expression share (comprehension, join-strings; a
leading underscore keeps the registry away): the candidate shape ``acc = init`` before
``for target in iterable: [if test:] update`` in the same block (nothing in between touching
``acc``), the checks every such rewrite needs, and the rewriting itself (the binding goes, and
``acc = <one expression>`` stands where the loop was)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from evolver.analysis import loop_checks as checks
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import (
    Body,
    assigned_name,
    next_statement,
    previous_statement,
    same_line,
    single_body,
    target_names,
)
from evolver.transforms._cst import CstView
from evolver.transforms.base import Candidate


@dataclass(frozen=True)
class Built(Candidate):
    """``acc = init`` then a ``for`` whose one statement (maybe under the test ``body.condition``)
    adds to ``acc``. ``binding``: the last ``acc = init`` before the loop in its block (None: there
    is none); ``between``: the first statement after it that touches ``acc`` (None: nothing does)."""

    body: Body
    accumulator: ast.Name
    binding: ast.stmt | None
    between: ast.stmt | None

    @property
    def loop(self) -> ast.For:
        assert isinstance(self.node, ast.For)
        return self.node

    @property
    def init(self) -> ast.expr | None:
        """The value the loop starts from, when nothing in between touches ``acc``."""
        bound = assigned_name(self.binding)
        return bound[1] if bound is not None and self.between is None else None


def built(index: ModuleIndex, node: ast.AST, number: int, accumulator: ast.Name | None,
          body: Body) -> Built | None:
    """The candidate for a loop whose single statement updates ``accumulator``."""
    if accumulator is None:
        return None
    return Built(node, number, body, accumulator, *binding_before(index, node, accumulator.id))


def loop_body(node: ast.AST) -> Body | None:
    """The one simple statement of a plain or async ``for`` (maybe under one ``if``)."""
    return single_body(node) if isinstance(node, (ast.For, ast.AsyncFor)) else None


def binding_before(index: ModuleIndex, loop: ast.AST, name: str) -> tuple[ast.stmt | None, ast.stmt | None]:
    """The last ``name = value`` before the loop in the loop's block, standing alone on its line (the
    rewrite removes the line), and the first statement between the two that mentions ``name``."""
    assert isinstance(loop, ast.stmt)
    between = None
    current = previous_statement(index, loop)
    while current is not None:
        bound = assigned_name(current)
        if bound is not None and bound[0].id == name:
            return (current if _alone(index, current) else None), between
        if _mentions(current, name):
            between = current
        current = previous_statement(index, current)
    return None, between


def _alone(index: ModuleIndex, statement: ast.stmt) -> bool:
    earlier, later = previous_statement(index, statement), next_statement(index, statement)
    return not ((earlier is not None and same_line(index, earlier, statement))
                or (later is not None and same_line(index, statement, later)))


def _mentions(statement: ast.stmt, name: str) -> bool:
    """``name`` appears in the statement: read, bound, deleted, declared, or defined (nested code too)."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            return True
        if isinstance(node, ast.arg) and node.arg == name:
            return True
    return False


def binding_reason(index: ModuleIndex, candidate: Built, fresh: bool, what: str) -> str | None:
    """Why ``acc`` does not start the loop as ``what``: used in between, or not bound so before it."""
    acc = candidate.accumulator.id
    if candidate.between is not None:
        return f"`{acc}` is used between its binding and the loop ({index.code(candidate.between, 40)})"
    return None if fresh else f"`{acc}` is not bound to {what} before the loop, in the same block"


def expression_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Built, update: ast.AST,
                       what: str) -> list[str]:
    """Why the loop may not become one expression building ``what`` (a list, a set, a string)."""
    loop, acc = candidate.node, candidate.accumulator
    assert isinstance(loop, (ast.For, ast.AsyncFor))
    reasons = []
    if isinstance(loop, ast.AsyncFor):
        reasons.append("the loop is asynchronous")
    if loop.orelse:
        reasons.append("the loop has an `else` clause")
    if any(n.id == acc.id for n in target_names(loop.target) or ()):
        reasons.append(f"the loop rebinds `{acc.id}`")
    reasons += checks.accumulator_reasons(index, fn, loop, acc, update)
    reasons += checks.loop_variable_reasons(index, fn, loop)
    reasons += checks.handler_reasons(index, fn, loop, what, acc.id)
    reasons += checks.region_reasons(index, loop)
    reasons += checks.frame_reasons(index, fn)
    reasons += checks.unbound_reasons(index, fn, loop)
    return reasons + checks.new_frame_reasons(index, fn, loop)


# --- rewriting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CstLoop:
    """The libcst nodes of a candidate: the loop, the line binding the accumulator, the small
    statement on it, the loop's one statement and its test."""

    loop: cst.For
    line: cst.SimpleStatementLine
    binding: cst.Assign | cst.AnnAssign
    statement: cst.BaseSmallStatement
    condition: cst.BaseExpression | None


def cst_loop(view: CstView, index: ModuleIndex, candidate: Built) -> CstLoop:
    loop = view.node(candidate.node, cst.For)
    before = candidate.binding
    assert before is not None
    binding: cst.Assign | cst.AnnAssign = view.node(before, cst.AnnAssign) if isinstance(before, ast.AnnAssign) \
        else view.node(before, cst.Assign)
    body = loop.body.body
    only = body[0]
    condition = None
    if isinstance(only, cst.If):
        condition, only = only.test, only.body.body[0]
    statement = only.body[0] if isinstance(only, cst.SimpleStatementLine) else only
    assert isinstance(statement, cst.BaseSmallStatement)
    return CstLoop(loop, view.line(binding), binding, statement, condition)


def comprehension(kind: type[cst.ListComp] | type[cst.SetComp], elt: cst.BaseExpression, loop: cst.For,
                  condition: cst.BaseExpression | None) -> cst.ListComp | cst.SetComp:
    ifs = [cst.CompIf(test=parenthesized(condition))] if condition is not None else []
    return kind(elt=elt, for_in=cst.CompFor(target=loop.target, iter=parenthesized(loop.iter), ifs=ifs))


def parenthesized(expr: cst.BaseExpression) -> cst.BaseExpression:
    """A comprehension's iterable and test are disjunctions: a conditional expression, a lambda
    or a bare tuple needs parentheses there."""
    bare_tuple = isinstance(expr, cst.Tuple) and not expr.lpar
    if (isinstance(expr, (cst.IfExp, cst.Lambda, cst.NamedExpr)) and not expr.lpar) or bare_tuple:
        return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expr


def replace_with_value(view: CstView, found: CstLoop, value: cst.BaseExpression) -> str:
    """Drop the binding right before the loop and put ``target = value`` (same target, same
    annotation, same trailing comment) where the loop was; every other comment moves above it."""
    line, loop = found.line, found.loop
    keep = [*line.leading_lines, line.trailing_whitespace, *loop.leading_lines, loop.target, loop.iter, value]
    moved = [cst.EmptyLine(comment=c) for c in _comments([line, loop], keep)]
    statement = line.with_changes(body=[found.binding.with_changes(value=value)],
                                  leading_lines=[*line.leading_lines, *loop.leading_lines, *moved])
    return view.replace({id(line): cst.RemovalSentinel.REMOVE, id(loop): statement}).code


def _comments(roots: list[cst.CSTNode], keep: list[cst.CSTNode]) -> list[cst.Comment]:
    kept = {id(n) for node in keep for n in _walk(node)}
    return [n for root in roots for n in _walk(root) if isinstance(n, cst.Comment) and id(n) not in kept]


def _walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node and everything under it, in source order."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(reversed(current.children))
    return found
