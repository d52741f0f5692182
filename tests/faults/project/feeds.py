"""Read news feeds from a feed store, keep their titles and publish a summary."""

from __future__ import annotations

import urllib.request
from pathlib import Path

STORE = (Path(__file__).resolve().parent / "store").as_uri()
SENT: list[str] = []


def fetch(name: str) -> str:
    """One feed's text, from the store."""
    with urllib.request.urlopen(f"{STORE}/{name}.txt", timeout=5) as response:
        return response.read().decode("utf-8")


def title(text: str) -> str:
    return text.splitlines()[0].strip().title()


def titles(names: list[str]) -> list[str]:
    """The title of each feed, or a note for a feed the store could not give."""
    found = []
    for name in names:
        try:
            found.append(title(fetch(name)))
        except OSError as exc:
            found.append(f"unavailable: {name} ({type(exc).__name__})")
    return found


def publish(summary: str) -> int:
    """Send a summary to the store's inbox; every call sends one more (not idempotent)."""
    SENT.append(summary)
    with urllib.request.urlopen(f"{STORE}/inbox.txt", timeout=5) as response:
        response.read()
    return len(SENT)


def digest(names: list[str]) -> list[str]:
    lines = titles(names)
    publish("; ".join(lines))
    return lines
