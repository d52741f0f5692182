"""Every case, gathered from the modules of this package (one per transform, each with ``CASES``)."""

from __future__ import annotations

import importlib
import pkgutil

from ..case import Case


def all_cases() -> tuple[Case, ...]:
    found: list[Case] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(module.CASES)
    return tuple(found)
