"""Can evaluating an expression raise? Proven only for a small language on exact builtin operands:
arithmetic, comparisons, ``len``/``abs``/``min``/``max``, a few ``math`` functions and str methods.
What evaluating an expression earlier (hoisting it out of a loop, even when the loop would not have
run) needs: it must not raise where the original did not.
"""

from __future__ import annotations

import ast

from evolver.analysis import catalogue
from evolver.analysis import kinds as k
from evolver.analysis.index import ModuleIndex
from evolver.analysis.tree import constant_int
from evolver.analysis.types import TypeFacts

STR_NO_ARGS = frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title", "capitalize", "swapcase",
                         "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isidentifier",
                         "isnumeric", "isdecimal", "isascii", "istitle", "isprintable"})
STR_ONE_ARG = frozenset({"startswith", "endswith", "find", "rfind", "count", "removeprefix", "removesuffix",
                         "strip", "lstrip", "rstrip"})
SAFE_MATH = frozenset({"math.fabs", "math.isnan", "math.isinf", "math.isfinite"})


def raise_reason(index: ModuleIndex, facts: TypeFacts, expr: ast.AST) -> str | None:
    """Why evaluating ``expr`` might raise (None: it cannot, given its operands' proven kinds;
    whether its names are bound is for the caller to check)."""
    for node in index.walk(expr):
        reason = _raises(index, facts, node)
        if reason is not None:
            return reason
    return None


def _raises(index: ModuleIndex, facts: TypeFacts, node: ast.AST) -> str | None:
    if isinstance(node, (ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.cmpop, ast.boolop,
                         ast.unaryop)):
        return None
    if isinstance(node, ast.BinOp):
        return _binary(index, facts, node)
    if isinstance(node, ast.UnaryOp):
        operand = facts.of(node.operand)
        ok = k.truth_quiet(operand) if isinstance(node.op, ast.Not) else \
            k.exactly(operand, k.INTS) if isinstance(node.op, ast.Invert) else k.exactly(operand, k.NUMBERS)
        return None if ok else f"`{index.code(node)}` may raise ({k.show(operand)})"
    if isinstance(node, ast.Compare):
        return _comparison(index, facts, node)
    if isinstance(node, ast.BoolOp):
        values = [facts.of(v) for v in node.values[:-1]]
        bad = next((v for v, t in zip(node.values, values) if not k.truth_quiet(t)), None)
        return None if bad is None else f"the truth value of `{index.code(bad)}` ({k.show(facts.of(bad))}) may raise"
    if isinstance(node, ast.Call):
        return _call(index, facts, node)
    if isinstance(node, ast.Attribute):
        parent = index.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            return None  # the call is checked
        name = index.qualified_name(node)
        entry = catalogue.lookup(name) if name is not None else None
        return None if entry is not None and not entry.raises else f"`{index.code(node)}` may raise"
    if isinstance(node, ast.keyword):
        return None
    return f"`{index.code(node)}` may raise"


def _binary(index: ModuleIndex, facts: TypeFacts, node: ast.BinOp) -> str | None:
    left, right = facts.of(node.left), facts.of(node.right)
    shown = f"`{index.code(node)}` may raise ({k.show(left)} and {k.show(right)})"
    if k.known(left) and k.known(right) and not (k.exact(left) and k.exact(right)):
        shown += " or run code (an operand only declared may be a subclass with its own operator)"
    op = type(node.op)
    if op in (ast.Add, ast.Sub, ast.Mult):
        if k.exactly(left, k.INTS) and k.exactly(right, k.INTS):
            return None
        if k.exactly(left, k.NUMBERS) and k.exactly(right, k.NUMBERS):
            safe = _float_safe(index, facts, node.left) and _float_safe(index, facts, node.right)
            return None if safe else f"`{index.code(node)}` may raise OverflowError (an int too large for a float)"
        same = any(k.exactly(left, (t,)) and k.exactly(right, (t,)) for t in ("str", "bytes"))
        return None if op is ast.Add and same else shown
    if op in (ast.Div, ast.FloorDiv, ast.Mod):
        divisor = _nonzero_literal(node.right)
        if divisor is None:
            return f"`{index.code(node)}` may raise ZeroDivisionError"
        if not k.exactly(left, k.NUMBERS):
            return shown
        if (op is ast.Div or divisor == "float") and not _float_safe(index, facts, node.left):
            return f"`{index.code(node)}` may raise OverflowError (an int too large for a float)"
        return None
    if op in (ast.BitAnd, ast.BitOr, ast.BitXor):
        return None if k.exactly(left, k.INTS) and k.exactly(right, k.INTS) else shown
    if op is ast.RShift:
        shift = constant_int(node.right)
        return None if k.exactly(left, k.INTS) and shift is not None and shift >= 0 else shown
    return shown


def _comparison(index: ModuleIndex, facts: TypeFacts, node: ast.Compare) -> str | None:
    left = node.left
    for op, right in zip(node.ops, node.comparators):
        a, b = facts.of(left), facts.of(right)
        if not _compare_safe(op, a, b):
            return f"`{index.code(node)}` may raise ({k.show(a)} and {k.show(b)})"
        left = right
    return None


def _compare_safe(op: ast.cmpop, a: k.Type, b: k.Type) -> bool:
    same_text = any(k.exactly(a, (t,)) and k.exactly(b, (t,)) for t in ("str", "bytes"))
    if isinstance(op, (ast.Is, ast.IsNot)):
        return True
    if isinstance(op, (ast.In, ast.NotIn)):
        return same_text
    if isinstance(op, (ast.Eq, ast.NotEq)):
        return k.exactly(a, k.SCALARS) and k.exactly(b, k.SCALARS) and not {"str", "bytes"} <= (k.bases(a) | k.bases(b))
    return same_text or (k.exactly(a, k.NUMBERS) and k.exactly(b, k.NUMBERS))


def _call(index: ModuleIndex, facts: TypeFacts, call: ast.Call) -> str | None:
    if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        return f"`{index.code(call)}` passes keyword or starred arguments"
    args = [facts.of(a) for a in call.args]
    name = index.qualified_name(call.func)
    if _call_safe(index, facts, call, name, args):
        return None
    func = call.func
    if name is None and isinstance(func, ast.Attribute) and not k.exactly(facts.of(func.value), ("str",)):
        shown = ", ".join(k.show(a) for a in args) or "none"  # a method: its receiver's kind says most
        return (f"`{index.code(call)}` may raise (`{index.code(func.value)}` is {k.show(facts.of(func.value))}, "
                f"not provably an exact str; arguments: {shown})")
    return f"`{index.code(call)}` may raise ({', '.join(k.show(a) for a in args) or 'no arguments'})"


def _call_safe(index: ModuleIndex, facts: TypeFacts, call: ast.Call, name: str | None, args: list[k.Type]) -> bool:
    if name == "builtins.len":
        return len(args) == 1 and k.sized(args[0])
    if name == "builtins.abs":
        return len(args) == 1 and k.exactly(args[0], k.NUMBERS)
    if name in ("builtins.min", "builtins.max"):
        return len(args) >= 2 and (all(k.exactly(a, k.NUMBERS) for a in args)
                                   or all(k.exactly(a, ("str",)) for a in args))
    if name in SAFE_MATH:
        return len(args) == 1 and _float_safe(index, facts, call.args[0]) and k.exactly(args[0], k.NUMBERS)
    if name is None and isinstance(call.func, ast.Attribute):
        method, receiver = call.func.attr, facts.of(call.func.value)
        if not k.exactly(receiver, ("str",)):
            return False
        if method in STR_NO_ARGS and not args:
            return True
        return method in STR_ONE_ARG and len(args) == 1 and k.exactly(args[0], ("str",))
    return False


def _float_safe(index: ModuleIndex, facts: TypeFacts, expr: ast.AST) -> bool:
    """Converting it to float cannot overflow: a float, a bool, a small int literal or a len()."""
    if k.exactly(facts.of(expr), ("float", "bool")):
        return True
    value = constant_int(expr)
    if value is not None:
        return abs(value) < 2**53
    return isinstance(expr, ast.Call) and index.qualified_name(expr.func) == "builtins.len"


def _nonzero_literal(expr: ast.AST) -> str | None:
    while isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        expr = expr.operand
    if isinstance(expr, ast.Constant) and type(expr.value) is int and expr.value != 0:
        return "int"
    if isinstance(expr, ast.Constant) and type(expr.value) is float and expr.value != 0.0:
        return "float"
    return None
