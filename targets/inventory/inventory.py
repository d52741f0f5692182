"""Warehouse inventory: a stock table, prices, reservations and remote stock counts.

``STOCK`` and ``PRICES`` are module tables that change while the program runs (deliveries,
reservations, repricing): a function that reads them is not a function of its arguments.
Physical counts come from remote warehouses (``Warehouse.count``: a network round trip of
``LATENCY`` seconds that sometimes drops with a ``ConnectionError``; counting is read-only, so
asking again is safe).
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass

LATENCY = 0.004  # seconds per remote count
STOCK: dict[str, int] = {}  # sku -> units on hand
PRICES: dict[str, int] = {}  # sku -> cents per unit
LOW_WATER = 5


class OutOfStock(Exception):
    pass


@dataclass(frozen=True)
class Count:
    sku: str
    units: int


def load(table: dict[str, tuple[int, int]]) -> None:
    """Replace the stock and price tables: ``{sku: (units, cents)}``."""
    STOCK.clear()
    PRICES.clear()
    for sku in table:
        entry = table[sku]
        STOCK[sku], PRICES[sku] = entry


def sku_checksum(sku: str) -> int:
    """The check digit printed on labels: weighted sum of the characters mod 11."""
    total = 0
    for position, ch in enumerate(sku):
        total += (position + 1) * ord(ch)
    return total % 11


def stock_value(sku: str) -> int:
    """Value on hand of one SKU, in cents (looks pure; reads two changing tables)."""
    return STOCK.get(sku, 0) * PRICES.get(sku, 0)


def total_value(skus: tuple[str, ...]) -> int:
    return sum(stock_value(sku) for sku in skus)


def needs_reorder(sku: str) -> bool:
    return STOCK.get(sku, 0) < LOW_WATER


def receive(sku: str, units: int) -> int:
    STOCK[sku] = STOCK.get(sku, 0) + units
    return STOCK[sku]


def reserve(basket: list[str], sku: str) -> int:
    """Take one unit of ``sku`` off the shelf into ``basket``; the basket's new size."""
    if STOCK.get(sku, 0) <= 0:
        raise OutOfStock(sku)
    STOCK[sku] -= 1
    basket.append(sku)
    return len(basket)


def basket_total(basket: list[str]) -> int:
    total = 0
    for sku in basket:
        total += PRICES[sku]
    return total


class Warehouse:
    """A remote warehouse that answers stock counts; every ``drop_every``-th request is lost."""

    def __init__(self, name: str, levels: dict[str, int], drop_every: int = 7) -> None:
        self.name = name
        self.levels = dict(levels)
        self.drop_every = drop_every
        self.requests = 0

    def count(self, sku: str) -> int:
        self.requests += 1
        time.sleep(LATENCY)
        if self.drop_every and (self.requests + zlib.crc32(sku.encode())) % self.drop_every == 0:
            raise ConnectionError(f"{self.name}: connection dropped counting {sku}")
        return self.levels.get(sku, 0)


def fetch_level(sku: str) -> int:
    """The central system's count for one SKU (a round trip to the stock service)."""
    time.sleep(LATENCY)
    return 100 + zlib.crc32(sku.encode()) % 50


def central_levels(skus: list[str]) -> list[int]:
    levels = []
    for sku in skus:
        levels.append(fetch_level(sku))
    return levels


def audit(warehouse: Warehouse, skus: list[str]) -> tuple[list[Count], list[str]]:
    """Count every SKU at ``warehouse``; the SKUs whose count failed are returned separately."""
    counted, failed = [], []
    for sku in skus:
        try:
            counted.append(Count(sku, warehouse.count(sku)))
        except ConnectionError:
            failed.append(sku)
    return counted, failed
