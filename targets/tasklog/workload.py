"""Replay a month of tasklog commands with stdout captured (the benchmark for evolver)."""

from __future__ import annotations

import contextlib
import io

import tasklog

TAGS = ("docs", "code", "review", "meetings", "ops")


def commands(days: int) -> list[list[str]]:
    script = []
    for day in range(days):
        for n in range(12):
            script.append(["add", f"day {day} task {n} " + "x" * (n * 3), str(5 + (day * 7 + n * 11) % 90),
                           "--tag", TAGS[(day + n) % 5]])
        script.append(["list", "--tag", TAGS[day % 5]])
        script.append(["summary"])
    script.append(["add", "bad", "0"])
    return script


SCRIPT = commands(15)


def run() -> dict[str, object]:
    tasklog.LOG.clear()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        codes = [tasklog.main(argv) for argv in SCRIPT]
    text = out.getvalue()
    tasklog.LOG.clear()
    return {"codes": codes, "lines": text.count("\n"), "chars": len(text), "tail": text[-600:]}
