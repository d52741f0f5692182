"""Quote a fixed book of orders under a changing promotion (the benchmark for evolver)."""

from __future__ import annotations

import pricing

FAMILIES = ("BLT", "NUT", "WSH", "GRD", "PNL", "CBL")
REGIONS = ("EU", "UK", "US", "CH")


def orders(count: int) -> list[pricing.Order]:
    book = []
    for n in range(count):
        lines = tuple(pricing.Line(f"{FAMILIES[(n + k) % 6]}-{(n * 31 + k * 7) % 10000:04d}", 1 + (n * k * 13) % 1200)
                      for k in range(1 + n % 9))
        book.append(pricing.Order(REGIONS[n % 4], lines, coupon_pct=(n % 5) * 2))
    return book


BOOK = orders(1500)


def run() -> dict[str, object]:
    saved = dict(pricing.PROMOTIONS)
    totals = []
    try:
        for family, percent in (("NUT", 10), ("PNL", 11), ("NUT", 0)):
            pricing.set_promotion(family, percent)
            totals.append(sum(pricing.quote(order).total for order in BOOK))
    finally:
        pricing.PROMOTIONS.clear()
        pricing.PROMOTIONS.update(saved)
    first = pricing.quote(BOOK[7])
    return {"orders": len(BOOK), "weekly_totals": totals, "sample": first,
            "cheapest": pricing.cheapest_line(first)}
