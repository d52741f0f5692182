"""From the history's rows and the stored generations to the report's views, one target at a time.

A target is one module file, named by its resolved path as the history records it. Every field
is read defensively: rows and manifests written by other versions of evolver may lack a field
or carry one this version does not know; a missing figure stays None.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from evolver.errors import EvolverError
from evolver.generations import PATCH, Generation
from evolver.html import diffs
from evolver.html.records import Records, loads
from evolver.html.views import (
    Applied,
    Branch,
    Candidate,
    Cycle,
    Diff,
    GenerationView,
    Interval,
    Memory,
    Promotion,
    Refusal,
    SessionView,
    TargetView,
    Timing,
    TrendPoint,
)

InScope = Callable[[str], bool]
_APPROVED = ("approved", "applied", "rolled_back")
_UNDECIDED = ("proposed", "testing")
# (words in a failed candidate's reason, what it means); the first match wins.
_FAILURES = (
    (("tests fail", "fewer tests ran", "test run"), "tests failed"),
    (("output differs", "behaviour", "behavior", "differs from the parent"), "behaviour differs"),
    (("timed out", "timeout", "time limit"), "timed out"),
    (("time budget", "not judged"), "not judged: time budget used up"),
)
_NOT_JUDGED = ((("time budget",), "not judged: time budget used up"), (("too busy",), "not judged: machine too busy"))


def scope_of(path: Path) -> InScope:
    """Which recorded target paths ``path`` (a module file or a folder) covers."""
    scope = path.resolve()
    if scope.is_dir():
        return lambda p: scope in Path(p).parents
    return lambda p: Path(p) == scope


def collect(records: Records, in_scope: InScope) -> list[TargetView]:
    """One view per target in scope that the history or the generation store knows."""
    targets = _target_paths(records, in_scope)
    return [_target(records, path, module) for path, module in sorted(targets.items())]


def _target_paths(records: Records, in_scope: InScope) -> dict[str, str]:
    found: dict[str, str] = {}
    for gen in records.generations:
        target = gen.manifest.get("target") or {}
        if isinstance(target.get("path"), str):
            found.setdefault(target["path"], str(target.get("module") or gen.target_key))
    for row in records.table("generations"):
        found.setdefault(str(row.get("target_path")), str(row.get("target_key")))
    for row in records.table("sessions"):
        if row.get("command") == "evolve" and row.get("target_path"):
            found.setdefault(str(row["target_path"]), str(row.get("module") or ""))
    for row in records.table("improvements"):
        found.setdefault(str(row.get("target")), "")
    return {p: m or Path(p).stem for p, m in found.items() if p and p != "None" and in_scope(p)}


def _target(records: Records, path: str, module: str) -> TargetView:
    problems: list[str] = []
    gens = _generations_of(records, path, problems)
    by_hash: dict[str, str] = {}
    for gen in gens:
        by_hash.setdefault(gen.source_hash, gen.id)
    cycles = _cycles(records, path, by_hash)
    made = {(g.manifest.get("session_id"), g.manifest.get("parent_hash")): g for g in gens if g.parent_id}
    cycles = [_produced(c, made.get((c.session_id, c.parent_hash))) for c in cycles]
    views = _generation_views(records, gens, {c.produced: c for c in cycles if c.produced}, problems)
    sessions = _sessions(records, path, {v.session_id for v in views})
    return TargetView(
        path=path, module=module, generations=tuple(views), tree=tree(views), sessions=sessions,
        trend=_trend(records, path, by_hash, {s.id for s in sessions}),
        idle_cycles=tuple(c for c in cycles if c.produced is None), problems=tuple(problems))


# -- generations -------------------------------------------------------------------------------
def _generations_of(records: Records, path: str, problems: list[str]) -> list[Generation]:
    """The stored generations of this target; those known only to the history are noted."""
    stored = [g for g in records.generations if (g.manifest.get("target") or {}).get("path") == path]
    ids = {g.id for g in stored}
    for row in records.table("generations"):
        if row.get("target_path") == path and row.get("id") not in ids:
            problems.append(f"generation {row.get('id')} is in the history but not in the generation store")
    return sorted(stored, key=lambda g: (g.target_key, g.number))


def _generation_views(records: Records, gens: Sequence[Generation], cycles: Mapping[str | None, Cycle],
                      problems: list[str]) -> list[GenerationView]:
    by_id = {g.id: g for g in gens}
    children: dict[str, list[Generation]] = defaultdict(list)
    for g in gens:
        if g.parent_id:
            children[g.parent_id].append(g)
    promotions = _promotions(records)
    views = []
    for g in gens:
        m = _dict(g.manifest.get("measurements"))
        vs, root = _dict(m.get("vs_parent")), _dict(m.get("vs_root"))
        history = promotions.get(g.id, ())
        views.append(GenerationView(
            id=g.id, number=g.number, parent_id=g.parent_id, created_at=str(g.manifest.get("created_at") or ""),
            session_id=g.manifest.get("session_id"), source_hash=g.source_hash,
            transforms=tuple(_applied(g.manifest.get("transforms"))),
            vs_parent=Interval.of(vs.get("ratio"), vs.get("ci_low"), vs.get("ci_high")),
            verdict=vs.get("verdict"), p_value=_number(vs.get("p_value")), pairs=_integer(vs.get("pairs")),
            vs_root=Interval.of(root.get("ratio"), root.get("ci_low"), root.get("ci_high")),
            memory=_memory(vs.get("extra")), errors=_errors(m.get("errors")),
            status=_status(g, history), promotions=history,
            timing=_timing(g, vs, children.get(g.id, []), records),
            cycle=cycles.get(g.id), diff=_diff(g, by_id.get(g.parent_id or ""), problems)))
    return views


def _applied(rows: Any) -> Iterable[Applied]:
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict):
            yield Applied(site=str(row.get("site", "")), transform=str(row.get("transform", "")),
                          reason=str(row.get("reason", "")))


def _status(gen: Generation, promotions: Sequence[Promotion]) -> str:
    recorded = gen.manifest.get("status")
    if isinstance(recorded, str) and recorded:  # a status the store keeps itself wins
        return recorded.replace("_", " ")
    if promotions:
        last = promotions[-1]
        return "promoted" if last.undone_at is None else str(last.undone_by)
    return "original" if gen.is_root else "candidate"


def _promotions(records: Records) -> dict[str, tuple[Promotion, ...]]:
    commands = {s.get("id"): s.get("command") for s in records.table("sessions")}
    found: dict[str, list[Promotion]] = defaultdict(list)
    for row in records.table("applied_improvements"):
        undone = row.get("rolled_back_at")
        how = None
        if undone:
            how = "reverted" if commands.get(row.get("rolled_back_session_id")) == "revert" else "rolled back"
        found[str(row.get("generation_id"))].append(
            Promotion(applied_at=str(row.get("applied_at") or ""), undone_at=undone, undone_by=how,
                      reason=row.get("rollback_reason") or None))
    return {k: tuple(v) for k, v in found.items()}


def _memory(extra: Any) -> Memory | None:
    memory = extra.get("memory") if isinstance(extra, dict) else None
    if not isinstance(memory, dict):
        return None
    ci = memory.get("ci")
    low, high = ci if isinstance(ci, list) and len(ci) == 2 else (None, None)
    return Memory(parent_mb=_number(memory.get("parent_peak_mb")),
                  candidate_mb=_number(memory.get("candidate_peak_mb")),
                  change=Interval.of(memory.get("ratio"), low, high),
                  verdict=str(memory.get("verdict") or ""))


def _errors(value: Any) -> tuple[int, int] | None:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return value[0], value[1]
    return None


def _timing(gen: Generation, vs: Mapping[str, Any], children: Sequence[Generation],
            records: Records) -> Timing | None:
    """Its own samples from the A/B run against its parent; for a root, the parent side of its
    first child's A/B run; else its latest recorded baseline measurement."""
    if not gen.is_root:
        found = _from_samples(vs.get("candidate_s"), "A/B samples against its parent")
        if found:
            return found
    for child in sorted(children, key=lambda c: c.number):
        child_vs = (child.manifest.get("measurements") or {}).get("vs_parent")
        if isinstance(child_vs, dict):
            found = _from_samples(child_vs.get("parent_s"), f"A/B samples as the parent of {child.id}")
            if found:
                return found
    rows = [r for r in records.table("performance_metrics")
            if r.get("source_hash") == gen.source_hash and r.get("metric") == "wall_time_ms"]
    if rows:
        value, spread = _number(rows[-1].get("value")), _number(rows[-1].get("spread")) or 0.0
        if value is not None:
            return Timing(value, value - spread, value + spread, 0, "baseline measurement (median -/+ MAD)")
    return None


def _from_samples(samples: Any, source: str) -> Timing | None:
    values = [1000 * v for v in samples if _number(v) is not None] if isinstance(samples, list) else []
    if not values:
        return None
    if len(values) == 1:
        return Timing(values[0], values[0], values[0], 1, source)
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Timing(median, q1, q3, len(values), source + " (median, interquartile range)")


def _diff(gen: Generation, parent: Generation | None, problems: list[str]) -> Diff:
    if gen.parent_id is None:
        return Diff(missing="the original: no parent to compare with")
    try:
        if parent is None:
            raise EvolverError(f"parent {gen.parent_id} is not in the generation store")
        return diffs.diff(parent.read_source(), gen.read_source())
    except (OSError, UnicodeDecodeError, EvolverError) as exc:
        why = f"source not readable: {exc}"
        problems.append(f"{gen.id}: {why}")
        try:
            return diffs.stored_patch((gen.dir / PATCH).read_text(encoding="utf-8"), why)
        except (OSError, UnicodeDecodeError):
            return Diff(missing=why)


def tree(views: Sequence[GenerationView]) -> tuple[Branch, ...]:
    """The lineage as branches: a chain continues while a generation has one child."""
    ids = {v.id for v in views}
    children: dict[str | None, list[GenerationView]] = defaultdict(list)
    for v in views:
        children[v.parent_id if v.parent_id in ids else None].append(v)

    def branch(start: GenerationView) -> Branch:
        chain = [start]
        while len(children[chain[-1].id]) == 1:
            chain.append(children[chain[-1].id][0])
        return Branch(tuple(chain), tuple(branch(c) for c in children[chain[-1].id]))

    return tuple(branch(v) for v in children[None])


# -- cycles: what was tried on each version ----------------------------------------------------
def _cycles(records: Records, path: str, by_hash: Mapping[str, str]) -> list[Cycle]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in records.table("improvements"):
        if row.get("target") == path:
            grouped[(str(row.get("session_id")), str(row.get("parent_hash")))].append(row)
    refused: dict[tuple[str, str], list[Refusal]] = defaultdict(list)
    for row in records.table("refusals"):
        if row.get("target") == path:
            refused[(str(row.get("session_id")), str(row.get("source_hash")))].append(Refusal(
                site=str(row.get("site_id")), transform=str(row.get("transform")),
                reasons=tuple(str(r) for r in loads(row.get("reasons_json"), []))))
    cycles = []
    for key in sorted(set(grouped) | set(refused), key=lambda k: _first_time(grouped.get(k))):
        session, parent_hash = key
        cycles.append(Cycle(
            session_id=session, parent_hash=parent_hash, parent_id=by_hash.get(parent_hash), produced=None,
            candidates=tuple(_candidate(r) for r in grouped.get(key, [])),
            refusals=tuple(refused.get(key, [])), started_at=_first_time(grouped.get(key))))
    return cycles


def _produced(cycle: Cycle, gen: Generation | None) -> Cycle:
    """The cycle with the generation it made, its passed candidates told apart by whether they
    are in that generation."""
    sites = {a.site for a in _applied(gen.manifest.get("transforms"))} if gen else set()
    candidates = tuple(_retold(c, gen is not None, c.site in sites) for c in cycle.candidates)
    return Cycle(cycle.session_id, cycle.parent_hash, cycle.parent_id, gen.id if gen else None,
                 candidates, cycle.refusals, cycle.started_at)


def _retold(c: Candidate, made: bool, included: bool) -> Candidate:
    if c.status not in _APPROVED:
        return c
    if included:
        outcome = "in this generation"
    else:
        outcome = "passed, left out of the composition" if made else "passed; no composition was accepted"
    return Candidate(c.site, c.transform, c.status, outcome, c.reason, c.predicted_success,
                     c.predicted_gain, c.measured, c.p_value, c.session_id)


def _candidate(row: Mapping[str, Any]) -> Candidate:
    return Candidate(
        site=str(row.get("site_id", "")), transform=str(row.get("transform", "")),
        status=str(row.get("status", "")), outcome=outcome(row), reason=str(row.get("reason") or ""),
        predicted_success=_number(row.get("predicted_success")),
        predicted_gain=_number(row.get("predicted_gain")),
        measured=Interval.of(row.get("ratio"), row.get("ci_low"), row.get("ci_high")),
        p_value=_number(row.get("p_value")), session_id=str(row.get("session_id", "")))


def outcome(row: Mapping[str, Any]) -> str:
    """What a recorded candidate's status and reason mean, in a reader's words."""
    status, reason = str(row.get("status", "")), str(row.get("reason") or "").lower()
    if status in _APPROVED:
        return "passed"
    if status in _UNDECIDED:
        return "not decided (the run stopped)"
    if status == "interrupted":  # stopped before any verdict: the budget ran out, or the machine was too busy
        return next((label for words, label in _NOT_JUDGED if any(w in reason for w in words)),
                    "not decided (the run stopped)")
    if status == "failed":
        if _dict(loads(row.get("measurement_json"), {}).get("behaviour")).get("verdict") == "differs":
            return "behaviour differs"  # the behaviour check's recorded verdict (evaluate/behaviour.py)
        return next((label for words, label in _FAILURES if any(w in reason for w in words)), "failed to run")
    if status == "rejected":
        if "memory" in reason:
            return "too much memory"
        return "slower" if reason.startswith("slower") else "no significant gain"
    return status or "unknown"


def _first_time(rows: Sequence[Mapping[str, Any]] | None) -> str:
    return min((str(r.get("created_at") or "") for r in rows or []), default="")


# -- sessions and the trend over time ----------------------------------------------------------
def _sessions(records: Records, path: str, with_generations: set[str | None]) -> tuple[SessionView, ...]:
    picked = [s for s in records.table("sessions")
              if s.get("target_path") == path or s.get("id") in with_generations]
    return tuple(SessionView(id=str(s.get("id")), command=str(s.get("command") or ""),
                             started_at=str(s.get("started_at") or ""), ended_at=s.get("ended_at"),
                             status=str(s.get("status") or "")) for s in picked)


def _trend(records: Records, path: str, by_hash: Mapping[str, str], sessions: set[str]) -> tuple[TrendPoint, ...]:
    points = []
    for row in records.table("performance_metrics"):
        if row.get("metric") != "wall_time_ms" or not (row.get("target") == path or row.get("session_id") in sessions):
            continue
        value, when = _number(row.get("value")), _time(row.get("measured_at"))
        if value is None or when is None:
            continue
        points.append(TrendPoint(session_id=str(row.get("session_id")), measured_at=when, value_ms=value,
                                 spread_ms=_number(row.get("spread")),
                                 generation_id=by_hash.get(str(row.get("source_hash")))))
    return tuple(sorted(points, key=lambda p: p.measured_at))


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
