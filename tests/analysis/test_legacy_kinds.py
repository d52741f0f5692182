"""Kinds of expressions, how variables are used, and privacy: the facts min-max, linear-concat,
dict-items and operator-getter rest on."""

from __future__ import annotations

import libcst as cst
import pytest

from evolver.analysis.legacy_kinds import Kind, interchangeable, merge, ordered
from evolver.analysis.legacy_nonempty import private
from evolver.analysis.legacy_uses import variable_refs
from evolver.analysis.static import ModuleIndex
from evolver.analysis.typer import Typer


def printed(source: str) -> tuple[ModuleIndex, Typer, list[cst.BaseExpression]]:
    """The arguments of the ``print(...)`` calls in function ``f``, with a typer for ``f``."""
    index = ModuleIndex(source, "m")
    fn = index.function("f")
    assert fn is not None
    args = [a.value for n in index.own_nodes(fn.node) if isinstance(n, cst.Call)
            and isinstance(n.func, cst.Name) and n.func.value == "print" for a in n.args]
    return index, Typer.of(index, fn), args


def kind_of(source: str) -> Kind | None:
    _, typer, (arg,) = printed(source)
    return typer.kind(arg)


def f(*lines: str, params: str = "") -> str:
    return f"def f({params}):\n" + "".join(f"    {line}\n" for line in lines)


INT, STR = Kind("int"), Kind("str")


@pytest.mark.parametrize(("source", "expected"), [
    (f("print([len(w) for w in ws])", params="ws: list[str]"), Kind("list", items=INT)),
    (f("print(sorted(ws))", params="ws: list[str]"), Kind("list", items=Kind("str", exact=False))),
    (f("print((n, 'a'))", params="n: int"), Kind("tuple", parts=(Kind("int", exact=False), STR))),
    (f("print(ps[0][1])", params="ps: list[tuple[str, int]]"), Kind("int", exact=False)),
    (f("print(s.strip().split(','))", params="s: str"), Kind("list", items=STR)),
    (f("print([0] * n)", params="n: int"), Kind("list", items=INT)),
    (f("out = []", "for w in ws:", "    out = out + [w.lower()]", "print(out)", params="ws: list[str]"),
     Kind("list", items=STR)),
    (f("out = []", "out.append(1)", "out.insert(0, 2)", "print(out)"), Kind("list", items=INT)),
    (f("out = [1]", "keep(out)", "print(out)"), Kind("list", items=None)),
    (f("out = [1]", "out[1:2] = other", "print(out)", params="other"), Kind("list", items=None)),
    (f("x = 0", "for i in range(3):", "    x = x / 2", "print(x)"), None),
    (f("print(xs)", params="xs: list[int] = None"), None),
    (f("print(True + 1)"), INT),
    (f("print({len(w) for w in ws})", params="ws: list[str]"), Kind("set", items=INT)),
    (f("print({w: 1 for w in ws})", params="ws: list[str]"), Kind("dict", items=Kind("str", exact=False))),
    (f("print(set(ws))", params="ws: list[str]"), Kind("set", items=Kind("str", exact=False))),
    (f("print({1, 2})"), Kind("set", items=INT)),
    (f("print(a if c else b)", params="a: int, b: int, c"), Kind("int", exact=False)),
    (f("print(a or 'x')", params="a: str"), Kind("str", exact=False)),
    (f("print(xs)", params="xs: 'int'"), Kind("int", exact=False)),
])
def test_kinds(source: str, expected: Kind | None) -> None:
    assert kind_of(source) == expected


def test_order_and_ties() -> None:
    assert ordered(Kind("tuple", parts=(INT, STR))) and ordered(Kind("bool")) and ordered(merge(INT, Kind("bool")))
    assert not ordered(Kind("float")) and not ordered(Kind("tuple", parts=(INT, Kind("float")))) and not ordered(None)
    assert merge(INT, STR) is None and merge(INT, Kind("bool")) == Kind("int", exact=False)
    assert interchangeable(INT) and interchangeable(Kind("tuple", parts=(INT, STR)))
    assert not interchangeable(Kind("int", exact=False)) and not interchangeable(merge(INT, Kind("bool")))


def test_purity_and_safety() -> None:
    source = f("print(len(w), w.lower(), 10 // len(w), w[0], f(w), w + 'x', {w}, {v for v in vs}, w or 'y')",
               params="w: str, vs: list[list[int]]")
    _, typer, args = printed(source)
    facts = [typer.fact(a) for a in args]
    assert [fact.pure for fact in facts] == [True, True, True, True, False, True, True, False, True]
    assert [fact.safe for fact in facts] == [True, True, False, False, False, True, True, False, True]


def test_uses_are_classified() -> None:
    source = f("acc = []", "acc.append(1)", "acc.pop()", "n = len(acc)", "for a in acc:", "    pass",
               "g = (a for a in acc)", "keep(acc)", "acc += [2]", "t = acc or [0]", "print(acc)", "return acc")
    index = ModuleIndex(source, "m")
    fn = index.function("f")
    assert fn is not None
    name = next(n for n in index.own_nodes(fn.node) if isinstance(n, cst.Name) and n.value == "acc")
    refs = variable_refs(index, fn, name)
    assert refs is not None
    assert [r.use for r in refs] == ["bind", "grow", "mutate", "read", "iterate", "view", "escape", "augment",
                                     "escape", "read", "return"]


@pytest.mark.parametrize(("lines", "expected"), [
    (("xs = []", "xs.append(1)", "print(xs)"), True),
    (("xs = list(data)", "print(xs)"), True),
    (("xs = data", "print(xs)"), False),
    (("xs = ys = []", "print(xs)"), False),
    (("xs: list[int] = []", "print(xs)"), True),
    (("xs = []", "store(xs)", "print(xs)"), False),
    (("xs = []", "f = lambda: xs", "print(xs)"), False),
])
def test_private(lines: tuple[str, ...], expected: bool) -> None:
    index, typer, (arg,) = printed(f(*lines, params="data"))
    fn = index.function("f")
    assert fn is not None and isinstance(arg, cst.Name)
    refs = variable_refs(index, fn, arg)
    assert refs is not None and private(index, typer, refs) is expected


def test_a_function_that_reads_its_frame_has_no_provable_variables() -> None:
    index, typer, (arg,) = printed(f("xs = []", "snapshot = locals()", "print(xs)"))
    fn = index.function("f")
    assert fn is not None and isinstance(arg, cst.Name)
    assert variable_refs(index, fn, arg) is None and typer.kind(arg) is None
