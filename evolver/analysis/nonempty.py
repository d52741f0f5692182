"""Is a collection non-empty where it is used?

Proven: a display with an element; a comprehension with one ``for`` and no ``if`` over a non-empty
iterable; ``list(x)``/``sorted(x)``/... of a non-empty ``x``; ``s.split(sep)`` of an exact str; or a
local variable or parameter that is *exactly* a builtin container (a subclass's ``__len__`` or
``__bool__`` may lie) behind a guard (``if xs:``, ``while xs:``, ``if len(xs) > 0:``, ``... if xs
else ...``, ``xs and ...``, or ``if not xs: return/raise/continue/break`` earlier in an enclosing
block) that nothing can undo between the guard and the use:

* a local list, set or dict only ever bound to fresh objects and never escaping: no rebinding and no
  shrinking that can run after the guard and before the use, in a later iteration of a loop too;
* anything else mutable: any code could shrink it through an alias, so the use must be the first
  thing evaluated after the guard.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import builtin_visible
from evolver.analysis.tree import constant_int, enclosing_loops, position, statement_of, walk, within
from evolver.analysis.uses import Ref, variable_refs

COPIES = frozenset({"builtins.list", "builtins.tuple", "builtins.sorted", "builtins.set", "builtins.frozenset"})
EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)
_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.GeneratorExp)
SHRINK_SAFE_AUGMENT = frozenset({"list", "tuple", "str", "bytes"})


@dataclass(frozen=True)
class Guard:
    """A test that proves the variable non-empty in ``region`` (statements or one expression);
    ``operand``: the part of the test that proves it."""

    test: ast.expr
    operand: ast.expr
    region: tuple[ast.AST, ...]

    def after(self) -> list[ast.AST]:
        """The parts of the test evaluated after the proving operand."""
        end = (self.operand.end_lineno, self.operand.end_col_offset)
        return [n for n in walk(self.test) if hasattr(n, "lineno") and position(n) >= end]


def nonempty_reasons(index: ModuleIndex, fn: FunctionInfo, expr: ast.AST, use: ast.AST,
                     exact_params: bool = False) -> list[str]:
    """Why ``expr``, evaluated where ``use`` stands, is not proven non-empty (empty: it is).
    ``exact_params``: the parameters taken as exactly the builtins they are declared as (a rewrite
    that checks ``type(x) is ...`` first)."""
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        return [] if any(not isinstance(e, ast.Starred) for e in expr.elts) else [_maybe_empty(index, expr)]
    if isinstance(expr, ast.Dict):
        return [] if any(key is not None for key in expr.keys) else [_maybe_empty(index, expr)]
    if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        clause = expr.generators[0]
        if clause.ifs or len(expr.generators) > 1 or clause.is_async:
            return [f"`{index.code(expr)}` has an `if` or a second `for`: it may be empty"]
        return nonempty_reasons(index, fn, clause.iter, use, exact_params)
    if isinstance(expr, ast.Call):
        return _call_reasons(index, fn, expr, use)
    if isinstance(expr, ast.Name):
        return _name_reasons(index, fn, expr, use, exact_params)
    return [_maybe_empty(index, expr)]


def _maybe_empty(index: ModuleIndex, expr: ast.AST) -> str:
    return f"`{index.code(expr)}` is not provably non-empty"


def _call_reasons(index: ModuleIndex, fn: FunctionInfo, call: ast.Call, use: ast.AST) -> list[str]:
    name = index.qualified_name(call.func)
    if name in COPIES and len(call.args) == 1 and not call.keywords and not isinstance(call.args[0], ast.Starred) \
            and builtin_visible(index, fn, name[9:]):
        return nonempty_reasons(index, fn, call.args[0], use)
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in ("split", "rsplit") and call.args:
        facts = types.facts(index, fn)
        if k.exactly(facts.of(func.value), ("str",)) and k.exactly(facts.of(call.args[0]), ("str",)):
            return []  # splitting at a given separator always gives at least one part
    return [_maybe_empty(index, call)]


def _name_reasons(index: ModuleIndex, fn: FunctionInfo, name: ast.Name, use: ast.AST,
                  exact_params: bool = False) -> list[str]:
    refs = variable_refs(index, fn, name)
    if refs is None:
        return [f"`{name.id}` is not a local variable or parameter"]
    kind = types.facts(index, fn, exact_params).of(name)
    reasons = []
    if not k.exactly(kind, k.CONTAINERS):
        reasons.append(f"`{name.id}` is not provably exactly a list, tuple, set, dict or str "
                       f"({k.show(kind)}: its truth value may not mean non-empty)")
        if not k.is_(kind, k.CONTAINERS):
            return reasons
    guard = find_guard(index, name, use)
    if guard is None:
        return reasons + [f"nothing proves `{name.id}` non-empty here (e.g. `if not {name.id}: return` before it)"]
    if k.bases(kind) & k.MUTABLE and not private(index, fn, refs):
        return reasons + _immediate_reasons(name, guard, use, index)
    return reasons + [f"`{name.id}` may be changed between the guard and this use ({index.code(ref.at, 40)})"
                      for ref in refs if _undoes(ref, k.bases(kind)) and _reaches(index, fn, ref.node, guard, use)][:1]


def private(index: ModuleIndex, fn: FunctionInfo, refs: list[Ref]) -> bool:
    """A local only ever bound to objects created right there, never aliased, stored, passed on or
    captured: only its own references can change it."""
    facts = types.facts(index, fn)
    for ref in refs:
        if ref.use in ("escape", "recurse", "view", "return"):
            return False
        if ref.use == "operand" and not k.exact(_other_operand(facts, ref)):
            return False
        if ref.use == "bind" and not fresh_binding(index, facts, ref):
            return False
    return True


def _other_operand(facts: types.TypeFacts, ref: Ref) -> k.Type:
    operation = ref.at
    assert isinstance(operation, ast.BinOp)
    return facts.of(operation.right if operation.left is ref.node else operation.left)


def fresh_binding(index: ModuleIndex, facts: types.TypeFacts, ref: Ref) -> bool:
    """``name = <a new exact list, set or dict>`` with one target (``a = b = []`` binds two aliases)."""
    site = ref.at
    if isinstance(site, ast.Assign):
        return len(site.targets) == 1 and site.targets[0] is ref.node and _fresh(index, facts, site.value)
    return isinstance(site, ast.AnnAssign) and site.value is not None and _fresh(index, facts, site.value)


def _fresh(index: ModuleIndex, facts: types.TypeFacts, value: ast.AST) -> bool:
    if isinstance(value, (ast.List, ast.Set, ast.Dict, ast.ListComp, ast.SetComp, ast.DictComp)):
        return True
    if not k.exactly(facts.of(value), k.MUTABLE):
        return False
    if isinstance(value, ast.BinOp):
        return isinstance(value.op, (ast.Add, ast.Mult))  # list + list, [x] * n: new lists
    if isinstance(value, ast.Subscript):
        return isinstance(value.slice, ast.Slice)  # xs[:] copies
    if isinstance(value, ast.Call):
        name = index.qualified_name(value.func)
        return name in ("builtins.list", "builtins.dict", "builtins.set", "builtins.sorted") or (
            isinstance(value.func, ast.Attribute) and value.func.attr in ("copy", "split", "rsplit", "splitlines"))
    return False


def _undoes(ref: Ref, bases: set[str]) -> bool:
    """Whether this touch could make the variable empty (growth cannot)."""
    if ref.use == "augment":
        site = ref.at
        return not (isinstance(site, ast.AugAssign) and isinstance(site.op, ast.Add) and bases <= SHRINK_SAFE_AUGMENT)
    return ref.use in ("bind", "mutate")


def _reaches(index: ModuleIndex, fn: FunctionInfo, node: ast.AST, guard: Guard, use: ast.AST) -> bool:
    """Whether ``node`` can run after the guard and before ``use`` without passing the guard again."""
    if any(within(index, node, n) for n in guard.after()):
        return True
    if not any(within(index, node, root) for root in guard.region):
        return False
    if position(node) < position(use) or statement_of(index, node) is statement_of(index, use):
        return True
    return any(within(index, node, loop) and any(within(index, loop, root) for root in guard.region)
               for loop in enclosing_loops(index, use, fn.node))


def _immediate_reasons(name: ast.Name, guard: Guard, use: ast.AST, index: ModuleIndex) -> list[str]:
    """For a mutable object others may hold: nothing may run between the guard and the use."""
    shown = f"`{name.id}` may be shared (a parameter, or stored or passed on), so"
    if guard.after():
        return [f"{shown} the rest of the guard's test could empty it"]
    root = guard.region[0]
    if not within(index, use, root) or not _first_evaluated(index, use, root):
        return [f"{shown} it must be used first thing after the guard"]
    return []


def _first_evaluated(index: ModuleIndex, node: ast.AST, root: ast.AST) -> bool:
    child = node
    while child is not root:
        parent = index.parent(child)
        if parent is None or not _evaluated_first(parent, child):
            return False
        child = parent
    return True


def _evaluated_first(parent: ast.AST, child: ast.AST) -> bool:
    if isinstance(parent, (ast.Return, ast.Expr, ast.keyword, ast.Starred)):
        return True
    if isinstance(parent, ast.Assign):
        return parent.value is child and all(isinstance(t, ast.Name) for t in parent.targets)
    if isinstance(parent, (ast.AnnAssign, ast.AugAssign)):
        return parent.value is child and isinstance(parent.target, ast.Name)
    if isinstance(parent, (ast.If, ast.While, ast.IfExp)):
        return parent.test is child
    if isinstance(parent, (ast.For, ast.AsyncFor)):
        return parent.iter is child
    if isinstance(parent, (ast.Attribute, ast.Subscript)):
        return parent.value is child
    if isinstance(parent, ast.BinOp):
        return parent.left is child
    if isinstance(parent, (ast.BoolOp,)):
        return parent.values[0] is child
    if isinstance(parent, ast.Compare):
        return parent.left is child
    if isinstance(parent, ast.UnaryOp):
        return True
    if isinstance(parent, ast.Call):
        return parent.func is child or (bool(parent.args) and parent.args[0] is child
                                        and isinstance(parent.func, ast.Name))
    if isinstance(parent, (ast.Tuple, ast.List)):
        return bool(parent.elts) and parent.elts[0] is child
    return False


# --- finding the guard ---------------------------------------------------------------------------


def find_guard(index: ModuleIndex, name: ast.Name, use: ast.AST) -> Guard | None:
    """The nearest test on the way out from ``use`` that proves ``name`` non-empty."""
    child, parent = use, index.parent(use)
    while parent is not None and not isinstance(parent, _BOUNDARIES):
        guard = _guard_at(index, name, parent, child)
        if guard is not None:
            return guard
        child, parent = parent, index.parent(parent)
    if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(s is child for s in parent.body):
        return _exit_guard(index, name, parent.body, child)  # `if not xs: return` early in the function's body
    return None


def _guard_at(index: ModuleIndex, name: ast.Name, parent: ast.AST, child: ast.AST) -> Guard | None:
    test: ast.expr | None = None
    operand = None
    if isinstance(parent, (ast.If, ast.While)) and child in parent.body:
        test, operand = parent.test, _proves(index, name, parent.test, positive=True)
    elif isinstance(parent, (ast.If, ast.While)) and child in parent.orelse:
        test, operand = parent.test, _proves(index, name, parent.test, positive=False)
    elif isinstance(parent, ast.IfExp) and parent.body is child:
        test, operand = parent.test, _proves(index, name, parent.test, positive=True)
    elif isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.And) and child in parent.values[1:]:
        position_ = parent.values.index(child)
        for earlier in reversed(parent.values[:position_]):
            operand = _proves(index, name, earlier, positive=True)
            if operand is not None:
                return Guard(earlier, operand, (child,))
        return None
    if test is not None and operand is not None:
        return Guard(test, operand, (child,))
    block = _block(parent, child)
    return _exit_guard(index, name, block, child) if block is not None else None


def _block(parent: ast.AST, child: ast.AST) -> list[ast.stmt] | None:
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is child for s in block):
            return block
    return None


def _exit_guard(index: ModuleIndex, name: ast.Name, block: list[ast.stmt], child: ast.AST) -> Guard | None:
    """``if not xs: return`` (or raise/continue/break) before ``child`` in the same block."""
    position_ = next(i for i, s in enumerate(block) if s is child)
    for i in range(position_ - 1, -1, -1):
        statement = block[i]
        if isinstance(statement, ast.If) and not statement.orelse and isinstance(statement.body[-1], EXITS):
            operand = _proves(index, name, statement.test, positive=False)
            if operand is not None:
                return Guard(statement.test, operand, tuple(block[i + 1:]))
    return None


def _proves(index: ModuleIndex, name: ast.Name, test: ast.expr, positive: bool) -> ast.expr | None:
    """The operand of ``test`` that proves ``name`` non-empty when the test is true (``positive``) or
    false; None when none does."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test if _proves(index, name, test.operand, not positive) is not None else None
    joiner = ast.And if positive else ast.Or
    if isinstance(test, ast.BoolOp) and isinstance(test.op, joiner):
        return next((found for v in reversed(test.values) if (found := _proves(index, name, v, positive))), None)
    if positive and (_same(index, test, name) or _is_len(index, test, name)):
        return test
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return test if _length_test(index, name, test, positive) else None
    return None


_FLIP = {ast.Gt: ast.Lt, ast.Lt: ast.Gt, ast.GtE: ast.LtE, ast.LtE: ast.GtE}


def _length_test(index: ModuleIndex, name: ast.Name, test: ast.Compare, positive: bool) -> bool:
    left, right, op = test.left, test.comparators[0], type(test.ops[0])
    if _is_len(index, left, name):
        bound, kind = constant_int(right), op
    elif _is_len(index, right, name):
        bound, kind = constant_int(left), _FLIP.get(op, op)
    else:
        return False
    if bound is None:
        return False
    if positive:  # true means len(xs) >= 1
        return (kind is ast.Gt and bound >= 0) or (kind is ast.GtE and bound >= 1) \
            or (kind is ast.NotEq and bound == 0) or (kind is ast.Eq and bound >= 1)
    return (kind is ast.Eq and bound == 0) or (kind is ast.Lt and bound >= 1) \
        or (kind is ast.LtE and bound >= 0)  # false means len(xs) >= 1


def _is_len(index: ModuleIndex, expr: ast.AST, name: ast.Name) -> bool:
    return (isinstance(expr, ast.Call) and index.qualified_name(expr.func) == "builtins.len" and len(expr.args) == 1
            and not expr.keywords and _same(index, expr.args[0], name))


def _same(index: ModuleIndex, expr: ast.AST, name: ast.Name) -> bool:
    if not isinstance(expr, ast.Name) or expr.id != name.id:
        return False
    return {id(b) for b in index.bindings(expr)} == {id(b) for b in index.bindings(name)}
