"""The canonical encoding of traced values: what counts as the same, what differs, what is unknown."""

from __future__ import annotations

import collections
import dataclasses
import decimal
import functools
import math
import threading
from typing import Any

import pytest

from evolver.sandbox.trace_values import MAX_DEPTH, Encoder, from_wire, short, to_wire


def record(value: Any) -> list[Any]:
    return Encoder().value(value)


def same(a: Any, b: Any) -> bool:
    return record(a)[0] == record(b)[0]


class Point:
    def __init__(self, x: Any, y: Any) -> None:
        self.x, self.y = x, y


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self, a: int, b: int) -> None:
        self.a, self.b = a, b


@dataclasses.dataclass(frozen=True)
class Frozen:
    name: str
    size: int


class Markup(str):
    def __repr__(self) -> str:
        return "Markup(...)"


def module_function() -> None:
    pass


@pytest.mark.parametrize(("a", "b"), [
    ({"x": 1, "y": 2}, {"y": 2, "x": 1}),  # dict == ignores the order
    ({3, 1, 2}, {2, 3, 1}),
    (frozenset({"a", "b"}), frozenset({"b", "a"})),
    (math.nan, float("nan")),  # every NaN is the same NaN
    (Point(1, [2]), Point(1, [2])),  # objects by state, not by address
    (Slotted(1, 2), Slotted(1, 2)),
    (Frozen("a", 1), Frozen("a", 1)),
    (decimal.Decimal("1.10"), decimal.Decimal("1.10")),
    (module_function, module_function),
    (collections.Counter("abca"), collections.Counter("aacb")),
], ids=["dict-order", "set-order", "frozenset-order", "nan", "object-state", "slots", "dataclass", "decimal",
        "function", "counter"])
def test_equal_values_have_one_digest(a: Any, b: Any) -> None:
    assert same(a, b)
    assert not record(a)[3]


@pytest.mark.parametrize(("a", "b"), [
    (0.0, -0.0),
    (1, 1.0),
    (1, True),
    ([1, 2], (1, 2)),
    ([1, 2], [2, 1]),
    (collections.OrderedDict(a=1, b=2), collections.OrderedDict(b=2, a=1)),  # its == looks at the order
    (Point(1, 2), Point(1, 3)),
    (Point(1, 2), Frozen("a", 1)),
    (Markup("<b>"), "<b>"),
    (Markup("<b>"), Markup("<i>")),
    (decimal.Decimal("1.10"), decimal.Decimal("1.1")),
    (collections.defaultdict(list), collections.defaultdict(set)),
], ids=["negative-zero", "int-float", "int-bool", "list-tuple", "list-order", "ordereddict-order", "state",
        "type", "str-subclass", "str-subclass-data", "decimal-digits", "default-factory"])
def test_different_values_have_different_digests(a: Any, b: Any) -> None:
    assert not same(a, b)


def test_aliasing_shows() -> None:
    row = [0, 0]
    assert not same([row, row], [[0, 0], [0, 0]])
    assert same([row, row], [[1, 1]] * 2) is False  # different data as well
    shared = [7]
    assert same([shared, shared], [[7]] * 2)


def test_a_cycle_is_encoded_as_a_back_reference() -> None:
    a: list[Any] = [1]
    a.append(a)
    b: list[Any] = [1]
    b.append(b)
    assert same(a, b) and not record(a)[3]


@pytest.mark.parametrize("value", [
    (i for i in range(3)),
    threading.Lock(),
    lambda x: x,
    functools.partial(lambda: 1),
    open,  # a builtin is known: by name
], ids=["generator", "lock", "lambda", "partial-of-lambda", "builtin"])
def test_unencodable_values_are_unknown_and_typed(value: Any) -> None:
    found = record(value)
    if value is open:
        assert not found[3]
        return
    assert found[3] == 1, found
    assert found[1]  # the type is still recorded


def test_depth_and_size_limits_make_a_value_unknown() -> None:
    deep: list[Any] = []
    node = deep
    for _ in range(MAX_DEPTH + 3):
        node.append([])
        node = node[0]
    assert record(deep)[3] == 1
    assert Encoder(max_items=100).value(list(range(1000)))[3] == 1
    assert Encoder(max_items=100).value(list(range(50)))[3] == 0


def test_unknown_parts_make_the_whole_value_unknown() -> None:
    assert record({"ok": 1, "gen": (i for i in range(2))})[3] == 1
    assert record(Point(1, threading.Lock()))[3] == 1


def test_previews_are_short_and_free_of_addresses() -> None:
    assert short(Point(1, "a")) == "Point(x=1, y='a')"
    assert short(list(range(100))).startswith("[0, 1, 2")
    assert len(short("x" * 500)) <= 60
    assert "0x" not in short(object())


@pytest.mark.parametrize("value", [
    [1, -0.0, math.inf, "s", b"\x00", None, True],
    {"a": (1, 2), "b": {3, 4}, "c": frozenset({5})},
    [[0, 4], [4, 0]],
])
def test_wire_round_trip(value: Any) -> None:
    import types

    module = types.ModuleType("m")
    back = from_wire(to_wire(value, "m"), module)
    assert same(back, value)
    assert math.isnan(from_wire(to_wire(math.nan, "m"), module))


def test_wire_carries_instances_of_the_module_classes_only() -> None:
    import sys

    module = sys.modules[__name__]
    back = from_wire(to_wire(Point(1, [2]), __name__), module)
    assert isinstance(back, Point) and (back.x, back.y) == (1, [2])
    from evolver.sandbox.trace_values import NotWireable

    with pytest.raises(NotWireable):
        to_wire(threading.Lock(), __name__)
