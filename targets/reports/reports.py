"""Build sales reports: group sale records by region and product, total them, render as text/CSV.

A record is a ``Sale`` (region, product, units, cents). ``build(sales)`` returns a ``Report``
with one ``Section`` per region; ``to_text`` and ``to_csv`` render it.
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = ("region", "product", "units", "revenue")
CURRENCY = "EUR"


@dataclass(frozen=True)
class Sale:
    region: str
    product: str
    units: int
    cents: int


@dataclass(frozen=True)
class Section:
    region: str
    rows: tuple[tuple[str, int, int], ...]  # (product, units, cents), by product name
    units: int
    cents: int


@dataclass(frozen=True)
class Report:
    sections: tuple[Section, ...]
    units: int
    cents: int


def money(cents: int) -> str:
    """``123456`` -> ``"1,234.56 EUR"`` (negative amounts keep their sign)."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{frac:02d} {CURRENCY}"


def regions(sales: list[Sale]) -> list[str]:
    names = []
    for sale in sales:
        names.append(sale.region)
    return sorted(set(names))


def in_region(sales: list[Sale], region: str) -> list[Sale]:
    picked = []
    for sale in sales:
        if sale.region == region:
            picked.append(sale)
    return picked


def group_rows(sales: list[Sale]) -> tuple[tuple[str, int, int], ...]:
    totals: dict[str, tuple[int, int]] = {}
    for sale in sales:
        units, cents = totals.get(sale.product, (0, 0))
        totals[sale.product] = (units + sale.units, cents + sale.units * sale.cents)
    return tuple((product, units, cents) for product, (units, cents) in sorted(totals.items()))


def section(sales: list[Sale], region: str) -> Section:
    rows = group_rows(in_region(sales, region))
    return Section(region, rows, sum(r[1] for r in rows), sum(r[2] for r in rows))


def build(sales: list[Sale]) -> Report:
    sections = tuple(section(sales, region) for region in regions(sales))
    return Report(sections, sum(s.units for s in sections), sum(s.cents for s in sections))


def all_rows(report: Report) -> list[tuple[str, str, int, int]]:
    """Every row of every section, region first."""
    per_section = [[(s.region,) + row for row in s.rows] for s in report.sections]
    return sum(per_section, [])


def best_seller(s: Section) -> str:
    """The product with the most revenue in a section; ties go to the first by name."""
    if not s.rows:
        return ""
    return sorted(s.rows, key=lambda row: -row[2])[0][0]


def to_text(report: Report) -> str:
    out = ""
    for s in report.sections:
        out += f"== {s.region} ({s.units} units, {money(s.cents)}; best: {best_seller(s)})\n"
        lines = []
        for product, units, cents in s.rows:
            lines.append(f"   {product:<12}{units:>6}  {money(cents):>16}")
        out += "\n".join(lines) + "\n"
    return out + f"TOTAL {report.units} units, {money(report.cents)}\n"


def csv_field(value: str) -> str:
    if any(ch in value for ch in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def to_csv(report: Report) -> str:
    text = ",".join(COLUMNS) + "\n"
    for region, product, units, cents in all_rows(report):
        text += f"{csv_field(region)},{csv_field(product)},{units},{cents}\n"
    return text
