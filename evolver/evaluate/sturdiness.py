"""Sturdiness judged by fault injection: a candidate that adds retries is run, beside its parent, with
the configured transient exceptions injected at the callees it retries, on the same schedule.

1. **What is retried**: the retry calls the candidate has and the parent has not (``retry_lines``,
   from the two sources), then a *probe* run of the candidate (``sandbox/faults.py``) records which
   functions the recovery helper is handed from those lines: the callees, as Python resolves them.
2. **Two schedules**, each one workload call per version, the same on both sides (keyed by the
   call's arguments, seeded): *transient*, where a faulty call fails once and a retry absorbs it,
   and *persistent*, where a faulty call fails on every attempt and a retry must give up.
3. **Verdict inputs**: the surfaced failures under the transient schedule (``errors``: parent,
   candidate; the judge approves fewer, when the fault-free run is not slower), and whether, under the
   persistent schedule, the candidate's workload ends as the parent's and surfaces as many injected
   failures (``hidden``: a candidate that swallows what it cannot recover is rejected).

Failures are counted where they leave the recovery (the worker's ``SurfacedFailures``).
"""

from __future__ import annotations

import ast
import threading
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from evolver.evaluate.resources import Version
from evolver.evaluate.workers import Bench, CandidateFailed, run_worker
from evolver.model import Settings, Target

RECOVERY = "_evolver_retry"  # the recovery helpers' prefix (analysis.callgraph.RETRY_HELPER)
SCHEDULES = ("transient", "persistent")
BACKOFF_CALLS = 4.0  # a retry's sleeps per injected failure, in units of its first backoff, allowed on top


@dataclass(frozen=True)
class FaultPlan:
    """Where and what to inject: the same for parent and candidate."""

    callees: tuple[str, ...]  # qualnames in the target module
    transient: tuple[str, ...]  # exception names; each faulty call raises one of them
    rate: float  # share of distinct calls (by arguments) that are faulty; the first always is
    seed: int
    failures: int = 1  # failed attempts of a faulty call under the transient schedule

    def request(self, schedule: str) -> dict[str, Any]:
        return {"schedule": schedule, "callees": list(self.callees), "transient": list(self.transient),
                "rate": self.rate, "seed": self.seed, "failures": self.failures}


@dataclass(frozen=True)
class FaultRun:
    """One workload call under one schedule: how it ended and what failed where."""

    outcome: str  # the output's digest, or "error: <exception line>"
    calls: int  # calls of the callees
    faulty: int  # distinct faulty calls (by arguments)
    injected: int  # exceptions raised by the injector
    surfaced: int  # transient failures that left the recovery (injected or not)
    surfaced_injected: int

    @classmethod
    def of(cls, answer: dict[str, Any]) -> FaultRun:
        return cls(str(answer["outcome"]), int(answer["calls"]), int(answer["faulty"]), int(answer["injected"]),
                   int(answer["surfaced"]), int(answer["surfaced_injected"]))


@dataclass(frozen=True)
class Sturdiness:
    """The fault-injection evidence on one candidate against its parent."""

    plan: FaultPlan | None
    note: str = ""  # why nothing was injected, when nothing was
    runs: dict[str, tuple[FaultRun, FaultRun]] = field(default_factory=dict)  # schedule -> (parent, candidate)
    recovers: bool | None = None  # under transient faults the candidate gives its fault-free output

    @property
    def errors(self) -> tuple[int, int] | None:
        """Surfaced failures under the transient schedule: (parent, candidate)."""
        pair = self.runs.get("transient")
        return None if pair is None else (pair[0].surfaced, pair[1].surfaced)

    def hidden(self, *, outputs: bool = True) -> str:
        """Why the candidate hides failures the parent lets surface ("" when it does not); with
        ``outputs`` False (a nondeterministic workload) the outputs are not compared, only the counts."""
        pair = self.runs.get("persistent")
        if pair is None or self.plan is None:
            return ""
        parent, child = pair
        where = ", ".join(self.plan.callees)
        if outputs and child.outcome != parent.outcome:
            return (f"hides failures: with {where} failing on every attempt the workload "
                    f"{_ending(child.outcome, parent.outcome)}")
        if child.surfaced_injected != parent.surfaced_injected:
            return (f"hides failures: with {where} failing on every attempt it surfaces "
                    f"{child.surfaced_injected} of them where the parent surfaces {parent.surfaced_injected}")
        return ""

    def describe(self) -> str:
        """The injection in words, for the verdict's reason."""
        pair = self.runs.get("transient")
        if self.plan is None or pair is None:
            return self.note
        kinds = "/".join(self.plan.transient)
        return (f"under injected {kinds} at {', '.join(self.plan.callees)} ({pair[0].faulty} of the "
                f"parent's distinct calls faulty, seed {self.plan.seed})")

    def to_json(self) -> dict[str, Any]:
        runs = {schedule: {"parent": vars(p), "candidate": vars(c)} for schedule, (p, c) in self.runs.items()}
        plan = None if self.plan is None else {**self.plan.request("transient"), "schedules": list(SCHEDULES)}
        if plan is not None:
            del plan["schedule"]
        errors = self.errors
        return {"plan": plan, "note": self.note, "runs": runs, "errors": None if errors is None else list(errors),
                "hidden": self.hidden(), "recovers": self.recovers}


def _ending(child: str, parent: str) -> str:
    def words(outcome: str) -> str:
        return f"raises {outcome[len('error: '):]}" if outcome.startswith("error: ") else "returns"

    if words(child) == words(parent):
        return f"{words(child)} a different result than the parent's"
    return f"{words(child)} where the parent {words(parent)}"


class FaultInjection:
    """Fault-injection runs of the candidates of one parent; the parent's runs are made once per plan."""

    def __init__(self, parent: Version, settings: Settings, target: Target) -> None:
        self.parent, self.settings = parent, settings
        self.seed = zlib.crc32(target.module.encode("utf-8"))
        self._parent_runs: dict[FaultPlan, dict[str, FaultRun]] = {}
        self._lock = threading.Lock()

    def measure(self, child: Version) -> Sturdiness | None:
        """The evidence on ``child``; None when it adds no retry call."""
        lines = retry_lines(self.parent.source, child.source)
        if not lines:
            return None
        probe = run_worker(child.bench, "faults", calls=2, faults={"schedule": "probe", "lines": lines})
        if not probe["callees"]:
            where = ", ".join(f"line {span[0]}" for span in lines)
            if probe["unresolved"]:
                return Sturdiness(None, f"the retried {', '.join(probe['unresolved'])} is not a function of the "
                                        "module: no fault was injected")
            return Sturdiness(None, f"the workload never reaches the retried call ({where}): no fault was injected")
        plan = FaultPlan(tuple(probe["callees"]), self.settings.transient, self.settings.fault_rate, self.seed)
        parent = self._parent(plan)
        if not parent["transient"].injected:
            return Sturdiness(plan, f"no {'/'.join(plan.transient)} could be injected at {', '.join(plan.callees)}")
        runs = {s: (parent[s], self._run(child.bench, plan, s, parent["persistent"].injected)) for s in SCHEDULES}
        fault_free = child.check.outcome if child.check is not None else None
        return Sturdiness(plan, runs=runs, recovers=None if fault_free is None else runs["transient"][1].outcome == fault_free)

    def _parent(self, plan: FaultPlan) -> dict[str, FaultRun]:
        with self._lock:
            found = self._parent_runs.get(plan)
            if found is None:
                try:
                    found = {s: self._run(self.parent.bench, plan, s, 0) for s in SCHEDULES}
                except CandidateFailed as exc:
                    raise CandidateFailed(f"the parent's run with injected faults failed: {exc}") from None
                self._parent_runs[plan] = found
            return found

    def _run(self, bench: Bench, plan: FaultPlan, schedule: str, failures: int) -> FaultRun:
        """One run under ``schedule``; allowed the retries' backoff for ``failures`` failures on top."""
        backoff_s = failures * BACKOFF_CALLS * self.settings.retry_backoff_s * 3
        calls = 3 + backoff_s / max(bench.limits.call_s, 1e-3)
        return FaultRun.of(run_worker(bench, "faults", calls=calls, faults=plan.request(schedule)))


def retry_lines(parent_source: str, candidate_source: str) -> list[tuple[int, int]]:
    """(first, last) lines of the recovery-helper calls the candidate has and the parent has not, a
    call told by the function it is in and what it retries."""
    before = Counter(key for key, _ in _retry_calls(parent_source))
    new = []
    for key, span in _retry_calls(candidate_source):
        if before[key] > 0:
            before[key] -= 1
        else:
            new.append(span)
    return new


def _retry_calls(source: str) -> list[tuple[tuple[str, str], tuple[int, int]]]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    found: list[tuple[tuple[str, str], tuple[int, int]]] = []

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = f"{scope}.{child.name}" if scope else child.name
            elif (isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                  and child.func.id.startswith(RECOVERY) and child.args):
                found.append(((scope, ast.dump(child.args[0])), (child.lineno, child.end_lineno or child.lineno)))
            visit(child, inner)

    visit(tree, "")
    return found
