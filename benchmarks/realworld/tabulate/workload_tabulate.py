"""A command-line report's use of tabulate: one result set rendered in four table formats."""

from __future__ import annotations

from tabulate import tabulate

ROWS = [[f"item-{i}", i * 37 % 1000, (i * 7919 % 10007) / 7.0, "yes" if i % 3 else "no",
         f"{i * 13 % 97},{i % 1000:03d}", None if i % 11 == 0 else i * 1.5] for i in range(700)]
HEADERS = ["name", "qty", "price", "flag", "code", "extra"]


def run() -> list[int]:
    return [len(tabulate(ROWS, headers=HEADERS, tablefmt=fmt, floatfmt=".2f"))
            for fmt in ("simple", "grid", "pipe", "html")]
