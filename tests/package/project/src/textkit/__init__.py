"""Small text utilities: counting splits, normalising words, formatting a report."""

from textkit.core import splits
from textkit.fmt import banner
from textkit.words import normalise

__all__ = ["banner", "normalise", "splits"]
