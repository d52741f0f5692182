from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs the projects' own test suites (deselect with -m 'not slow')")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow corpus tests run in CI (CI=true), with EVOLVER_SLOW_TESTS=1, or when `-m` selects them."""
    import os

    if os.environ.get("CI") == "true" or os.environ.get("EVOLVER_SLOW_TESTS") == "1" or config.option.markexpr:
        return
    skip = pytest.mark.skip(reason="slow (runs the corpus projects' test suites): set EVOLVER_SLOW_TESTS=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
