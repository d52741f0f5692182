"""comprehension: what it rewrites, what it refuses and why, and that rewritten code computes the
same values and raises the same exceptions as the original (run in-process on sample inputs)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.analysis.index import ModuleIndex
from evolver.transforms import Context, TransformError

CTX = Context(module="m")


def sites(source: str, name: str = "comprehension") -> dict[str, object]:
    return {s.id: s for s in transforms.propose(source, CTX) if s.transform == name}


def rewrite(source: str, name: str = "comprehension") -> str:
    ids = [i for i, s in sites(source, name).items() if s.verdict == "applicable"]  # type: ignore[attr-defined]
    assert ids, sites(source, name)
    return transforms.apply_many(source, ids, CTX)


def load(source: str) -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": "under_test"}
    exec(compile(source, "<test>", "exec"), namespace)
    return namespace


def outcome(func: Callable[..., object], *args: object) -> tuple[object, ...]:
    try:
        return ("returned", func(*args))
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


# --- differential: the same results and the same exceptions --------------------------------------

FILTER_MAP = '''
def f(xs, k):
    out = []
    for x in xs:
        if x % k:
            out.append(x * 2 - k)
    return out
'''
PAIRS = '''
def f(pairs):
    out = []
    for a, b in pairs:
        out.append(a + b)
    return out
'''
SET_ADD = '''
def f(words):
    seen = set()
    for w in words:
        seen.add(w.lower())
    return seen
'''
COPY = '''
def f(xs: list, flag):
    out = []
    for x in (xs if flag else xs[::-1]):
        out.append(x)
    return out
'''


@pytest.mark.parametrize("source", [FILTER_MAP, PAIRS, SET_ADD, COPY], ids=["filter", "pairs", "set", "copy"])
def test_every_sample_is_rewritten_into_one_statement(source: str) -> None:
    out = rewrite(source)
    assert ".append(" not in out and ".add(" not in out
    assert not [line for line in out.splitlines() if line.lstrip().startswith("for ")]


@given(st.lists(st.integers(-50, 50), max_size=20), st.integers(-3, 3))
@settings(max_examples=80, deadline=None)
def test_filter_map_agrees(xs: list[int], k: int) -> None:
    assert outcome(REWRITTEN["filter"]["f"], xs, k) == outcome(ORIGINAL["filter"]["f"], xs, k)  # type: ignore[index]


@given(st.lists(st.one_of(st.tuples(st.integers(), st.integers()), st.tuples(st.text(max_size=2)),
                          st.tuples(st.integers(), st.text(max_size=2))), max_size=8))
@settings(max_examples=80, deadline=None)
def test_pairs_agree_including_unpacking_and_type_errors(pairs: list[tuple[object, ...]]) -> None:
    assert outcome(REWRITTEN["pairs"]["f"], pairs) == outcome(ORIGINAL["pairs"]["f"], pairs)  # type: ignore[index]


@given(st.lists(st.one_of(st.text(max_size=3), st.integers()), max_size=10))
@settings(max_examples=80, deadline=None)
def test_set_add_agrees(words: list[object]) -> None:
    assert outcome(REWRITTEN["set"]["f"], words) == outcome(ORIGINAL["set"]["f"], words)  # type: ignore[index]


@given(st.lists(st.integers(), max_size=10), st.booleans())
@settings(max_examples=50, deadline=None)
def test_copy_agrees_and_makes_a_new_list(xs: list[int], flag: bool) -> None:
    before, after = ORIGINAL["copy"]["f"], REWRITTEN["copy"]["f"]  # type: ignore[index]
    assert outcome(after, xs, flag) == outcome(before, xs, flag)
    assert after(xs, flag) is not xs  # type: ignore[operator]


ORIGINAL = {k: load(v) for k, v in {"filter": FILTER_MAP, "pairs": PAIRS, "set": SET_ADD, "copy": COPY}.items()}
REWRITTEN = {k: load(rewrite(v)) for k, v in {"filter": FILTER_MAP, "pairs": PAIRS, "set": SET_ADD,
                                              "copy": COPY}.items()}


def test_items_are_produced_in_the_same_order_with_the_same_side_effects() -> None:
    source = ("def f(make, g):\n    out = []\n    for x in make():\n        if g(x):\n            out.append(g(-x))\n"
              "    return out\n")
    logs = [_run_logged(load(source)), _run_logged(load(rewrite(source)))]
    assert logs[0] == logs[1]
    assert ("g", -1) in logs[0] and logs[0][-1] == ("raised", "KeyError", "3")


def _run_logged(module: dict[str, object]) -> list[object]:
    log: list[object] = []

    def make() -> object:
        for i in range(5):
            log.append(("next", i))
            yield i

    def g(x: int) -> int:
        log.append(("g", x))
        if x == 3:
            raise KeyError(x)
        return x % 2

    log.append(outcome(module["f"], make, g))  # type: ignore[arg-type]
    return log


# --- what is produced ------------------------------------------------------------------------------


def test_copy_uses_the_constructor_only_for_exact_builtin_iterables() -> None:
    source = ("def f(a: list[int], b: set[int], c, d: dict[str, int]):\n    x = []\n    for i in a:\n        x.append(i)\n"
              "    y = set()\n    for i in b:\n        y.add(i)\n    z = []\n    for i in c:\n        z.append(i)\n"
              "    w = set()\n    for i in range(3):\n        w.add(i)\n    s = sorted(c)\n    v = []\n    for i in s:\n"
              "        v.append(i)\n    u = set()\n    for i in {**d}:\n        u.add(i)\n    t = set()\n"
              "    for i in dict.fromkeys(c):\n        t.add(i)\n    return x, y, z, w, v, u\n")
    out = rewrite(source)
    assert "    x = [i for i in a]\n" in out  # list(a) would call a list subclass's __len__
    assert "    y = {i for i in b}\n" in out  # set(b) would skip a set subclass's __iter__
    assert "    z = [i for i in c]\n" in out  # c could have a __len__ with effects
    assert "    w = set(range(3))\n" in out
    assert "    v = list(s)\n" in out  # sorted() makes an exact list
    assert "    u = {i for i in {**d}}\n" in out  # set() of a dict reuses the keys' stored hashes
    assert "    t = {i for i in dict.fromkeys(c)}\n" in out


def test_iterables_and_tests_that_need_parentheses_get_them() -> None:
    source = ("def f(a, b, c):\n    out = []\n    for x in a if c else b:\n        if x if c else not x:\n"
              "            out.append(x + 1)\n    more = []\n    for y in 1, 2:\n        more.append(y)\n    return out, more\n")
    out = rewrite(source)
    assert "    out = [x + 1 for x in (a if c else b) if (x if c else not x)]\n" in out
    assert "    more = list((1, 2))\n" in out
    module, original = load(out), load(source)
    for args in ([1, 2], [0, 3], True), ([1, 2], [0, 3], False):
        assert module["f"](*args) == original["f"](*args)  # type: ignore[operator]


def test_comments_inside_the_loop_are_kept() -> None:
    source = ("def f(xs):\n    out = []  # result\n    for x in xs:  # each\n        # only odd ones\n        if x % 2:\n"
              "            out.append(x)  # keep\n    return out\n")
    out = rewrite(source)
    assert out == ("def f(xs):\n    # each\n    # only odd ones\n    # keep\n"
                   "    out = [x for x in xs if x % 2]  # result\n    return out\n")


def test_an_eager_comprehension_inside_the_loop_may_read_the_loop_variable() -> None:
    source = "def f(rows):\n    out = []\n    for r in rows:\n        out.append([c * r for c in range(3)])\n    return out\n"
    assert rewrite(source) == "def f(rows):\n    out = [[c * r for c in range(3)] for r in rows]\n    return out\n"
    lazy = source.replace("[c * r for c in range(3)]", "(c * r for c in range(3))")
    assert sites(lazy)["comprehension@m:f#0"].reasons == (  # type: ignore[attr-defined]
        "the loop variable `r` is captured by a nested function, lambda or generator",)


def test_a_loop_variable_reused_by_a_later_loop_is_not_a_use_after_the_loop() -> None:
    source = ("def f(xs, ys):\n    a = []\n    for x in xs:\n        a.append(x + 1)\n    for x in ys:\n"
              "        print(x)\n    return a\n")
    assert sites(source)["comprehension@m:f#0"].verdict == "applicable"  # type: ignore[attr-defined]
    after = source.replace("    return a\n", "    return a, x\n")
    assert sites(after)["comprehension@m:f#0"].verdict == "refused"  # type: ignore[attr-defined]


def test_a_closure_made_after_the_loop_may_read_the_result() -> None:
    source = "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return lambda: out\n"
    assert sites(source)["comprehension@m:f#0"].verdict == "applicable"  # type: ignore[attr-defined]
    repeated = "def f(xs, n):\n    fs = []\n    for _ in range(n):\n        out = []\n        for x in xs:\n" \
               "            out.append(x)\n        fs.append(lambda: out)\n    return fs\n"
    reasons = sites(repeated)["comprehension@m:f#1"].reasons  # type: ignore[attr-defined]
    assert any("could run during the loop" in r for r in reasons)


@pytest.mark.parametrize(("manager", "verdict"), [("open(p)", "applicable"), ("lock", "refused")])
def test_only_context_managers_known_not_to_swallow_exceptions_are_allowed(manager: str, verdict: str) -> None:
    source = (f"def f(p, lock):\n    with {manager} as fh:\n        out = []\n        for line in fh:\n"
              "            out.append(line.strip())\n    return out\n")
    assert sites(source)["comprehension@m:f#0"].verdict == verdict  # type: ignore[attr-defined]


# --- ids ------------------------------------------------------------------------------------------------

TWO_LOOPS = '''import time


def fetch(u):
    time.sleep(0.01)
    return u


def run(us, vs):
    a = []
    for u in us:
        a.append(fetch(u))
    b = []
    for v in vs:
        b.append(v * 2)
    return a, b
'''


@pytest.mark.parametrize("first", ["comprehension@m:run#0", "thread-pool@m:run#0", "local-alias@m:run#0"])
def test_the_id_of_a_later_loop_survives_a_rewrite_of_an_earlier_one(first: str) -> None:
    assert sites(TWO_LOOPS)["comprehension@m:run#1"].verdict == "applicable"  # type: ignore[attr-defined]
    out = transforms.apply(TWO_LOOPS, first, CTX)
    final = transforms.apply(out, "comprehension@m:run#1", CTX)
    assert "    b = [v * 2 for v in vs]\n" in final
    with pytest.raises(TransformError):
        transforms.apply(final, "comprehension@m:run#1", CTX)


def test_a_nonlocal_accumulator_or_loop_variable_is_refused() -> None:
    source = ("def outer(xs):\n    out = None\n    x = None\n\n    def peek():\n        return out\n\n    def build():\n"
              "        nonlocal out\n        out = []\n        for x in xs:\n            out.append(peek())\n\n"
              "    def loop():\n        nonlocal x\n        got = []\n        for x in xs:\n            got.append(x)\n"
              "        return got\n\n    build()\n    return out, loop(), x\n")
    found = sites(source)
    assert found["comprehension@m:outer.build#0"].reasons == ("`out` is not a local variable",)  # type: ignore[attr-defined]
    assert found["comprehension@m:outer.loop#0"].reasons == ("the loop variable `x` is not a local",)  # type: ignore[attr-defined]
    out, got, x = load(source)["outer"]([1, 2])  # type: ignore[operator]
    assert out[0] is out and got == [1, 2] and x == 2  # what a comprehension would have changed


# --- a grid of loop shapes: each applicable one compiles and behaves the same ------------------------

INITS = ["out = []", "out = list()", "out: list = []"]
ITERABLES = ["xs", "xs if flag else ys", "range(n)", "1, 2, 3", "sorted(xs)"]
CONDITIONS = [None, "x % 2", "x if flag else not x"]
VALUES = ["x", "x * 2", "(x, n)", "[x] * n if flag else x"]


def grid() -> list[str]:
    sources = []
    for init in INITS:
        for iterable in ITERABLES:
            for condition in CONDITIONS:
                for value in VALUES:
                    body = f"out.append({value})"
                    if condition is not None:
                        body = f"if {condition}:\n            {body}"
                    sources.append(f"def f(xs, ys, n, flag):\n    {init}\n    for x in {iterable}:\n        {body}\n"
                                   "    return out\n")
    return sources


def test_every_shape_of_the_grid_is_rewritten_soundly() -> None:
    transform = transforms.get("comprehension")
    inputs = [([1, 2, 3], [4, 5], 2, True), ([0, 7], [], 0, False), ([], [1], 3, True), ([5], [6], -1, False)]
    rewritten = 0
    for source in grid():
        site = transform.sites(ModuleIndex.of(source, "m"), CTX)[0]
        assert site.verdict == "applicable", (source, site.reasons)
        out = transforms.apply(source, site.id, CTX)
        assert ".append" not in out and ("for x in" in out or "list(" in out)
        before, after = load(source)["f"], load(out)["f"]
        for args in inputs:
            assert outcome(after, *args) == outcome(before, *args), (source, out, args)  # type: ignore[arg-type]
        rewritten += 1
    assert rewritten == len(INITS) * len(ITERABLES) * len(CONDITIONS) * len(VALUES)
