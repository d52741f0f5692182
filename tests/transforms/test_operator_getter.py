"""operator-getter: a getter returns what the lambda returned and raises what it raised, in every
caller that only calls its key; lambdas that could be called otherwise are left alone."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.transforms import Context
from transforms.checks import outcome, under_test

CTX = Context(module="m")
NAME = "operator-getter"
sites, rewritten, load = under_test(NAME, CTX)


ITEMS = '''import bisect
import heapq
import itertools


def run(data):
    rows = list(data)
    a = sorted(rows, key=lambda r: r[1])
    b = max(rows, key=lambda r: (r[-1], r[0]), default=None)
    c = list(map(lambda r: r[0], rows))
    d = list(filter(lambda r: r[2], rows))
    e = heapq.nsmallest(2, rows, key=lambda r: r[1])
    f = [k for k, _ in itertools.groupby(a, lambda r: r[1])]
    rows.sort(key=lambda r: r[0], reverse=True)
    g = bisect.bisect_left(a, 1, key=lambda r: r[1])
    return a, b, c, d, e, f, rows, g
'''
ROWS = st.lists(st.lists(st.integers(-2, 2), min_size=0, max_size=4).map(tuple), max_size=6)


@given(ROWS)
@settings(max_examples=150, deadline=None)
def test_item_getters_agree_with_the_lambdas(rows: list[tuple[int, ...]]) -> None:
    out = rewritten(ITEMS)
    assert "lambda" not in out and "operator.itemgetter(-1, 0)" in out
    assert outcome(load(out)["run"], rows) == outcome(load(ITEMS)["run"], rows)


ATTRS = '''def run(people):
    by_age = sorted(people, key=lambda p: p.age)
    oldest = max(people, key=lambda p: (p.age, p.name.upper), default=None)
    return [p.name for p in by_age], oldest and oldest.name
'''
PEOPLE = st.lists(st.builds(SimpleNamespace, age=st.integers(0, 3), name=st.sampled_from(["ann", "bob"]))
                  | st.builds(SimpleNamespace, name=st.just("nobody")), max_size=5)


@given(PEOPLE)
@settings(max_examples=100, deadline=None)
def test_attribute_getters_agree_with_the_lambdas(people: list[SimpleNamespace]) -> None:
    out = rewritten(ATTRS)
    assert 'operator.attrgetter("age", "name.upper")' in out
    assert outcome(load(out)["run"], people) == outcome(load(ATTRS)["run"], people)


@pytest.mark.parametrize(("source", "reason"), [
    ("def f(xs, ys):\n    return list(map(lambda p: p[0], xs, ys))\n", "not known to only call the lambda"),
    ("def f(xs):\n    return sorted(xs, key=[lambda p: p[0]][0])\n", "not passed straight"),
    ("def f(xs):\n    return sorted(*[xs], **{'key': lambda p: p[0]})\n", "not passed straight"),
    ("def f(xs):\n    return helper(lambda p: p.name)\n", "not known to only call the lambda"),
    ("def f(xs):\n    return filter(lambda p: p[0], xs, 1)\n", "not known to only call the lambda"),
    ("import operator as op\n\n\ndef operator():\n    pass\n\n\n"
     "def f(xs):\n    return sorted(xs, key=lambda p: p[0])\n", "something other than the operator module"),
])
def test_refusals(source: str, reason: str) -> None:
    site = sites(source)["f#0"]
    assert site.verdict == "refused" and any(reason in r for r in site.reasons), site.reasons


@pytest.mark.parametrize("source", [
    "def f(xs):\n    return sorted(xs, key=lambda p: p[0] + 1)\n",
    "def f(xs):\n    return sorted(xs, key=lambda p: (p[0],))\n",
    "def f(xs):\n    return sorted(xs, key=lambda p: (p[0], p.name))\n",
    "def f(xs):\n    return sorted(xs, key=lambda p: p.name())\n",
    "def f(xs):\n    return sorted(xs, key=lambda *p: p[0])\n",
    "def f(xs):\n    return sorted(xs, key=lambda p: q[0])\n",
    "def f(xs):\n    return sorted(xs, key=lambda p: p[1:])\n",
])
def test_lambdas_that_do_more_than_fetch_are_not_sites(source: str) -> None:
    assert sites(source) == {}


def test_site_numbers_survive_rewrites_in_any_order() -> None:
    source = "def f(xs):\n    a = sorted(xs, key=lambda p: p[0])\n    return a, min(xs, key=lambda p: p.size)\n"
    ids = [s.id for s in sites(source).values() if s.verdict == "applicable"]
    assert ids == ["operator-getter@m:f#0", "operator-getter@m:f#1"]
    assert transforms.apply_many(source, ids, CTX) == transforms.apply_many(source, ids[::-1], CTX)
