"""A package index's use of packaging.version: parse every release string and sort them."""

from __future__ import annotations

from packaging.version import Version

RELEASES = [f"{i % 4}!{i % 7}.{i % 13}.{i % 29}" + ("" if i % 5 else f"rc{i % 3}") + ("" if i % 7 else ".post1")
            + ("" if i % 11 else ".dev2") + ("" if i % 9 else "+local.7") for i in range(5000)]


def run() -> list[str]:
    versions = sorted(Version(v) for v in RELEASES)
    return [str(v) for v in versions[::50]]
