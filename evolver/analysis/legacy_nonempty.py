"""Proofs that a collection is non-empty where it is used.

Proven: a display with an element; a comprehension with one ``for`` and no ``if`` over a non-empty
iterable; ``list(x)``/``sorted(x)``/... of a non-empty ``x``; or a local variable or parameter of a
builtin container kind (whose truth value means non-empty) behind a guard (``if xs:``,
``while xs:``, ``if len(xs) > 0:``, ``... if xs else ...``, ``xs and ...``, or
``if not xs: return/raise/continue/break`` earlier in an enclosing block) that nothing can undo
between the guard and the use:

* a local list, set or dict that is only ever bound to fresh objects and never escapes (so no
  alias exists): no rebinding and no shrinking (pop, remove, clear, del, slice stores) that can run
  after the guard and before the use, including in a later iteration of a loop inside the guarded
  region;
* anything else mutable (a parameter, an escaped local): any code at all could shrink it through an
  alias, so the use must be the first thing evaluated after the guard.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from evolver.analysis.legacy_kinds import CONTAINERS, MUTABLE, constant_int
from evolver.analysis.legacy_uses import Ref, builtin_free, enclosing_loops, statement_of, variable_refs, within
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.analysis.typer import Typer

COPIES = frozenset({"builtins.list", "builtins.tuple", "builtins.sorted", "builtins.set", "builtins.frozenset"})
EXITS = (cst.Return, cst.Raise, cst.Continue, cst.Break)
_BOUNDARIES = (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.GeneratorExp)


@dataclass(frozen=True)
class Guard:
    """A test that proves the variable non-empty in ``region`` (statements or one expression);
    ``after``: the parts of the test evaluated after the proving operand."""

    test: cst.BaseExpression
    operand: cst.BaseExpression
    region: tuple[cst.CSTNode, ...]

    def after(self, index: ModuleIndex) -> list[cst.CSTNode]:
        last = _last(index, self.operand)
        return [n for n in index.walk(self.test) if index.order(n) > index.order(last)]


def nonempty_reasons(index: ModuleIndex, fn: FunctionInfo, expr: cst.BaseExpression,
                     use: cst.CSTNode) -> list[str]:
    """Why ``expr``, evaluated where ``use`` stands, is not proven non-empty (empty: it is)."""
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        return [] if any(isinstance(e, cst.Element) for e in expr.elements) else [_maybe_empty(index, expr)]
    if isinstance(expr, cst.Dict):
        return [] if any(isinstance(e, cst.DictElement) for e in expr.elements) else [_maybe_empty(index, expr)]
    if isinstance(expr, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
        clause = expr.for_in
        if clause.ifs or clause.inner_for_in is not None or clause.asynchronous is not None:
            return [f"`{index.code(expr)}` has an `if` or a second `for`: it may be empty"]
        return nonempty_reasons(index, fn, clause.iter, use)
    if isinstance(expr, cst.Call):
        return _call_reasons(index, fn, expr, use)
    if isinstance(expr, cst.Name):
        return _name_reasons(index, fn, expr, use)
    return [_maybe_empty(index, expr)]


def _maybe_empty(index: ModuleIndex, expr: cst.BaseExpression) -> str:
    return f"`{index.code(expr)}` is not provably non-empty"


def _call_reasons(index: ModuleIndex, fn: FunctionInfo, call: cst.Call, use: cst.CSTNode) -> list[str]:
    args = [a.value for a in call.args if a.keyword is None and not a.star]
    name = index.qualified_name(call.func)
    if name in COPIES and len(args) == len(call.args) == 1 and builtin_free(index, call, name[9:]):
        return nonempty_reasons(index, fn, args[0], use)
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("split", "rsplit") and args:
        typer = Typer.of(index, fn)
        receiver, separator = typer.kind(func.value), typer.kind(args[0])
        if receiver is not None and separator is not None and receiver.base == separator.base == "str":
            return []  # splitting at a given separator always gives at least one part
    return [_maybe_empty(index, call)]


def _name_reasons(index: ModuleIndex, fn: FunctionInfo, name: cst.Name, use: cst.CSTNode) -> list[str]:
    typer = Typer.of(index, fn)
    refs = variable_refs(index, fn, name)
    kind = typer.kind(name)
    if refs is None:
        return [f"`{name.value}` is not a local variable or parameter"]
    if kind is None or kind.base not in CONTAINERS:
        return [f"`{name.value}` is not provably a list, tuple, set, dict or str "
                "(its truth value may not mean non-empty)"]
    guard = find_guard(index, name, use)
    if guard is None:
        return [f"nothing proves `{name.value}` non-empty here (e.g. `if not {name.value}: return` before it)"]
    if kind.base in MUTABLE and not private(index, typer, refs):
        return _immediate_reasons(index, name, guard, use)
    return [f"`{name.value}` may be changed between the guard and this use ({index.code(ref.at, 40)})"
            for ref in refs if _undoes(index, ref, kind.base) and _reaches(index, fn, ref.node, guard, use)][:1]


def private(index: ModuleIndex, typer: Typer, refs: list[Ref]) -> bool:
    """A local only ever bound to objects created right there, never aliased, stored, passed on or
    captured: only its own references can change it."""
    for ref in refs:
        if ref.use == "escape" or (ref.use == "operand" and typer.other_operand(ref) is None):
            return False
        if ref.use == "bind" and not typer.fresh_binding(ref):
            return False
    return True


def _undoes(index: ModuleIndex, ref: Ref, base: str) -> bool:
    """Whether this touch could make the variable empty (growth cannot)."""
    if ref.use == "augment":
        site = ref.at
        return not (isinstance(site, cst.AugAssign) and isinstance(site.operator, cst.AddAssign)
                    and base in ("list", "tuple", "str", "bytes"))
    return ref.use in ("bind", "mutate")


def _reaches(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode, guard: Guard, use: cst.CSTNode) -> bool:
    """Whether ``node`` can run after the guard and before ``use`` without passing the guard again."""
    if any(within(index, node, n) for n in guard.after(index)):
        return True
    if not any(within(index, node, root) for root in guard.region):
        return False
    if index.order(node) < index.order(use) or statement_of(index, node) is statement_of(index, use):
        return True
    return any(within(index, node, loop) and any(within(index, loop, root) for root in guard.region)
               for loop in enclosing_loops(index, fn, use))


def _immediate_reasons(index: ModuleIndex, name: cst.Name, guard: Guard, use: cst.CSTNode) -> list[str]:
    """For a mutable object others may hold: nothing may run between the guard and the use."""
    shown = f"`{name.value}` may be shared (a parameter, or stored or passed on), so"
    if guard.after(index):
        return [f"{shown} the rest of the guard's test could empty it"]
    root = guard.region[0]
    if isinstance(root, cst.BaseSuite):
        root = root.body[0] if isinstance(root, cst.IndentedBlock) else root
    if not within(index, use, root) or not _first_evaluated(index, use, root):
        return [f"{shown} it must be used first thing after the guard"]
    return []


def _first_evaluated(index: ModuleIndex, node: cst.CSTNode, root: cst.CSTNode) -> bool:
    child = node
    while child is not root:
        parent = index.parent(child)
        if parent is None or not _evaluated_first(parent, child):
            return False
        child = parent
    return True


def _evaluated_first(parent: cst.CSTNode, child: cst.CSTNode) -> bool:
    if isinstance(parent, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return parent.body[0] is child
    if isinstance(parent, (cst.Return, cst.Expr, cst.Arg, cst.Element)):
        return True
    if isinstance(parent, cst.Assign):
        return parent.value is child and all(isinstance(t.target, cst.Name) for t in parent.targets)
    if isinstance(parent, (cst.AnnAssign, cst.AugAssign)):
        return parent.value is child and isinstance(parent.target, cst.Name)
    if isinstance(parent, (cst.If, cst.While, cst.IfExp)):
        return parent.test is child
    if isinstance(parent, cst.For):
        return parent.iter is child
    if isinstance(parent, (cst.Attribute, cst.Subscript)):
        return parent.value is child
    if isinstance(parent, (cst.BinaryOperation, cst.BooleanOperation, cst.Comparison)):
        return parent.left is child
    if isinstance(parent, cst.UnaryOperation):
        return True
    if isinstance(parent, cst.Call):
        return parent.func is child or (bool(parent.args) and parent.args[0] is child
                                         and isinstance(parent.func, cst.Name))
    if isinstance(parent, (cst.Tuple, cst.List)):
        return bool(parent.elements) and parent.elements[0] is child
    return False


# --- finding the guard ---------------------------------------------------------------------------


def find_guard(index: ModuleIndex, name: cst.Name, use: cst.CSTNode) -> Guard | None:
    """The nearest test on the way out from ``use`` that proves ``name`` non-empty."""
    child, parent = use, index.parent(use)
    while parent is not None and not isinstance(parent, _BOUNDARIES):
        guard = _guard_at(index, name, parent, child)
        if guard is not None:
            return guard
        child, parent = parent, index.parent(parent)
    return None


def _guard_at(index: ModuleIndex, name: cst.Name, parent: cst.CSTNode, child: cst.CSTNode) -> Guard | None:
    test: cst.BaseExpression | None = None
    operand = None
    if isinstance(parent, (cst.If, cst.While)) and parent.body is child:
        test, operand = parent.test, _proves(index, name, parent.test, positive=True)
    elif isinstance(parent, cst.Else) and isinstance(index.parent(parent), (cst.If, cst.While)):
        test = index.parent(parent).test  # type: ignore[union-attr]
        operand = _proves(index, name, test, positive=False)
    elif isinstance(parent, cst.IfExp) and parent.body is child:
        test, operand = parent.test, _proves(index, name, parent.test, positive=True)
    elif isinstance(parent, cst.BooleanOperation) and isinstance(parent.operator, cst.And) and parent.right is child:
        test, operand = parent.left, _proves(index, name, parent.left, positive=True)
    elif isinstance(parent, (cst.IndentedBlock, cst.Module)) and any(s is child for s in parent.body):
        return _exit_guard(index, name, parent, child)
    if test is None or operand is None:
        return None
    return Guard(test, operand, (child,))


def _exit_guard(index: ModuleIndex, name: cst.Name, block: cst.IndentedBlock | cst.Module,
                child: cst.CSTNode) -> Guard | None:
    """``if not xs: return`` (or raise/continue/break) before ``child`` in the same block."""
    statements = list(block.body)
    position = next(i for i, s in enumerate(statements) if s is child)
    for i in range(position - 1, -1, -1):
        statement = statements[i]
        if isinstance(statement, cst.If) and statement.orelse is None and _exits(statement.body):
            operand = _proves(index, name, statement.test, positive=False)
            if operand is not None:
                return Guard(statement.test, operand, tuple(statements[i + 1:]))
    return None


def _exits(body: cst.BaseSuite) -> bool:
    if isinstance(body, cst.SimpleStatementSuite):
        return isinstance(body.body[-1], EXITS)
    last = body.body[-1]
    return isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], EXITS)


def _proves(index: ModuleIndex, name: cst.Name, test: cst.BaseExpression, positive: bool) -> cst.BaseExpression | None:
    """The operand of ``test`` that proves ``name`` non-empty when the test is true (``positive``)
    or false; None when none does."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return test if _proves(index, name, test.expression, not positive) is not None else None
    joiner = cst.And if positive else cst.Or
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, joiner):
        return _proves(index, name, test.right, positive) or _proves(index, name, test.left, positive)
    if positive and (_same(index, test, name) or _is_len(index, test, name)):
        return test
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        return test if _length_test(index, name, test, positive) else None
    return None


def _length_test(index: ModuleIndex, name: cst.Name, test: cst.Comparison, positive: bool) -> bool:
    left, target = test.left, test.comparisons[0]
    operator, right = target.operator, target.comparator
    if _is_len(index, left, name):
        bound = constant_int(right)
        flipped = False
    elif _is_len(index, right, name):
        bound, flipped = constant_int(left), True
    else:
        return False
    if bound is None:
        return False
    kind = _FLIP.get(type(operator), type(operator)) if flipped else type(operator)
    if positive:  # true means len(xs) >= 1
        return (kind is cst.GreaterThan and bound >= 0) or (kind is cst.GreaterThanEqual and bound >= 1) \
            or (kind is cst.NotEqual and bound == 0) or (kind is cst.Equal and bound >= 1)
    return (kind is cst.Equal and bound == 0) or (kind is cst.LessThan and bound >= 1) \
        or (kind is cst.LessThanEqual and bound >= 0)  # false means len(xs) >= 1


_FLIP = {cst.GreaterThan: cst.LessThan, cst.LessThan: cst.GreaterThan, cst.GreaterThanEqual: cst.LessThanEqual,
         cst.LessThanEqual: cst.GreaterThanEqual}


def _is_len(index: ModuleIndex, expr: cst.BaseExpression, name: cst.Name) -> bool:
    return (isinstance(expr, cst.Call) and index.qualified_name(expr.func) == "builtins.len"
            and builtin_free(index, expr, "len") and len(expr.args) == 1 and not expr.args[0].star
            and expr.args[0].keyword is None and _same(index, expr.args[0].value, name))


def _same(index: ModuleIndex, expr: cst.BaseExpression, name: cst.Name) -> bool:
    if not isinstance(expr, cst.Name) or expr.value != name.value:
        return False
    return {id(a) for a in index.assignments(expr)} == {id(a) for a in index.assignments(name)}


def _last(index: ModuleIndex, node: cst.CSTNode) -> cst.CSTNode:
    while index.children(node):
        node = index.children(node)[-1]
    return node
