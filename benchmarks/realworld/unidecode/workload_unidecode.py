"""A search indexer's use of unidecode: ASCII folding of multilingual article snippets."""

from __future__ import annotations

from unidecode import unidecode

TEXT = ("Příliš žluťoučký kůň úpěl ďábelské ódy. Ça va très bien, merci. Grüße aus München! "
        "Αυτό είναι ελληνικό κείμενο. Это русский текст. Zażółć gęślą jaźń. ") * 300


def run() -> list[str]:
    return [unidecode(TEXT[i:i + 1500]) for i in range(0, len(TEXT), 150)]
