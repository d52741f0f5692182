"""Fixtures of the report tests: a recorded real run put back on disk, and a real browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_browser import chromium, why_no_browser
from report_fixtures import REPO, Recorded, load_recorded

collect_ignore_glob = ["fixtures/*"]  # the shop project's own tests run only inside its evolve runs


@pytest.fixture
def recorded(tmp_path: Path) -> Recorded:
    return load_recorded(tmp_path)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = why_no_browser()
    if reason is not None:
        if os.environ.get("EVOLVER_REQUIRE_CHROMIUM"):
            pytest.fail(f"EVOLVER_REQUIRE_CHROMIUM is set but: {reason}")
        pytest.skip(reason)
    with chromium() as running:
        yield running


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """Where a test leaves files for a person to look at: artifacts/html/<test name>/."""
    folder = REPO / "artifacts" / "html" / request.node.name.replace("/", "_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
