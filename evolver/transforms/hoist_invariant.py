"""hoist-invariant: compute a loop-invariant pure expression once, before the loop."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, ClassVar

import libcst as cst

from evolver.analysis import catalogue, rebinding, types
from evolver.analysis import kinds as k
from evolver.analysis.constants import constant_reason
from evolver.analysis.import_time import fresh_name
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loop_checks import frame_reasons
from evolver.analysis.loops import (
    Loop,
    bound_before,
    builtin_visible,
    deleted_names,
    in_region,
    innermost_loop,
    region,
    repeats,
)
from evolver.analysis.quiet import foreign_code, private_reasons
from evolver.analysis.raises import STR_NO_ARGS, STR_ONE_ARG, raise_reason
from evolver.analysis.types import TypeFacts
from evolver.model import Site
from evolver.transforms._cst import CstView
from evolver.transforms.base import Candidate, Context, Example, Transform, Verdict, leave, rewrite

PREFIX = "_evolver_inv"
NAME = re.compile(rf"{PREFIX}\d+")
CALLS = frozenset({"builtins.len", "builtins.abs", "builtins.min", "builtins.max"})
METHODS = STR_NO_ARGS | STR_ONE_ARG
UNCHANGING = k.SCALARS | {"tuple", "frozenset", "range"}  # kinds of values no code can change (a subclass aside)
SCALAR_RESULTS = frozenset({"int", "float", "bool", "str", "bytes", "complex"})
ROOTS = (ast.Name, ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Call, ast.Attribute)
SKIPPED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.GeneratorExp)
CST_KINDS: dict[type, type[cst.BaseExpression]] = {
    ast.Name: cst.Name, ast.BinOp: cst.BinaryOperation, ast.UnaryOp: cst.UnaryOperation, ast.Compare: cst.Comparison,
    ast.BoolOp: cst.BooleanOperation, ast.Call: cst.Call, ast.Attribute: cst.Attribute}


@dataclass(frozen=True)
class Invariant(Candidate):
    """A maximal invariant-looking expression in a loop, or a local this transform put in its place
    (kept so that site numbers do not shift)."""

    loop: Loop | None = None
    hoisted: bool = False


class HoistInvariant(Transform):
    """Compute a loop-invariant expression once, before the loop.

    What it rewrites: an expression inside a ``for`` body or a ``while`` loop whose value cannot
    change from one iteration to the next is assigned to a new local ``_evolver_inv<k>`` just
    before the loop, and the loop reads the local. The same expression hoisted again before the
    same loop reuses the local.

    Why it is faster: ``len(xs)``, ``2 * r + 1``, ``word.lower()`` or ``math.pi`` are evaluated
    once instead of once per iteration (a call, attribute lookups, arithmetic saved each time).

    Example::

        xs = list(data)                     xs = list(data)
        while i < len(xs):                  _evolver_inv0 = len(xs)
            s += xs[i]             ->       while i < _evolver_inv0:
            i += 1                              s += xs[i]
                                                i += 1

    Rewrite safety: the expression is made of names, constants, arithmetic, comparisons,
    ``len``/``abs``/``min``/``max``, ``math`` functions and constants, and str methods. No name it
    reads is rebound in the loop, deleted, rebound by a nested function or a variable of an
    enclosing function; a module global it reads is an immutable constant
    (``evolver.analysis.constants``) and, like every builtin it calls, surely bound and not rebound
    while the loop runs (``evolver.analysis.rebinding.read_once_reasons``, the answer local-alias
    uses too). Every local it reads is surely bound when the loop starts. It cannot raise given its
    operands' *exact* kinds (``evolver.analysis.raises``): evaluating it when the loop runs zero
    times, or earlier, raises nothing, and runs no user code (a ``str`` annotation may hold a
    subclass or None: never exact). A list, dict or set it reads is a private local the loop leaves
    alone, or the loop runs only builtin operations on exact builtin values and stores into nothing
    that could be it (``evolver.analysis.quiet``). Its value is immutable; only its identity can
    differ (identity-not-observed). The function does not read its own locals. Relies on:
    builtins-unchanged, module-globals-private, stdlib-as-documented, identity-not-observed,
    frames-not-inspected, single-thread.
    """

    name: ClassVar[str] = "hoist-invariant"
    description: ClassVar[str] = "compute a loop-invariant pure expression once, before the loop"
    preconditions: ClassVar[tuple[str, ...]] = (
        "an expression in a for body or while loop made of names, constants, arithmetic, comparisons, "
        "len/abs/min/max, math functions, str methods and module constants (math.pi); not inside a "
        "lambda, nested function or generator expression",
        "no name it reads is rebound in the loop, deleted, rebound by a nested function, or a variable of "
        "an enclosing function; module globals it reads are immutable constants bound once, and no global "
        "or builtin it reads can be rebound while the loop runs",
        "every name it reads is surely bound when the loop starts (a parameter, or assigned by an earlier "
        "statement of an enclosing block)",
        "it cannot raise given its operands' proven exact kinds (no division by a variable, no math function "
        "that can fail, no int/float mix whose int could overflow, no value only annotated)",
        "a list/dict/set it reads is a private local the loop leaves alone, or the loop runs only builtin "
        "operations on builtin values and stores into nothing that could be it",
        "its value is immutable (a number, bool, str or bytes)",
        "the function does not read its own local variables (locals(), vars(), eval, sys._getframe)",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("builtins-unchanged", "module-globals-private", "stdlib-as-documented",
                                              "identity-not-observed", "frames-not-inspected", "single-thread")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def f(xs: list[int], m) -> list[int]:\n    n = int(m)\n\n    def bump() -> None:\n"
              "        nonlocal n\n        n += 1\n\n    out = []\n    for x in xs:\n        bump()\n"
              "        out.append(x * (n * 2))\n    return out\n", "rebound by a nested function"),
        leave("def f(xs: list[int], flag: bool) -> list[int]:\n    if flag:\n        k = 3\n    out = []\n"
              "    for x in xs:\n        if flag:\n            out.append(x + k * 2)\n    return out\n",
              "may be unbound when the loop starts"),
        leave("def f(xs: list[int], a, b) -> list[float]:\n    total, count = int(a), int(b)\n"
              "    out = []\n    for x in xs:\n        out.append(x + total / count)\n    return out\n", "ZeroDivisionError"),
        leave("import math\n\n\ndef f(xs: list[float], a) -> list[float]:\n    k = float(a)\n    out = []\n"
              "    for x in xs:\n        out.append(x * math.sqrt(k))\n    return out\n", "may raise"),
        leave("def f(xs: list[float], m) -> list[float]:\n    n = int(m)\n    out = []\n    for x in xs:\n"
              "        out.append(x + n * 0.5)\n    return out\n", "OverflowError"),
        leave("def hits(xs: list[str], word: str) -> int:\n    n = 0\n    for x in xs:\n        if x == word.lower():\n"
              "            n += 1\n    return n\n", r"`word` is str\+, not provably an exact str"),
        leave("def drain(data, sink) -> int:\n    items = list(data)\n    total = 0\n    i = 0\n    while i < len(items):\n"
              "        sink(items)\n        total += items[i]\n        i += 1\n    return total\n", "may change during the loop"),
        leave("def f(xs: list[int]) -> list[int]:\n    seen = []\n    for x in xs:\n        if x < len(seen) + 1:\n"
              "            seen.append(x)\n    return seen\n", "`seen` may change during the loop"),
        leave("def f(xs, k):\n    out = []\n    for x in xs:\n        out.append(x + k * 2)\n    return out\n", "may raise"),
        leave("LIMITS = [1, 2]\n\n\ndef f(xs: list[int]) -> list[int]:\n    out = []\n    for x in xs:\n"
              "        if x < len(LIMITS) * 2:\n            out.append(x)\n    return out\n", "a mutable list"),
        leave("import sys\n\n\ndef patch() -> None:\n    setattr(sys.modules[__name__], 'len', lambda x: 0)\n\n\n"
              "def f(data) -> int:\n    xs = list(data)\n    t = 0\n    for x in xs:\n        patch()\n"
              "        t += len(xs) * 2\n    return t\n", "patch rebinds `len`"),
        leave("def f(data) -> dict:\n    xs = list(data)\n    t = 0\n    for x in xs:\n        t += len(xs) * 2\n"
              "    return locals()\n", "reads its local variables"),
    )
    examples += (
        rewrite("def pairs(data) -> int:\n    xs = list(data)\n    s = 0\n    i = 0\n    # walk the list\n"
                "    while i < len(xs):\n        if i + 1 < len(xs):\n            s += xs[i] * xs[i + 1]\n        i += 1\n"
                "    return s\n",
                "def pairs(data) -> int:\n    xs = list(data)\n    s = 0\n    i = 0\n    # walk the list\n"
                "    _evolver_inv0 = len(xs)\n    while i < _evolver_inv0:\n        if i + 1 < _evolver_inv0:\n"
                "            s += xs[i] * xs[i + 1]\n        i += 1\n    return s\n"),
        rewrite("import math\n\nSCALE = 3\n\n\ndef ring(points: list[int], w) -> list[float]:\n    r = int(w)\n    out = []\n"
                "    for p in points:  # each point\n        out.append(p * (2 * r + 1) + SCALE * 2 - math.pi)\n    return out\n",
                "import math\n\nSCALE = 3\n\n\ndef ring(points: list[int], w) -> list[float]:\n    r = int(w)\n    out = []\n"
                "    _evolver_inv0 = 2 * r + 1\n    _evolver_inv1 = SCALE * 2\n    _evolver_inv2 = math.pi\n"
                "    for p in points:  # each point\n        out.append(p * _evolver_inv0 + _evolver_inv1 - _evolver_inv2)\n"
                "    return out\n"),
        rewrite("def count(lines: list[str], words: list[str]) -> int:\n    word = ' '.join(words)\n    n = 0\n"
                "    for line in lines:\n        n += line.lower().count(word.lower())\n    return n\n",
                "def count(lines: list[str], words: list[str]) -> int:\n    word = ' '.join(words)\n    n = 0\n"
                "    _evolver_inv0 = word.lower()\n    for line in lines:\n        n += line.lower().count(_evolver_inv0)\n"
                "    return n\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Invariant]:
        return candidates(index, fn)

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Invariant, ctx: Context) -> Verdict:
        expr = candidate.node
        form = 3 if candidate.hoisted else 0 if isinstance(expr, ast.Call) else 2 if isinstance(expr, ast.Attribute) else 1
        return Verdict(reasons=reasons(index, fn, candidate),
                       features={"site_loop_depth": repeats(index, expr), "form": form})

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        _, candidate = self.find(index, site, ctx)
        view = CstView.of(index)
        expr = view.node(candidate.node, CST_KINDS[type(candidate.node)])
        assert isinstance(expr, cst.BaseExpression)
        loop = view.node(candidate.loop, cst.While if isinstance(candidate.loop, ast.While) else cst.For)
        block = view.parent(loop)
        assert isinstance(block, cst.IndentedBlock)
        position = next(i for i, s in enumerate(block.body) if s is loop)
        reused = _existing(block, position, expr)
        name = reused or fresh_name(index, PREFIX, numbered=True)
        definition = None if reused else _definition(view, expr, loop, name)
        return view.module.visit(_Hoist(view, expr, loop, block, position, name, definition)).code


# --- candidates ----------------------------------------------------------------------------------


def candidates(index: ModuleIndex, fn: FunctionInfo) -> list[Invariant]:
    """Maximal candidates in source order (a hoisted one leaves its local in its place)."""
    key = ("hoist-candidates", fn.node)
    if key not in index.cache:
        found: list[Invariant] = []
        if index.own(fn, (ast.For, ast.While), lambdas=False):
            for statement in fn.node.body:
                _collect(index, statement, found)
        index.cache[key] = [Invariant(c.node, n, c.loop, c.hoisted) for n, c in enumerate(found)]
    return index.cache[key]


def _collect(index: ModuleIndex, node: ast.AST, found: list[Invariant]) -> None:
    if isinstance(node, SKIPPED) or _is_definition(node):
        return
    candidate = _candidate(index, node) if isinstance(node, ROOTS) else None
    if candidate is not None:
        found.append(candidate)
        return
    for child in index.children(node):
        if not (isinstance(node, ast.AnnAssign) and child is node.annotation):
            _collect(index, child, found)


def _candidate(index: ModuleIndex, expr: ast.AST) -> Invariant | None:
    if isinstance(expr, ast.Name):
        if not (NAME.fullmatch(expr.id) and isinstance(expr.ctx, ast.Load)):
            return None
        loop = _loop(index, expr)
        return Invariant(expr, None, loop, True) if loop is not None else None
    if not (_shape(index, expr) and _costly(index, expr)):
        return None
    loop = _loop(index, expr)
    if loop is None or _varies(index, expr, loop):
        return None
    return Invariant(expr, None, loop, False)


def _loop(index: ModuleIndex, expr: ast.AST) -> Loop | None:
    loop = innermost_loop(index, expr)
    return loop if isinstance(loop, (ast.For, ast.While)) else None  # an async for awaits between items


def _shape(index: ModuleIndex, expr: ast.AST) -> bool:
    """Built only from the expression language this transform can reason about (read, not stored)."""
    if isinstance(expr, ast.Name):
        return isinstance(expr.ctx, ast.Load)
    if isinstance(expr, ast.Constant):
        return type(expr.value) in (int, float, complex, str, bytes, bool)
    if isinstance(expr, ast.UnaryOp):
        return _shape(index, expr.operand)
    if isinstance(expr, ast.BinOp):
        return _shape(index, expr.left) and _shape(index, expr.right)
    if isinstance(expr, ast.BoolOp):
        return all(_shape(index, v) for v in expr.values)
    if isinstance(expr, ast.Compare):
        return _shape(index, expr.left) and all(_shape(index, c) for c in expr.comparators)
    if isinstance(expr, ast.Attribute):
        return isinstance(expr.ctx, ast.Load) and _module_constant(index, expr)
    if isinstance(expr, ast.Call):
        if expr.keywords or any(isinstance(a, ast.Starred) for a in expr.args):
            return False
        func, name = expr.func, index.qualified_name(expr.func)
        known = name in CALLS or (name is not None and name.startswith("math.") and _scalar_result(name)) or (
            name is None and isinstance(func, ast.Attribute) and func.attr in METHODS and _shape(index, func.value))
        return known and all(_shape(index, a) for a in expr.args)
    return False


def _module_constant(index: ModuleIndex, expr: ast.Attribute) -> bool:
    """``math.pi``: a library constant the catalogue knows, read without running code."""
    name = index.qualified_name(expr)
    entry = catalogue.lookup(name) if name is not None else None
    return entry is not None and not entry.raises and entry.result in SCALAR_RESULTS and name not in CALLS


def _scalar_result(name: str) -> bool:
    entry = catalogue.lookup(name)
    return entry is not None and entry.pure and entry.result in SCALAR_RESULTS


def _costly(index: ModuleIndex, expr: ast.AST) -> bool:
    """Worth a local: it calls, computes or looks an attribute up, and reads some name (an
    expression of constants alone is folded by the compiler)."""
    nodes = list(index.walk(expr))
    return any(isinstance(n, (ast.Call, ast.BinOp, ast.Attribute)) for n in nodes) and any(
        isinstance(n, ast.Name) for n in nodes)


def names(index: ModuleIndex, expr: ast.AST) -> list[ast.Name]:
    """The names an expression reads, each once."""
    return list({n.id: n for n in index.walk(expr) if isinstance(n, ast.Name)}.values())


def _varies(index: ModuleIndex, expr: ast.AST, loop: Loop) -> bool:
    """Some name it reads is bound inside the loop (an assignment, the loop target, a walrus...)."""
    parts = region(loop)
    return any(in_region(index, b.node, parts) for name in names(index, expr) for b in index.bindings(name))


def _is_definition(statement: ast.AST) -> bool:
    """``_evolver_inv<k> = ...``, written by this transform."""
    return (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name) and bool(NAME.fullmatch(statement.targets[0].id)))


# --- checks ------------------------------------------------------------------------------------


def reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Invariant) -> list[str]:
    if candidate.hoisted:
        return ["already hoisted"]
    assert candidate.loop is not None
    facts = types.facts(index, fn)
    expr = candidate.node
    found = _name_reasons(index, fn, candidate) + frame_reasons(index, fn)
    raised = raise_reason(index, facts, expr)
    if raised is not None:
        found.append(raised)
    found += _change_reasons(index, fn, facts, candidate)
    value = facts.of(expr)
    if not k.immutable(value):
        found.append(f"its value ({k.show(value)}) is not provably immutable")
    return found


def _name_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Invariant) -> list[str]:
    assert candidate.loop is not None
    found = []
    parts = region(candidate.loop)
    for name in names(index, candidate.node):
        binding = index.binding(name)
        if binding in ("local", "param"):
            found += _local_reasons(index, fn, name, candidate.loop)
        elif binding == "enclosing":
            found.append(f"`{name.id}` is a variable of an enclosing function (a closure could rebind it)")
        elif binding in ("global", "import"):
            constant = constant_reason(index, name.id) if binding == "global" else None
            found += [constant] if constant is not None else rebinding.read_once_reasons(index, fn, parts, name.id)
        elif binding == "builtin" and builtin_visible(index, fn, name.id):
            found += rebinding.read_once_reasons(index, fn, parts, name.id, builtin=True)
        else:
            found.append(f"`{name.id}` is not defined in the module" + (" (a `from ... import *` name?)"
                                                                        if index.star_import else ""))
    return found


def _local_reasons(index: ModuleIndex, fn: FunctionInfo, name: ast.Name, loop: Loop) -> list[str]:
    if any(index.enclosing_function(b.node) is not fn for b in index.bindings(name)):
        return [f"`{name.id}` is rebound by a nested function"]
    if name.id in deleted_names(index, fn):
        return [f"`{name.id}` is deleted in {fn.qualname}"]
    if not bound_before(index, fn, name.id, loop):
        return [f"`{name.id}` may be unbound when the loop starts"]
    return []


def _change_reasons(index: ModuleIndex, fn: FunctionInfo, facts: TypeFacts, candidate: Invariant) -> list[str]:
    """A container the expression reads must not change during the loop."""
    assert candidate.loop is not None
    changing = [n for n in names(index, candidate.node) if index.binding(n) in ("local", "param")
                and k.known(facts.of(n)) and not k.is_(facts.of(n), UNCHANGING)]
    if not changing:
        return []
    private = [r for n in changing for r in private_reasons(index, fn, n, candidate.loop)]
    if not private:
        return []
    foreign = foreign_code(index, fn, facts, candidate.loop, frozenset(n.id for n in changing))
    if not foreign:
        return []
    shown = ", ".join(f"`{n.id}`" for n in changing)
    return [f"{shown} may change during the loop: {foreign[0]}"]


# --- rewriting ----------------------------------------------------------------------------------


def _existing(block: cst.IndentedBlock, position: int, expr: cst.BaseExpression) -> str | None:
    """The local of an identical expression already hoisted right before this loop."""
    bare = expr.with_changes(lpar=[], rpar=[])
    for statement in reversed(block.body[:position]):
        assign = _cst_definition(statement)
        if assign is None:
            return None
        if assign.value.with_changes(lpar=[], rpar=[]).deep_equals(bare):
            return assign.targets[0].target.value  # type: ignore[attr-defined]
    return None


def _cst_definition(statement: cst.CSTNode) -> cst.Assign | None:
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return None
    small = statement.body[0]
    ok = (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
          and bool(NAME.fullmatch(small.targets[0].target.value)))
    return small if ok else None  # type: ignore[return-value]


def _definition(view: CstView, expr: cst.BaseExpression, loop: cst.CSTNode, name: str) -> cst.SimpleStatementLine:
    value = expr.with_changes(lpar=[], rpar=[])
    if "\n" in view.module.code_for_node(value):  # line breaks are only allowed inside brackets
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], value)],
                                   leading_lines=loop.leading_lines)  # type: ignore[attr-defined]


class _Hoist(cst.CSTTransformer):
    """Put the local in the expression's place and its definition right before the loop."""

    def __init__(self, view: CstView, expr: cst.BaseExpression, loop: cst.CSTNode, block: cst.IndentedBlock,
                 position: int, name: str, definition: cst.SimpleStatementLine | None) -> None:
        super().__init__()
        self.view, self.expr, self.loop, self.block = view, expr, loop, block
        self.position, self.name, self.definition = position, name, definition

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        expr = self.expr
        if original_node is expr:
            bare = isinstance(self.view.parent(expr), (cst.BinaryOperation, cst.Arg))
            return cst.Name(self.name, lpar=[] if bare else expr.lpar, rpar=[] if bare else expr.rpar)
        if self.definition is None:
            return updated_node
        if original_node is self.loop:
            return updated_node.with_changes(leading_lines=())
        if original_node is self.block:
            body = list(updated_node.body)  # type: ignore[attr-defined]
            body.insert(self.position, self.definition)
            return updated_node.with_changes(body=body)
        return updated_node
