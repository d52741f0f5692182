"""Text helpers: slugs, wrapping, fuzzy matching and simple tokenization."""

from __future__ import annotations

import re
import unicodedata

WORD_RE = re.compile(r"[A-Za-z0-9']+")
STOPWORDS = frozenset({"a", "an", "and", "are", "as", "at", "be", "by", "for", "in", "is", "it", "of", "on", "or", "the", "to"})


def slugify(text: str, separator: str = "-") -> str:
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", normalized.lower())
    return separator.join(words)


def tokenize(text: str, drop_stopwords: bool = True) -> list[str]:
    tokens = [token.lower() for token in WORD_RE.findall(text)]
    if drop_stopwords:
        tokens = [token for token in tokens if token not in STOPWORDS]
    return tokens


def wrap(text: str, width: int = 72) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def edit_distance(a: str, b: str) -> int:
    if not a:
        return len(b)
    if not b:
        return len(a)
    if a[0] == b[0]:
        return edit_distance(a[1:], b[1:])
    return 1 + min(edit_distance(a[1:], b), edit_distance(a, b[1:]), edit_distance(a[1:], b[1:]))


def closest(word: str, candidates: list[str], max_distance: int = 2) -> str | None:
    best: str | None = None
    best_distance = max_distance + 1
    for candidate in candidates:
        distance = edit_distance(word, candidate)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def ngrams(tokens: list[str], n: int = 2) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def jaccard(a: str, b: str) -> float:
    left, right = set(tokenize(a)), set(tokenize(b))
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def truncate(text: str, limit: int, ellipsis: str = "...") -> str:
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(ellipsis))]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut + ellipsis
