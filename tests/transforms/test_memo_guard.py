"""memoize-helper's run-time guard for fixed parameters without element types."""

from __future__ import annotations

import collections
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.analysis.index import ModuleIndex
from evolver.transforms import Context
from evolver.transforms._memo_guard import guard_code

CTX = Context(module="m")
KNAPSACK = """
def best(weights, values, n: int, cap: int, i: int = 0) -> int:
    if i == n or cap == 0:
        return 0
    if weights[i] > cap:
        return best(weights, values, n, cap, i + 1)
    take = values[i] + best(weights, values, n, cap - weights[i], i + 1)
    return max(take, best(weights, values, n, cap, i + 1))
"""


def load(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "under_test"}
    exec(compile(source, "<test>", "exec", dont_inherit=True), namespace)
    return namespace


@pytest.mark.parametrize(("spec", "good", "bad"), [
    ("list[int]", [[], [1, 2]], [(1,), [True], [1.0], [1, "a"]]),
    ("tuple[int, ...]", [(), (1, 2)], [[1], (1, None)]),
    ("tuple[int, str]", [(1, "a")], [(1,), ("a", 1), (1, "a", 2)]),
    ("dict[str, list[str]]", [{}, {"a": ["b"]}], [{"a": ("b",)}, {1: []}, collections.defaultdict(list)]),
    ("list[list[int]]", [[[1], []]], [[[1], [True]], [(1,)]]),
    ("int", [0, -3], [True, 1.0, "1"]),
])
def test_the_guard_tests_exactly_the_type(spec: str, good: list[Any], bad: list[Any]) -> None:
    check = eval(f"lambda x: {guard_code([{'x': spec}])}")
    assert all(check(value) for value in good)
    assert not any(check(value) for value in bad)


def test_alternatives_are_joined_with_or() -> None:
    code = guard_code([{"a": "list[int]", "b": "int"}, {"a": "list[float]", "b": "int"}])
    check = eval(f"lambda a, b: {code}")
    assert check([1], 2) and check([1.5], 2) and not check([1, 1.5], 2) and not check([1], 2.0)


def test_knapsack_without_annotations_agrees_cached_or_not() -> None:
    [site] = transforms.get("memoize-helper").sites(ModuleIndex.of(KNAPSACK, "m"), CTX)
    assert site.verdict == "applicable", site.reasons
    assert any("checked at run time" in note for note in site.reasons)
    before, after = load(KNAPSACK)["best"], load(transforms.apply(KNAPSACK, site.id, CTX))["best"]
    numbers = st.one_of(st.integers(0, 9), st.floats(0, 9), st.booleans())

    @given(st.lists(st.tuples(st.integers(0, 9), numbers), max_size=14), st.integers(0, 25), st.booleans())
    @settings(max_examples=120, deadline=None)
    def check(items: list[tuple[int, Any]], cap: int, as_tuple: bool) -> None:
        weights = [w for w, _ in items]
        values: Any = [v for _, v in items]
        if as_tuple:
            values = tuple(values)
        assert after(weights, values, len(items), cap) == before(weights, values, len(items), cap)

    check()
