"""hoist-invariant: what it hoists, what it refuses, and that rewritten loops compute the same,
including when they run zero times."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.analysis.index import ModuleIndex
from evolver.model import Site
from evolver.transforms import Context

CTX = Context(module="m")
NAME = "hoist-invariant"


def sites(source: str) -> dict[str, Site]:
    return {s.id: s for s in transforms.get(NAME).sites(ModuleIndex.of(source, CTX.module), CTX)}


def applicable(source: str) -> list[str]:
    return [i for i, s in sites(source).items() if s.verdict == "applicable"]


def rewrite_all(source: str) -> str:
    ids = applicable(source)
    assert ids, sites(source)
    return transforms.apply_many(source, ids, CTX)


def load(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "under_test"}
    exec(compile(source, "<test>", "exec", dont_inherit=True), namespace)
    return namespace


def outcome(func: Any, *args: Any) -> tuple[Any, ...]:
    try:
        result = func(*args)
        return ("returned", list(result) if hasattr(result, "__next__") else result)
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


# --- differential ------------------------------------------------------------------------------------

WHILE = '''
def pairs(data: list[int]) -> int:
    xs = list(data)
    s = 0
    i = 0
    while i < len(xs):
        if i + 1 < len(xs):
            s += xs[i] * xs[i + 1]
        i += 1
    return s
'''
ARITHMETIC = '''
import math

SCALE = 3


def ring(points: list[int], a: int, b: int) -> list[float]:
    r = int(a)
    w = int(b)
    out = []
    for p in points:
        out.append(p * (2 * r + 1) + SCALE * 2 - math.pi + w * 0.5 + max(r, 7) - abs(r) + (r > 3))
    return out
'''
TEXT = '''
def count(lines: list[str], a: str, b: str) -> list[int]:
    word = "".join(a)
    tail = "".join(b)
    found = []
    for line in lines:
        found.append(line.lower().count(word.lower()) + line.endswith(tail + "!") + len(word + tail))
    return found
'''
NESTED = '''
def grid(a: int, b: int) -> list[int]:
    n = int(a)
    m = int(b)
    cells = []
    for i in range(n):
        for j in range(m * 2):
            cells.append(i * (m + 1) + j // 3 + n % 4)
    return cells
'''
GENERATOR = '''
def scaled(xs: list[int], a: int):
    k = int(a)
    for x in xs:
        yield x * (k * k - 1)
'''
PRIVATE = '''
def weights(xs: list[int]) -> list[int]:
    table = [1, 2, 3]
    table.append(4)
    out = []
    for x in xs:
        print(end="")
        out.append(x * len(table))
    return out
'''
ints = st.integers(-5, 5)


@pytest.mark.parametrize(("source", "function", "strategy"), [
    pytest.param(WHILE, "pairs", st.tuples(st.lists(ints, max_size=8)), id="while-len"),
    pytest.param(ARITHMETIC, "ring", st.tuples(st.lists(ints, max_size=5), ints, ints), id="arithmetic"),
    pytest.param(TEXT, "count", st.tuples(st.lists(st.text("aAbB!", max_size=5), max_size=5),
                                          st.text("aAb", max_size=2), st.text("b!", max_size=2)), id="str-methods"),
    pytest.param(NESTED, "grid", st.tuples(st.integers(-1, 4), st.integers(-1, 4)), id="nested-loops"),
    pytest.param(GENERATOR, "scaled", st.tuples(st.lists(ints, max_size=5), ints), id="generator"),
    pytest.param(PRIVATE, "weights", st.tuples(st.lists(ints, max_size=5)), id="private-list"),
])
def test_rewritten_loops_agree(source: str, function: str, strategy: st.SearchStrategy[tuple[Any, ...]]) -> None:
    before, after = load(source)[function], load(rewrite_all(source))[function]

    @given(strategy)
    @settings(max_examples=60, deadline=None)
    def check(args: tuple[Any, ...]) -> None:
        assert outcome(after, *args) == outcome(before, *args)

    check()


def test_what_each_sample_hoists() -> None:
    assert "    _evolver_inv0 = len(xs)\n    while i < _evolver_inv0:\n        if i + 1 < _evolver_inv0:\n" in rewrite_all(WHILE)
    ring = rewrite_all(ARITHMETIC)
    assert ("    _evolver_inv0 = 2 * r + 1\n    _evolver_inv1 = SCALE * 2\n    _evolver_inv2 = math.pi\n"
            "    _evolver_inv3 = max(r, 7)\n    _evolver_inv4 = abs(r)\n    for p in points:\n") in ring
    assert "+ w * 0.5 +" in ring and "+ (r > 3))" in ring  # an int `w` could overflow; a bare comparison is cheap
    assert any(r == "`w * 0.5` may raise OverflowError (an int too large for a float)"
               for s in sites(ARITHMETIC).values() for r in s.reasons)
    grid = rewrite_all(NESTED)
    # the inner loop's iterable runs once per outer iteration: `m * 2` leaves the outer loop
    assert ("    _evolver_inv0 = m * 2\n    for i in range(n):\n        _evolver_inv1 = i * (m + 1)\n"
            "        _evolver_inv2 = n % 4\n        for j in range(_evolver_inv0):\n"
            "            cells.append(_evolver_inv1 + j // 3 + _evolver_inv2)\n") in grid


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "reason"), [
    pytest.param("def f(xs: list[int], n: int):\n    out = []\n    for x in xs:\n        out.append(x + n * 2)\n"
                 "        if x:\n            n = 0\n    return out\n", None, id="rebound-in-loop"),
    pytest.param("def f(xs: list[int], n: int):\n    out = []\n    for x in (n := n + 1, xs)[1]:\n"
                 "        out.append(x + n * 2)\n    return out\n", None, id="walrus-in-iterable"),
    pytest.param("def f(xs: list[int], zs: list[int], g) -> int:\n    ys = list(zs)\n    t = 0\n    for x in g(ys):\n"
                 "        t += x * len(ys)\n    return t\n", "`ys` may change during the loop", id="iterable-call"),
    pytest.param("def f(xs: list[int], zs: list[int]) -> int:\n    ys = list(zs)\n    t = 0\n    for x in xs:\n        t += len(ys)\n"
                 "        ys.append(x)\n    return t\n", "`ys` may change during the loop", id="appended"),
    pytest.param("def f(xs: list[int], e: dict[int, int]) -> int:\n    d = dict(e)\n    t = 0\n    for x in xs:\n        t += len(d)\n"
                 "        d[x + 1000] = x\n    return t\n", "`d` may change during the loop", id="store-other-key"),
    pytest.param("def f(xs: list[int], t: list[int]):\n    s = list(t)\n    yield s\n    for x in xs:\n        yield x + len(s)\n",
                 "`s` may change during the loop", id="yield"),
    pytest.param("def f(xs: list[int], n: int):\n    out = []\n    for x in xs:\n        out.append(x + n // 0)\n"
                 "    return out\n", "`n // 0` may raise ZeroDivisionError", id="divide"),
    pytest.param("def f(xs: list[int], m: int):\n    n = int(m)\n    out = []\n    for x in xs:\n        out.append(x + n / 2)\n"
                 "    return out\n", "`n / 2` may raise OverflowError", id="int-true-division"),
    pytest.param("def f(xs: list[int], s: str, t):\n    out = []\n    for x in xs:\n        out.append(s.lower() + t)\n"
                 "    return out\n", None, id="unknown-not-candidate"),
    pytest.param("def f(xs: list[int], n: int = None):\n    out = []\n    for x in xs:\n        out.append(x + n * 2)\n"
                 "    return out\n", "`n * 2` may raise", id="none-default"),
    pytest.param("def f(xs: list[int], n: int):\n    out = []\n    for x in xs:\n        out.append(x + n * 2)\n"
                 "    del n\n    return out\n", "`n` is deleted in f", id="deleted"),
    pytest.param("def outer(n: int):\n    def g(xs: list[int]):\n        return [x for x in xs]\n\n"
                 "    def h(xs: list[int]):\n        t = 0\n        for x in xs:\n            t += x * (n + 1)\n"
                 "        return t\n    return g, h\n", "`n` is a variable of an enclosing function", id="closure"),
    pytest.param("COUNTER = 0\n\ndef bump():\n    global COUNTER\n    COUNTER += 1\n\n"
                 "def f(xs: list[int]):\n    out = []\n    for x in xs:\n        bump()\n        out.append(x + COUNTER * 2)\n"
                 "    return out\n", "reads module global COUNTER (rebound in the module)", id="mutable-global"),
])
def test_refusals(source: str, reason: str | None) -> None:
    assert not applicable(source)
    if reason is not None:
        assert any(r.startswith(reason) for s in sites(source).values() for r in s.reasons), sites(source)


def test_zero_iterations_raise_nothing_new() -> None:
    source = "def f(xs: list[int], n: int) -> list[int]:\n    return [0 for x in xs]\n"
    assert not sites(source)  # comprehensions are not loops this transform hoists out of
    refused = "def f(xs: list[int], k: int) -> list[float]:\n    out = []\n    for x in xs:\n        out.append(x / k)\n    return out\n"
    assert not applicable(refused)


# --- rewriting details --------------------------------------------------------------------------------


def test_comment_above_the_loop_moves_with_it_and_names_stay_fresh() -> None:
    source = ("def f(xs: list[int], m: int) -> list[int]:\n    n = int(m)\n    _evolver_inv0 = 1\n    out = []\n"
              "    # the main loop\n    for x in xs:  # each x\n        out.append(x + n * 2 + _evolver_inv0)\n    return out\n")
    out = rewrite_all(source)
    assert out == source.replace("    # the main loop\n", "    # the main loop\n    _evolver_inv1 = n * 2\n").replace(
        "x + n * 2 + _evolver_inv0", "x + _evolver_inv1 + _evolver_inv0")
    assert load(out)["f"]([1, 2], 3) == load(source)["f"]([1, 2], 3) == [8, 9]


def test_multiline_expression_keeps_valid_syntax() -> None:
    source = ("def f(xs: list[int], c: int, d: int) -> list[int]:\n    a = int(c)\n    b = int(d)\n    out = []\n    for x in xs:\n"
              "        out.append(x * max(a,\n                           b))\n    return out\n")
    out = rewrite_all(source)
    assert "    _evolver_inv0 = (max(a,\n                       b))\n    for x in xs:\n" in out
    assert load(out)["f"]([1, 2], 3, 4) == [4, 8]


def test_applying_twice_is_refused_and_ids_do_not_shift() -> None:
    once = transforms.apply(WHILE, "hoist-invariant@m:pairs#1", CTX)
    assert sites(once)["hoist-invariant@m:pairs#1"].reasons == ("already hoisted",)
    both = transforms.apply(once, "hoist-invariant@m:pairs#0", CTX)
    assert both == rewrite_all(WHILE)  # the second hoist reuses the first local
    assert not applicable(both)
