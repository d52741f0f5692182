"""A JSON:API / REST client turning collection names from payloads back into model classes, as a
serializer does for every included resource: ``classify``-like ``camelize(singularize(...))`` of
each collection key, and the singular form of each table name for foreign-key columns."""

from __future__ import annotations

import inflection
from models import MODELS


def run() -> int:
    collections = [inflection.tableize(name) for name in MODELS]
    total = 0
    for _payload in range(10):
        classes = [inflection.camelize(inflection.singularize(key)) for key in collections]
        foreign_keys = [inflection.singularize(key) + "_id" for key in collections]
        total += sum(map(len, classes)) + sum(map(len, foreign_keys))
    return total
