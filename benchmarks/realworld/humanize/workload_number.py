"""A report formatter's use of humanize: thousands separators and words for a column of counts."""

from __future__ import annotations

import humanize

COUNTS = [(i * 7919 + 13) % 10**(3 + i % 10) for i in range(4000)]


def run() -> list[str]:
    out = [humanize.intcomma(n) for n in COUNTS]
    out += [humanize.intcomma(n / 100, 2) for n in COUNTS[:1000]]
    out += [humanize.intword(n) for n in COUNTS[:1000]]
    return out
