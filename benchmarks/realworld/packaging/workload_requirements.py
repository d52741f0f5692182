"""A lock-file reader's use of packaging: parse the requirement lines of a large project."""

from __future__ import annotations

from packaging.requirements import Requirement

LINES = [f"pkg{i % 50}[extra{i % 3}]>={i % 9}.{i % 5},<{i % 9 + 2}; python_version >= '3.{i % 12}'"
         if i % 4 else f"lib-{i % 70}=={i % 7}.0.{i % 11}" for i in range(2000)]


def run() -> list[str]:
    return [str(Requirement(line)) for line in LINES]
