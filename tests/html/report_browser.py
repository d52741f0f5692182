"""Headless Chromium for the report tests and benchmark: Debian's browser driven by Playwright.

The browser is found, never downloaded: EVOLVER_CHROMIUM, else chromium / chromium-browser on PATH
(`bash scripts/chromium install` puts Debian's there).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The flags a root process on a machine with no network needs (see the environment notes): no
# sandbox (Playwright adds --no-sandbox), no GPU, no background calls home.
FLAGS = ("--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-quic", "--no-first-run", "--disable-default-apps")


def find_chromium() -> str | None:
    for name in (os.environ.get("EVOLVER_CHROMIUM"), "chromium", "chromium-browser"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


def why_no_browser() -> str | None:
    """None when a browser can be driven; else the reason (for a skip)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if find_chromium() is None:
        return "no Chromium found (bash scripts/chromium install, or set EVOLVER_CHROMIUM)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = find_chromium()
    assert path is not None, why_no_browser()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=list(FLAGS))
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A page opened from a file, with everything it said and asked for."""

    page: Any
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"] + self.errors


def visit(browser: Any, path: Path, width: int = 1280) -> Visit:
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = Visit(page)
    page.on("console", lambda m: seen.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    page.on("request", lambda r: seen.requests.append(r.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    return seen


def load_time_ms(page: Any) -> float:
    """Navigation start to the end of the load event, as the browser timed it."""
    return float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
