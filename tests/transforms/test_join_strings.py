"""join-strings: the exact-str proofs it relies on, what it refuses, and that rewritten code builds
the same string and raises the same exceptions as the original (run in-process on sample inputs)."""

from __future__ import annotations

import ast
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import ModuleIndex
from evolver.transforms import Context

CTX = Context(module="m")
NAME = "join-strings"


def sites(source: str) -> dict[str, object]:
    return {s.id: s for s in transforms.propose(source, CTX) if s.transform == NAME}


def rewrite(source: str) -> str:
    ids = [i for i, s in sites(source).items() if s.verdict == "applicable"]  # type: ignore[attr-defined]
    assert ids, sites(source)
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


# --- which pieces are provably strings ------------------------------------------------------------

PIECES = '''
import math


def f(x, n: int, s: str, words: list[str], tup: tuple[str, ...], it: "list[str]"):
    local: str = g()
    split = s.split(",")
    for w in words:
        pass
    for t in tup:
        pass
    for p in split:
        pass
    for c in s:
        pass
    for q in it:
        pass
    return (
        f"{x}", "lit", "a" "b", str(x), repr(x), format(x), chr(n), s.upper(), "-".join(words), s + "!",
        "%d" % n, "-" * n, s[1:], s if n else "", local, w, t, p, c,
        x, b"x", x.name, n + 1, s + x, q, math.pi, [s], s.split(), s.encode(), s if n else 1,
    )
'''


def test_only_constructed_strs_are_exact() -> None:
    index = ModuleIndex.of(PIECES, "m")
    fn = index.function("f")
    assert fn is not None
    ret = next(n for n in index.walk(fn.node) if isinstance(n, ast.Return))
    assert isinstance(ret.value, ast.Tuple)
    facts = types.facts(index, fn)
    exact = [index.code(e) for e in ret.value.elts if k.exactly(facts.of(e), ("str",))]
    declared = [index.code(e) for e in ret.value.elts if k.is_(facts.of(e), ("str",)) and index.code(e) not in exact]
    assert exact == ['"lit"', '"a" "b"', "chr(n)", '"-".join(words)']
    # what a str subclass may stand behind: a one-field f-string, str()/repr()/format() of anything,
    # methods and operators of a declared str, items of a declared collection
    assert declared == ['f"{x}"', "str(x)", "repr(x)", "format(x)", "s.upper()", 's + "!"', '"%d" % n', '"-" * n',
                        "s[1:]", 's if n else ""', "w", "t", "p", "c"]


# --- differential ------------------------------------------------------------------------------------

RENDER = '''
def render(pairs, sep: str):
    out = ""
    for k, v in pairs:
        if k:
            out += f"{k}={v}{sep}"
    return out
'''
DIVIDE = '''
def show(xs: list[int]):
    text = ''
    for x in xs:
        text += f"{100 // x},"
    return text
'''
CLOSURE = '''
def build(words: list[str]):
    s = ""
    for w in words:
        s += f"<{w.strip().title()}>"
    size = lambda: len(s)
    return s, size()
'''


@given(st.lists(st.tuples(st.one_of(st.text(max_size=3), st.integers(-2, 2)), st.integers()), max_size=10),
       st.text(max_size=2))
@settings(max_examples=80, deadline=None)
def test_render_agrees(pairs: list[tuple[object, int]], sep: str) -> None:
    assert outcome(AFTER["render"]["render"], pairs, sep) == outcome(BEFORE["render"]["render"], pairs, sep)


@given(st.lists(st.integers(-3, 3), max_size=10))
@settings(max_examples=80, deadline=None)
def test_the_same_exception_surfaces(xs: list[int]) -> None:
    assert outcome(AFTER["divide"]["show"], xs) == outcome(BEFORE["divide"]["show"], xs)


@given(st.lists(st.text(max_size=5), max_size=10))
@settings(max_examples=50, deadline=None)
def test_a_string_read_by_a_later_closure_agrees(words: list[str]) -> None:
    assert outcome(AFTER["closure"]["build"], words) == outcome(BEFORE["closure"]["build"], words)


SOURCES = {"render": RENDER, "divide": DIVIDE, "closure": CLOSURE}
BEFORE: dict[str, dict[str, Callable[..., object]]] = {k: load(v) for k, v in SOURCES.items()}  # type: ignore[misc]
AFTER: dict[str, dict[str, Callable[..., object]]] = {k: load(rewrite(v)) for k, v in SOURCES.items()}  # type: ignore[misc]


def test_the_rewrites_read_as_expected() -> None:
    assert '    out = "".join([f"{k}={v}{sep}" for k, v in pairs if k])\n' in rewrite(RENDER)
    assert "    text = ''.join([f\"{100 // x},\" for x in xs])\n" in rewrite(DIVIDE)
    assert '    s = "".join([f"<{w.strip().title()}>" for w in words])\n' in rewrite(CLOSURE)


# --- refusals ---------------------------------------------------------------------------------------


def test_numeric_accumulators_are_not_even_candidates() -> None:
    assert sites("def f(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n") == {}
    assert sites("def f(xs):\n    t = []\n    for x in xs:\n        t += [x]\n    return t\n") == {}


def test_a_piece_that_is_not_provably_a_str_is_refused() -> None:
    class Weird:
        def __radd__(self, other: str) -> int:
            return 7

    source = "def f(xs):\n    s = ''\n    for x in xs:\n        s += x\n    return s\n"
    site = sites(source)["join-strings@m:f#0"]
    assert site.reasons == ("the added value `x` is not provably a str, exactly (unknown): a str subclass's "  # type: ignore[attr-defined]
                            "__radd__ would run, and anything else means something else for `+=`",)
    # why: `+=` is not concatenation for such a value, and "".join would raise instead
    assert load(source)["f"]([Weird()]) == 7  # type: ignore[operator]


def test_a_string_read_inside_the_loop_is_refused() -> None:
    source = "def f(xs: list[str]):\n    s = ''\n    for x in xs:\n        s += f'{x}.' if s else 'x'\n    return s\n"
    assert sites(source)["join-strings@m:f#0"].reasons == ("`s` is read inside the loop",)  # type: ignore[attr-defined]


def test_an_accumulator_in_a_repeated_loop_read_by_an_earlier_closure_is_refused() -> None:
    source = ("def f(rows: list[str]):\n    fs = []\n    for row in rows:\n        s = ''\n        for x in row.split():\n"
              "            s += f'{x}.'\n        fs.append(lambda: s)\n    return fs\n")
    reasons = sites(source)["join-strings@m:f#1"].reasons  # type: ignore[attr-defined]
    assert reasons == ("`s` is used by a nested function, lambda or comprehension that could run during the loop",)


def _self_reassigned(times: int) -> str:
    steps = "".join(f"    if flags[{i}]:\n        v = v.strip() + v\n" for i in range(times))
    return f"def f(v: str, flags):\n{steps}    return v\n"


@pytest.mark.timeout(60)  # a hang guard: without the fixpoint's bound this question takes hours
def test_a_name_reassigned_from_itself_many_times_gives_up_instead_of_hanging() -> None:
    for times, answers in ((40, ("str+", "unknown")), (2, ("str+",))):
        index = ModuleIndex.of(_self_reassigned(times), "m")
        fn = index.function("f")
        assert fn is not None
        returned = next(n for n in index.walk(fn.node) if isinstance(n, ast.Return)).value
        assert returned is not None
        assert k.show(types.facts(index, fn).of(returned)) in answers  # unknown is the safe answer
