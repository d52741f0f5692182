"""An admin site or a form library labelling fields: the human label and the column title of every
field of every model (``humanize`` and ``titleize`` of field names), and the parameterized slug of
each model's display name."""

from __future__ import annotations

import inflection
from models import FIELDS, MODELS


def run() -> int:
    total = 0
    for _form in range(20):
        labels = [inflection.humanize(field) for field in FIELDS]
        titles = [inflection.titleize(field) for field in FIELDS]
        slugs = [inflection.parameterize(inflection.titleize(name)) for name in MODELS]
        total += sum(map(len, labels)) + sum(map(len, titles)) + sum(map(len, slugs))
    return total
