"""A Monte Carlo model of a service desk: customers arrive at random, wait, get served.

The simulation draws from the module-level ``random`` generator (seed it for repeatable runs);
the analytic ``erlang_c`` is exact and deterministic, and is used to check the simulated waiting
probability against theory.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    customers: int
    waited: int  # customers who found every clerk busy
    mean_wait: float
    max_queue: int


def roll(sides: int) -> int:
    """One throw of a fair die with ``sides`` faces."""
    return random.randint(1, sides)


def arrival_gap(rate_per_hour: int) -> float:
    """Minutes until the next customer (exponential inter-arrival times)."""
    return random.expovariate(rate_per_hour / 60.0)


def service_time(mean_minutes: int) -> float:
    return random.expovariate(1.0 / mean_minutes)


def erlang_c(clerks: int, load_percent: int) -> float:
    """Probability that an arriving customer waits (M/M/c), for an offered load in percent of one clerk."""
    load = load_percent / 100
    if load >= clerks:
        return 1.0
    top = load ** clerks / math.factorial(clerks) * clerks / (clerks - load)
    bottom = sum(load ** k / math.factorial(k) for k in range(clerks)) + top
    return top / bottom


def simulate(clerks: int, rate_per_hour: int, mean_service: int, customers: int) -> Result:
    free_at = [0.0] * clerks
    clock = 0.0
    waited = 0
    total_wait = 0.0
    waiting_until: list[float] = []
    max_queue = 0
    for _ in range(customers):
        clock += arrival_gap(rate_per_hour)
        waiting_until = [t for t in waiting_until if t > clock]
        clerk = min(range(clerks), key=lambda c: free_at[c])
        start = max(clock, free_at[clerk])
        if start > clock:
            waited += 1
            total_wait += start - clock
            waiting_until.append(start)
            max_queue = max(max_queue, len(waiting_until))
        free_at[clerk] = start + service_time(mean_service)
    return Result(customers, waited, round(total_wait / customers, 4), max_queue)


def dice_histogram(throws: int, sides: int) -> tuple[int, ...]:
    counts = [0] * sides
    for _ in range(throws):
        counts[roll(sides) - 1] += 1
    return tuple(counts)
