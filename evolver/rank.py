"""Order candidate rewrites so the likeliest wins are evaluated first, and say what is expected.

Each candidate gets a success probability and an expected log speedup. With no history they
come from the prior: a per-transform success rate and the profile share of the function a site
lives in (whose Amdahl bound is all a prior can say about the gain). As history accumulates, the
learned predictor's figures take over, weighted by how many candidates of that transform it has
seen. Each estimate comes with its uncertainty (a ``Prediction``): an 80% interval of the success
probability (a Beta as concentrated as the evidence behind it) and of the gain (the spread of
the learned model's errors on held-out projects, or of the transform's measured gains); with no
history for a transform, the prior, said so. With a seed, the order is explored: Thompson sampling
of each success probability, and now and then one transform's best candidate put first, so a
transform that lost early (maybe on another project) is still tried.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import beta

from evolver.model import Profile, Site
from evolver.predictor import Counts, Estimate, Predictor, number

# Success rate before any history exists: how often each kind passed tests and harness in our
# own trials; unknown transforms get a neutral 0.4.
PRIOR_SUCCESS = {"memoize": 0.6, "thread-pool": 0.5, "retry": 0.5}
DEFAULT_SUCCESS = 0.4
PRIOR_WEIGHT = 4.0  # the success prior counts as this many evaluated candidates
GAIN_PRIOR_WEIGHT = 2.0  # the profile gain counts as this many measured candidates
DEFAULT_SHARE = 0.02  # share assumed for a function the profile did not see
MAX_SHARE = 0.95
MIN_GAIN = 0.01
EVIDENCE_CAP = 20.0  # sampling never gets more certain than this many evaluations
EXPLORE_RATE = 0.1  # chance that a seeded ranking puts a random transform's best site first
INTERVAL = 0.8  # of the ranges a prediction shows
NO_HISTORY = "no history for this kind of site"


@dataclass(frozen=True)
class Prediction:
    """What is expected of a candidate, with its uncertainty and what it rests on."""

    success: float  # probability it passes the tests and is approved
    success_range: tuple[float, float]  # INTERVAL interval of that probability
    gain: float  # expected log speedup of the workload
    gain_range: tuple[float, float]  # INTERVAL interval of the log speedup (low: 0 = no gain)
    evidence: int  # decided candidates of this transform behind it (0: the prior alone)
    basis: str  # "learned from 12 memoize candidates" / NO_HISTORY

    @property
    def known(self) -> bool:
        return self.evidence > 0

    def describe(self) -> str:
        """One line for the user: the estimate, its range, and what it rests on."""
        low, high = (math.exp(g) for g in self.gain_range)
        success = f"success {self.success:.0%} ({self.success_range[0]:.0%}-{self.success_range[1]:.0%})"
        if not self.known:
            return f"{NO_HISTORY}: {success} (the prior), gain at most {high:.2f}x (Amdahl's bound)"
        return f"{success}, gain {math.exp(self.gain):.2f}x ({low:.2f}-{high:.2f}x), {self.basis}"


@dataclass(frozen=True)
class Candidate:
    site: Site
    predicted_success: float  # probability it passes the oracle and the harness accepts it
    predicted_gain: float  # expected log speedup of the workload
    prediction: Prediction | None = None

    @property
    def score(self) -> float:
        return self.predicted_success * max(self.predicted_gain, MIN_GAIN)


def function_of(site: Site) -> str:
    """The qualname of the function a site lives in ("mod:func#1" -> "mod:func")."""
    return site.target.split("#", 1)[0]


def with_profile(site: Site, profile: Profile | None) -> Site:
    """The site with its function's profiled share of time and call count added to its features
    (0 when the profile did not see the function), and the share of its calls that repeat
    earlier arguments when that was measured, so the history records them for training."""
    if profile is None:
        return site
    seen = {f.qualname: f for f in profile.functions}.get(function_of(site))
    share, calls = (seen.share, seen.calls) if seen else (0.0, 0)
    added: dict[str, float | int] = {"profile_share": share, "profile_calls": calls}
    if seen is not None and seen.repeat_rate is not None:
        added["repeat_rate"] = seen.repeat_rate
    return dataclasses.replace(site, features={**site.features, **added})


def prior_gain(site: Site) -> float:
    """If a rewrite removes most of a function's time, the workload gains ``-log(1 - share)``."""
    share = number(site.features.get("profile_share"))
    share = share if share > 0 else DEFAULT_SHARE  # NaN compares False: unknown share
    return -math.log(1.0 - min(share, MAX_SHARE))


def predict(site: Site, estimate: Estimate, counts: Counts,
            residual: Sequence[float | None] | None = None) -> Candidate:
    """The model's figures (or the transform's observed rates) shrunk toward the prior by the
    number of candidates of this transform behind them; no history gives the prior itself.
    ``residual``: the learned gain model's 10th/90th percentile errors on held-out projects."""
    prior = PRIOR_SUCCESS.get(site.transform, DEFAULT_SUCCESS)
    rate = counts.approved / counts.tried if counts.tried else prior
    p = estimate.success if estimate.success is not None else rate
    success = (counts.tried * p + PRIOR_WEIGHT * prior) / (counts.tried + PRIOR_WEIGHT)
    base = prior_gain(site)
    mean = counts.gain_sum / counts.measured if counts.measured else base
    g = estimate.gain if estimate.gain is not None else mean
    gain = (counts.measured * g + GAIN_PRIOR_WEIGHT * base) / (counts.measured + GAIN_PRIOR_WEIGHT)
    return Candidate(site=site, predicted_success=success, predicted_gain=gain,
                     prediction=_prediction(site, success, gain, base, counts, estimate, residual))


def _prediction(site: Site, success: float, gain: float, bound: float, counts: Counts, estimate: Estimate,
                residual: Sequence[float | None] | None) -> Prediction:
    evidence = PRIOR_WEIGHT + min(float(counts.tried), EVIDENCE_CAP * 5)
    tail = (1 - INTERVAL) / 2
    s_low, s_high = (float(beta.ppf(q, 1 + evidence * success, 1 + evidence * (1 - success))) for q in (tail, 1 - tail))
    if not counts.tried:
        return Prediction(success, (s_low, s_high), gain, (0.0, bound), 0, NO_HISTORY)
    if estimate.gain is not None and residual and None not in residual:
        low, high = gain + float(residual[0] or 0.0), gain + float(residual[1] or 0.0)
        basis = f"learned from {counts.tried} {site.transform} candidates (errors on held-out projects)"
    else:
        spread = counts.gain_sd if counts.gain_sd is not None else abs(gain)
        low, high = gain - 1.2816 * spread, gain + 1.2816 * spread
        basis = f"from {counts.tried} earlier {site.transform} candidates ({counts.measured} measured)"
    if "profile_share" in site.features:
        high = min(high, bound)  # no rewrite of one function saves more than its share
    return Prediction(success, (s_low, s_high), gain, (max(0.0, low), max(0.0, high)), counts.tried, basis)


def explore(ranked: Sequence[Candidate], predictor: Predictor, rng: np.random.Generator) -> list[Candidate]:
    """Thompson sampling: each success probability drawn from a Beta centred on the estimate,
    as concentrated as the transform's (capped) evidence; then, with EXPLORE_RATE, one
    transform's best candidate moves to the front."""
    sampled = []
    for c in ranked:
        kappa = PRIOR_WEIGHT + min(float(predictor.counts_for(c.site.transform).tried), EVIDENCE_CAP)
        theta = rng.beta(1.0 + kappa * c.predicted_success, 1.0 + kappa * (1.0 - c.predicted_success))
        sampled.append((-theta * max(c.predicted_gain, MIN_GAIN), c.site.id, c))
    order = [c for *_, c in sorted(sampled, key=lambda t: (t[0], t[1]))]
    if order and rng.random() < EXPLORE_RATE:
        kinds = sorted({c.site.transform for c in order})
        kind = kinds[int(rng.integers(len(kinds)))]
        first = next(c for c in order if c.site.transform == kind)
        order = [first] + [c for c in order if c is not first]
    return order


def rank(sites: Sequence[Site], profile: Profile | None, learned: Predictor | None = None,
         *, seed: int | None = None) -> list[Candidate]:
    """Applicable sites, best expected value first (ties by site id). Without a seed the order is
    deterministic; with one it is explored, reproducibly for the same seed."""
    predictor = learned if learned is not None else Predictor()
    applicable = [with_profile(s, profile) for s in sites if s.verdict == "applicable"]
    estimates = predictor.estimate(applicable)
    residual = (predictor.meta.get("cv") or {}).get("gain_residual")
    candidates = [predict(s, e, predictor.counts_for(s.transform), residual) for s, e in zip(applicable, estimates)]
    ranked = sorted(candidates, key=lambda c: (-c.score, c.site.id))
    if seed is None:
        return ranked
    return explore(ranked, predictor, np.random.default_rng(seed))
