"""linear-concat: the linear forms build the same lists (and raise the same errors) as the
quadratic ones, and nothing that could see the old list changing is rewritten."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.transforms import Context
from transforms.checks import outcome, under_test

CTX = Context(module="m")
NAME = "linear-concat"
sites, rewritten, load = under_test(NAME, CTX)


SUMS = '''def flat(rows: list[list[int]]):
    return sum(rows, [])


def flat_tuples(rows: list[tuple[int, ...]]):
    return sum(rows, start=())


def flat_generated(n: int):
    return sum(([i] * (i % 3) for i in range(n)), [])
'''


@given(st.lists(st.lists(st.integers(-3, 3), max_size=4), max_size=6), st.integers(0, 12))
@settings(max_examples=80, deadline=None)
def test_chained_sums_build_the_same_fresh_sequence(rows: list[list[int]], n: int) -> None:
    before, after = load(SUMS), load(rewritten(SUMS))
    assert "list(itertools.chain.from_iterable(rows))" in rewritten(SUMS)
    result = after["flat"](rows)  # type: ignore[operator]
    assert result == before["flat"](rows) and all(result is not row for row in rows)  # type: ignore[operator]
    tuples = [tuple(row) for row in rows]
    assert after["flat_tuples"](tuples) == before["flat_tuples"](tuples)  # type: ignore[operator]
    assert after["flat_generated"](n) == before["flat_generated"](n)  # type: ignore[operator]


LOOP = '''def gather(items: list[int]) -> list[int]:
    acc = []
    for x in items:
        if x < -2:
            break
        if x > 2:
            continue
        acc = acc + [10 // x]
        acc = acc + [x, -x]
        acc = acc + acc[:1]
    total = len(acc)
    return acc + [total]


def chunks(items: list[int]):
    out = []
    i = 0
    while i < len(items):
        out = out + [items[i:i + 2]]
        i += 2
    return out
'''


@given(st.lists(st.integers(-4, 4), max_size=10))
@settings(max_examples=100, deadline=None)
def test_loops_build_the_same_lists_and_raise_the_same_errors(items: list[int]) -> None:
    out = rewritten(LOOP)
    assert "        acc.append(10 // x)\n        acc += [x, -x]\n        acc += acc[:1]\n" in out
    assert "        out.append(items[i:i + 2])\n" in out
    before, after = load(LOOP), load(out)
    for name in ("gather", "chunks"):
        assert outcome(after[name], items) == outcome(before[name], items)


def test_site_numbers_survive_rewrites_in_any_order() -> None:
    source = LOOP.split("\n\n\ndef chunks")[0] + "\n"
    ids = [s.id for s in sites(source).values() if s.verdict == "applicable"]
    assert ids == ["linear-concat@m:gather#0", "linear-concat@m:gather#1", "linear-concat@m:gather#2"]
    assert transforms.apply_many(source, ids, CTX) == transforms.apply_many(source, ids[::-1], CTX)
    assert transforms.apply_many(source, ids[1:], CTX).count("acc += ") == 2


def loop(*lines: str, params: str = "n: int", setup: str = "acc = []") -> str:
    inner = "".join(f"        {line}\n" for line in lines)
    return f"def f({params}):\n    {setup}\n    for i in range(n):\n{inner}    return acc\n"


@pytest.mark.parametrize(("source", "reason"), [
    (loop("acc = acc + (i,)"), "is not provably a list, exactly"),
    (loop("acc = acc + more", params="n: int, more"), "`more` is not provably a list"),
    (loop("acc = acc + [i]", setup="acc = make()"), "not always bound to a fresh list"),
    (loop("acc = acc + [i]", setup="acc = alias = []"), "not always bound to a fresh list"),
    (loop("acc = acc + [i]", "keep(acc)"), "may be seen elsewhere (keep(acc))"),
    (loop("acc = acc + [i]", "box.items = acc", params="n: int, box"), "may be seen elsewhere"),
    (loop("acc = acc + [i]", "f = lambda: acc"), "may be seen elsewhere"),
    (loop("acc = acc + [i]", "yield acc"), "may be seen elsewhere"),
    (loop("acc = acc + [i]", "ids.append(id(acc))", params="n: int, ids: list"), "identity of `acc` is observed"),
    (loop("acc = acc + [i]", "g = (a for a in acc)"), "may be seen elsewhere"),
    (loop("acc = acc + [i]", "e = enumerate(acc)"), "may be seen elsewhere"),
    (loop("acc = acc + [i]", "other = acc or [0]"), "may be seen elsewhere"),
    (loop("acc = acc + [i]", "v = thing + acc", params="n: int, thing"), "may be seen elsewhere"),
    (loop("acc = acc + [i]", params="n: int, acc: list[int]", setup="pass"), "is a parameter"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_refusals(source: str, reason: str) -> None:
    site = sites(source)["f#0"]
    assert site.verdict == "refused" and any(reason in r for r in site.reasons), site.reasons


def test_a_closure_rebinding_the_accumulator_is_refused() -> None:
    source = ("def f(n: int):\n    acc = []\n\n    def reset():\n        nonlocal acc\n        acc = []\n\n"
              "    for i in range(n):\n        acc = acc + [i]\n        reset()\n    return acc\n")
    assert sites(source)["f#0"].reasons == ("`acc` is shared with the nested function f.reset: it would see the list "
                                            "change",)


def test_only_list_building_is_a_site() -> None:
    source = ("def f(n: int, s: str):\n    k = 0\n    for i in range(n):\n        k = k + i\n"
              "        s = s + 'x'\n    return k, s\n")
    assert sites(source) == {}
