"""A typesetter's use of pyphen: soft hyphens inserted into every word of a chapter, twice."""

from __future__ import annotations

import pyphen

WORDS = ("hyphenation algorithms split words into syllables using patterns learned from dictionaries "
         "typesetting systems insert discretionary hyphens wherever justification requires additional "
         "flexibility international publications frequently combine multilingual paragraphs").split()
CHAPTER = [w + s for s in ("", "s", "ed", "ing") for w in WORDS] * 60


def run() -> list[object]:
    dic = pyphen.Pyphen(lang="en_US")
    soft = [dic.inserted(w, hyphen="\u00ad") for w in CHAPTER]
    pairs = [list(dic.iterate(w)) for w in CHAPTER[:2000]]
    return [soft[:50], sum(len(p) for p in pairs)]
