"""Non-emptiness (evolver.analysis.nonempty): which locals only their own code can change, and which
guards prove a collection non-empty where it is used."""

from __future__ import annotations

import ast

import pytest

from evolver.analysis.index import ModuleIndex
from evolver.analysis.nonempty import nonempty_reasons, private
from evolver.analysis.uses import variable_refs


def f(*lines: str, params: str = "data") -> str:
    return f"def f({params}):\n" + "".join(f"    {line}\n" for line in lines)


def printed(source: str) -> tuple[ModuleIndex, ast.Name]:
    """The index and the argument of the function's last ``print(...)``."""
    index = ModuleIndex.of(source, "m")
    call = [n for n in ast.walk(index.tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "print"][-1]
    assert isinstance(call.args[0], ast.Name)
    return index, call.args[0]


@pytest.mark.parametrize(("lines", "expected"), [
    (("xs = []", "xs.append(1)", "print(xs)"), True),
    (("xs = list(data)", "print(xs)"), True),
    (("xs = data", "print(xs)"), False),
    (("xs = ys = []", "print(xs)"), False),
    (("xs: list[int] = []", "print(xs)"), True),
    (("xs = []", "store(xs)", "print(xs)"), False),
    (("xs = []", "f = lambda: xs", "print(xs)"), False),
    (("xs = []", "it = iter(xs)", "print(xs)"), False),  # a live view kept
    (("xs = []", "kinds = {*map(type, xs)}", "print(xs)"), True),  # a view used up at once
    (("xs = []", "n = sorted(x + 1 for x in xs)", "print(xs)"), True),
])
def test_private(lines: tuple[str, ...], expected: bool) -> None:
    index, arg = printed(f(*lines))
    fn = index.function("f")
    assert fn is not None
    refs = variable_refs(index, fn, arg)
    assert refs is not None and private(index, fn, refs) is expected


@pytest.mark.parametrize(("lines", "params", "exact_params", "reason"), [
    (("if not xs:", "    return", "print(xs)"), "xs: list[int]", True, None),
    (("if not xs:", "    return", "print(xs)"), "xs: list[int]", False, "not provably exactly a list"),
    (("print(xs)",), "xs: list[int]", True, "nothing proves `xs` non-empty"),
    (("xs = [1]", "if not xs:", "    return", "xs.pop()", "print(xs)"), "", False, "changed between the guard"),
    (("if not xs:", "    return", "log()", "print(xs)"), "xs: list[int]", True, "first thing after the guard"),
])
def test_guards_at_the_top_of_the_body(lines: tuple[str, ...], params: str, exact_params: bool,
                                       reason: str | None) -> None:
    index, arg = printed(f(*lines, params=params))
    fn = index.function("f")
    assert fn is not None
    reasons = nonempty_reasons(index, fn, arg, index.parent(arg), exact_params)  # type: ignore[arg-type]
    assert (not reasons) if reason is None else any(reason in r for r in reasons), reasons
