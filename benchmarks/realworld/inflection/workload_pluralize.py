"""An ORM and a REST framework naming things, as at start-up of each worker of a web application
(and of every test run): the table name of each model (``tableize``), the collection route of each
resource (``pluralize`` of its name) and the plural labels of an admin site."""

from __future__ import annotations

import inflection
from models import MODELS


def run() -> int:
    total = 0
    for _worker in range(8):
        tables = [inflection.tableize(name) for name in MODELS]
        routes = ["/api/" + inflection.dasherize(inflection.pluralize(inflection.underscore(name))) for name in MODELS]
        labels = [inflection.pluralize(inflection.humanize(inflection.underscore(name))) for name in MODELS]
        total += sum(map(len, tables)) + sum(map(len, routes)) + sum(map(len, labels))
    return total
