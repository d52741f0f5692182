from __future__ import annotations

import pytest

import logparse
import workload
from logparse import Entry

LINE = "2024-05-01T12:00:03Z api-2 [ERROR] GET /orders/17/items/3?x=1 503 took 812ms"


def test_parse_line() -> None:
    assert logparse.parse_line(LINE) == Entry("2024-05-01T12:00:03Z", "api-2", "ERROR", "GET",
                                              "/orders/:id/items/:id", 503, 812)
    assert logparse.parse_line("  2024-05-01T12:00:04Z api-1 [INFO] POST /health 200\n").latency_ms is None
    for bad in ("-- log rotated --", "", "2024 api [info] GET / 200", "x y [INFO] GET /a 20"):
        assert logparse.parse_line(bad) is None


@pytest.mark.parametrize(("path", "route"), [
    ("/orders/17", "/orders/:id"), ("/orders/17/", "/orders/:id/"), ("/v2/users", "/v2/users"),
    ("/a1/22b/33", "/a1/22b/:id"), ("/search?q=12", "/search"), ("/", "/"),
])
def test_normalise_route(path: str, route: str) -> None:
    assert logparse.normalise_route(path) == route


def test_parse_all_skips_noise() -> None:
    entries = logparse.parse_all([LINE, "noise", LINE.replace("ERROR", "INFO")])
    assert [e.level for e in entries] == ["ERROR", "INFO"]


def test_merge_keeps_order_and_does_not_touch_the_batches() -> None:
    a, b = [logparse.parse_line(LINE)], [logparse.parse_line(LINE.replace("503", "200"))]
    merged = logparse.merge([a, b, []])
    assert [e.status for e in merged] == [503, 200]
    merged.append(merged[0])
    assert len(a) == 1 and len(b) == 1
    assert logparse.merge([]) == []


def test_serious_follows_the_configured_levels() -> None:
    levels = ["INFO", "ERROR", "WARNING", "FATAL", "CRITICAL"]
    assert logparse.serious(levels) == 3
    logparse.SERIOUS.append("WARNING")
    try:
        assert logparse.serious(levels) == 4
    finally:
        logparse.SERIOUS.remove("WARNING")


def test_server_errors() -> None:
    assert logparse.server_errors([200, 500, 501, 502, 503, 504, 404, 503]) == 5


def test_percentile_and_slowest() -> None:
    values = [5, 1, 9, 3, 7, 3]
    assert [logparse.percentile(values, p) for p in (0, 50, 95, 100)] == [1, 3, 9, 9]
    assert logparse.percentile([], 50) == 0
    assert logparse.slowest(values) == 9 and logparse.slowest([]) == 0
    assert values == [5, 1, 9, 3, 7, 3]


def test_summarize_and_render() -> None:
    lines = [LINE, LINE.replace("ERROR", "INFO").replace(" 503 took 812ms", " 200 took 20ms"),
             "2024-05-01T12:00:05Z api-1 [CRITICAL] GET /users/9 500"]
    report = logparse.summarize(logparse.parse_all(lines))
    assert report.requests == 3 and report.errors == 2 and report.server_errors == 2
    assert (report.p50, report.p95, report.slowest) == (20, 812, 812)
    assert report.by_route == (("/orders/:id/items/:id", 2), ("/users/:id", 1))
    assert logparse.render(report) == ("3 requests, 2 serious, 2 5xx\nlatency p50 20 ms, p95 812 ms, max 812 ms\n"
                                       "      2  /orders/:id/items/:id\n      1  /users/:id\n")


def test_workload_is_stable() -> None:
    result = workload.run()
    assert result["entries"] == 11714
    assert result == workload.run()
