"""All-pairs shortest path lengths (Floyd-Warshall) over a weight matrix."""

from __future__ import annotations


def shortest(weights: list[list[int]]) -> list[list[int]]:
    n = len(weights)
    dist = [list(row) for row in weights]
    for k in range(n):
        row_k = dist[k]
        for i in range(n):
            row_i = dist[i]
            for j in range(n):
                if row_i[k] + row_k[j] < row_i[j]:
                    row_i[j] = row_i[k] + row_k[j]
    return dist


def diameter(weights: list[list[int]]) -> int:
    return max(max(row) for row in shortest(weights))
