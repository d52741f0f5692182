__license__ = "MIT"

from .pluralizer import Pluralizer

__all__ = ["Pluralizer"]
