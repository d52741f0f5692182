"""Rewriting helpers shared by the loop transforms (a leading underscore keeps the registry away):
build a comprehension from a loop, and put a value where a loop and its accumulator were."""

from __future__ import annotations

import libcst as cst

from evolver.analysis import loop_proofs as loops
from evolver.analysis.static import ModuleIndex
from evolver.transforms._legacy import replace_nodes


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


def replace_with_value(index: ModuleIndex, loop: cst.For, value: cst.BaseExpression) -> cst.Module:
    """Drop the binding right before the loop and put ``target = value`` (same target, same
    annotation, same trailing comment) where the loop was; every other comment moves above it."""
    line = loops.previous_statement(index, loop)
    small = loops.only_small(line)
    assert isinstance(line, cst.SimpleStatementLine) and small is not None
    keep = [*line.leading_lines, line.trailing_whitespace, *loop.leading_lines, loop.target, loop.iter, value]
    moved = [cst.EmptyLine(comment=c) for c in _comments(index, [line, loop], keep)]
    statement = line.with_changes(body=[small.with_changes(value=value)],
                                  leading_lines=[*line.leading_lines, *loop.leading_lines, *moved])
    return replace_nodes(index.tree, {id(line): cst.RemovalSentinel.REMOVE, id(loop): statement})


def _comments(index: ModuleIndex, roots: list[cst.CSTNode], keep: list[cst.CSTNode]) -> list[cst.Comment]:
    kept = {id(n) for node in keep for n in cst_walk(node)}
    return [n for root in roots for n in index.walk(root) if isinstance(n, cst.Comment) and id(n) not in kept]


def cst_walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found
