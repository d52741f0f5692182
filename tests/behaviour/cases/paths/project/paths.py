"""All-pairs shortest path lengths (Floyd-Warshall) over a weight matrix."""

from __future__ import annotations


def shortest(weights: list[list[int]]) -> list[list[int]]:
    n = len(weights)
    dist = [list(row) for row in weights]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if dist[i][k] + dist[k][j] < dist[i][j]:
                    dist[i][j] = dist[i][k] + dist[k][j]
    return dist


def diameter(weights: list[list[int]]) -> int:
    return max(max(row) for row in shortest(weights))
