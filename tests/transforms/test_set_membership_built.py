"""set-membership on a list the function builds with append: a set instead, a set beside it, or a
set behind a run-time type check."""

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
NAME = "set-membership"

REPLACED = """
def firsts(xs: list[int]) -> int:
    seen = []
    n = 0
    for x in xs:
        v = x * 3 % 7
        if v not in seen:
            seen.append(v)
            n += 1
    return n
"""
KEPT = """
def order(xs: list[int]) -> list[int]:
    seen = [0]
    for x in xs:
        if x in seen:
            continue
        seen.append(x * 1)
    return seen + [len(seen)]
"""
GUARDED = """
def period(values, m):
    seen = []
    out = []
    for raw in values:
        v = raw % m if type(raw) is int else raw
        if v in seen:
            out.append(len(seen))
        seen.append(v)
    return out, seen
"""


def sites(source: str) -> dict[str, Site]:
    return {s.id: s for s in transforms.get(NAME).sites(ModuleIndex.of(source, CTX.module), CTX)}


def load(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "under_test"}
    exec(compile(source, "<test>", "exec", dont_inherit=True), namespace)
    return namespace


def outcome(func: Any, *args: Any) -> tuple[Any, ...]:
    try:
        return ("returned", func(*args))
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


@pytest.mark.parametrize(("source", "function", "expected"), [
    (REPLACED, "firsts", ["seen = set()", "seen.add(v)", "if v not in seen:"]),
    (KEPT, "order", ["seen = [0]\n    _evolver_seen = set(seen)\n", "if x in _evolver_seen:",
                     "seen.append(x * 1)\n        _evolver_seen.add(seen[-1])\n"]),
    (GUARDED, "period", ["_evolver_seen = set()", "type(v) in (bool, bytes, float, int, str) else v in seen)",
                         "and _evolver_seen.add(seen[-1]) is None else None"]),
])
def test_forms_and_the_same_results(source: str, function: str, expected: list[str]) -> None:
    [site] = sites(source).values()
    assert site.verdict == "applicable", site.reasons
    out = transforms.apply(source, site.id, CTX)
    for text in expected:
        assert text in out, out
    assert sites(out)[site.id].reasons == ("already a set",)  # the id stays, the site is done
    before, after = load(source)[function], load(out)[function]
    values = st.lists(st.integers(-5, 30), max_size=25)
    if function == "period":
        values = st.lists(st.one_of(st.integers(-5, 30), st.floats(allow_nan=True), st.booleans(), st.text(max_size=1),
                                    st.lists(st.integers(), max_size=1), st.tuples(st.integers())), max_size=25)

    @given(values)
    @settings(max_examples=150, deadline=None)
    def check(xs: list[Any]) -> None:
        args = (xs, 7) if function == "period" else (xs,)
        assert repr(outcome(after, *args)) == repr(outcome(before, *args))

    check()


def test_an_unhashable_value_drops_the_set_for_good() -> None:
    out = transforms.apply(GUARDED, "set-membership@m:period#0", CTX)
    namespace = load(out)
    values = [1, [2], 8, [2], 1.0, True, 15]
    assert namespace["period"](values, 7) == load(GUARDED)["period"](values, 7) == ([2, 3, 4, 5, 6], [1, [2], 1, [2], 1.0, True, 1])


def test_reasons_of_the_built_shape() -> None:
    refused = {
        "def f(xs: list[int], log) -> int:\n    seen = []\n    for x in xs:\n        if x in seen:\n"
        "            log(seen)\n        seen.append(x)\n    return 0\n": "could change it",
        "def f(xs: list[int]) -> list[int]:\n    seen = []\n    for x in xs:\n        x in seen or seen.append(x)\n"
        "    return seen\n": "not a statement of its own",
        "def f(xs, key) -> list:\n    seen = []\n    for x in xs:\n        if key(x) in seen:\n            continue\n"
        "        seen.append(x)\n    return seen\n": "not a plain name",
        "def f(xs: list[int]) -> int:\n    seen = []\n    for x in xs:\n        if [x] in seen:\n            continue\n"
        "        seen.append([x])\n    return 0\n": "never a plain hashable value",
        "def f(xs):\n    type = 3\n    seen = []\n    for x in xs:\n        if x in seen:\n            continue\n"
        "        seen.append(x)\n    return type\n": "`type` is not the builtin here",
    }
    for source, reason in refused.items():
        found = sites(source)
        assert found and all(s.verdict == "refused" and any(reason in r for r in s.reasons) for s in found.values()), \
            (reason, found)
