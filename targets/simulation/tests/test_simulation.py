from __future__ import annotations

import random

import pytest

import simulation
import workload


def test_roll_varies_and_stays_in_range() -> None:
    random.seed(1)
    throws = [simulation.roll(6) for _ in range(200)]
    assert set(throws) == {1, 2, 3, 4, 5, 6}


def test_roll_follows_the_seed() -> None:
    random.seed(42)
    first = [simulation.roll(20) for _ in range(10)]
    random.seed(42)
    assert [simulation.roll(20) for _ in range(10)] == first
    assert len(set(first)) > 1


def test_random_draws_are_fresh_each_call() -> None:
    random.seed(3)
    gaps = {simulation.arrival_gap(30) for _ in range(20)}
    services = {simulation.service_time(5) for _ in range(20)}
    assert len(gaps) == 20 and len(services) == 20
    assert all(g > 0 for g in gaps)


@pytest.mark.parametrize(("clerks", "load", "expected"), [(1, 50, 0.5), (2, 100, 1 / 3), (3, 300, 1.0),
                                                         (4, 250, 0.3199)])
def test_erlang_c(clerks: int, load: int, expected: float) -> None:
    assert simulation.erlang_c(clerks, load) == pytest.approx(expected, abs=1e-4)


def test_simulation_matches_theory_roughly() -> None:
    random.seed(7)
    result = simulation.simulate(3, rate_per_hour=30, mean_service=5, customers=4000)
    assert abs(result.waited / result.customers - simulation.erlang_c(3, 250)) < 0.05
    assert result.max_queue >= 1 and result.mean_wait > 0


def test_dice_histogram() -> None:
    random.seed(5)
    counts = simulation.dice_histogram(6000, 6)
    assert sum(counts) == 6000 and all(900 < c < 1100 for c in counts)


def test_workload_is_stable_under_its_seed() -> None:
    first = workload.run()
    assert first == workload.run()
    assert sum(first["dice"]) == 20000
