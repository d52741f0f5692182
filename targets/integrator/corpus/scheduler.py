"""A tiny cron-style scheduler: parse schedules, compute next runs, dispatch due jobs."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger(__name__)
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("weekday", 0, 6))


def parse_field(spec: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in spec.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part == "*":
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = int(first), int(last)
        else:
            start = end = int(part)
        if start < low or end > high or start > end:
            raise ValueError(f"{spec!r} is out of range {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Schedule:
    minute: frozenset[int]
    hour: frozenset[int]
    day: frozenset[int]
    month: frozenset[int]
    weekday: frozenset[int]

    @classmethod
    def parse(cls, expression: str) -> "Schedule":
        parts = expression.split()
        if len(parts) != len(FIELDS):
            raise ValueError(f"expected {len(FIELDS)} fields, got {len(parts)}")
        parsed = [parse_field(spec, low, high) for spec, (_, low, high) in zip(parts, FIELDS)]
        return cls(*parsed)

    def matches(self, moment: dt.datetime) -> bool:
        return (
            moment.minute in self.minute
            and moment.hour in self.hour
            and moment.day in self.day
            and moment.month in self.month
            and moment.weekday() in self.weekday
        )

    def next_after(self, moment: dt.datetime, horizon_days: int = 366) -> dt.datetime:
        candidate = moment.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        limit = candidate + dt.timedelta(days=horizon_days)
        while candidate < limit:
            if candidate.month not in self.month:
                candidate = (candidate.replace(day=1, hour=0, minute=0) + dt.timedelta(days=32)).replace(day=1)
                continue
            if candidate.day not in self.day or candidate.weekday() not in self.weekday:
                candidate = candidate.replace(hour=0, minute=0) + dt.timedelta(days=1)
                continue
            if candidate.hour not in self.hour:
                candidate = candidate.replace(minute=0) + dt.timedelta(hours=1)
                continue
            if candidate.minute in self.minute:
                return candidate
            candidate += dt.timedelta(minutes=1)
        raise ValueError("no run within the horizon")


@dataclass
class Job:
    name: str
    schedule: Schedule
    action: Callable[[], object]
    last_run: dt.datetime | None = None
    failures: int = field(default=0)


def due_jobs(jobs: list[Job], now: dt.datetime) -> list[Job]:
    return [job for job in jobs if job.schedule.matches(now) and job.last_run != now.replace(second=0, microsecond=0)]


def dispatch(jobs: list[Job], now: dt.datetime) -> dict[str, str]:
    outcomes: dict[str, str] = {}
    for job in due_jobs(jobs, now):
        try:
            job.action()
        except Exception:
            job.failures += 1
            log.exception("job %s failed", job.name)
            outcomes[job.name] = "failed"
        else:
            outcomes[job.name] = "ok"
        job.last_run = now.replace(second=0, microsecond=0)
    return outcomes
