"""The API's door into the evaluation stage (``evolver.evaluate``): a candidate judged against its
parent, a promoted version re-measured against the one it replaced, and the screen that leaves out
what cannot give a measurable gain. Nothing is measured or decided here: the evolve judge does it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from evolver.errors import EvolverError
from evolver.evaluate import Judgement, Resources, evaluate_candidate
from evolver.evaluate.evaluator import Quiet, Recorder
from evolver.evaluate.resources import Clock, Version
from evolver.evaluate.screen import screen
from evolver.evaluate.workers import Cancelled
from evolver.evolve import Notify, _quiet, record_test_run
from evolver.history import History
from evolver.model import Comparison, Profile, Settings, Target
from evolver.rank import Candidate

__all__ = ["Cancelled", "Health", "Judgement", "check_promoted", "judge_candidate", "relayed", "worth_evaluating"]


@dataclass(frozen=True)
class Health:
    """A promoted version re-measured against the version it replaced."""

    healthy: bool
    reason: str
    comparison: Comparison | None = None  # the promoted version (candidate) against the replaced one (parent)


@contextmanager
def relayed(source: threading.Event | None, target: threading.Event) -> Iterator[None]:
    """Set ``target`` (a run's cancel event) as soon as ``source`` (a stop request) is set."""
    if source is None:
        yield
        return
    done = threading.Event()

    def relay() -> None:
        while not done.wait(0.2):
            if source.is_set():
                target.set()
                return

    thread = threading.Thread(target=relay, name="evolver-stop-relay", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


class RecordTests(Quiet):
    """Records the candidate's test run into the history, under ``improvement`` (if any)."""

    def __init__(self, history: History, session_id: str, improvement: int | None) -> None:
        self.history, self.session_id, self.improvement = history, session_id, improvement

    def tested(self, key: str, version: Version) -> None:
        record_test_run(self.history, self.session_id, self.improvement, version)


def judge_candidate(target: Target, settings: Settings, parent_source: str, candidate_source: str, *,
                    notify: Notify = _quiet, cancel: threading.Event | None = None,
                    recorder: Recorder | None = None) -> Judgement:
    """Tests, workload output, timing, memory and sturdiness: exactly an evolve cycle's judge.
    Raises ``EvolverError`` when the parent's own tests or workload fail, ``Cancelled`` once
    ``cancel`` is set. ``recorder`` receives the candidate's test run and judgement."""
    clock = Clock(settings.budget_s)
    try:
        with relayed(cancel, clock.cancel), Resources(target, settings, clock) as resources:
            return evaluate_candidate(target, settings, parent_source, candidate_source, resources=resources,
                                      notify=notify, recorder=recorder)
    finally:
        clock.stop()


def check_promoted(target: Target, settings: Settings, promoted_source: str, replaced_source: str, *,
                   notify: Notify = _quiet, cancel: threading.Event | None = None) -> Health:
    """Is the promoted version still sound and not significantly slower than the one it replaced?

    The evolve judge with the replaced version as the parent: the promoted version's tests and
    workload output must pass, and the harness's own "slower" label (the 95% interval of the time
    ratio lies above 1) rolls it back. The race stops as soon as a *gain* is ruled out, so a
    regression is judged on the pairs run by then: a clear one shows in them, a small one may not.
    """
    try:
        verdict = judge_candidate(target, settings, replaced_source, promoted_source, notify=notify, cancel=cancel)
    except Cancelled:
        raise
    except EvolverError as exc:  # the replaced version fails: rolling back to it would not help
        return Health(True, f"kept: {exc}".replace("the unchanged code", "the version it replaced"))
    cmp = verdict.comparison
    if verdict.status == "failed":
        return Health(False, f"the promoted version fails: {verdict.reason}", cmp)
    if cmp is not None and cmp.verdict == "slower":
        return Health(False, f"the promoted version is significantly slower than the version it replaced: "
                             f"{cmp.ratio:.2f}x the time (95% CI {cmp.ci_low:.2f}-{cmp.ci_high:.2f})", cmp)
    return Health(True, "not significantly slower than the version it replaced"
                  + (f" ({cmp.ratio:.2f}x the time)" if cmp is not None else ""), cmp)


def worth_evaluating(candidates: list[Candidate], profile: Profile | None, settings: Settings, parent_errors: int,
                     notify: Notify = _quiet) -> list[Candidate]:
    """The candidates the evolve screen keeps (Amdahl's bound, sturdiness rewrites only where
    transient failures surface); the others are reported as skipped."""
    kept, out = screen(candidates, profile, min_effect=settings.min_effect, parent_errors=parent_errors)
    for item in out:
        notify("skipped", site=item.candidate.site.id, reason=item.reason)
    return kept
