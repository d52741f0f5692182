"""A French invoice generator's use of num2words: amounts in words (lang="fr")."""

from __future__ import annotations

from num2words import num2words


def run() -> list[str]:
    return [num2words(n, lang="fr") for n in range(0, 3_000_000, 3001)]
