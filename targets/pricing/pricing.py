"""A pricing rules engine: catalogue prices, volume tiers, promotions and regional tax.

Prices are integers in cents throughout. ``quote(order)`` prices an order line by line:

* the unit price comes from the catalogue (``CATALOGUE``, keyed by SKU family);
* a volume tier discount (``TIERS``) applies to the line's quantity;
* an active promotion (``PROMOTIONS``, changeable at run time) takes a percentage off a family;
* tax is added at the region's rate (``TAX_RATES``, changeable at run time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CATALOGUE = (("BLT", 1250), ("NUT", 35), ("WSH", 20), ("GRD", 4800), ("PNL", 12900), ("CBL", 999))
TIERS = ((1000, 12), (500, 8), (100, 5), (25, 2))  # (minimum quantity, percent off), largest first
TAX_RATES: dict[str, int] = {"EU": 21, "UK": 20, "US": 7, "CH": 8}  # percent
PROMOTIONS: dict[str, int] = {}  # SKU family -> percent off
ROUNDING = 5  # cents: totals are rounded to the nearest multiple


class PricingError(ValueError):
    """An order the engine cannot price (unknown SKU, region or malformed line)."""


@dataclass(frozen=True)
class Line:
    sku: str  # "FAM-1234"
    quantity: int


@dataclass(frozen=True)
class Order:
    region: str
    lines: tuple[Line, ...]
    coupon_pct: int = 0


@dataclass(frozen=True)
class Quote:
    subtotal: int
    discount: int
    tax: int
    total: int
    lines: tuple[tuple[str, int], ...]  # (sku, line price before tax)


def parse_sku(sku: str) -> tuple[str, int]:
    """``"BLT-0042"`` -> ``("BLT", 42)``; a malformed SKU raises PricingError."""
    match = re.fullmatch(r"([A-Z]{3})-(\d{4})", sku.strip())
    if match is None:
        raise PricingError(f"malformed SKU {sku!r}")
    return match.group(1), int(match.group(2))


def base_price(family: str) -> int:
    for name, cents in CATALOGUE:
        if name == family:
            return cents
    raise PricingError(f"unknown SKU family {family!r}")


def tier_discount(quantity: int) -> int:
    """Percent off for a line of ``quantity`` units."""
    if quantity <= 0:
        raise PricingError(f"quantity must be positive, got {quantity}")
    for minimum, percent in TIERS:
        if quantity >= minimum:
            return percent
    return 0


def unit_price(sku: str) -> int:
    family, variant = parse_sku(sku)
    return base_price(family) + variant % 7


def promotion(family: str) -> int:
    return PROMOTIONS.get(family, 0)


def set_promotion(family: str, percent: int) -> None:
    if percent:
        PROMOTIONS[family] = percent
    else:
        PROMOTIONS.pop(family, None)


def tax_rate(region: str) -> int:
    try:
        return TAX_RATES[region]
    except KeyError:
        raise PricingError(f"unknown region {region!r}") from None


def set_tax_rate(region: str, percent: int) -> None:
    TAX_RATES[region] = percent


def round_cents(cents: int) -> int:
    return (cents + ROUNDING // 2) // ROUNDING * ROUNDING


def line_price(line: Line) -> int:
    family, _ = parse_sku(line.sku)
    gross = unit_price(line.sku) * line.quantity
    percent = tier_discount(line.quantity) + promotion(family)
    return gross * (100 - min(percent, 90)) // 100


def apply_coupon(prices: list[int], coupon_pct: int, handling: int) -> list[int]:
    """Each price with the coupon taken off and the handling fee (per line) added."""
    out = []
    for price in prices:
        out.append(price * (100 - coupon_pct) // 100 + handling * 2)
    return out


def quote(order: Order) -> Quote:
    rate = tax_rate(order.region)
    priced = [(line.sku, line_price(line)) for line in order.lines]
    gross = sum(unit_price(line.sku) * line.quantity for line in order.lines)
    net = apply_coupon([price for _, price in priced], order.coupon_pct, 0)
    subtotal = sum(net)
    tax = subtotal * rate // 100
    return Quote(subtotal=subtotal, discount=gross - subtotal, tax=tax, total=round_cents(subtotal + tax),
                 lines=tuple(priced))


def cheapest_line(q: Quote) -> str:
    if not q.lines:
        raise PricingError("empty quote")
    return sorted(q.lines, key=lambda item: item[1])[0][0]
