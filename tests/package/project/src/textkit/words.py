"""Normalising words: lower case, no punctuation, sorted by frequency."""

import re
from collections import Counter


def normalise(text: str) -> list[str]:
    words = [re.sub(r"[^a-z0-9]+", "", w.lower()) for w in text.split()]
    counts = Counter(w for w in words if w)
    return sorted(counts, key=lambda w: (-counts[w], w))
