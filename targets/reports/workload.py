"""Build and render monthly reports of a generated year of sales (the benchmark for evolver)."""

from __future__ import annotations

import reports

REGIONS = ("North", "South", "East", "West", "Central", "Islands, outer")
PRODUCTS = tuple(f"item-{i:03d}" for i in range(60)) + ('Widget "XL"',)


def sales(seed: int, count: int) -> list[reports.Sale]:
    out, state = [], seed
    for _ in range(count):
        state = (state * 48271) % 2147483647
        out.append(reports.Sale(REGIONS[state % 6], PRODUCTS[state % 61], 1 + state % 9, 99 + state % 5000))
    return out


MONTHS = tuple(sales(month, 30000) for month in range(1, 13))


def run() -> dict[str, object]:
    monthly = [reports.build(month) for month in MONTHS]
    texts = [reports.to_text(report) for report in monthly]
    csvs = [reports.to_csv(report) for report in monthly]
    return {"units": [r.units for r in monthly], "cents": [r.cents for r in monthly],
            "best": [reports.best_seller(s) for r in monthly for s in r.sections],
            "text": texts[0], "csv_lines": sum(c.count("\n") for c in csvs), "csv_sample": csvs[-1][:2000]}
