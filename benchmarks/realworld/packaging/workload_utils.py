"""An installer's use of packaging.utils: normalise the project names of a dependency graph, again and again."""

from __future__ import annotations

from packaging.utils import canonicalize_name

GRAPH = {
    "Django": ["asgiref", "sqlparse", "tzdata"], "djangorestframework": ["Django"],
    "Flask-SQLAlchemy": ["Flask", "SQLAlchemy"], "Flask": ["Werkzeug", "Jinja2", "itsdangerous", "click", "blinker"],
    "Jinja2": ["MarkupSafe"], "zope.interface": ["setuptools"], "ruamel.yaml": ["ruamel.yaml.clib"],
    "python-dateutil": ["six"], "pandas": ["numpy", "python-dateutil", "pytz", "tzdata"],
    "requests": ["charset_normalizer", "idna", "urllib3", "certifi"], "typing_extensions": [],
    "setuptools_scm": ["packaging", "setuptools", "typing_extensions"], "PyYAML": [],
}


def run() -> int:
    seen = 0
    for _ in range(3000):
        for name, deps in GRAPH.items():
            key = canonicalize_name(name)
            seen += len(key) + sum(len(canonicalize_name(d)) for d in deps)
    return seen
