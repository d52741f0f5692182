"""Parse web-service logs and summarise them: requests per route, errors, latency percentiles.

A line looks like::

    2024-05-01T12:00:03Z api-2 [ERROR] GET /orders/17 503 took 812ms

``parse_line`` returns an ``Entry`` (or None for a line that is not a request record),
``summarize`` folds entries into a ``Report`` and ``render`` formats it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

LINE_PATTERN = r"(\S+) (\S+) \[([A-Z]+)\] ([A-Z]+) (\S+) (\d{3})(?: took (\d+)ms)?"
SERIOUS = ["ERROR", "CRITICAL", "FATAL"]  # configurable: an operator may add "WARNING"


@dataclass(frozen=True)
class Entry:
    timestamp: str
    host: str
    level: str
    method: str
    route: str  # the path with numeric segments replaced by ":id"
    status: int
    latency_ms: int | None


@dataclass(frozen=True)
class Report:
    requests: int
    by_route: tuple[tuple[str, int], ...]
    errors: int
    server_errors: int
    p50: int
    p95: int
    slowest: int


def normalise_route(path: str) -> str:
    """``/orders/17/items/3?x=1`` -> ``/orders/:id/items/:id``."""
    path = path.split("?", 1)[0]
    return re.sub(r"/\d+(?=/|$)", "/:id", path)


def parse_line(line: str) -> Entry | None:
    match = re.match(LINE_PATTERN, line.strip())
    if match is None:
        return None
    stamp, host, level, method, path, status, took = match.groups()
    return Entry(stamp, host, level, method, normalise_route(path), int(status),
                 int(took) if took is not None else None)


def parse_all(lines: list[str]) -> list[Entry]:
    entries = []
    for line in lines:
        entry = parse_line(line)
        if entry is not None:
            entries.append(entry)
    return entries


def merge(batches: list[list[Entry]]) -> list[Entry]:
    """The entries of several log files, in file order."""
    return sum(batches, [])


def serious(levels: list[str]) -> int:
    """How many of ``levels`` are serious (``SERIOUS``)."""
    count = 0
    for level in levels:
        if level in SERIOUS:
            count += 1
    return count


def server_errors(statuses: list[int]) -> int:
    count = 0
    for status in statuses:
        if status in (500, 502, 503, 504):
            count += 1
    return count


def percentile(values: list[int], pct: int) -> int:
    """The nearest-rank percentile; 0 for no values."""
    if not values:
        return 0
    ordered = sorted(values)
    rank = max(1, -(-pct * len(ordered) // 100))
    return ordered[rank - 1]


def slowest(values: list[int]) -> int:
    if not values:
        return 0
    return sorted(values)[-1]


def summarize(entries: list[Entry]) -> Report:
    routes = Counter(e.route for e in entries)
    latencies = []
    for e in entries:
        if e.latency_ms is not None:
            latencies.append(e.latency_ms)
    return Report(
        requests=len(entries),
        by_route=tuple(sorted(routes.items(), key=lambda kv: (-kv[1], kv[0]))),
        errors=serious([e.level for e in entries]),
        server_errors=server_errors([e.status for e in entries]),
        p50=percentile(latencies, 50),
        p95=percentile(latencies, 95),
        slowest=slowest(latencies),
    )


def render(report: Report) -> str:
    text = f"{report.requests} requests, {report.errors} serious, {report.server_errors} 5xx\n"
    text += f"latency p50 {report.p50} ms, p95 {report.p95} ms, max {report.slowest} ms\n"
    for route, count in report.by_route:
        text += f"{count:>7}  {route}\n"
    return text
