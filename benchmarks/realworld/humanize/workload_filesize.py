"""A file browser's use of humanize: the size column of a listing, three display styles."""

from __future__ import annotations

import humanize

SIZES = [(i * 2654435761) % 2 ** (4 + i % 44) for i in range(20000)]


def run() -> list[str]:
    return [humanize.naturalsize(s, binary=i % 3 == 1, gnu=i % 3 == 2) for i, s in enumerate(SIZES)]
