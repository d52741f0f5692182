"""How long a sandboxed run may take: scaled from what the parent was measured to take.

Before anything is measured (the baseline) every run gets ``--timeout`` or ``DEFAULT_TIMEOUT_S``.
After, a candidate's workload call may take ``CALL_FACTOR`` times the parent's (at least
``MIN_CALL_S``) and its test run ``TESTS_FACTOR`` times the parent's (at least ``MIN_TESTS_S``), so a
hang costs little; ``--timeout`` raises either limit, never lowers it below what was derived.
"""

from __future__ import annotations

from dataclasses import dataclass

from evolver.model import Settings
from evolver.sandbox.runner import DEFAULT_TIMEOUT_S

CALL_FACTOR = 10.0
MIN_CALL_S = 10.0
TESTS_FACTOR = 10.0
MIN_TESTS_S = 30.0
STARTUP_S = 30.0  # interpreter start-up and the module's import, on top of the workload calls


@dataclass(frozen=True)
class Limits:
    """Wall-clock limits of one version's runs."""

    call_s: float  # one workload call
    tests_s: float  # one run of the tests
    basis: str = ""  # how the call limit was set, for messages ("10x the parent's workload time (0.6 s)")
    startup_s: float = STARTUP_S
    tests_basis: str = ""

    def run_s(self, calls: float) -> float:
        """A worker process making ``calls`` workload calls."""
        return self.startup_s + calls * self.call_s

    def ready_s(self) -> float:
        """A timing worker's start: the import and one warm-up call."""
        return self.startup_s + self.call_s


def limits_for(settings: Settings) -> Limits:
    """Before the parent is measured: ``--timeout``, or the default, for every run."""
    given = settings.timeout_s
    basis = f"--timeout {given:g} s" if given is not None else f"the default {DEFAULT_TIMEOUT_S:g} s"
    limit = given if given is not None else DEFAULT_TIMEOUT_S
    return Limits(limit, limit, basis, STARTUP_S, basis)


def from_parent(settings: Settings, *, call_s: float, tests_s: float) -> Limits:
    """A candidate's limits from the parent's measured workload call and test run."""
    call = max(MIN_CALL_S, CALL_FACTOR * call_s)
    tests = max(MIN_TESTS_S, TESTS_FACTOR * tests_s)
    basis = f"a workload call may take {CALL_FACTOR:g}x the parent's ({call_s:.2g} s), at least {MIN_CALL_S:g} s"
    tests_basis = f"the tests may take {TESTS_FACTOR:g}x the parent's run ({tests_s:.2g} s), at least {MIN_TESTS_S:g} s"
    given = settings.timeout_s
    if given is not None and given > call:
        basis = f"--timeout {given:g} s"
    if given is not None and given > tests:
        tests_basis = f"--timeout {given:g} s"
    if given is not None:
        call, tests = max(call, given), max(tests, given)
    return Limits(call, tests, basis, STARTUP_S, tests_basis)
