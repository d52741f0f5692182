"""A document renderer's use of roman: number the front matter pages, chapters and list items of a
batch of books, then read the numerals back when cross-references are resolved."""

from __future__ import annotations

import roman


def run() -> int:
    total = 0
    for book in range(400):
        front = [roman.toRoman(page).lower() for page in range(1, 30 + book % 7)]
        chapters = [roman.toRoman(ch) for ch in range(1, 40)]
        items = [roman.toRoman(i) for i in range(1, 12)] * 8
        total += sum(roman.fromRoman(c) for c in chapters) + sum(roman.fromRoman(p.upper()) for p in front)
        total += len("".join(items))
    return total
