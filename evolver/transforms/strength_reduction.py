"""strength-reduction: ``base ** (i + k)`` in a loop counting ``i`` becomes a running product."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, ClassVar

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import rebinding, types
from evolver.analysis.constants import constant_reason
from evolver.analysis.counted_loops import Count, count_of, rebound_in, skips_end
from evolver.analysis.import_time import builtin_reasons, fresh_name
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loop_checks import frame_reasons
from evolver.analysis.loops import bound_before, declared, deleted_names, region
from evolver.analysis.tree import constant_int, deferred, within
from evolver.model import Site
from evolver.transforms._cst import CstView
from evolver.transforms.base import GENERATED, Candidate, Context, Example, Transform, Verdict, leave, rewrite

PREFIX = f"{GENERATED}pow"
NAME = re.compile(rf"{PREFIX}\d+(_\d+)?")
SMALL_POWER = 3  # a first power up to this is written as a product
MAX_FIRST = 1024  # the first power is computed before the loop even when the loop runs zero times


@dataclass(frozen=True)
class Power(Candidate):
    """``base ** (index + offset)`` in the body of the counted loop ``count``; ``reduced``: already
    rewritten (``node`` is then the running product's name)."""

    count: Count | None = None
    offset: int = 0
    reduced: bool = False


class StrengthReduction(Transform):
    """Keep a power of the loop index as a running product instead of raising to it on every pass.

    What it rewrites: ``base ** i`` / ``base ** (i + k)`` / ``base ** (i - k)`` in the body of a
    ``for`` loop whose index ``i`` counts up by one (``range(stop)``, ``range(start, stop)``,
    ``enumerate(xs)``, ``enumerate(xs, start)``), where ``base`` is an int literal or a variable
    proven an exact int by construction. The first power is computed once before the loop; the
    power's place reads it; the body's last statement multiplies it by ``base`` for the next pass.

    Why it is faster: ``int ** int`` runs a general exponentiation on every pass; one multiplication
    gives the next power.

    Example::

                                                 _evolver_pow0 = base * base
        for i, s in enumerate(suffix):           for s in suffix:
            unit = base ** (i + 2)        ->         unit = _evolver_pow0
            if n < unit:                             if n < unit:
                break                                    break
                                                     _evolver_pow0 *= base

    Rewrite safety: for an exact int ``b`` and ints ``e >= 0``, ``b ** e`` is an exact int and
    ``b ** e * b == b ** (e + 1)`` exactly (no rounding, no overflow), so the product equals the
    power on every pass: the base must be an int literal, or a variable the types engine proves an
    exact int by construction (an annotation admits an int subclass with its own ``__pow__`` or
    ``__mul__``; a float's product and power differ in the last bits; a bool base is refused too),
    read once before the loop: not rebound in the loop or by a nested function, never deleted,
    surely bound when the loop starts (a module constant: immutable and not rebound while the loop
    runs). The index takes start, start + 1, ... one per pass (``range``/``enumerate`` are the
    builtins, nothing in the module can rebind them: builtins-unchanged; the start is an int
    constant; the step is 1), and nothing else binds it in the loop; the first exponent
    ``start + k`` is a constant between 0 and 1024 (a negative exponent gives a float; the first
    power is computed ahead even when the loop runs zero times, which must stay cheap and cannot
    raise). Every pass reaches the end of the body or leaves the loop: no ``continue`` of this loop
    (a ``break``, ``return`` or exception ends the loop, and the running product is read nowhere
    after it); the power is not in a lambda or generator evaluated later. A small first power is
    written as a product (``base * base``; ``1`` for the power 0), equal for an exact int. The
    function does not read its own locals (a new local appears; frames-not-inspected). Only the identity of the int
    objects can differ (identity-not-observed). When the loop counts with ``enumerate(xs)`` and the
    power was the index's only reader (bound only by the loop, read nowhere else in the function, not
    after the loop either), the loop iterates ``xs`` itself: ``for i, x in enumerate(xs)`` and
    ``for x in xs`` bind the same items in the same order (``enumerate`` calls ``iter(xs)`` as the
    loop does), and the unbound index is read by nothing.
    """

    name: ClassVar[str] = "strength-reduction"
    description: ClassVar[str] = "keep a power of a loop index as a running product instead of raising to it each pass"
    preconditions: ClassVar[tuple[str, ...]] = (
        "the base is an int literal, or a variable proven an exact int by construction (not only annotated, not a "
        "float, not a bool) that is surely bound before the loop and not rebound, deleted or changed in it",
        "the index counts up by one from an int constant (the builtin range(stop)/range(start, stop) or "
        "enumerate(xs[, start])), and nothing in the loop binds it",
        "the first exponent (the start plus the constant offset) is between 0 and 1024",
        "every pass reaches the end of the body or leaves the loop: no `continue` of this loop, and the power is "
        "not in a lambda or generator evaluated later",
        "the function does not read its own local variables (locals(), vars(), eval, sys._getframe)",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("builtins-unchanged", "identity-not-observed", "frames-not-inspected")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def f(xs, base: int):\n    out = []\n    for i, x in enumerate(xs):\n        out.append(base ** i)\n"
              "    return out\n", "not proven an exact int"),
        leave("def f(n):\n    out = []\n    for i in range(n):\n        out.append(1.5 ** i)\n    return out\n",
              "not an int literal"),
        leave("def f(n, big):\n    b = 10 if big else 2\n    out = []\n    for i in range(n):\n        out.append(b ** i)\n"
              "        b = 3\n    return out\n", "rebound in the loop"),
        leave("def f(n):\n    out = []\n    for i in range(n):\n        i += 1\n        out.append(2 ** i)\n    return out\n",
              "`i` is bound in the loop"),
        leave("def f(n):\n    out = []\n    for i in range(-2, n):\n        out.append(2 ** i)\n    return out\n",
              "first exponent -2"),
        leave("def f(n):\n    out = []\n    for i in range(n):\n        if i % 2:\n            continue\n"
              "        out.append(2 ** i)\n    return out\n", "`continue`"),
        leave("def f(n):\n    out = []\n    for i in range(n):\n        out.append(lambda: 2 ** i)\n    return out\n",
              "evaluated later"),
        leave("def range(n):\n    return [n, 0]\n\n\ndef f(n):\n    return [2 ** i for i in []] + [b for i in range(n) for b in [2 ** i]]\n"
              "\n\ndef g(n):\n    t = 0\n    for i in range(n):\n        t += 2 ** i\n    return t\n", "`range` is bound"),
        leave("def f(n):\n    t = 0\n    for i in range(n):\n        t += 2 ** i\n    return t, locals()\n",
              "reads its local variables"),
    )
    examples += (
        rewrite("def f(value, binary):\n    base = 1024 if binary else 1000\n    for i, s in enumerate('kMG'):\n"
                "        unit = base ** (i + 2)\n        if value < unit:\n            break\n    return value / unit, s\n",
                "def f(value, binary):\n    base = 1024 if binary else 1000\n    _evolver_pow0 = base * base\n"
                "    for s in 'kMG':\n        unit = _evolver_pow0\n        if value < unit:\n"
                "            break\n        _evolver_pow0 *= base\n    return value / unit, s\n"),
        rewrite("def digits(n):\n    total = 0\n    for i in range(1, n): total += 10 ** (i - 1)\n    return total\n",
                "def digits(n):\n    total = 0\n    _evolver_pow0 = 1\n"
                "    for i in range(1, n): total += _evolver_pow0; _evolver_pow0 *= 10\n    return total\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Power]:
        key = ("strength-reduction", fn.node)
        if key not in index.cache:
            found: list[Power] = []
            for node in index.own_nodes(fn):
                if isinstance(node, ast.Name) and NAME.fullmatch(node.id) and isinstance(node.ctx, ast.Load) \
                        and index.binding(node) == "local":
                    found.append(Power(node, None, reduced=True))
                elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
                    found += _power(index, fn, node)
            index.cache[key] = [Power(c.node, n, c.count, c.offset, c.reduced) for n, c in enumerate(found)]
        return index.cache[key]

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Power, ctx: Context) -> Verdict:
        if candidate.reduced or candidate.count is None:
            return Verdict(["already a running product"])
        count, node = candidate.count, candidate.node
        assert isinstance(node, ast.BinOp)
        reasons = _base_reasons(index, fn, node.left, count.loop) + _index_reasons(index, fn, count)
        first = count.start + candidate.offset
        reasons += _first_reasons(first)
        reasons += [f"a `continue` (line {c.lineno}) skips the end of the body, where the product is updated"
                    for c in skips_end(index, count.loop)]
        if deferred(index, node, count.loop):
            reasons.append("the power is in a lambda or generator evaluated later, when the product has moved on")
        reasons += frame_reasons(index, fn)
        return Verdict(reasons, features={"form": 0 if count.counter == "range" else 1, "first": first})

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, candidate = self.find_applicable(index, site, ctx)
        view = CstView.of(index)
        count, power = candidate.count, candidate.node
        loop = view.node(count.loop, cst.For)
        block = view.parent(loop)
        assert isinstance(block, cst.IndentedBlock) and isinstance(power, ast.BinOp)
        name = fresh_name(index, f"{PREFIX}{_number(index, fn, candidate)}")
        base = index.code(power.left, limit=10**6)
        if not isinstance(power.left, ast.Name) and not (constant_int(power.left) or 0) >= 0:
            base = f"({base})"  # ``-3 ** 0`` is ``-(3 ** 0)``
        first = count.start + candidate.offset
        start = view.parse_statement(f"{name} = {_first_power(base, first)}\n").with_changes(
            leading_lines=loop.leading_lines)
        step = cst.AugAssign(cst.Name(name), cst.MultiplyAssign(), view.parse_expression(base))
        pow_node = view.node(power, cst.BinaryOperation)
        header = _plain_header(loop) if _index_read_only_here(index, fn, count, power) else None
        return view.module.visit(_Reduce(pow_node, loop, block, name, start, step, header)).code


def _index_read_only_here(index: ModuleIndex, fn: FunctionInfo, count: Count, power: ast.BinOp) -> bool:
    """An ``enumerate`` index that this power is the only reader of, bound only by the loop: once the
    power is a running product, the index is read nowhere (not in the body, not after the loop)."""
    if count.counter != "enumerate":
        return False
    bindings = index.function_scope(fn).bindings.get(count.index, [])
    if len(bindings) != 1 or not isinstance(count.loop.target, ast.Tuple):
        return False
    reads = bindings[0].references
    return len(reads) == 1 and within(index, reads[0], power.right)


def _plain_header(loop: cst.For) -> tuple[cst.BaseAssignTargetExpression, cst.BaseExpression] | None:
    """``for i, x in enumerate(xs)`` -> the target ``x`` and the iterable ``xs`` (None: another shape)."""
    target, call = loop.target, loop.iter
    if not (isinstance(target, cst.Tuple) and len(target.elements) == 2 and isinstance(call, cst.Call)
            and call.args and call.args[0].keyword is None and call.args[0].star == ""):
        return None
    item = target.elements[1].value
    iterable = call.args[0].value
    if isinstance(iterable, cst.GeneratorExp):
        iterable = iterable.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return item, iterable  # type: ignore[return-value]


def _first_power(base: str, first: int) -> str:
    """The first power's code: small ones as products (exact for ints, and cheaper than ``**``)."""
    if first == 0:
        return "1"
    if first <= SMALL_POWER:
        return " * ".join([base] * first)
    return f"{base} ** {first}"


def _number(index: ModuleIndex, fn: FunctionInfo, candidate: Power) -> int:
    """The smallest k for which ``_evolver_pow<k>`` is not yet a local of ``fn``."""
    taken = set(index.function_scope(fn).bindings)
    n = 0
    while f"{PREFIX}{n}" in taken:
        n += 1
    return n


# --- candidates ----------------------------------------------------------------------------------


def _power(index: ModuleIndex, fn: FunctionInfo, node: ast.BinOp) -> list[Power]:
    """The power as a candidate when its exponent is a loop index plus or minus an int constant."""
    found = _exponent(node.right)
    if found is None:
        return []
    exponent, offset = found
    if index.resolve(exponent).scope is not index.function_scope(fn):
        return []
    child: ast.AST = node
    parent = index.parent(node)
    while parent is not None and parent is not fn.node:
        if isinstance(parent, ast.For) and child in parent.body:
            count = count_of(index, parent)
            if count is not None and count.index == exponent.id:
                return [Power(node, None, count, offset)]
        child, parent = parent, index.parent(parent)
    return []


def _exponent(expr: ast.expr) -> tuple[ast.Name, int] | None:
    """``i``, ``i + k``, ``i - k`` or ``k + i`` (``k`` an int constant): the name and the offset."""
    if isinstance(expr, ast.Name):
        return expr, 0
    if not (isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Sub))):
        return None
    left, right = constant_int(expr.left), constant_int(expr.right)
    if isinstance(expr.left, ast.Name) and right is not None:
        return expr.left, right if isinstance(expr.op, ast.Add) else -right
    if isinstance(expr.right, ast.Name) and left is not None and isinstance(expr.op, ast.Add):
        return expr.right, left
    return None


# --- checks --------------------------------------------------------------------------------------


def _base_reasons(index: ModuleIndex, fn: FunctionInfo, base: ast.expr, loop: ast.For) -> list[str]:
    if constant_int(base) is not None:
        return []
    if isinstance(base, ast.Constant):
        return [f"the base `{index.code(base)}` is not an int literal (a "
                                                   f"running product of floats differs from the power in the last bits)"]
    if not isinstance(base, ast.Name):
        return [f"the base `{index.code(base)}` is not an int literal or a variable"]
    kind = index.binding(base)
    found = types.facts(index, fn).of(base)
    reasons = []
    if not k.exactly(found, {"int"}):
        reasons.append(f"the base `{base.id}` is not proven an exact int ({k.show(found)}): a float's product "
                       f"differs from its power, an int subclass may define its own `__pow__`/`__mul__`")
    if kind in ("local", "param"):
        if rebound_in(index, fn, base.id, loop) or base.id in declared(index, fn):
            reasons.append(f"`{base.id}` is rebound in the loop or by a nested function")
        elif base.id in deleted_names(index, fn) or not bound_before(index, fn, base.id, loop):
            reasons.append(f"`{base.id}` may be unbound when the loop starts")
    elif kind == "global":
        constant = constant_reason(index, base.id)
        reasons += [constant] if constant else rebinding.read_once_reasons(index, fn, region(loop), base.id)
    else:
        reasons.append(f"`{base.id}` is not a variable of {fn.qualname} or a module constant")
    return reasons


def _first_reasons(first: int) -> list[str]:
    if 0 <= first <= MAX_FIRST:
        return []
    why = " (a negative power of an int is a float)" if first < 0 else " (computed ahead, it must stay cheap)"
    return [f"the first exponent {first} is not between 0 and {MAX_FIRST}{why}"]


def _index_reasons(index: ModuleIndex, fn: FunctionInfo, count: Count) -> list[str]:
    reasons = builtin_reasons(index, fn, count.counter)
    if rebound_in(index, fn, count.index, count.loop) or count.index in declared(index, fn):
        reasons.append(f"`{count.index}` is bound in the loop too: it no longer counts the passes")
    return reasons


# --- rewriting -----------------------------------------------------------------------------------


class _Reduce(cst.CSTTransformer):
    """The power becomes the product's name; the product starts before the loop and is multiplied by
    the base at the end of the body."""

    def __init__(self, power: cst.CSTNode, loop: cst.For, block: cst.IndentedBlock, name: str,
                 start: cst.BaseStatement, step: cst.AugAssign,
                 header: tuple[cst.BaseAssignTargetExpression, cst.BaseExpression] | None) -> None:
        super().__init__()
        self.power, self.loop, self.block, self.name, self.start, self.step = power, loop, block, name, start, step
        self.header = header

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        if original_node is self.power:
            return cst.Name(self.name, lpar=updated_node.lpar, rpar=updated_node.rpar)  # type: ignore[attr-defined]
        if original_node is self.loop:
            body = updated_node.body  # type: ignore[attr-defined]
            if isinstance(body, cst.IndentedBlock):
                body = body.with_changes(body=[*body.body, cst.SimpleStatementLine([self.step])])
            else:
                body = body.with_changes(body=[*body.body, self.step])
            if self.header is not None:  # the index is read nowhere now: iterate the items themselves
                updated_node = updated_node.with_changes(target=self.header[0], iter=self.header[1])
            return updated_node.with_changes(body=body, leading_lines=())
        if original_node is self.block:
            at = next(i for i, s in enumerate(self.block.body) if s is self.loop)
            body = list(updated_node.body)  # type: ignore[attr-defined]
            body.insert(at, self.start)
            return updated_node.with_changes(body=body)
        return updated_node
