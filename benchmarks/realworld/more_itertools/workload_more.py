"""A text pipeline with more-itertools: split a token stream into sentences, window and bucket it."""

from __future__ import annotations

from more_itertools import more as m

TOKENS = [("." if i % 17 == 0 else f"w{i * 7 % 503}") for i in range(90000)]


def run() -> list[object]:
    sentences = list(m.split_at(TOKENS, lambda t: t == "."))
    chunks = [len(c) for c in m.chunked(TOKENS, 100)]
    triples = sum(1 for w in m.windowed(TOKENS[:8000], 3) if w[0] == w[2])
    by_len = m.bucket(TOKENS, key=len)
    return [len(sentences), max(len(s) for s in sentences), sum(chunks), triples,
            sorted((k, len(list(by_len[k]))) for k in list(by_len)), m.ilen(m.locate(TOKENS, lambda t: t == "w7"))]
