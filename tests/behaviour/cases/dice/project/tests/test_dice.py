import random

from dice import noisy, spread


def test_noisy_counts_heads_within_bounds() -> None:
    random.seed(7)
    assert 0 <= noisy(10) <= 10
    assert noisy(0) == 0


def test_seeded_runs_repeat() -> None:
    random.seed(3)
    first = noisy(25)
    random.seed(3)
    assert noisy(25) == first


def test_spread_is_not_negative() -> None:
    random.seed(1)
    assert spread(1, 5) == 0
