"""Summarize a deterministic corpus of generated documents (the benchmark for evolver)."""

from __future__ import annotations

import textstats

VOCABULARY = ("the river ran quietly beneath ancient bridges while merchants argued about prices and "
              "weather; children chased pigeons across the square, and the old clockmaker repaired "
              "delicate instruments for travelling astronomers who measured distances between "
              "unremarkable stars. nobody remembered exactly when the festival began, yet everyone "
              "insisted tradition required lanterns, music, bread, and improbable stories").split()


def document(seed: int, words: int) -> str:
    """A pseudo-random but fixed text: a linear congruential walk over ``VOCABULARY``."""
    state, out = seed, []
    for i in range(words):
        state = (state * 1103515245 + 12345) % 2**31
        word = VOCABULARY[state % len(VOCABULARY)]
        out.append(word + ("." if state % 11 == 0 else "!" if state % 37 == 0 else ""))
    return " ".join(out)


DOCUMENTS = tuple(document(seed, 4000) for seed in range(12))


def run() -> dict[str, object]:
    summaries = [textstats.summarize(doc) for doc in DOCUMENTS]
    return {
        "documents": len(summaries),
        "words": sum(s.words for s in summaries),
        "syllables": sum(s.syllables for s in summaries),
        "ease": [s.reading_ease for s in summaries],
        "longest": sorted({s.longest_word for s in summaries}),
        "reports": [textstats.render(s) for s in summaries[:3]],
    }
