"""Graph algorithms over adjacency dictionaries: search, ordering, path counting."""

from __future__ import annotations

import heapq
from collections import deque

Graph = dict[str, list[str]]
Weighted = dict[str, list[tuple[str, float]]]


def bfs(graph: Graph, start: str) -> list[str]:
    seen = {start}
    order = []
    queue = deque([start])
    while queue:
        node = queue.popleft()
        order.append(node)
        for neighbour in graph.get(node, []):
            if neighbour not in seen:
                seen.add(neighbour)
                queue.append(neighbour)
    return order


def dfs(graph: Graph, node: str, seen: set[str] | None = None) -> list[str]:
    seen = set() if seen is None else seen
    seen.add(node)
    order = [node]
    for neighbour in graph.get(node, []):
        if neighbour not in seen:
            order.extend(dfs(graph, neighbour, seen))
    return order


def topological_sort(graph: Graph) -> list[str]:
    indegree: dict[str, int] = {node: 0 for node in graph}
    for targets in graph.values():
        for target in targets:
            indegree[target] = indegree.get(target, 0) + 1
    ready = sorted(node for node, degree in indegree.items() if degree == 0)
    order: list[str] = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for target in graph.get(node, []):
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
        ready.sort()
    if len(order) != len(indegree):
        raise ValueError("graph has a cycle")
    return order


def count_paths(graph: Graph, source: str, target: str) -> int:
    if source == target:
        return 1
    return sum(count_paths(graph, nxt, target) for nxt in graph.get(source, []))


def shortest_path(graph: Weighted, source: str, target: str) -> tuple[float, list[str]]:
    frontier: list[tuple[float, str, list[str]]] = [(0.0, source, [source])]
    done: set[str] = set()
    while frontier:
        cost, node, path = heapq.heappop(frontier)
        if node == target:
            return cost, path
        if node in done:
            continue
        done.add(node)
        for neighbour, weight in graph.get(node, []):
            if neighbour not in done:
                heapq.heappush(frontier, (cost + weight, neighbour, path + [neighbour]))
    return float("inf"), []


def strongly_connected(graph: Graph) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in graph.get(node, []):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components
