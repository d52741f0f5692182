"""Parse and summarise forty generated log files (the benchmark for evolver)."""

from __future__ import annotations

import logparse

ROUTES = ("/orders/{}", "/orders/{}/items/{}", "/users/{}", "/health", "/search?q={}", "/carts/{}")
LEVELS = ("INFO", "INFO", "INFO", "DEBUG", "WARNING", "ERROR", "INFO", "CRITICAL")
STATUSES = (200, 200, 201, 204, 301, 404, 500, 503, 200, 502)


def log_file(seed: int, count: int) -> list[str]:
    lines, state = [], seed
    for i in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        route = ROUTES[state % 6].format(state % 997, state % 13)
        stamp = f"2024-05-01T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}Z"
        took = f" took {state % 1500}ms" if state % 4 else ""
        line = f"{stamp} api-{state % 3} [{LEVELS[state % 8]}] GET {route} {STATUSES[state % 10]}{took}"
        lines.append(line if state % 50 else "-- log rotated --")
    return lines


FILES = tuple(log_file(seed, 300) for seed in range(1, 41))  # one file per rotation


def run() -> dict[str, object]:
    entries = logparse.merge([logparse.parse_all(list(lines)) for lines in FILES])
    report = logparse.summarize(entries)
    return {"entries": len(entries), "report": report, "text": logparse.render(report)}
