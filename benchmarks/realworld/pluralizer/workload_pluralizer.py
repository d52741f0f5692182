"""A web application's notification and listing texts: "3 new messages", "1 file", "12 boxes", for
each count shown on a page (``Pluralizer.pluralize(noun, count, inclusive=True)``), and the
singular of collection names from its API."""

from __future__ import annotations

from pluralizer import Pluralizer

NOUNS = [
    "message", "file", "folder", "comment", "reply", "box", "address", "person", "child", "category",
    "company", "status", "analysis", "index", "matrix", "photo", "video", "story", "entry", "leaf",
    "knife", "wife", "mouse", "datum", "criterion", "process", "match", "dish", "day", "key",
    "country", "city", "quiz", "ox", "tomato", "hero", "echo", "cactus", "fungus", "thesis",
]
COLLECTIONS = ["users", "orders", "order_items", "categories", "addresses", "people", "children",
               "statuses", "analyses", "indices", "matrices", "photos", "stories", "entries", "leaves"]


def run() -> int:
    pluralizer = Pluralizer()
    total = 0
    for page in range(30):
        texts = [pluralizer.pluralize(noun, (page + i) % 5, True) for i, noun in enumerate(NOUNS)]
        singulars = [pluralizer.singular(name) for name in COLLECTIONS]
        total += sum(map(len, texts)) + sum(map(len, singulars))
    return total
