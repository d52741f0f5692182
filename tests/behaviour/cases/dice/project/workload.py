import dice


def run() -> bool:
    """Five trials of 1000 flips: is the spread plausible for a fair coin?"""
    return dice.spread(5, 1000) < 1000
