"""Inventory with nested bundles: stock checks, bundle pricing and reorder planning."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: Decimal
    components: tuple[tuple[str, int], ...] = ()


@dataclass
class Inventory:
    products: dict[str, Product] = field(default_factory=dict)
    stock: dict[str, int] = field(default_factory=dict)
    reorder_level: dict[str, int] = field(default_factory=dict)

    def add(self, product: Product, quantity: int = 0, reorder_at: int = 0) -> None:
        self.products[product.sku] = product
        self.stock[product.sku] = self.stock.get(product.sku, 0) + quantity
        self.reorder_level[product.sku] = reorder_at

    def unit_cost(self, sku: str) -> Decimal:
        product = self.products[sku]
        if not product.components:
            return product.price
        return sum((self.unit_cost(part) * count for part, count in product.components), Decimal("0"))

    def buildable(self, sku: str) -> int:
        product = self.products[sku]
        if not product.components:
            return self.stock.get(sku, 0)
        return min(self.buildable(part) // count for part, count in product.components)

    def reserve(self, sku: str, quantity: int) -> None:
        product = self.products[sku]
        if not product.components:
            available = self.stock.get(sku, 0)
            if available < quantity:
                raise ValueError(f"only {available} of {sku} in stock")
            self.stock[sku] = available - quantity
            return
        if self.buildable(sku) < quantity:
            raise ValueError(f"cannot build {quantity} of {sku}")
        for part, count in product.components:
            self.reserve(part, count * quantity)

    def flatten(self, sku: str, quantity: int = 1) -> dict[str, int]:
        product = self.products[sku]
        if not product.components:
            return {sku: quantity}
        totals: dict[str, int] = {}
        for part, count in product.components:
            for leaf, amount in self.flatten(part, count * quantity).items():
                totals[leaf] = totals.get(leaf, 0) + amount
        return totals

    def reorder_plan(self, batch: int = 10) -> list[tuple[str, int]]:
        plan = []
        for sku in sorted(self.stock):
            level = self.reorder_level.get(sku, 0)
            if self.stock[sku] <= level:
                shortfall = level - self.stock[sku]
                plan.append((sku, ((shortfall // batch) + 1) * batch))
        return plan

    def valuation(self) -> Decimal:
        total = Decimal("0")
        for sku, quantity in self.stock.items():
            if quantity > 0:
                total += self.unit_cost(sku) * quantity
        return total


def margin(price: Decimal, cost: Decimal) -> Decimal:
    if price <= 0:
        raise ValueError("price must be positive")
    return ((price - cost) / price * 100).quantize(Decimal("0.1"))
