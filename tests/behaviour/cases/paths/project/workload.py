import paths

CITIES = [[0, 3, 8, 9, 2], [3, 0, 4, 6, 7], [8, 4, 0, 1, 5], [9, 6, 1, 0, 3], [2, 7, 5, 3, 0]]


def run() -> int:
    return paths.diameter(CITIES) + paths.diameter([row[:3] for row in CITIES[:3]])
