"""Paired statistics: per-pair log ratios, the signed-rank test with its Hodges-Lehmann estimate
and exact confidence interval, the looks at which a race may stop (and the alpha each spends), and
the label a decision gets.

The interval is the distribution-free one that goes with the signed-rank test (order statistics
of the Walsh averages, critical values from the test's exact null distribution, normal above
``EXACT_MAX`` pairs): its coverage holds at every number of pairs for any symmetric noise, where a
percentile bootstrap of a few pairs is too narrow and would call identical versions "slower".

A race looks at its pairs at fixed numbers of pairs (``LookPlan``). At every look a candidate whose
80% interval rules out any gain worth having stops (futility: spends no alpha, costs a little power
near the minimum effect). So does one that could not be called faster by the last look even if its
true ratio were the optimistic end of its 95% interval (``promise``: continuations drawn from its
own pairs reach "faster" at most ``FUTILE_PROMISE`` of the time): a real gain just under the minimum
effect then stops at its first looks instead of racing to the last one (only while its estimate
is itself no gain worth having: a large estimate held back by a few wild pairs races on). Only at
the *decision* looks may it be called faster, with the one-sided Wilcoxon signed-rank p below
``alpha_look``: ``alpha`` split evenly over the decision looks and the candidates raced (Bonferroni, valid whatever
stops the race). The label at the stop never depends on the stopping rule: ``slower`` whenever the
95% interval lies above a ratio of 1. Fewer than 6 pairs have no 95% interval (their whole range
covers 87.5% at 4 pairs), so a candidate whose every pair so far was slower is not stopped for
futility before the look at which it can be called slower.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import norm, wilcoxon

Verdict = Literal["faster", "slower", "no significant difference"]
LEVEL = 0.95  # of the interval
FUTILITY_LEVEL = 0.80  # of the interval whose low end drops a candidate (a futility rule spends no alpha)
EXACT_MAX = 50  # pairs up to which critical values come from the exact null distribution
FUTILITY_LOOKS = (4, 6, 10)  # early looks that can only drop a candidate
MIN_DECISION_PAIRS = 10
DECISION_ROOM = 3  # the first decision look leaves room for a few small reversed pairs
FUTILE_PROMISE = 0.1  # continuations that reach "faster" at most this often: the candidate stops
PROMISE_DRAWS = 200  # continuations drawn per look
PROMISE_PAIRS = 10  # pairs before a projection: fewer, drawn again, spread too little (a bootstrap's flaw)


@dataclass(frozen=True)
class Look:
    """The statistics of the pairs so far (ratio = candidate time / parent time)."""

    ratio: float  # exp of the Hodges-Lehmann estimate of the per-pair log ratios
    ci_low: float  # the signed-rank 95% interval on that ratio
    ci_high: float
    p_faster: float  # one-sided Wilcoxon signed-rank p-values
    p_slower: float
    futility_low: float | None = None  # low end of the FUTILITY_LEVEL interval (None: use ci_low)
    covered: bool = True  # the interval reaches LEVEL (6 pairs or more); with fewer it is their whole range


def covers(n: int, level: float = LEVEL) -> bool:
    """Whether ``n`` pairs can give a signed-rank interval at ``level``: the widest one, all the
    Walsh averages, covers 1 - 2 * 2**-n (4 pairs: 87.5%, 6 pairs: 96.9%)."""
    return n > EXACT_MAX or 0.5 ** n <= (1 - level) / 2


def log_ratios(parent_s: Sequence[float] | np.ndarray, candidate_s: Sequence[float] | np.ndarray) -> np.ndarray:
    return np.log(np.asarray(candidate_s, float)) - np.log(np.asarray(parent_s, float))


def look(parent_s: Sequence[float] | np.ndarray, candidate_s: Sequence[float] | np.ndarray) -> Look:
    """Paired statistics on per-pair log ratios; a function of the samples alone."""
    logs = log_ratios(parent_s, candidate_s)
    walsh = walsh_averages(logs)
    low, high = signed_rank_interval(walsh, len(logs))
    futile, _ = signed_rank_interval(walsh, len(logs), FUTILITY_LEVEL)
    return Look(math.exp(float(np.median(walsh))), math.exp(low), math.exp(high),
                _wilcoxon(logs, "less"), _wilcoxon(logs, "greater"), math.exp(futile), covers(len(logs)))


def walsh_averages(logs: np.ndarray) -> np.ndarray:
    """Every (x_i + x_j) / 2 with i <= j, sorted: their median is the Hodges-Lehmann estimate."""
    i, j = np.triu_indices(len(logs))
    return np.sort((logs[i] + logs[j]) / 2)


def signed_rank_interval(walsh: np.ndarray, n: int, level: float = LEVEL) -> tuple[float, float]:
    """[W_(k), W_(M+1-k)] of the M sorted Walsh averages, k the signed-rank test's critical count:
    the interval of shifts the two-sided test at 1 - ``level`` does not reject. With too few pairs
    for that level, the widest one there is (all of them)."""
    k = _critical_count(n, (1 - level) / 2)
    return float(walsh[k - 1]), float(walsh[len(walsh) - k])


@functools.lru_cache(maxsize=256)
def _critical_count(n: int, tail: float) -> int:
    """1 + the largest c with P(T+ <= c) <= ``tail`` under the null (at least 1)."""
    if n > EXACT_MAX:
        mean, sd = n * (n + 1) / 4, math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
        return max(1, math.floor(mean + norm.ppf(tail) * sd - 0.5) + 1)
    counts = [1] + [0] * (n * (n + 1) // 2)
    for rank in range(1, n + 1):  # subsets of ranks 1..n by their sum
        for total in range(len(counts) - 1, rank - 1, -1):
            counts[total] += counts[total - rank]
    cumulative, k = 0, 1
    for c, ways in enumerate(counts):
        cumulative += ways
        if cumulative / 2**n > tail:
            break
        k = c + 1
    return k


def _wilcoxon(logs: np.ndarray, alternative: str) -> float:
    if not np.any(logs):
        return 1.0
    return float(wilcoxon(logs, alternative=alternative).pvalue)


def label(stats: Look, *, alpha_look: float, min_effect: float, decision: bool = True) -> Verdict:
    """The verdict a stopped comparison gets: ``faster`` only at a decision look, significant and
    beyond the minimum effect; ``slower`` whenever the 95% interval lies above 1 (too few pairs for a
    95% interval, as at a futility stop after 4, cannot say slower: 4 pairs all above 1 happen by
    chance one time in 16); else no difference."""
    if decision and stats.p_faster < alpha_look and stats.ci_high < 1 - min_effect:
        return "faster"
    if stats.ci_low > 1 and stats.covered:
        return "slower"
    return "no significant difference"


def decide(stats: Look, *, alpha_look: float, min_effect: float, final: bool, decision: bool = True,
           promise: float = 1.0) -> Verdict | None:
    """A verdict when the comparison stops here, or None to keep sampling: it stops when called
    faster, when its (futility) interval rules out any gain worth having, when its estimate is no
    gain worth having and its ``promise`` (the share of continuations that end "faster") is
    ``FUTILE_PROMISE`` or less, or at the last look. An estimate beyond the minimum effect is never
    dropped on its promise: wild pairs, not a small gain, then hold it back, and drawing from them
    again would project their spread onto every pair still to come."""
    verdict = label(stats, alpha_look=alpha_look, min_effect=min_effect, decision=decision)
    if not final and not stats.covered and stats.ci_low > 1:
        return None  # every pair slower: a few more pairs give the 95% interval that can say so
    futility = stats.ci_low if stats.futility_low is None else stats.futility_low
    small = stats.ratio >= 1 - min_effect  # the estimate itself is no gain worth having
    if verdict == "faster" or final or futility >= 1 - min_effect or (small and promise <= FUTILE_PROMISE):
        return verdict
    return None


def verdict_at(parent_s: Sequence[float] | np.ndarray, candidate_s: Sequence[float] | np.ndarray, plan: LookPlan, *,
               min_effect: float, projected: bool = True) -> tuple[Look, Verdict | None]:
    """The look of ``plan`` at these pairs: its statistics, and the verdict when the candidate stops
    there. The projection (``promise``, unless not ``projected``) is drawn only for a small estimate
    that nothing else stopped."""
    stats = look(parent_s, candidate_s)
    final, decision = len(parent_s) >= plan.last, len(parent_s) in plan.decisions
    verdict = decide(stats, alpha_look=plan.alpha_look, min_effect=min_effect, final=final, decision=decision)
    if verdict is None and projected and stats.ratio >= 1 - min_effect:
        hope = promise(log_ratios(parent_s, candidate_s), stats, last=plan.last, min_effect=min_effect)
        verdict = decide(stats, alpha_look=plan.alpha_look, min_effect=min_effect, final=final, decision=decision,
                         promise=hope)
    return stats, verdict


def promise(logs: np.ndarray, stats: Look, *, last: int, min_effect: float, draws: int = PROMISE_DRAWS) -> float:
    """The share of continuations to ``last`` pairs whose 95% interval ends below ``1 - min_effect``
    (the condition of "faster" that a small gain cannot meet; the p-value's would only lower it).

    The pairs still to come are drawn with replacement from the pairs so far, centred on their
    estimate and moved to the optimistic end of the 95% interval: the noise keeps its own shape
    (a few wild pairs widen an early interval more than they widen the last one) and the gain is
    taken as large as the evidence allows. The draws are seeded by the pairs, so a look is a function
    of its samples. Spends no alpha: it can only stop a candidate that is not called faster.
    """
    n = len(logs)
    if n >= last or n < PROMISE_PAIRS:
        return 1.0  # nothing to project, or too few pairs to project from
    optimistic = math.log(stats.ci_low)
    rng = np.random.default_rng(zlib.crc32(np.ascontiguousarray(logs, float).tobytes()))
    future = optimistic + rng.choice(logs - math.log(stats.ratio), size=(draws, last - n))
    i, j = np.triu_indices(last)
    top = len(i) - _critical_count(last, (1 - LEVEL) / 2)  # the interval's high end among the sorted averages
    bound, reached = math.log(1 - min_effect), 0
    batch = max(1, 2_000_000 // len(i))  # a bounded block of Walsh averages at a time
    for start in range(0, draws, batch):
        rows = np.concatenate([np.broadcast_to(logs, (min(batch, draws - start), n)), future[start:start + batch]],
                              axis=1)
        walsh = (rows[:, i] + rows[:, j]) / 2
        reached += int(np.count_nonzero(np.partition(walsh, top, axis=1)[:, top] < bound))
    return reached / draws


def p_value(stats: Look, verdict: Verdict) -> float:
    """One-sided in the direction of the verdict; two-sided when there is no difference."""
    return {"faster": stats.p_faster, "slower": stats.p_slower}.get(
        verdict, min(1.0, 2 * min(stats.p_faster, stats.p_slower)))


@dataclass(frozen=True)
class LookPlan:
    """When a race looks: every look may stop a candidate for futility, ``decisions`` may also call
    it faster at ``alpha_look`` = alpha / (decision looks) / (candidates raced)."""

    looks: tuple[int, ...]
    decisions: tuple[int, ...]
    alpha_look: float

    @property
    def last(self) -> int:
        return self.looks[-1]

    def next_look(self, pairs: int) -> int:
        """The first look at or after ``pairs``."""
        return next((n for n in self.looks if n >= pairs), self.last)


def plan_looks(max_pairs: int, alpha: float, n_candidates: int = 1) -> LookPlan:
    """Decision looks doubling from the first number of pairs at which the signed-rank test can
    reach ``alpha_look`` with room to spare (at least ``MIN_DECISION_PAIRS``) up to ``max_pairs``;
    futility looks before them. With one candidate and 40 pairs: futility at 6, decisions at 10,
    20, 40 (alpha / 3 each)."""
    count = 3
    for _ in range(8):  # the number of decision looks and alpha_look depend on each other
        alpha_look = alpha / count / max(1, n_candidates)
        first = max(MIN_DECISION_PAIRS, math.ceil(math.log2(DECISION_ROOM / alpha_look)))
        decisions = [n for n in _doubling(first) if n < max_pairs] + [max_pairs]
        if len(decisions) == count:
            break
        count = len(decisions)
    looks = sorted({n for n in FUTILITY_LOOKS if n < decisions[0]} | set(decisions))
    return LookPlan(tuple(looks), tuple(decisions), alpha / len(decisions) / max(1, n_candidates))


def _doubling(first: int) -> list[int]:
    return [first * 2 ** k for k in range(12)]


def paired_figure(parent: Sequence[float], candidate: Sequence[float], *, alpha: float, min_effect: float,
                  floor: float) -> tuple[Look, Verdict]:
    """The time rule at one (final) look, for any positive per-run figure (memory, CPU share).
    Values below ``floor`` are raised to it, so a zero is not an infinite log ratio."""
    stats = look(np.maximum(np.asarray(parent, float), floor), np.maximum(np.asarray(candidate, float), floor))
    verdict = decide(stats, alpha_look=alpha, min_effect=min_effect, final=True)
    assert verdict is not None
    return stats, verdict
