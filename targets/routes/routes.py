"""Route planning over a fixed, directed road network with travel times in minutes.

``ROADS`` is the network: immutable, so anything computed from it alone can be reused. Road
closures (``close_road`` / ``reopen_road``) change at run time and are honoured by every
function that takes travel times into account.
"""

from __future__ import annotations

import heapq

# (from, to, minutes): a layered, acyclic network, so that every route moves "east"
ROADS = (
    ("depot", "a1", 4), ("depot", "a2", 6), ("depot", "a3", 5),
    ("a1", "b1", 7), ("a1", "b2", 3), ("a2", "b1", 2), ("a2", "b2", 8), ("a2", "b3", 4), ("a3", "b3", 6),
    ("b1", "c1", 5), ("b1", "c2", 9), ("b2", "c1", 4), ("b2", "c2", 2), ("b3", "c2", 3), ("b3", "c3", 7),
    ("c1", "d1", 6), ("c1", "d2", 2), ("c2", "d1", 3), ("c2", "d2", 5), ("c3", "d2", 4), ("c3", "d3", 1),
    ("d1", "e1", 2), ("d1", "e2", 6), ("d2", "e1", 3), ("d2", "e2", 2), ("d3", "e2", 5), ("d3", "e3", 3),
    ("e1", "f1", 4), ("e1", "f2", 5), ("e2", "f1", 1), ("e2", "f2", 7), ("e3", "f2", 2), ("e3", "f3", 6),
    ("f1", "g1", 3), ("f1", "g2", 2), ("f2", "g1", 6), ("f2", "g2", 1), ("f3", "g2", 4), ("f3", "g3", 2),
    ("g1", "h1", 5), ("g1", "h2", 3), ("g2", "h1", 2), ("g2", "h2", 4), ("g2", "h3", 6), ("g3", "h3", 3),
    ("h1", "port", 9), ("h2", "port", 4), ("h3", "port", 2), ("h1", "h2", 1), ("h2", "h3", 2),
)
RESTRICTED = ("b3", "e3")  # towns heavy vehicles must avoid
CLOSED: set[tuple[str, str]] = set()


def neighbours(town: str) -> tuple[tuple[str, int], ...]:
    """The roads leaving ``town``: (destination, minutes), in network order."""
    return tuple((dst, minutes) for src, dst, minutes in ROADS if src == town)


def count_routes(src: str, dst: str) -> int:
    """How many distinct routes lead from ``src`` to ``dst`` (closures ignored)."""
    if src == dst:
        return 1
    return sum(count_routes(nxt, dst) for nxt, _ in neighbours(src))


def is_open(src: str, dst: str) -> bool:
    return (src, dst) not in CLOSED


def close_road(src: str, dst: str) -> None:
    CLOSED.add((src, dst))


def reopen_road(src: str, dst: str) -> None:
    CLOSED.discard((src, dst))


def open_graph() -> dict[str, list[str]]:
    """The open roads as an adjacency dict: town -> destinations, in network order."""
    graph: dict[str, list[str]] = {}
    for src, dst, _ in ROADS:
        if is_open(src, dst):
            graph.setdefault(src, []).append(dst)
    return graph


def count_open_routes(graph: dict[str, list[str]], src: str, dst: str) -> int:
    """How many routes lead from ``src`` to ``dst`` in ``graph``, an adjacency dict such as
    ``open_graph()`` returns (so closures count when the caller builds it after them)."""
    if src == dst:
        return 1
    return sum(count_open_routes(graph, nxt, dst) for nxt in graph.get(src, ()))


def shortest(src: str, dst: str, heavy: bool = False) -> tuple[int, tuple[str, ...]] | None:
    """The quickest open route (minutes, towns); None when ``dst`` cannot be reached.

    Heavy vehicles avoid the ``RESTRICTED`` towns. Ties go to the route found first.
    """
    queue = [(0, (src,))]
    done = []
    while queue:
        minutes, path = heapq.heappop(queue)
        town = path[-1]
        if town == dst:
            return minutes, path
        if town in done:
            continue
        done.append(town)
        for nxt, cost in neighbours(town):
            if heavy and nxt in ["b3", "e3"]:
                continue
            if is_open(town, nxt):
                heapq.heappush(queue, (minutes + cost, path + (nxt,)))
    return None


def reachable(src: str) -> list[str]:
    """Every town reachable over open roads, in breadth-first order."""
    seen = [src]
    frontier = [src]
    while frontier:
        town = frontier.pop(0)
        for nxt, _ in neighbours(town):
            if nxt not in seen and is_open(town, nxt):
                seen.append(nxt)
                frontier.append(nxt)
    return seen


def route_minutes(path: tuple[str, ...]) -> int:
    """Travel time along ``path``; KeyError when a leg is not a road."""
    total = 0
    for src, dst in zip(path, path[1:]):
        legs = dict(neighbours(src))
        total += legs[dst]
    return total


def fastest_first(routes: list[tuple[str, ...]]) -> tuple[str, ...]:
    if not routes:
        raise ValueError("no routes")
    return sorted(routes, key=route_minutes)[0]
