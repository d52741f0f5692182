"""The judge's sturdiness gates on fault-injection evidence: approved only when the candidate surfaces
fewer injected failures, recovers its fault-free output, hides nothing it cannot recover and is not
slower on the fault-free run."""

from __future__ import annotations

from typing import Any

import pytest

from evolver.evaluate import judge
from evolver.evaluate.judge import Evidence
from evolver.evaluate.resources import Version
from evolver.evaluate.sturdiness import FaultPlan, FaultRun, Sturdiness
from evolver.evaluate.workers import Check
from evolver.model import Comparison, OracleResult

PLAN = FaultPlan(("fetch",), ("ConnectionError",), 0.25, 7)
PASSED = OracleResult(passed=True, tests_run=3, failed=0, duration_s=1.0, reason="")


def version(outcome: str = "d1") -> Version:
    return Version(source="", hash=outcome, bench=None, oracle=PASSED,  # type: ignore[arg-type]
                   check=Check("h", outcome, None))


def run(outcome: str, surfaced: int, injected: int = 2) -> FaultRun:
    return FaultRun(outcome, calls=12, faulty=2, injected=injected, surfaced=surfaced, surfaced_injected=surfaced)


def comparison(verdict: str, ratio: float) -> Comparison:
    return Comparison(verdict, ratio, ratio * 0.95, ratio * 1.05, 0.2, 10, (1.0,), (ratio,), 1)  # type: ignore[arg-type]


def evidence(verdict: str = "no significant difference", ratio: float = 1.0, *, recovers: bool | None = True,
             persistent: tuple[str, str] = ("rows", "rows"), notes: dict[str, str] | None = None) -> Evidence:
    faults = Sturdiness(PLAN, runs={"transient": (run("rows", 2), run("d1", 0)),
                                    "persistent": (run(persistent[0], 2), run(persistent[1], 2, injected=6))},
                        recovers=recovers)
    return Evidence(parent=version(), child=version(), tests_expected=3, comparison=comparison(verdict, ratio),
                    errors=faults.errors, notes=notes or {}, faults=faults)


def test_fewer_surfaced_failures_not_slower_is_approved_and_says_how_it_was_measured() -> None:
    found = judge.after_timing(evidence())
    assert found.status == "approved"
    assert found.reason == ("sturdier under injected ConnectionError at fetch (2 of the parent's distinct calls "
                            "faulty, seed 7): surfaced failures 2 -> 0")
    faults: Any = found.faults
    assert faults["errors"] == [2, 0] and faults["recovers"] is True and faults["plan"]["callees"] == ["fetch"]


@pytest.mark.parametrize(("e", "reason"), [
    (evidence("slower", 1.1), "slower (0.91x, 95% CI 0.87-0.96) on the fault-free run, though surfaced failures "
                              "2 -> 0 under injected faults"),
    (evidence(recovers=False), "surfaced failures 2 -> 0 under injected faults, but under those faults its "
                               "output is not its fault-free output"),
])
def test_a_sturdier_candidate_is_rejected_when_slower_or_not_recovered(e: Evidence, reason: str) -> None:
    found = judge.after_timing(e)
    assert (found.status, found.reason) == ("rejected", reason)


def test_nondeterministic_outputs_are_not_compared() -> None:
    notes = {"output": "nondeterministic"}
    assert judge.after_timing(evidence(recovers=False, persistent=("a", "b"), notes=notes)).status == "approved"


def test_a_candidate_that_ends_otherwise_under_persistent_faults_fails_before_timing() -> None:
    found = judge.before_timing(evidence(persistent=("rows", "error: AttributeError: 'NoneType' object has no "
                                                           "attribute 'splitlines'")))
    assert found is not None and found.status == "failed"
    assert found.reason.startswith("hides failures: with fetch failing on every attempt the workload raises "
                                   "AttributeError")
