"""What the report shows, as plain values: built from the history and the manifests by
``collect``, drawn by ``plots``, laid out by the template. A figure that was not recorded is
None here and "not measured" on the page: nothing is estimated or filled in."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime


def generation_anchor(gen_id: str) -> str:
    """The HTML id of a generation's card."""
    return "gen-" + "".join(c if c.isalnum() else "-" for c in gen_id)


@dataclass(frozen=True)
class Interval:
    """A measured time ratio (candidate / parent, < 1 is faster) with its 95% interval."""

    ratio: float
    ci_low: float
    ci_high: float

    @property
    def speedup(self) -> float:
        return 1.0 / self.ratio

    @property
    def speedup_low(self) -> float:
        return 1.0 / self.ci_high

    @property
    def speedup_high(self) -> float:
        return 1.0 / self.ci_low

    @staticmethod
    def of(ratio: object, low: object, high: object) -> Interval | None:
        values = [v for v in (ratio, low, high) if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if len(values) != 3 or not all(math.isfinite(v) and v > 0 for v in values):
            return None
        return Interval(float(values[0]), float(values[1]), float(values[2]))


@dataclass(frozen=True)
class Timing:
    """One version's workload time per call, from timed samples."""

    median_ms: float
    low_ms: float  # the samples' interquartile range, or median -/+ spread when only that was kept
    high_ms: float
    samples: int
    source: str  # where the figure comes from, said on the page


@dataclass(frozen=True)
class Memory:
    """Peak RSS of a candidate against its parent, judged in pairs of their own."""

    parent_mb: float | None
    candidate_mb: float | None
    change: Interval | None  # ratio candidate / parent with its interval
    verdict: str


@dataclass(frozen=True)
class Promotion:
    applied_at: str
    undone_at: str | None
    undone_by: str | None  # "reverted" (the revert command) or "rolled back" (anything else)
    reason: str | None = None  # why it was undone, when the history says


@dataclass(frozen=True)
class Applied:
    """One rewrite a generation carries."""

    site: str
    transform: str
    reason: str


@dataclass(frozen=True)
class Candidate:
    """One rewrite tried in a cycle, with what came of it."""

    site: str
    transform: str
    status: str  # as recorded: approved, rejected, failed, applied, rolled_back, ...
    outcome: str  # what it means for a reader: "in this generation", "tests failed", ...
    reason: str
    predicted_success: float | None
    predicted_gain: float | None  # expected log speedup
    measured: Interval | None
    p_value: float | None
    session_id: str

    @property
    def predicted_speedup(self) -> float | None:
        return None if self.predicted_gain is None else math.exp(self.predicted_gain)


@dataclass(frozen=True)
class Refusal:
    site: str
    transform: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Cycle:
    """The candidates tried on one version in one session, and the generation they made, if any."""

    session_id: str
    parent_hash: str
    parent_id: str | None  # the generation holding that version, when one does
    produced: str | None
    candidates: tuple[Candidate, ...]
    refusals: tuple[Refusal, ...]
    started_at: str


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "context", "added", "removed"
    old: int | None
    new: int | None
    html: str  # highlighted source of the line (escaped by pygments)


@dataclass(frozen=True)
class Diff:
    hunks: tuple[tuple[DiffLine, ...], ...] = ()
    added: int = 0
    removed: int = 0
    raw_html: str | None = None  # a stored patch, highlighted as a whole, when a source is missing
    missing: str | None = None  # why no diff can be shown


@dataclass(frozen=True)
class GenerationView:
    id: str
    number: int
    parent_id: str | None
    created_at: str
    session_id: str | None
    source_hash: str
    transforms: tuple[Applied, ...]
    vs_parent: Interval | None
    verdict: str | None
    p_value: float | None
    pairs: int | None
    vs_root: Interval | None
    memory: Memory | None
    errors: tuple[int, int] | None
    status: str  # original, candidate, promoted, reverted, rolled back
    promotions: tuple[Promotion, ...]
    timing: Timing | None
    cycle: Cycle | None
    diff: Diff

    @property
    def anchor(self) -> str:
        return generation_anchor(self.id)


@dataclass(frozen=True)
class Branch:
    """A chain of generations, each the parent of the next; the last one's children branch off."""

    nodes: tuple[GenerationView, ...]
    children: tuple[Branch, ...] = ()


@dataclass(frozen=True)
class SessionView:
    id: str
    command: str
    started_at: str
    ended_at: str | None
    status: str


@dataclass(frozen=True)
class TrendPoint:
    """One recorded measurement of the workload time of a version of the target."""

    session_id: str
    measured_at: datetime
    value_ms: float
    spread_ms: float | None
    generation_id: str | None


@dataclass(frozen=True)
class TargetView:
    path: str
    module: str
    generations: tuple[GenerationView, ...]
    tree: tuple[Branch, ...]
    sessions: tuple[SessionView, ...]
    trend: tuple[TrendPoint, ...]
    idle_cycles: tuple[Cycle, ...]  # cycles that made no generation
    problems: tuple[str, ...] = field(default=())

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        made = [g.cycle for g in self.generations if g.cycle is not None]
        return tuple(c for cycle in (*made, *self.idle_cycles) for c in cycle.candidates)

    @property
    def anchor(self) -> str:
        return "target-" + "".join(c if c.isalnum() else "-" for c in self.path)
