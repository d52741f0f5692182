"""hoist-invariant: compute a loop-invariant pure expression once, before the loop."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import libcst as cst

from evolver.analysis import constants, type_facts
from evolver.analysis import value_types as vt
from evolver.analysis.index import ModuleIndex as AstIndex
from evolver.analysis.loop_effects import escape_reasons, foreign_code
from evolver.analysis.loop_facts import Loop, bound_before, deleted_names, innermost_loop, inside, region, repeats
from evolver.analysis.no_raise import STR_NO_ARGS, STR_ONE_ARG, raise_reason
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.analysis.type_facts import TypeFacts
from evolver.model import Site
from evolver.transforms._legacy import Context, LegacyTransform, function_features

PREFIX = "_evolver_inv"
NAME = re.compile(rf"{PREFIX}\d+")
CALLS = frozenset({"builtins.len", "builtins.abs", "builtins.min", "builtins.max"}
                  | {f"math.{n}" for n in vt.MATH_FLOAT | vt.MATH_INT | vt.MATH_BOOL})
METHODS = STR_NO_ARGS | STR_ONE_ARG
UNCHANGING = vt.SCALARS | {"tuple", "tuple...", "frozenset"}


@dataclass(frozen=True)
class Candidate:
    """A maximal invariant-looking expression in a loop, or a name this transform put in its place
    (kept so that site ids do not shift)."""

    expr: cst.BaseExpression
    loop: Loop
    hoisted: bool


class HoistInvariant(LegacyTransform):
    """Compute a loop-invariant expression once, before the loop.

    What it rewrites: an expression inside a ``for`` body or a ``while`` loop whose value cannot
    change from one iteration to the next is assigned to a new local ``_evolver_inv<k>`` just
    before the loop, and the loop reads the local. The same expression hoisted again before the
    same loop reuses the local.

    Why it is faster: ``len(xs)``, ``2 * r + 1``, ``word.lower()`` or ``math.pi`` are evaluated
    once instead of once per iteration (a call, attribute lookups, arithmetic saved each time).

    Example::

        while i < len(xs):                  _evolver_inv0 = len(xs)
            s += xs[i]             ->       while i < _evolver_inv0:
            i += 1                              s += xs[i]
                                                i += 1

    Safety preconditions: the expression is made of names, constants, arithmetic, comparisons,
    ``len``/``abs``/``min``/``max``, ``math`` functions, str methods and module constants; no
    name it reads is rebound in the loop, deleted, rebound by a nested function or a variable of
    an enclosing function (module globals must be immutable constants bound once); every name is
    surely bound when the loop starts; it cannot raise given its operands' proven types (so
    evaluating it when the loop runs zero times, or earlier than before, raises nothing:
    ``total / count`` and ``math.sqrt(k)`` are refused, and so is an int/float mix whose int
    could overflow a float); a list, dict or set it reads (``len(xs)``) is either a private
    local the loop does not change, or the loop runs only builtin operations on builtin values
    (no call of unknown code, no property, no iterator of unknown type, no yield/await) and
    stores into nothing that could be it; its value is immutable. Parameter annotations are
    trusted, as memoize trusts them. Only the identity of the (immutable) result can differ:
    Python makes no promise about it.
    """

    name: ClassVar[str] = "hoist-invariant"
    description: ClassVar[str] = "compute a loop-invariant pure expression once, before the loop"
    preconditions: ClassVar[tuple[str, ...]] = (
        "an expression in a for body or while loop made of names, constants, arithmetic, comparisons, "
        "len/abs/min/max, math functions, str methods and module constants (math.pi); not inside a "
        "lambda, nested function or generator expression",
        "no name it reads is rebound in the loop, deleted, rebound by a nested function, or a variable of "
        "an enclosing function; module globals it reads are immutable constants bound once",
        "every name it reads is surely bound when the loop starts (a parameter, or assigned by an earlier "
        "statement of an enclosing block)",
        "it cannot raise given its operands' proven types (no division by a variable, no math function "
        "that can fail, no int/float mix whose int could overflow)",
        "a list/dict/set it reads is a private local the loop leaves alone, or the loop runs only builtin "
        "operations on builtin values and stores into nothing that could be it",
        "its value is immutable (a number, bool, str or bytes)",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # rebound by a nested function the loop calls
        "def f(xs: list[int], n: int) -> list[int]:\n    def bump() -> None:\n        nonlocal n\n        n += 1\n\n"
        "    out = []\n    for x in xs:\n        bump()\n        out.append(x * (n * 2))\n    return out\n",
        # maybe unbound when the loop starts
        "def f(xs: list[int], flag: bool) -> list[int]:\n    if flag:\n        k = 3\n    out = []\n"
        "    for x in xs:\n        if flag:\n            out.append(x + k * 2)\n    return out\n",
        # may raise (ZeroDivisionError when count == 0, even if xs is empty)
        "def f(xs: list[int], total: int, count: int) -> list[float]:\n    out = []\n    for x in xs:\n"
        "        out.append(x + total / count)\n    return out\n",
        "import math\n\n\ndef f(xs: list[float], k: float) -> list[float]:\n    out = []\n    for x in xs:\n"
        "        out.append(x * math.sqrt(k))\n    return out\n",
        # an int parameter mixed with a float could overflow
        "def f(xs: list[float], n: int) -> list[float]:\n    out = []\n    for x in xs:\n"
        "        out.append(x + n * 0.5)\n    return out\n",
        # the loop may change the list: a call of unknown code, a store at another index, a private list appended to
        "def drain(items: list[int], sink) -> int:\n    total = 0\n    i = 0\n    while i < len(items):\n"
        "        sink(items[i])\n        total += items[i]\n        i += 1\n    return total\n",
        "def f(xs: list[int]) -> None:\n    i = 0\n    while i < len(xs):\n        xs[0] = i\n        i += 1\n",
        "def f(xs: list[int]) -> list[int]:\n    seen = []\n    for x in xs:\n        if x < len(seen) + 1:\n"
        "            seen.append(x)\n    return seen\n",
        # unknown types
        "def f(xs, k):\n    out = []\n    for x in xs:\n        out.append(x + k * 2)\n    return out\n",
        # a module global that is not a constant
        "LIMITS = [1, 2]\n\n\ndef f(xs: list[int]) -> list[int]:\n    out = []\n    for x in xs:\n"
        "        if x < len(LIMITS) * 2:\n            out.append(x)\n    return out\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def pairs(xs: list[int]) -> int:\n    s = 0\n    i = 0\n    # walk the list\n    while i < len(xs):\n"
            "        if i + 1 < len(xs):\n            s += xs[i] * xs[i + 1]\n        i += 1\n    return s\n",
            "def pairs(xs: list[int]) -> int:\n    s = 0\n    i = 0\n    # walk the list\n    _evolver_inv0 = len(xs)\n"
            "    while i < _evolver_inv0:\n        if i + 1 < _evolver_inv0:\n            s += xs[i] * xs[i + 1]\n"
            "        i += 1\n    return s\n",
        ),
        (
            "import math\n\nSCALE = 3\n\n\ndef ring(points: list[int], r: int) -> list[float]:\n    out = []\n"
            "    for p in points:  # each point\n        out.append(p * (2 * r + 1) + SCALE * 2 - math.pi)\n    return out\n",
            "import math\n\nSCALE = 3\n\n\ndef ring(points: list[int], r: int) -> list[float]:\n    out = []\n"
            "    _evolver_inv0 = 2 * r + 1\n    _evolver_inv1 = SCALE * 2\n    _evolver_inv2 = math.pi\n"
            "    for p in points:  # each point\n        out.append(p * _evolver_inv0 + _evolver_inv1 - _evolver_inv2)\n"
            "    return out\n",
        ),
        (
            "def count(lines: list[str], word: str) -> int:\n    n = 0\n    for line in lines:\n"
            "        n += line.lower().count(word.lower())\n    return n\n",
            "def count(lines: list[str], word: str) -> int:\n    n = 0\n    _evolver_inv0 = word.lower()\n"
            "    for line in lines:\n        n += line.lower().count(_evolver_inv0)\n    return n\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            try:
                found += [self.site(f"{ctx.module}:{fn.qualname}#{k}", reasons(index, fn, c), _features(index, fn, c))
                          for k, c in enumerate(candidates(index, fn))]
            except RecursionError:
                continue  # too deeply nested to analyze: no site rather than a crash
        return found

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        candidate = candidates(index, fn)[int(k)]
        block = index.parent(candidate.loop)
        assert isinstance(block, cst.IndentedBlock)
        position = next(i for i, s in enumerate(block.body) if s is candidate.loop)
        reused = _existing(block, position, candidate.expr)
        name = reused or _fresh_name(index, fn)
        definition = None if reused else _definition(index, candidate, name)
        return index.tree.visit(_Hoist(index, candidate, block, position, name, definition))


# --- candidates ----------------------------------------------------------------------------------


def candidates(index: ModuleIndex, fn: FunctionInfo) -> list[Candidate]:
    """Maximal candidates in source order (a hoisted one leaves its local in its place)."""
    key = ("hoist-candidates", fn.qualname)
    if key not in index.cache:
        found: list[Candidate] = []
        if any(type(n) in (cst.For, cst.While) for n in index.own_nodes(fn.node, lambdas=False)):
            _collect(index, fn.node.body, found)
        index.cache[key] = found
    return index.cache[key]


_SKIPPED = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.GeneratorExp, cst.Annotation})
_ROOTS = frozenset({cst.Name, cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.BooleanOperation,
                    cst.Call, cst.Attribute})


def _collect(index: ModuleIndex, node: cst.CSTNode, found: list[Candidate]) -> None:
    for child in index.children(node):
        kind = type(child)
        if kind in _SKIPPED or (kind is cst.SimpleStatementLine and _is_definition(child)):
            continue
        candidate = _candidate(index, child) if kind in _ROOTS else None
        if candidate is not None:
            found.append(candidate)
        else:
            _collect(index, child, found)


def _candidate(index: ModuleIndex, expr: cst.BaseExpression) -> Candidate | None:
    if isinstance(expr, cst.Name):
        loop = innermost_loop(index, expr) if NAME.fullmatch(expr.value) else None
        return Candidate(expr, loop, True) if loop is not None else None
    if not (_shape(index, expr) and _costly(index, expr)):
        return None
    loop = innermost_loop(index, expr)
    if loop is None or _varies(index, expr, loop):
        return None
    return Candidate(expr, loop, False)


def _shape(index: ModuleIndex, expr: cst.BaseExpression) -> bool:
    """Built only from the expression language this transform can reason about."""
    if isinstance(expr, (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(expr, cst.ConcatenatedString):
        return _shape(index, expr.left) and _shape(index, expr.right)
    if isinstance(expr, cst.UnaryOperation):
        return _shape(index, expr.expression)
    if isinstance(expr, (cst.BinaryOperation, cst.BooleanOperation)):
        return _shape(index, expr.left) and _shape(index, expr.right)
    if isinstance(expr, cst.Comparison):
        return _shape(index, expr.left) and all(_shape(index, c.comparator) for c in expr.comparisons)
    if isinstance(expr, cst.Attribute):
        return index.qualified_name(expr) in vt.MODULE_CONSTANTS
    if isinstance(expr, cst.Call):
        if any(a.star or a.keyword is not None for a in expr.args):
            return False
        func, name = expr.func, index.qualified_name(expr.func)
        known = name in CALLS or (name is None and isinstance(func, cst.Attribute) and func.attr.value in METHODS
                                  and _shape(index, func.value))
        return known and all(_shape(index, a.value) for a in expr.args)
    return False


def _costly(index: ModuleIndex, expr: cst.BaseExpression) -> bool:
    """Worth a local: it calls, computes or looks an attribute up, and reads some name (an
    expression of constants alone is folded by the compiler)."""
    nodes = list(index.walk(expr))
    work = any(isinstance(n, (cst.Call, cst.BinaryOperation, cst.Attribute)) for n in nodes)
    return work and any(isinstance(n, cst.Name) and n.value not in ("True", "False", "None") for n in nodes)


def names(index: ModuleIndex, expr: cst.BaseExpression) -> list[cst.Name]:
    """The names an expression reads (not attribute names, not True/False/None)."""
    found = []
    for node in index.walk(expr):
        if not isinstance(node, cst.Name) or node.value in ("True", "False", "None"):
            continue
        parent = index.parent(node)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            continue
        found.append(node)
    return found


def _varies(index: ModuleIndex, expr: cst.BaseExpression, loop: Loop) -> bool:
    """Some name it reads is bound inside the loop (an assignment, the loop target, a walrus...)."""
    parts = region(loop)
    return any(inside(index, getattr(a, "node", None) or index.tree, parts)
               for name in names(index, expr) for a in index.assignments(name))


def _is_definition(statement: cst.CSTNode) -> bool:
    """``_evolver_inv<k> = ...``, written by this transform."""
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return False
    small = statement.body[0]
    return (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
            and bool(NAME.fullmatch(small.targets[0].target.value)))


# --- checks ------------------------------------------------------------------------------------


def reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
    if candidate.hoisted:
        return ["already hoisted"]
    facts = type_facts.facts(index, fn)
    found = _name_reasons(index, fn, candidate)
    raised = raise_reason(index, facts, candidate.expr)
    if raised is not None:
        found.append(raised)
    found += _change_reasons(index, fn, facts, candidate)
    value = facts.of(candidate.expr)
    if raised is None and not vt.within(value, vt.SCALARS):
        found.append(f"its value ({vt.show(value)}) is not provably immutable")
    return found


def _name_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
    own = index.scope(fn.node.body)
    found = []
    for name in {n.value: n for n in names(index, candidate.expr)}.values():
        binding = index.binding(name)
        assignments = index.assignments(name)
        if binding in ("local", "param"):
            if any(a.scope is not own for a in assignments):
                found.append(f"`{name.value}` is a variable of an enclosing function (a closure could rebind it)")
            elif any(_nested(index, getattr(a, "node", None), fn) for a in assignments):
                found.append(f"`{name.value}` is rebound by a nested function")
            elif name.value in deleted_names(index, fn):
                found.append(f"`{name.value}` is deleted in {fn.qualname}")
            elif not bound_before(index, fn, name, candidate.loop):
                found.append(f"`{name.value}` may be unbound when the loop starts")
        elif binding == "global":
            reason = constants.constant_reason(AstIndex.of(index.source, index.module), name.value)
            if reason is not None:
                found.append(reason)
        elif binding == "import":
            if not index.bound_once(name.value) or not index.global_assignments(name.value):
                found.append(f"`{name.value}` is not a module imported once at module level")
        elif binding != "builtin":
            found.append(f"`{name.value}` is not defined in the module" + (" (a `from ... import *` name?)"
                                                                           if index.star_import else ""))
    return found


def _nested(index: ModuleIndex, node: cst.CSTNode | None, fn: FunctionInfo) -> bool:
    current = index.parent(node) if node is not None else None
    while current is not None and current is not fn.node:
        if isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return True
        current = index.parent(current)
    return False


def _change_reasons(index: ModuleIndex, fn: FunctionInfo, facts: TypeFacts, candidate: Candidate) -> list[str]:
    """A container the expression reads must not change during the loop."""
    changing = [n for n in {n.value: n for n in names(index, candidate.expr)}.values()
                if index.binding(n) in ("local", "param") and vt.known(facts.of(n))
                and not vt.within(facts.of(n), UNCHANGING)]
    if not changing:
        return []
    private = all(not escape_reasons(index, fn, n, candidate.loop) for n in changing)
    if private:
        return []
    foreign = foreign_code(index, facts, candidate.loop, frozenset(n.value for n in changing))
    if not foreign:
        return []
    shown = ", ".join(f"`{n.value}`" for n in changing)
    return [f"{shown} may change during the loop: {foreign[0]}"]


def _features(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> dict[str, Any]:
    expr = candidate.expr
    form = 3 if candidate.hoisted else 0 if isinstance(expr, cst.Call) else 2 if isinstance(expr, cst.Attribute) else 1
    return function_features(index, fn) | {"site_loop_depth": repeats(index, expr), "form": form}


# --- rewriting ----------------------------------------------------------------------------------


def _existing(block: cst.IndentedBlock, position: int, expr: cst.BaseExpression) -> str | None:
    """The local of an identical expression already hoisted right before this loop."""
    bare = expr.with_changes(lpar=[], rpar=[])
    for statement in reversed(block.body[:position]):
        if not _is_definition(statement):
            return None
        assign = statement.body[0]  # type: ignore[attr-defined]
        if assign.value.with_changes(lpar=[], rpar=[]).deep_equals(bare):
            return assign.targets[0].target.value
    return None


def _fresh_name(index: ModuleIndex, fn: FunctionInfo) -> str:
    used = {n.value for n in index.walk(fn.node) if isinstance(n, cst.Name)}
    k = 0
    while f"{PREFIX}{k}" in used or index.global_assignments(f"{PREFIX}{k}"):
        k += 1
    return f"{PREFIX}{k}"


def _definition(index: ModuleIndex, candidate: Candidate, name: str) -> cst.SimpleStatementLine:
    value = candidate.expr.with_changes(lpar=[], rpar=[])
    if "\n" in index.tree.code_for_node(value):  # line breaks are only allowed inside brackets
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], value)],
                                   leading_lines=candidate.loop.leading_lines)


class _Hoist(cst.CSTTransformer):
    """Put the local in the expression's place and its definition right before the loop."""

    def __init__(self, index: ModuleIndex, candidate: Candidate, block: cst.IndentedBlock, position: int,
                 name: str, definition: cst.SimpleStatementLine | None) -> None:
        super().__init__()
        self.index, self.candidate, self.block = index, candidate, block
        self.position, self.name, self.definition = position, name, definition

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        expr = self.candidate.expr
        if original_node is expr:
            bare = isinstance(self.index.parent(expr), (cst.BinaryOperation, cst.Arg))
            return cst.Name(self.name, lpar=[] if bare else expr.lpar, rpar=[] if bare else expr.rpar)
        if self.definition is None:
            return updated_node
        if original_node is self.candidate.loop:
            return updated_node.with_changes(leading_lines=())
        if original_node is self.block:
            body = list(updated_node.body)  # type: ignore[attr-defined]
            body.insert(self.position, self.definition)
            return updated_node.with_changes(body=body)
        return updated_node
