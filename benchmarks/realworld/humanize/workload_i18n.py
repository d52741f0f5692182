"""Ranking tables: ordinals and spelled-out small numbers, every one passing through gettext."""

from __future__ import annotations

import humanize


def run() -> list[str]:
    out = []
    for i in range(6000):
        out.append(humanize.ordinal(i % 1200))
        out.append(humanize.apnumber(i % 15))
    return out
