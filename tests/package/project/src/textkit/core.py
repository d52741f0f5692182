"""Counting: in how many ways a text of n characters splits into pieces of at most k characters."""


def splits(n: int, k: int) -> int:
    """Unordered splits of ``n`` into pieces of 1 to ``k`` characters."""
    if n == 0:
        return 1
    if n < 0 or k == 0:
        return 0
    return splits(n - k, k) + splits(n, k - 1)


def report(lengths: list[int], k: int) -> list[tuple[int, int]]:
    return [(n, splits(n, k)) for n in lengths]
