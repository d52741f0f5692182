"""evolver: rewrite a Python module into faster, sturdier generations, proven by measurement."""

from __future__ import annotations

__version__ = "0.1.0"
