"""What the transforms that turn a loop into one expression share (comprehension, join-strings; a
leading underscore keeps the registry away): the candidate shape ``acc = init`` right before
``for target in iterable: [if test:] update``, the checks every such rewrite needs, and the
rewriting itself (a comprehension put where the binding and the loop were)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from evolver.analysis import loop_checks as checks
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import Body, assigned_name, previous_statement, same_line, single_body, target_names
from evolver.transforms._cst import CstView
from evolver.transforms.base import Candidate


@dataclass(frozen=True)
class Built(Candidate):
    """``acc = init`` (``init`` None: not bound right before the loop) then a ``for`` whose one
    statement ``update`` (maybe under the test ``body.condition``) adds to ``acc``."""

    body: Body
    accumulator: ast.Name
    init: ast.expr | None

    @property
    def loop(self) -> ast.For:
        assert isinstance(self.node, ast.For)
        return self.node


def built(index: ModuleIndex, node: ast.AST, number: int, accumulator: ast.Name | None,
          body: Body) -> Built | None:
    """The candidate for a loop whose single statement updates ``accumulator``."""
    if accumulator is None:
        return None
    return Built(node, number, body, accumulator, initial_value(index, node, accumulator.id))


def loop_body(node: ast.AST) -> Body | None:
    """The one simple statement of a plain or async ``for`` (maybe under one ``if``)."""
    return single_body(node) if isinstance(node, (ast.For, ast.AsyncFor)) else None


def initial_value(index: ModuleIndex, loop: ast.AST, name: str) -> ast.expr | None:
    """The value ``name`` is bound to by the statement right before the loop, when that statement
    stands alone on its line (the rewrite replaces the line)."""
    assert isinstance(loop, ast.stmt)
    before = previous_statement(index, loop)
    bound = assigned_name(before)
    if before is None or bound is None or bound[0].id != name:
        return None
    earlier = previous_statement(index, before)
    if same_line(index, before, loop) or (earlier is not None and same_line(index, earlier, before)):
        return None
    return bound[1]


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
    reasons += checks.handler_reasons(index, fn, loop, what)
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
    before = previous_statement(index, candidate.loop)
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
