from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from evolver import predictor
from evolver.history import History
from evolver.model import FunctionProfile, Profile, Site
from evolver.rank import DEFAULT_SHARE, DEFAULT_SUCCESS, EXPLORE_RATE, PRIOR_SUCCESS, Candidate, rank

PROFILE = Profile(total_s=1.0, functions=(FunctionProfile("m:hot", 100, 0.1, 0.5, 0.5),
                                          FunctionProfile("m:warm", 3, 0.1, 0.2, 0.2)))


def site(transform: str, target: str, verdict: str = "applicable", **features: object) -> Site:
    return Site(transform=transform, target=target, verdict=verdict, features=dict(features))  # type: ignore[arg-type]


@pytest.fixture
def trained(tmp_path: Path) -> Iterator[predictor.Predictor]:
    """A history where ``thread-pool`` (the prior's second choice) always wins and ``memoize``
    always loses, on equally hot functions."""
    with History.open(tmp_path / "h.db") as history:
        session = history.start_session("evolve")
        for i in range(15):
            for transform, status, ratio in (("thread-pool", "approved", 0.6), ("memoize", "rejected", 1.0)):
                imp = history.add_improvement(session, f"mod{i % 2}", f"{transform}@m:f{i}", transform, "p" * 64,
                                              features={"loc": 4 + i % 5, "profile_share": 0.5, "profile_calls": 9})
                history.set_status(imp, "testing")
                history.set_status(imp, status, ratio=ratio)
        predictor.retrain(history, tmp_path / ".evolver")
    yield predictor.load(tmp_path / ".evolver")


SITES = [site("memoize", "m:hot", loc=6), site("thread-pool", "m:hot#0", loc=6)]


def test_no_history_uses_the_prior() -> None:
    sites = [site("memoize", "m:hot"), site("thread-pool", "m:warm#0"), site("retry", "m:cold#0"),
             site("memoize", "m:bad", verdict="refused")]
    ranked = rank(sites, PROFILE)
    assert [c.site.id for c in ranked] == ["memoize@m:hot", "thread-pool@m:warm#0", "retry@m:cold#0"]
    by_id = {c.site.id: c for c in ranked}
    assert by_id["memoize@m:hot"].predicted_success == PRIOR_SUCCESS["memoize"]
    assert by_id["memoize@m:hot"].predicted_gain == pytest.approx(-math.log(0.5))
    assert by_id["thread-pool@m:warm#0"].predicted_gain == pytest.approx(-math.log(0.8))
    assert by_id["retry@m:cold#0"].predicted_gain == pytest.approx(-math.log(1 - DEFAULT_SHARE))
    assert rank(sites, PROFILE) == rank(sites, PROFILE, predictor.Predictor())


def test_unknown_transform_and_no_profile() -> None:
    [c] = rank([site("inline", "m:f")], None)
    assert c.predicted_success == DEFAULT_SUCCESS
    assert c.predicted_gain == pytest.approx(-math.log(1 - DEFAULT_SHARE))
    assert "profile_share" not in c.site.features


def test_profile_facts_are_added_to_features_for_the_history() -> None:
    hot, cold = rank([site("memoize", "m:hot", loc=3), site("retry", "m:cold#1")], PROFILE)
    assert hot.site.features == {"loc": 3, "profile_share": 0.5, "profile_calls": 100}
    assert cold.site.features == {"profile_share": 0.0, "profile_calls": 0}


def test_a_measured_repeat_rate_is_added_and_an_unmeasured_one_left_out() -> None:
    measured = Profile(total_s=1.0, functions=(FunctionProfile("m:hot", 100, 0.1, 0.5, 0.5, repeat_rate=0.9),
                                               FunctionProfile("m:warm", 3, 0.1, 0.2, 0.2)))
    hot, warm = rank([site("memoize", "m:hot"), site("memoize", "m:warm")], measured)
    assert hot.site.features["repeat_rate"] == 0.9
    assert "repeat_rate" not in warm.site.features


def test_learned_ranking_puts_the_winner_first(trained: predictor.Predictor) -> None:
    assert [c.site.transform for c in rank(SITES, PROFILE)] == ["memoize", "thread-pool"]  # the prior
    learned = rank(SITES, PROFILE, trained)
    assert [c.site.transform for c in learned] == ["thread-pool", "memoize"]
    assert learned[0].predicted_success > 0.8 > 0.3 > learned[1].predicted_success
    assert learned[0].predicted_gain > learned[1].predicted_gain


def test_exploration_is_reproducible_and_mostly_exploits(trained: predictor.Predictor) -> None:
    firsts = [rank(SITES, PROFILE, trained, seed=seed)[0].site.transform for seed in range(400)]
    assert firsts == [rank(SITES, PROFILE, trained, seed=seed)[0].site.transform for seed in range(400)]
    losers = firsts.count("memoize")
    assert 1 <= losers <= 400 * EXPLORE_RATE  # the loser still leads now and then, not often


def test_exploration_keeps_the_estimates(trained: predictor.Predictor) -> None:
    plain = {c.site.id: c for c in rank(SITES, PROFILE, trained)}
    for seed in range(20):
        explored = rank(SITES, PROFILE, trained, seed=seed)
        assert sorted(c.site.id for c in explored) == sorted(plain)
        assert all(plain[c.site.id] == c for c in explored)


def test_exploration_without_history_orders_by_sampled_prior() -> None:
    sites = [site("memoize", "m:hot"), site("thread-pool", "m:hot#0")]
    firsts = {rank(sites, PROFILE, seed=seed)[0].site.transform for seed in range(50)}
    assert firsts == {"memoize", "thread-pool"}


def test_corrupted_predictor_file_does_not_crash_rank(tmp_path: Path) -> None:
    path = predictor.path_in(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"format": "evolver-predictor/1", "rows": {"ids": [1]}, "digest": "0"}')
    loaded = predictor.load(tmp_path)
    assert loaded.problem
    assert rank(SITES, PROFILE, loaded) == rank(SITES, PROFILE)
    assert rank(SITES, PROFILE, loaded, seed=3) == rank(SITES, PROFILE, seed=3)


def test_score_floors_the_gain() -> None:
    c = Candidate(site=site("retry", "m:f#0"), predicted_success=0.5, predicted_gain=-0.2)
    assert c.score == pytest.approx(0.005)


def test_unseen_code_gets_the_prior_and_says_so() -> None:
    [c] = rank([site("memoize", "m:hot")], PROFILE)
    assert c.prediction is not None and not c.prediction.known
    text = c.prediction.describe()
    assert text.startswith("no history for this kind of site: success 60%")
    assert "gain at most 2.00x (Amdahl's bound)" in text  # m:hot takes half the workload
    low, high = c.prediction.success_range
    assert low < 0.6 < high and high - low > 0.3  # four imagined candidates: a wide range


def test_a_learned_estimate_comes_with_its_range(trained: predictor.Predictor) -> None:
    by_kind = {c.site.transform: c for c in rank(SITES, PROFILE, trained)}
    pool = by_kind["thread-pool"].prediction
    assert pool is not None and pool.known and pool.evidence == 15
    assert pool.success_range[0] < pool.success < pool.success_range[1]
    assert pool.success_range[1] - pool.success_range[0] < 0.35  # narrower than the prior's
    assert pool.gain_range[0] <= pool.gain <= pool.gain_range[1] <= -math.log(0.5)
    assert "15 thread-pool candidates" in pool.describe() and "no history" not in pool.describe()
