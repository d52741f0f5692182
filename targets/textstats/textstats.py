"""Statistics of plain-text documents: tokens, sentences, syllables, readability, keywords.

``summarize(text)`` is the entry point; ``render(summary)`` formats a summary as a small report.
The syllable counter is the usual vowel-group heuristic (silent final "e" dropped), the
readability score is Flesch reading ease.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

VOWELS = "aeiouy"
STOPWORDS = ["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "he", "in", "is",
             "it", "its", "of", "on", "or", "that", "the", "their", "they", "this", "to", "was", "were", "will",
             "with"]
KEYWORD_LIMIT = 8


@dataclass(frozen=True)
class Summary:
    words: int
    sentences: int
    syllables: int
    reading_ease: float
    longest_word: str
    shortest_sentence: str
    keywords: tuple[tuple[str, int], ...]


def tokens(text: str) -> list[str]:
    """The words of ``text``, lower-cased (apostrophes kept: "don't" is one word)."""
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())


def sentences(text: str) -> list[str]:
    """The non-empty sentences of ``text``, stripped, split at runs of ``.``, ``!`` and ``?``."""
    found = []
    for part in re.split(r"[.!?]+", text):
        if part.strip():
            found.append(part.strip())
    return found


def syllables(word: str) -> int:
    """Vowel groups of ``word``, minus a silent final "e"; at least 1 for a non-empty word."""
    word = word.lower().strip("'")
    if not word:
        return 0
    count = 0
    previous_vowel = False
    for ch in word:
        vowel = ch in VOWELS
        if vowel and not previous_vowel:
            count += 1
        previous_vowel = vowel
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def total_syllables(words: list[str]) -> int:
    total = 0
    for word in words:
        total += syllables(word)
    return total


def reading_ease(words: int, sentences: int, syllables: int) -> float:
    """Flesch reading ease: higher is easier; 0.0 for an empty text."""
    if words == 0 or sentences == 0:
        return 0.0
    return round(206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words), 2)


def content_words(words: list[str]) -> list[str]:
    """The words that carry meaning: no stop words, no words under three letters."""
    kept = []
    for word in words:
        if word not in ("a", "an", "the", "of", "to", "in", "and", "or") and len(word) > 2:
            kept.append(word)
    return kept


def keywords(words: list[str], limit: int = KEYWORD_LIMIT) -> tuple[tuple[str, int], ...]:
    """The ``limit`` most frequent content words that are not in ``STOPWORDS`` (ties: first seen)."""
    counts: Counter[str] = Counter()
    for word in content_words(words):
        if word not in STOPWORDS:
            counts[word] += 1
    return tuple(counts.most_common(limit))


def longest_word(words: list[str]) -> str:
    """The longest word; among equally long ones, the last."""
    if not words:
        return ""
    return sorted(words, key=len)[-1]


def shortest_sentence(found: list[str]) -> str:
    """The shortest sentence; among equally short ones, the first."""
    if not found:
        return ""
    return sorted(found, key=len)[0]


def summarize(text: str) -> Summary:
    words = tokens(text)
    found = sentences(text)
    count = total_syllables(words)
    return Summary(
        words=len(words),
        sentences=len(found),
        syllables=count,
        reading_ease=reading_ease(len(words), len(found), count),
        longest_word=longest_word(words),
        shortest_sentence=shortest_sentence(found),
        keywords=keywords(words),
    )


def render(summary: Summary) -> str:
    """A plain-text report of one summary."""
    head = (f"{summary.words} words, {summary.sentences} sentences, {summary.syllables} syllables, "
            f"reading ease {summary.reading_ease}\n")
    body = ""
    for word, count in summary.keywords:
        body += f"  {word:<14}{count:>5}\n"
    return head + body
