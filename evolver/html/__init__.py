"""The HTML report: one self-contained page built from the history and the generation store.

records (read-only rows and manifests) -> collect (views) -> plots (SVG) + diffs -> render (page).
"""

from __future__ import annotations

from evolver.html.render import Written, write_report

__all__ = ["Written", "write_report"]
