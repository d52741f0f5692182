"""The judge: a candidate against its parent, as a sequence of named checks, each returning a
``Gate``. The checks before timing (``BEFORE_TIMING``) run in order and the first that fails the
candidate decides; only a candidate that passes them all is timed, and then the checks after timing
(``AFTER_TIMING``) give the verdict. A new check is one function added to one of the tuples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from evolver.evaluate.behaviour import BehaviourCheck, describe
from evolver.evaluate.resources import Version
from evolver.evaluate.sturdiness import Sturdiness
from evolver.model import Comparison

Status = Literal["approved", "rejected", "failed", "interrupted"]  # interrupted: no verdict either way


@dataclass(frozen=True)
class Gate:
    """One check's answer."""

    check: str
    passed: bool
    reason: str = ""


@dataclass(frozen=True)
class Judgement:
    """The verdict on one version against its parent."""

    status: Status
    reason: str
    comparison: Comparison | None = None
    errors: tuple[int, int] | None = None  # surfaced transient failures: (parent, candidate)
    gates: tuple[Gate, ...] = ()
    timed_out_s: float | None = None  # not measured: a run went past this limit
    behaviour: dict[str, Any] | None = None  # the behaviour check (evaluate/behaviour.py), as recorded
    faults: dict[str, Any] | None = None  # the fault-injection runs (evaluate/sturdiness.py), as recorded

    @property
    def measured(self) -> bool:
        return self.comparison is not None


@dataclass(frozen=True)
class Evidence:
    """What the judge looks at: both versions as measured, the tests the candidate should have run."""

    parent: Version
    child: Version
    tests_expected: int  # how many tests the candidate's oracle run must execute (-1: no count)
    comparison: Comparison | None = None
    errors: tuple[int, int] | None = None
    notes: dict[str, str] = field(default_factory=dict)
    behaviour: BehaviourCheck | None = None  # None: not checked yet (or turned off and not said)
    faults: Sturdiness | None = None  # a candidate that adds retries: its runs with injected faults

    def behaviour_json(self) -> dict[str, Any] | None:
        return describe(self.behaviour) if self.behaviour is not None else None

    def faults_json(self) -> dict[str, Any] | None:
        return self.faults.to_json() if self.faults is not None else None


Check = Callable[[Evidence], Gate]


def tests_pass(e: Evidence) -> Gate:
    oracle = e.child.oracle
    if oracle is None:
        return Gate("tests", False, "the tests were not run")
    return Gate("tests", oracle.passed, "" if oracle.passed else f"tests fail: {oracle.reason}")


def no_fewer_tests(e: Evidence) -> Gate:
    ran = e.child.oracle.tests_run if e.child.oracle is not None else -1
    if 0 <= ran < e.tests_expected:
        return Gate("test count", False, f"fewer tests ran ({ran} < {e.tests_expected})")
    return Gate("test count", True)


def same_output(e: Evidence) -> Gate:
    parent, child = e.parent.check, e.child.check
    if parent is None or e.notes.get("output") == "nondeterministic":
        return Gate("output", True, "not compared: the workload's output is nondeterministic")
    if child is None or child.outcome != parent.outcome:
        return Gate("output", False, "workload output differs from the parent's")
    return Gate("output", True)


def same_behaviour(e: Evidence) -> Gate:
    """The workload's calls of the rewritten functions end as the parent's did (behaviour.py)."""
    if e.behaviour is None or not e.behaviour.differs:
        return Gate("behaviour", True, e.behaviour.summary if e.behaviour is not None else "")
    return Gate("behaviour", False, e.behaviour.summary)


def failures_visible(e: Evidence) -> Gate:
    """Faults a retry cannot absorb end the workload as they end the parent's (sturdiness.py)."""
    deterministic = e.notes.get("output") != "nondeterministic"
    why = e.faults.hidden(outputs=deterministic) if e.faults is not None else ""
    return Gate("failures", not why, why)


def within_memory_budget(e: Evidence) -> Gate:
    cmp = e.comparison
    memory = (cmp.extra.get("memory") or {}) if cmp is not None else {}
    if memory.get("over_budget"):
        assert cmp is not None
        return Gate("memory", False, f"{cmp.describe()} but uses too much memory "
                                     f"({memory.get('ratio', float('nan')):.2f}x peak)")
    return Gate("memory", True)


def faster_or_sturdier(e: Evidence) -> Gate:
    cmp = e.comparison
    assert cmp is not None
    if cmp.verdict == "faster":
        return Gate("gain", True, cmp.describe())
    errors = e.errors
    if errors is None or errors[1] >= errors[0]:
        return Gate("gain", False, cmp.describe())
    injected = e.faults is not None and e.faults.errors is not None
    fewer = f"surfaced failures {errors[0]} -> {errors[1]}" + (" under injected faults" if injected else "")
    if cmp.verdict == "slower":
        return Gate("gain", False, f"{cmp.describe()} on the fault-free run, though {fewer}")
    if injected and e.faults is not None and e.faults.recovers is False \
            and e.notes.get("output") != "nondeterministic":
        return Gate("gain", False, f"{fewer}, but under those faults its output is not its fault-free output")
    how = f" {e.faults.describe()}" if injected and e.faults is not None else ""
    return Gate("gain", True, f"sturdier{how}: surfaced failures {errors[0]} -> {errors[1]}")


BEFORE_TIMING: tuple[Check, ...] = (tests_pass, no_fewer_tests, same_output, same_behaviour, failures_visible)
AFTER_TIMING: tuple[Check, ...] = (within_memory_budget, faster_or_sturdier)


def before_timing(e: Evidence) -> Judgement | None:
    """The failing verdict of the first check before timing that fails; None when all pass."""
    gates: list[Gate] = []
    for check in BEFORE_TIMING:
        gates.append(check(e))
        if not gates[-1].passed:
            return Judgement("failed", gates[-1].reason, gates=tuple(gates), behaviour=e.behaviour_json(),
                             faults=e.faults_json())
    return None


def after_timing(e: Evidence) -> Judgement:
    """Approved when every check after timing passes; rejected by the first that does not."""
    gates = [check(e) for check in BEFORE_TIMING]
    for check in AFTER_TIMING:
        gates.append(check(e))
        if not gates[-1].passed:
            return Judgement("rejected", gates[-1].reason, e.comparison, e.errors, tuple(gates),
                             behaviour=e.behaviour_json(), faults=e.faults_json())
    return Judgement("approved", gates[-1].reason, e.comparison, e.errors, tuple(gates), behaviour=e.behaviour_json(),
                     faults=e.faults_json())


def not_measured(reason: str, *, timed_out_s: float | None = None, basis: str = "") -> Judgement:
    """A candidate that failed to be measured: a run went past its limit (``timed_out_s``)."""
    if timed_out_s is not None:
        reason = f"not measured (timed out after {timed_out_s:.0f} s)" + (f": {basis}" if basis else "")
    return Judgement("failed", reason, timed_out_s=timed_out_s)


BUDGET_USED_UP = "not judged: the time budget is used up"


def not_judged(reason: str = BUDGET_USED_UP) -> Judgement:
    """A candidate whose evaluation stopped before any verdict (the budget ran out, or the machine
    was too busy to measure): "interrupted", so the predictor learns nothing from it."""
    return Judgement("interrupted", reason)
