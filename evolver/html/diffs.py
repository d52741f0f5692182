"""A generation's diff against its parent, each line highlighted as Python by pygments."""

from __future__ import annotations

import difflib
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import DiffLexer, PythonLexer

from evolver.html.views import Diff, DiffLine

CONTEXT = 3  # unchanged lines shown around a change, as in a unified diff
CSS_CLASS = "hl"


def diff(parent: str, child: str) -> Diff:
    """The changed lines of ``child`` against ``parent`` in hunks, highlighted in context."""
    old, new = _lines(parent), _lines(child)
    old_html, new_html = highlighted(parent), highlighted(child)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    hunks, added, removed = [], 0, 0
    for group in matcher.get_grouped_opcodes(CONTEXT):
        hunk: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk.extend(DiffLine("context", i + 1, j + 1, new_html[j])
                            for i, j in zip(range(i1, i2), range(j1, j2)))
                continue
            hunk.extend(DiffLine("removed", i + 1, None, old_html[i]) for i in range(i1, i2))
            hunk.extend(DiffLine("added", None, j + 1, new_html[j]) for j in range(j1, j2))
            removed, added = removed + i2 - i1, added + j2 - j1
        hunks.append(tuple(hunk))
    return Diff(hunks=tuple(hunks), added=added, removed=removed)


def stored_patch(patch: str, why: str) -> Diff:
    """A stored unified diff shown as it is, when a version's source cannot be read."""
    return Diff(raw_html=highlight(patch, DiffLexer(), _formatter()), missing=why)


@lru_cache(maxsize=256)
def highlighted(source: str) -> tuple[str, ...]:
    """One HTML fragment per line of ``source`` (lines split on "\\n" only, as the store does)."""
    html = highlight(source, PythonLexer(stripnl=False, ensurenl=False), _formatter(nowrap=True))
    lines = html.split("\n")
    want = len(_lines(source))
    return tuple(lines[:want]) + ("",) * max(0, want - len(lines))


def css() -> str:
    return str(HtmlFormatter(style="default").get_style_defs(f".{CSS_CLASS}"))


def _formatter(nowrap: bool = False) -> HtmlFormatter:
    return HtmlFormatter(cssclass=CSS_CLASS, nowrap=nowrap)


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return parts[:-1] if parts[-1] == "" else parts
