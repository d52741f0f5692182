from __future__ import annotations

from collections.abc import Iterator

import pytest

import inventory
import workload
from inventory import OutOfStock, Warehouse


@pytest.fixture(autouse=True)
def tables(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(inventory, "LATENCY", 0.0)
    inventory.load({"A-1": (2, 150), "B-2": (10, 20), "C-3": (0, 999)})
    yield
    inventory.load({})


def test_sku_checksum() -> None:
    assert inventory.sku_checksum("") == 0
    assert inventory.sku_checksum("A") == 65 % 11
    assert inventory.sku_checksum("AB") == (65 + 2 * 66) % 11
    assert inventory.sku_checksum("BA") != inventory.sku_checksum("AB")


def test_stock_value_follows_the_tables() -> None:
    assert inventory.stock_value("A-1") == 300
    inventory.receive("A-1", 3)
    assert inventory.stock_value("A-1") == 750
    inventory.PRICES["A-1"] = 100
    assert inventory.stock_value("A-1") == 500
    assert inventory.stock_value("nope") == 0
    assert inventory.total_value(("A-1", "B-2", "C-3")) == 700


def test_reorder_flags_change_with_stock() -> None:
    assert inventory.needs_reorder("A-1") and not inventory.needs_reorder("B-2")
    inventory.receive("A-1", 10)
    assert not inventory.needs_reorder("A-1")


def test_reserve_mutates_the_basket_and_the_stock() -> None:
    basket: list[str] = []
    assert inventory.reserve(basket, "A-1") == 1
    assert inventory.reserve(basket, "A-1") == 2
    assert basket == ["A-1", "A-1"] and inventory.STOCK["A-1"] == 0
    with pytest.raises(OutOfStock):
        inventory.reserve(basket, "A-1")
    other: list[str] = ["B-2"]
    assert inventory.reserve(other, "B-2") == 2
    assert inventory.basket_total(basket + other) == 340


def test_central_levels_keep_order() -> None:
    skus = ["A-1", "B-2", "C-3", "A-1"]
    levels = inventory.central_levels(skus)
    assert levels == [inventory.fetch_level(s) for s in skus]
    assert all(100 <= n < 150 for n in levels) and levels[0] == levels[3]


def test_warehouse_drops_some_requests() -> None:
    remote = Warehouse("w", {"A-1": 7}, drop_every=2)
    outcomes = []
    for _ in range(4):
        try:
            outcomes.append(remote.count("A-1"))
        except ConnectionError:
            outcomes.append("dropped")
    assert outcomes.count("dropped") == 2 and outcomes.count(7) == 2
    assert Warehouse("w", {}, drop_every=0).count("x") == 0


def test_audit_separates_failures() -> None:
    remote = Warehouse("w", {"A-1": 1, "B-2": 2, "C-3": 3}, drop_every=0)
    counted, failed = inventory.audit(remote, ["A-1", "B-2", "C-3"])
    assert [(c.sku, c.units) for c in counted] == [("A-1", 1), ("B-2", 2), ("C-3", 3)] and failed == []
    flaky = Warehouse("w", {"A-1": 1, "B-2": 2, "C-3": 3}, drop_every=1)
    assert inventory.audit(flaky, ["A-1"]) == ([], ["A-1"])


def test_workload_is_stable() -> None:
    first = workload.run()
    assert first["values"][0] < first["values"][-1] and first["basket"] > 0
    assert len(first["counted"]) == len(workload.SKUS)
    assert first == workload.run()
