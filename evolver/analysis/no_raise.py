"""Can an expression raise? Proven only for a small language on operands of known builtin types:
arithmetic, comparisons, ``len``/``abs``/``min``/``max``, a few ``math`` functions and str methods.
What hoisting an expression out of a loop needs: evaluated once before the loop (even when the
loop would not have run at all), it must not raise where the original did not.
"""

from __future__ import annotations

import libcst as cst

from evolver.analysis import value_types as vt
from evolver.analysis.static import ModuleIndex
from evolver.analysis.type_facts import TypeFacts

INTS = ("int", "bool")
NUMBERS = vt.NUMBERS
SCALARS = vt.SCALARS
STR_NO_ARGS = frozenset(["lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title", "capitalize", "swapcase", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isidentifier", "isnumeric", "isdecimal", "isascii", "istitle", "isprintable"])
STR_ONE_ARG = frozenset({"startswith", "endswith", "find", "rfind", "count", "removeprefix", "removesuffix",
                         "strip", "lstrip", "rstrip"})


def _show(types: vt.Types) -> str:
    return vt.show(types)


def raise_reason(index: ModuleIndex, facts: TypeFacts, expr: cst.BaseExpression) -> str | None:
    """Why evaluating ``expr`` might raise (None: it cannot, given its operands' proven types;
    whether its names are bound is for the caller to check)."""
    for node in index.walk(expr):
        reason = _raises(index, facts, node)
        if reason is not None:
            return reason
    return None


def _raises(index: ModuleIndex, facts: TypeFacts, node: cst.CSTNode) -> str | None:
    if isinstance(node, (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString)):
        return None
    if isinstance(node, cst.BinaryOperation):
        return _binary_raises(index, facts, node)
    if isinstance(node, cst.UnaryOperation):
        return _unary_raises(index, facts, node)
    if isinstance(node, cst.Comparison):
        return _comparison_raises(index, facts, node)
    if isinstance(node, cst.BooleanOperation):
        left = facts.of(node.left)
        return None if vt.concrete(left) else f"the truth value of `{index.code(node.left)}` ({_show(left)}) may raise"
    if isinstance(node, cst.Call):
        return _call_raises(index, facts, node)
    if isinstance(node, cst.Attribute):
        parent = index.parent(node)
        if (isinstance(parent, cst.Call) and parent.func is node) or index.qualified_name(node) in vt.MODULE_CONSTANTS:
            return None
        return f"`{index.code(node)}` may raise"
    if isinstance(node, cst.BaseExpression):
        return f"`{index.code(node)}` may raise"
    return None


def _binary_raises(index: ModuleIndex, facts: TypeFacts, node: cst.BinaryOperation) -> str | None:
    op = vt.op_name(node.operator)
    left, right = facts.of(node.left), facts.of(node.right)
    shown = f"`{index.code(node)}` may raise ({_show(left)} and {_show(right)})"
    if op in ("Add", "Subtract", "Multiply"):
        if vt.within(left, INTS) and vt.within(right, INTS):
            return None
        if vt.within(left, NUMBERS) and vt.within(right, NUMBERS):
            exact = _float_safe(index, facts, node.left) and _float_safe(index, facts, node.right)
            return None if exact else f"`{index.code(node)}` may raise OverflowError (an int too large for a float)"
        same = any(vt.within(left, (t,)) and vt.within(right, (t,)) for t in ("str", "bytes"))
        return None if op == "Add" and same else shown
    if op in ("Divide", "FloorDivide", "Modulo"):
        divisor = _nonzero_literal(node.right)
        if divisor is None:
            return f"`{index.code(node)}` may raise ZeroDivisionError"
        if not vt.within(left, NUMBERS):
            return shown
        needs_float = op == "Divide" or divisor == "float"
        if needs_float and not _float_safe(index, facts, node.left):
            return f"`{index.code(node)}` may raise OverflowError (an int too large for a float)"
        return None
    if op in ("BitAnd", "BitOr", "BitXor"):
        return None if vt.within(left, INTS) and vt.within(right, INTS) else shown
    if op == "RightShift":
        shift = _literal_int(node.right)
        return None if vt.within(left, INTS) and shift is not None and shift >= 0 else shown
    return shown


def _unary_raises(index: ModuleIndex, facts: TypeFacts, node: cst.UnaryOperation) -> str | None:
    operand = facts.of(node.expression)
    if isinstance(node.operator, cst.Not):
        ok = vt.concrete(operand)
    elif isinstance(node.operator, cst.BitInvert):
        ok = vt.within(operand, INTS)
    else:
        ok = vt.within(operand, NUMBERS)
    return None if ok else f"`{index.code(node)}` may raise ({_show(operand)})"


def _comparison_raises(index: ModuleIndex, facts: TypeFacts, node: cst.Comparison) -> str | None:
    left = node.left
    for target in node.comparisons:
        a, b = facts.of(left), facts.of(target.comparator)
        if not _compare_safe(target.operator, a, b):
            return f"`{index.code(node)}` may raise ({_show(a)} and {_show(b)})"
        left = target.comparator
    return None


def _compare_safe(operator: cst.BaseCompOp, a: vt.Types, b: vt.Types) -> bool:
    same_text = any(vt.within(a, (t,)) and vt.within(b, (t,)) for t in ("str", "bytes"))
    if isinstance(operator, (cst.Is, cst.IsNot)):
        return True
    if isinstance(operator, (cst.In, cst.NotIn)):
        return same_text
    if isinstance(operator, (cst.Equal, cst.NotEqual)):
        tags = {k.tag for k in a | b}
        return vt.within(a, SCALARS) and vt.within(b, SCALARS) and not {"str", "bytes"} <= tags
    return same_text or (vt.within(a, NUMBERS) and vt.within(b, NUMBERS))


def _call_raises(index: ModuleIndex, facts: TypeFacts, call: cst.Call) -> str | None:
    if any(a.star or a.keyword is not None for a in call.args):
        return f"`{index.code(call)}` passes keyword or starred arguments"
    name = index.qualified_name(call.func)
    args = [facts.of(a.value) for a in call.args]
    if _call_safe(index, facts, call, name, args):
        return None
    return f"`{index.code(call)}` may raise ({', '.join(_show(a) for a in args) or 'no arguments'})"


def _call_safe(index: ModuleIndex, facts: TypeFacts, call: cst.Call, name: str | None,
               args: list[vt.Types]) -> bool:
    if name == "builtins.len":
        return len(args) == 1 and vt.within(args[0], vt.SIZED)
    if name == "builtins.abs":
        return len(args) == 1 and vt.within(args[0], NUMBERS)
    if name in ("builtins.min", "builtins.max"):
        return len(args) >= 2 and (all(vt.within(a, NUMBERS) for a in args) or all(vt.within(a, ("str",)) for a in args))
    if name in ("math.fabs", "math.isnan", "math.isinf", "math.isfinite"):
        return len(args) == 1 and _float_safe(index, facts, call.args[0].value) and vt.within(args[0], NUMBERS)
    if name is None and isinstance(call.func, cst.Attribute):
        method, receiver = call.func.attr.value, facts.of(call.func.value)
        if not vt.within(receiver, ("str",)):
            return False
        if method in STR_NO_ARGS and not args:
            return True
        return method in STR_ONE_ARG and len(args) == 1 and vt.within(args[0], ("str",))
    return False


def _float_safe(index: ModuleIndex, facts: TypeFacts, expr: cst.BaseExpression) -> bool:
    """Converting it to float cannot overflow: a float, a bool, a small int literal or a len()."""
    types = facts.of(expr)
    if vt.within(types, ("float", "bool")):
        return True
    value = _literal_int(expr)
    if value is not None:
        return abs(value) < 2**53
    return isinstance(expr, cst.Call) and index.qualified_name(expr.func) == "builtins.len"


def _literal_int(expr: cst.BaseExpression) -> int | None:
    if isinstance(expr, cst.Integer):
        return int(expr.evaluated_value)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, (cst.Minus, cst.Plus)):
        inner = _literal_int(expr.expression)
        return None if inner is None else -inner if isinstance(expr.operator, cst.Minus) else inner
    return None


def _nonzero_literal(expr: cst.BaseExpression) -> str | None:
    while isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, (cst.Minus, cst.Plus)):
        expr = expr.expression
    if isinstance(expr, cst.Integer) and int(expr.evaluated_value) != 0:
        return "int"
    if isinstance(expr, cst.Float) and float(expr.evaluated_value) != 0.0:
        return "float"
    return None
