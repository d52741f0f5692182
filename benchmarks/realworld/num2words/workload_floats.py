"""An invoice generator's use of num2words: prices with cents spelled out, in English and French."""

from __future__ import annotations

from num2words import num2words

PRICES = [round((i * 7919) % 100000 / 100, 2) for i in range(900)]


def run() -> list[str]:
    return [num2words(p) for p in PRICES] + [num2words(p, lang="fr") for p in PRICES[:300]]
