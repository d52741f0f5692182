"""A cheque printer's use of num2words: amounts and ranks spelled out in English."""

from __future__ import annotations

from num2words import num2words


def run() -> list[str]:
    out = []
    for n in range(0, 2_000_000, 1009):
        out.append(num2words(n))
        out.append(num2words(n % 5000, to="ordinal"))
    return out
