"""A log analysis with toolz: group, count, deduplicate and window a day of access records."""

from __future__ import annotations

from toolz import itertoolz as it

RECORDS = [{"user": f"u{i * 7 % 97}", "path": f"/p/{i * 13 % 41}", "status": (200, 200, 404, 500)[i % 4],
            "ms": i * 31 % 700} for i in range(6000)]


def run() -> list[object]:
    return [summary() for _ in range(12)]


def summary() -> list[object]:
    by_user = it.groupby("user", RECORDS)
    by_status = it.groupby(lambda r: r["status"], RECORDS)
    paths = it.frequencies(r["path"] for r in RECORDS)
    users = list(it.unique(RECORDS, key=lambda r: r["user"]))
    windows = [sum(r["ms"] for r in w) for w in it.sliding_window(5, RECORDS)]
    pages = [len(p) for p in it.partition_all(50, RECORDS)]
    return [len(by_user), sorted(len(v) for v in by_status.values()), sorted(paths.items()), len(users),
            max(windows), sum(pages)]
