"""Greetings configured through the environment (APP_* variables)."""

from __future__ import annotations

import os

SENT: list[str] = []


def setting(name: str, default: str = "") -> str:
    return os.environ.get(f"APP_{name}", default)


def greet(user: str) -> str:
    text = f"{setting('GREETING', 'Hello')}, {user}{setting('PUNCTUATION', '!')}"
    SENT.append(text)
    return text
