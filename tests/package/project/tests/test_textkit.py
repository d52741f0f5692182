from textkit import banner, normalise, splits
from textkit.core import report


def test_splits() -> None:
    assert [splits(n, n) for n in range(8)] == [1, 1, 2, 3, 5, 7, 11, 15]
    assert splits(4, 0) == 0 and splits(5, 2) == 3


def test_report() -> None:
    assert report([1, 2, 3], 2) == [(1, 1), (2, 2), (3, 2)]


def test_normalise() -> None:
    assert normalise("The cat, the DOG; the end!") == ["the", "cat", "dog", "end"]


def test_banner() -> None:
    assert banner("hi", 10) == "=== hi ==="
