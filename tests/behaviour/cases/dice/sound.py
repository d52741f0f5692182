"""Coin-flip experiments drawing from the module-level ``random`` generator."""

from __future__ import annotations

import random


def noisy(flips: int) -> int:
    """Heads in ``flips`` throws of a fair coin."""
    randint = random.randint
    return sum(randint(0, 1) for _ in range(flips))


def experiment(trials: int, flips: int) -> list[int]:
    return [noisy(flips) for _ in range(trials)]


def spread(trials: int, flips: int) -> int:
    results = experiment(trials, flips)
    return max(results) - min(results)
