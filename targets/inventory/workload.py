"""A morning at the warehouse: deliveries, reservations, valuation and audits (the benchmark)."""

from __future__ import annotations

import inventory

SKUS = tuple(f"SKU-{i:04d}-{inventory.sku_checksum(f'SKU-{i:04d}')}" for i in range(40))


def run() -> dict[str, object]:
    inventory.load({sku: (3 + i % 9, 100 + 37 * i) for i, sku in enumerate(SKUS)})
    values = [inventory.total_value(SKUS)]
    basket: list[str] = []
    for round_ in range(3):
        for sku in SKUS[round_::3]:
            try:
                inventory.reserve(basket, sku)
            except inventory.OutOfStock:
                pass
        for sku in SKUS[::5]:
            inventory.receive(sku, 2)
        values.append(inventory.total_value(SKUS))
    central = inventory.central_levels(list(SKUS))
    remote = inventory.Warehouse("north", {sku: n for sku, n in zip(SKUS, central)})
    counted, failed = inventory.audit(remote, list(SKUS))
    return {
        "values": values,
        "basket": len(basket),
        "basket_total": inventory.basket_total(basket),
        "reorder": [sku for sku in SKUS if inventory.needs_reorder(sku)],
        "central": central,
        # a failed count falls back to the central figure: the audit's outcome does not depend on the network
        "counted": sorted([(c.sku, c.units) for c in counted] + [(sku, central[SKUS.index(sku)]) for sku in failed]),
    }
