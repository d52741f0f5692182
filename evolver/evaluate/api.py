"""One candidate against its parent, from plain data: the seam for the Python API and executors."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from evolver.evaluate.evaluator import Proposal, Recorder, measure_parent
from evolver.evaluate.executor import executor_for
from evolver.evaluate.judge import Judgement
from evolver.evaluate.resources import Resources
from evolver.model import Settings, Target


def _quiet(event: str, **data: Any) -> None:
    """Say nothing."""


def evaluate_candidate(target: Target, settings: Settings, parent_source: str, candidate_source: str, *,
                       resources: Resources | None = None, tests_expected: int | None = None,
                       notify: Any = _quiet, recorder: Recorder | None = None, key: str = "candidate") -> Judgement:
    """Judge ``candidate_source`` against ``parent_source`` (both the whole module ``target``) as an
    evolve cycle would: tests, output, timing, memory, sturdiness. ``resources`` (reused across
    calls of one cycle) keeps the parent measured once and the scratch copies for reuse; without
    it, a set is made and removed for this call. ``tests_expected`` is the number of tests the
    candidate must run (default: as many as the parent ran). ``recorder`` receives the candidate's
    start, test result and judgement under ``key`` (in the calling thread, but ``started``). The
    candidate's tests and timing run where ``settings.executor`` says (the parent is measured here)."""
    with ExitStack() as stack:
        executor = stack.enter_context(executor_for(target, settings))
        live = resources if resources is not None else stack.enter_context(Resources(target, settings))
        parent = measure_parent(live, live.version(parent_source), tests_expected=tests_expected)
        evaluator = executor.evaluator(live, parent, notify=notify, recorder=recorder)
        (result,) = evaluator.evaluate([Proposal(key, lambda: candidate_source)])
        return result.judgement
