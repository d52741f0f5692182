"""dict-items: iterating items() yields the values the lookups read, also when the loop body changes
the dict, and the transform refuses dicts it cannot see or that may be swapped for another."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.transforms import Context
from transforms.checks import outcome, under_test

CTX = Context(module="m")
NAME = "dict-items"
sites, rewritten, load = under_test(NAME, CTX)


SAMPLE = '''import collections


def bump_later(src: dict[int, int]) -> tuple[list[int], dict[int, int]]:
    d = {int(k): int(v) for k, v in src.items()}
    seen = []
    keys = list(d)
    for k in d:
        v = d[k]
        seen.append(v)
        for other in keys:
            d[other] = d[other] + k
    return seen, d


def grow(src: dict[int, int], limit: int) -> tuple[list[int], dict[int, int]]:
    d = {int(k): int(v) for k, v in src.items()}
    seen = []
    for k in d.keys():
        v = d[k]
        seen.append(v)
        if v > limit:
            d[v * 100] = 0
    return seen, d


def shrink(src: dict[int, int]) -> tuple[list[int], dict[int, int]]:
    d = {int(k): int(v) for k, v in src.items()}
    seen = []
    for k in d:
        v = d[k]
        seen.append(k + v)
        if v < 0:
            del d[k]
    return seen, d


def group(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    index = collections.defaultdict(int)
    for a, b in pairs:
        index[a] += b
    out = []
    for key in index:
        total = index[key]
        out.append((key, total))
    return out
'''
DICTS = st.dictionaries(st.integers(-5, 5), st.integers(-5, 5), max_size=6)


@given(DICTS, st.integers(-5, 5))
@settings(max_examples=120, deadline=None)
def test_items_yield_what_the_lookups_read(d: dict[int, int], limit: int) -> None:
    """The dicts are made in the functions (an annotated one may be a subclass: refused)."""
    out = rewritten(SAMPLE)
    assert out.count(".items():") == 4 and "v = d[k]" not in out
    before, after = load(SAMPLE), load(out)
    for name, args in (("bump_later", ()), ("grow", (limit,)), ("shrink", ())):
        mine, theirs = dict(d), dict(d)
        assert outcome(after[name], mine, *args) == outcome(before[name], theirs, *args)
        assert mine == theirs
    pairs = list(d.items())
    assert outcome(after["group"], pairs) == outcome(before["group"], pairs)


def test_comments_of_the_dropped_line_are_kept() -> None:
    source = ("def f(names: list[str]):\n    d = {f'{k}.': len(k) for k in names}\n    out = 0\n    for k in d:\n"
              "        # the value\n        v = d[k]  # looked up\n\n        out += v  # summed\n    return out\n")
    assert rewritten(source) == ("def f(names: list[str]):\n    d = {f'{k}.': len(k) for k in names}\n    out = 0\n"
                                 "    for k, v in d.items():\n"
                                 "        # the value\n        # looked up\n\n"
                                 "        out += v  # summed\n    return out\n")


@pytest.mark.parametrize(("source", "reason"), [
    ("def f(d):\n    for k in d:\n        v = d[k]\n        print(v)\n", "not provably a dict"),
    ("def f(d: list[int]):\n    for k in d:\n        v = d[k]\n        print(v)\n", "not provably a dict"),
    ("def f(d: dict[str, int], e: dict[str, int]):\n    for k in d:\n        v = d[k]\n        d = e\n",
     "rebound in the loop"),
    ("def f(d: dict[str, str]):\n    for k in d:\n        k = d[k]\n        print(k)\n", "three different names"),
    ("async def f(d: dict[str, int]):\n    async for k in d:\n        v = d[k]\n        print(v)\n", "asynchronous"),
    ("D = {}\n\n\ndef g():\n    global D\n    D = {1: 2}\n\n\ndef f():\n    for k in D:\n        v = D[k]\n"
     "        print(v)\n", "bound more than once"),
    ("def f(m: dict[str, int]):\n    def inner():\n        nonlocal m\n        m = {}\n    for k in m:\n"
     "        v = m[k]\n        inner()\n", "rebound by the nested function f.inner"),
    ("def f(m: dict[str, int], dict=None):\n    for k in m:\n        v = m[k]\n        print(v)\n",
     "not provably a dict itself"),
])
def test_refusals(source: str, reason: str) -> None:
    site = sites(source)["f#0"]
    assert site.verdict == "refused" and any(reason in r for r in site.reasons), site.reasons


def test_a_module_dict_bound_once_is_accepted() -> None:
    source = ("TABLE = {'a': 1}\n\n\ndef f():\n    out = []\n    for k in TABLE:\n        v = TABLE[k]\n"
              "        out.append(v)\n    return out\n")
    assert "for k, v in TABLE.items():" in rewritten(source)


def test_site_numbers_survive_rewrites_in_any_order() -> None:
    source = ("def f():\n    a = {1: 2}\n    b = {3: 4}\n    for k in a:\n        v = a[k]\n        print(v)\n"
              "    for k in b:\n        v = b[k]\n        print(v)\n")
    ids = [s.id for s in sites(source).values() if s.verdict == "applicable"]
    assert ids == ["dict-items@m:f#0", "dict-items@m:f#1"]
    assert transforms.apply_many(source, ids, CTX) == transforms.apply_many(source, ids[::-1], CTX)
