from __future__ import annotations

from collections.abc import Iterator

import pytest

import pricing
import workload
from pricing import Line, Order, PricingError


@pytest.fixture(autouse=True)
def restore_tables() -> Iterator[None]:
    rates, promotions = dict(pricing.TAX_RATES), dict(pricing.PROMOTIONS)
    yield
    pricing.TAX_RATES.clear()
    pricing.TAX_RATES.update(rates)
    pricing.PROMOTIONS.clear()
    pricing.PROMOTIONS.update(promotions)


def test_parse_sku() -> None:
    assert pricing.parse_sku("BLT-0042") == ("BLT", 42)
    assert pricing.parse_sku(" NUT-9999 ") == ("NUT", 9999)
    for bad in ("blt-0042", "BLT-42", "BLTX-0042", "BLT-00421", ""):
        with pytest.raises(PricingError, match="malformed SKU"):
            pricing.parse_sku(bad)


@pytest.mark.parametrize(("quantity", "percent"), [(1, 0), (24, 0), (25, 2), (99, 2), (100, 5), (500, 8),
                                                   (999, 8), (1000, 12), (10**6, 12)])
def test_tier_discount(quantity: int, percent: int) -> None:
    assert pricing.tier_discount(quantity) == percent


def test_tier_discount_rejects_non_positive_quantities_every_time() -> None:
    for _ in range(2):
        with pytest.raises(PricingError, match="got 0"):
            pricing.tier_discount(0)


def test_unit_price_and_unknown_family() -> None:
    assert pricing.unit_price("NUT-0010") == 35 + 3
    with pytest.raises(PricingError, match="unknown SKU family 'ZZZ'"):
        pricing.unit_price("ZZZ-0001")


def test_promotions_change_line_prices() -> None:
    line = Line("PNL-0007", 10)
    before = pricing.line_price(line)
    assert before == 12900 * 10
    pricing.set_promotion("PNL", 10)
    assert pricing.promotion("PNL") == 10
    assert pricing.line_price(line) == 12900 * 10 * 90 // 100
    pricing.set_promotion("PNL", 0)
    assert pricing.line_price(line) == before


def test_tax_rate_changes_are_seen() -> None:
    order = Order("US", (Line("WSH-0000", 100),))
    assert pricing.quote(order).tax == 1900 * 7 // 100
    pricing.set_tax_rate("US", 10)
    assert pricing.tax_rate("US") == 10
    assert pricing.quote(order).tax == 190
    with pytest.raises(PricingError, match="unknown region 'XX'"):
        pricing.tax_rate("XX")


def test_apply_coupon() -> None:
    assert pricing.apply_coupon([1000, 250, 0], 10, 3) == [906, 231, 6]
    assert pricing.apply_coupon([], 50, 1) == []


def test_quote() -> None:
    order = Order("EU", (Line("BLT-0001", 30), Line("NUT-0003", 2)), coupon_pct=10)
    q = pricing.quote(order)
    assert q.lines == (("BLT-0001", 1251 * 30 * 98 // 100), ("NUT-0003", 38 * 2))
    assert q.subtotal == (36779 * 90 // 100) + (76 * 90 // 100)
    assert q.discount == 1251 * 30 + 38 * 2 - q.subtotal
    assert q.tax == q.subtotal * 21 // 100
    assert q.total == pricing.round_cents(q.subtotal + q.tax) and q.total % 5 == 0
    assert pricing.cheapest_line(q) == "NUT-0003"


def test_cheapest_line_prefers_the_first_of_equal_prices() -> None:
    q = pricing.Quote(0, 0, 0, 0, (("B", 5), ("A", 3), ("C", 3)))
    assert pricing.cheapest_line(q) == "A"
    with pytest.raises(PricingError):
        pricing.cheapest_line(pricing.Quote(0, 0, 0, 0, ()))


def test_workload_is_stable_and_sees_the_promotions() -> None:
    result = workload.run()
    totals = result["weekly_totals"]
    assert totals[0] > totals[1] and totals[2] > totals[1] and len(set(totals)) == 3
    assert result == workload.run()
    assert pricing.PROMOTIONS == {}
