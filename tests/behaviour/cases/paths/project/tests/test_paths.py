from paths import diameter, shortest

GRID = [[0, 4, 1, 9], [4, 0, 2, 7], [1, 2, 0, 5], [9, 7, 5, 0]]


def test_shortest_goes_round_a_long_edge() -> None:
    assert shortest(GRID)[0][1] == 3
    assert shortest(GRID)[0][3] == 6


def test_diameter() -> None:
    assert diameter(GRID) == 7


def test_input_is_not_changed() -> None:
    copy = [row[:] for row in GRID]
    shortest(GRID)
    assert copy == GRID
