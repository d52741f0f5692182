"""set-membership's shape of a local list built by ``append``: the list replaced by a set, a set kept
beside it, or a set behind a run-time type check (``evolver.transforms.set_membership``)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import builtin_visible
from evolver.analysis.uses import classify
from evolver.transforms._cst import CstView
from evolver.transforms.base import GENERATED

if TYPE_CHECKING:
    from evolver.transforms.set_membership import Membership

PLAIN = frozenset({"int", "str", "bytes", "float", "bool"})  # exact: hash agrees with == across all of them


def as_set(display: cst.List | cst.Tuple) -> cst.Set:
    """The set display with the same elements, keeping the whitespace inside the brackets."""
    if isinstance(display, cst.List):
        return cst.Set(display.elements, cst.LeftCurlyBrace(display.lbracket.whitespace_after),
                       cst.RightCurlyBrace(display.rbracket.whitespace_before), display.lpar, display.rpar)
    if not display.lpar:
        return cst.Set(display.elements)
    return cst.Set(display.elements, cst.LeftCurlyBrace(display.lpar[-1].whitespace_after),
                   cst.RightCurlyBrace(display.rpar[0].whitespace_before), display.lpar[:-1], display.rpar[1:])


# --- a list built by append --------------------------------------------------------------------------


def built_reasons(index: ModuleIndex, fn: FunctionInfo, facts: types.TypeFacts, candidate: Membership) -> list[str]:
    """A list grown only by ``append`` of hashable values; kept beside a set when it is used otherwise
    (then only read, iterated or returned, and every append a statement of its own)."""
    name = candidate.name
    assert name is not None
    reasons = []
    if not isinstance(candidate.node, ast.List):
        reasons.append(f"`{name.id}` is bound to a tuple, which has no append")
    found = set()
    for call in candidate.appends:
        value = call.args[0]
        kind = facts.of(value)
        found |= k.bases(kind) if k.known(kind) else set()
        if call.func.attr != "append":  # type: ignore[attr-defined]
            reasons.append(f"`{index.code(call)}`: a list has no .add()")
    for test in candidate.tests:
        kind = facts.of(test.left)
        found |= k.bases(kind) if k.known(kind) else set()
    if {"str", "bytes"} <= found:
        reasons.append("mixes str and bytes (a BytesWarning under `python -b` would differ)")
    if candidate.others or needs_guard(facts, candidate):
        reasons += _kept_reasons(index, fn, facts, candidate)
    if needs_guard(facts, candidate):
        reasons += _guard_reasons(index, fn, facts, candidate)
    if not builtin_visible(index, fn, "set"):
        reasons.append(not_builtin(index, "set", "the set written for the list"))
    shadow = GENERATED + name.id
    if any(shadow in scope.bindings for scope in index.function_scopes(fn)) or index.global_bindings(shadow):
        reasons.append(f"the name {shadow} is taken")
    return reasons


def not_builtin(index: ModuleIndex, name: str, reader: str) -> str:
    """Why ``name`` may not be the builtin that ``reader`` (code a rewrite writes) reads."""
    if index.star_import:
        return f"`from ... import *` may bind `{name}`, and {reader} reads it as the builtin"
    return f"`{name}` is not the builtin here, and {reader} reads it as the builtin"


def needs_guard(facts: types.TypeFacts, candidate: Membership) -> bool:
    """Some tested or appended value is not provably hashable: checked at run time instead."""
    values = [t.left for t in candidate.tests] + [call.args[0] for call in candidate.appends]
    return not all(k.hashable(facts.of(v), declared=True) for v in values)


def _plain_types(facts: types.TypeFacts, candidate: Membership) -> tuple[str, ...]:
    """The exact types the run-time guard lets through the set (their hash agrees with ==, across them too)."""
    found: set[str] = set()
    for value in [t.left for t in candidate.tests] + [call.args[0] for call in candidate.appends]:
        kind = facts.of(value)
        if not k.known(kind) or not k.bases(kind) <= PLAIN:
            return tuple(sorted(PLAIN))
        found |= k.bases(kind)
    return tuple(sorted(found))


def _guard_reasons(index: ModuleIndex, fn: FunctionInfo, facts: types.TypeFacts, candidate: Membership) -> list[str]:
    """A value not provably hashable goes to the set only after ``type(v) in (int, str, ...)``: the
    tested value must be a name (read twice), each append a statement of the function's own code."""
    reasons = []
    for value in [t.left for t in candidate.tests] + [call.args[0] for call in candidate.appends]:
        kind = facts.of(value)
        if k.known(kind) and not k.bases(kind) & PLAIN:
            reasons.append(f"`{index.code(value)}` is not provably hashable ({k.show(kind)}, never a plain hashable "
                           "value): a set could never answer for the list")
    for test in candidate.tests:
        if not isinstance(test.left, ast.Name):
            kind = facts.of(test.left)
            reasons.append(f"`{index.code(test.left)}` is not provably hashable ({k.show(kind)}), and not a plain name "
                           "whose type could be checked at run time: a set lookup would raise TypeError where the "
                           "list test is False")
        elif len(test.comparison.ops) != 1:
            reasons.append(f"`{index.code(test.comparison)}` is a chained comparison")
    for call in candidate.appends:
        if index.enclosing_function(call) is not fn or _in_lambda(index, call):
            reasons.append(f"`{index.code(call)}` is in a nested function or lambda")
    for name in _plain_types(facts, candidate) + ("type",):
        if not builtin_visible(index, fn, name):
            reasons.append(not_builtin(index, name, "the run-time type check"))
    return reasons


def _in_lambda(index: ModuleIndex, node: ast.AST) -> bool:
    parent = index.parent(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if isinstance(parent, (ast.Lambda, ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp)):
            return True
        parent = index.parent(parent)
    return False


def _kept_reasons(index: ModuleIndex, fn: FunctionInfo, facts: types.TypeFacts, candidate: Membership) -> list[str]:
    """The list stays (it is used otherwise) with a set beside it: every other use only reads it, and
    every append is a statement of its own (the set's add goes right after it)."""
    name = candidate.name
    assert name is not None
    reasons = []
    for other in candidate.others:
        use, at = classify(index, fn, other)  # type: ignore[arg-type]
        if use == "operand" and isinstance(at, ast.BinOp):
            partner = at.right if at.left is other else at.left
            if k.exact(facts.of(partner)):
                continue  # an exact builtin's operator builds a new object, it changes neither operand
        if use not in ("read", "iterate", "view", "return"):
            reasons.append(f"`{name.id}` is used in `{index.code(at)}`, which could change it "
                           "(the set kept beside it would fall out of step)")
    for call in candidate.appends:
        if not isinstance(index.parent(call), ast.Expr):
            reasons.append(f"`{index.code(call)}` is not a statement of its own")
    return reasons


def rewrite_built(index: ModuleIndex, fn: FunctionInfo, view: CstView, candidate: Membership) -> str:
    """Only tests and appends: the list becomes a set. Used otherwise: a set is kept beside it."""
    name = candidate.name
    assert name is not None and isinstance(candidate.node, ast.List)
    display = view.node(candidate.node, cst.List)
    replacement: cst.BaseExpression = as_set(display) if display.elements else cst.Call(cst.Name("set"))
    facts = types.facts(index, fn)
    guarded = needs_guard(facts, candidate)
    if not candidate.others and not guarded:
        changes: dict[int, object] = {id(display): replacement}
        for call in candidate.appends:
            attribute = view.node(call.func, cst.Attribute)
            changes[id(attribute)] = attribute.with_changes(attr=cst.Name("add"))
        return view.module.visit(_Edits(changes, {})).code
    shadow = GENERATED + name.id
    after: dict[int, cst.CSTNode] = {}
    binding = view.node(index.parent(candidate.node), cst.Assign)  # type: ignore[arg-type]
    copy = view.parse_expression(f"set({name.id})" if display.elements else "set()")  # elements evaluated once
    _follow(view, binding, cst.Assign([cst.AssignTarget(cst.Name(shadow))], copy), after)
    plain = ", ".join(_plain_types(facts, candidate))
    check = f"type({{}}) in ({plain},)" if "," not in plain else f"type({{}}) in ({plain})"
    for call in candidate.appends:
        statement = view.node(index.parent(call), cst.Expr)  # type: ignore[arg-type]
        if guarded:  # the set stays while every element is plainly hashable; then the list answers alone
            last = f"{name.id}[-1]"
            added: cst.BaseSmallStatement = view.parse_statement(
                f"{shadow} = {shadow} if {shadow} is not None and {check.format(last)} and {shadow}.add({last}) is None "
                "else None\n").body[0]  # type: ignore[attr-defined]
        else:
            added = cst.Expr(view.parse_expression(f"{shadow}.add({name.id}[-1])"))
        _follow(view, statement, added, after)
    changes = {}
    for test in candidate.tests:
        if guarded:
            compare = view.node(test.comparison, cst.Comparison)
            op = "not in" if isinstance(test.comparison.ops[0], ast.NotIn) else "in"
            left = index.code(test.left, limit=10_000)
            changes[id(compare)] = view.parse_expression(
                f"({left} {op} {shadow} if {shadow} is not None and {check.format(left)} else {left} {op} {name.id})")
            continue
        changes[id(view.node(test.comparison.comparators[test.position], cst.Name))] = cst.Name(shadow)
    return view.module.visit(_Edits(changes, after)).code


def _follow(view: CstView, small: cst.BaseSmallStatement, extra: cst.BaseSmallStatement,
            after: dict[int, cst.CSTNode]) -> None:
    """Put ``extra`` right after ``small``: on a line of its own when ``small`` ends its line in a
    block, else after it on the same line."""
    line = view.parent(small)
    if isinstance(line, cst.SimpleStatementLine) and line.body[-1] is small \
            and isinstance(view.parent(line), (cst.IndentedBlock, cst.Module)):
        after[id(line)] = cst.SimpleStatementLine([extra])
    else:
        after[id(small)] = extra


class _Edits(cst.CSTTransformer):
    """Replace nodes by identity, and put a small statement after others (on the same line)."""

    def __init__(self, replace: dict[int, object], after: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.replace, self.after = replace, after

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        found = self.replace.get(id(original_node), updated_node)
        extra = self.after.get(id(original_node))
        if extra is not None:
            return cst.FlattenSentinel([updated_node, extra])
        return found
