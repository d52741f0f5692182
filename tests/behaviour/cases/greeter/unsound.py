"""Greetings configured through the environment (APP_* variables)."""

from __future__ import annotations

import functools
import os

SENT: list[str] = []


@functools.lru_cache(maxsize=None, typed=True)
def setting(name: str, default: str = "") -> str:
    return os.environ.get(f"APP_{name}", default)


def greet(user: str) -> str:
    text = f"{setting('GREETING', 'Hello')}, {user}{setting('PUNCTUATION', '!')}"
    SENT.append(text)
    return text
