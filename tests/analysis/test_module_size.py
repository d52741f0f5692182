"""Issue 10's house rule: no module of the analysis or the transforms grows past 500 lines (a module
that big answers more than one question: split it along the questions)."""

from __future__ import annotations

from pathlib import Path

import pytest

import evolver

LIMIT = 500
PACKAGE = Path(evolver.__file__).parent


@pytest.mark.parametrize("folder", ["analysis", "transforms"])
def test_no_module_over_the_limit(folder: str) -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (PACKAGE / folder).glob("*.py")}
    assert sizes, f"no module found in evolver/{folder}"
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
