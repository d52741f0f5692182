"""pipreqs resolving a project's third-party imports against a package index, as on a fresh CI
machine or in a container build where nothing is installed yet: the imports of a web and data
application, mapped to project names, each looked up on the index (``get_imports_info`` with
``--pypi-server``; the index is the loopback stand-in of ``pypi_standin``, 15 ms per request)."""

from __future__ import annotations

import logging

import pypi_standin
from pipreqs import pipreqs

IMPORTS = [
    "numpy", "pandas", "scipy", "sklearn", "requests", "flask", "jinja2", "sqlalchemy", "psycopg2",
    "celery", "redis", "boto3", "yaml", "dateutil", "jwt", "bs4", "lxml", "PIL", "cv2", "dotenv",
    "pydantic", "click", "markdown", "acme_internal", "billing_sdk",
]
_INDEX: list[str] = []


def run() -> list[dict[str, str]]:
    if not _INDEX:
        logging.disable(logging.WARNING)  # pipreqs logs every look-up; a library caller silences it
        _INDEX.append(pypi_standin.start(latency=0.015))
    names = pipreqs.get_pkg_names(IMPORTS)
    return pipreqs.get_imports_info(names, pypi_server=_INDEX[0])
