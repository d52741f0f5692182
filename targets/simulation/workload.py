"""Simulate a week of the service desk under three staffing levels (the benchmark for evolver)."""

from __future__ import annotations

import random

import simulation


def run() -> dict[str, object]:
    random.seed(20240501)
    outcomes = {}
    for clerks in (2, 3, 4):
        result = simulation.simulate(clerks, rate_per_hour=30, mean_service=5, customers=6000)
        theory = round(simulation.erlang_c(clerks, 250), 4)
        outcomes[clerks] = (result, theory)
    return {"outcomes": outcomes, "dice": simulation.dice_histogram(20000, 6)}
