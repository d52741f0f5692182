"""The evolve loop: baseline checks, then cycles of analyze -> propose -> rank -> screen -> evaluate
-> compose -> store, until nothing significant is left, the cycles are done or the budget is used up.

The evaluation stage (``evolver.evaluate``) does the measuring; this module decides what to try,
records it, and writes the generations.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evolver import predictor, transforms
from evolver.analysis.bottlenecks import UNITS, find_bottlenecks
from evolver.config import read_source
from evolver.errors import CheckFailed, EvolverError, RunStopped
from evolver.evaluate.evaluator import Evaluator, Parent, Proposal, Quiet, Result, measure_parent
from evolver.evaluate.executor import Executor, LocalExecutor, executor_for
from evolver.evaluate.judge import Judgement
from evolver.evaluate.limits import limits_for
from evolver.evaluate.resources import Clock, Resources, Version
from evolver.evaluate.screen import screen
from evolver.evaluate.selection import TestMap, map_tests, selectable
from evolver.evaluate.timing import compare
from evolver.evaluate.workers import Cancelled, error_count
from evolver.generations import Generation, GenerationStore
from evolver.history import History
from evolver.model import Comparison, Settings, Target, to_json
from evolver.rank import Candidate, function_of, rank
from evolver.sandbox.oracle import run_oracle

Notify = Callable[..., None]
SELECT_TESTS_FROM_S = 5.0  # a parent's test run this long: candidates run only the tests reaching their rewrite


def _quiet(event: str, **data: Any) -> None:
    """Default progress sink: say nothing."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one candidate."""

    candidate: Candidate
    judgement: Judgement

    @property
    def status(self) -> str:
        return self.judgement.status

    @property
    def reason(self) -> str:
        return self.judgement.reason

    @property
    def comparison(self) -> Comparison | None:
        return self.judgement.comparison

    @property
    def errors(self) -> tuple[int, int] | None:
        return self.judgement.errors


@dataclass
class EvolveResult:
    target: Target
    session_id: str
    root: Generation
    generations: list[Generation] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    screened: list[tuple[Candidate, str]] = field(default_factory=list)  # not timed, and why
    overall: Comparison | None = None  # final generation vs the original, measured directly
    errors: tuple[int, int] | None = None  # original vs final
    stop_reason: str = ""

    @property
    def measured(self) -> int:
        """Candidates that got a timing comparison."""
        return sum(o.comparison is not None for o in self.outcomes)


class _Recorder:
    """The evaluation's facts, into the history."""

    def __init__(self, evolution: Evolution, parent_hash: str, candidates: dict[str, Candidate]) -> None:
        self.evolution, self.parent_hash, self.candidates = evolution, parent_hash, candidates
        self.ids: dict[str, int] = {}

    def started(self, key: str) -> None:
        cand = self.candidates[key]
        history = self.evolution.history
        self.ids[key] = history.add_improvement(
            session_id=self.evolution.session_id, target=str(self.evolution.target.path), site_id=cand.site.id,
            transform=cand.site.transform, parent_hash=self.parent_hash, predicted_success=cand.predicted_success,
            predicted_gain=cand.predicted_gain, features=cand.site.features)
        history.set_status(self.ids[key], "testing")

    def tested(self, key: str, version: Version) -> None:
        self.evolution.record_tests(version, self.ids.get(key))

    def judged(self, key: str, judgement: Judgement, candidate_hash: str | None) -> None:
        if key not in self.ids:
            return
        fields: dict[str, Any] = {"reason": judgement.reason}
        if candidate_hash is not None:
            fields["candidate_hash"] = candidate_hash
        cmp = judgement.comparison
        checked = {"behaviour": judgement.behaviour} if judgement.behaviour is not None else {}
        if judgement.faults is not None:
            checked["faults"] = judgement.faults
        if cmp is not None:
            fields.update(ratio=cmp.ratio, ci_low=cmp.ci_low, ci_high=cmp.ci_high, p_value=cmp.p_value,
                          measurement=to_json(cmp) | {"errors": judgement.errors} | checked)
        elif checked:
            fields["measurement"] = checked
        self.evolution.history.set_status(self.ids[key], judgement.status, **fields)


class _TestsOnly(Quiet):
    """Records a composition's test run (it is no candidate of its own)."""

    def __init__(self, evolution: Evolution) -> None:
        self.evolution = evolution

    def tested(self, key: str, version: Version) -> None:
        self.evolution.record_tests(version, None)


class Evolution:
    def __init__(self, target: Target, settings: Settings, workspace: Path, history: History,
                 notify: Notify = _quiet) -> None:
        self.target, self.settings, self.history, self.notify = target, settings, history, notify
        self.store = GenerationStore(workspace / "generations")
        self.learned = predictor.load(workspace / ".evolver")
        self.ctx = transforms.Context.of(target, settings)
        self.session_id = ""
        self.tests_run = 0
        self.clock = Clock(settings.budget_s)
        self.tests_map: TestMap | None = None
        self.executor: Executor = LocalExecutor()
        self._measured_alone: dict[str, Comparison] = {}  # source hash -> its comparison with its parent

    # -- the whole run ---------------------------------------------------------------------
    def run(self) -> EvolveResult:
        original = read_source(self.target.path)
        with self.history.session("evolve", target=self.target, settings=self.settings) as self.session_id:
            if not self.settings.behaviour:
                self.notify("warning", text="the behaviour check is off (behaviour = false): candidates are judged "
                            "on their tests, the workload's output and timing only")
            try:
                with executor_for(self.target, self.settings) as self.executor, \
                        Resources(self.target, self.settings, self.clock) as resources:
                    self.resources = resources
                    return self._run(resources, original)
            finally:
                self.clock.stop()

    def _run(self, resources: Resources, original: str) -> EvolveResult:
        try:
            base = self.baseline(resources, original)
        except Cancelled:
            if self.settings.budget_s is None:  # cancelled from outside (a watch)
                raise RunStopped("the run was stopped while checking the unchanged code: nothing was measured") from None
            raise CheckFailed(f"the time budget ({self.settings.budget_s:g} s) was used up while checking the "
                              "unchanged code: nothing was measured") from None
        root = self.store.root_for(self.target, original)
        if not self.history.generation_exists(root.id):
            self._record_generation_root(root)
        result = EvolveResult(target=self.target, session_id=self.session_id, root=root)
        try:
            gen, parent, last = root, base, base.version
            for number in range(self.settings.cycles):
                if self.clock.out_of_time():
                    result.stop_reason = "time budget used up"
                    break
                self.notify("cycle", number=number + 1, parent=gen.id, elapsed_s=self.clock.elapsed())
                found = self.cycle(resources, gen, parent, result)
                if found is None:
                    break
                gen, last = found
                result.generations.append(gen)
                kept = (base.version, last)
                resources.keep_only(lambda v: any(v is k for k in kept))  # noqa: B023 - used at once
                if number + 1 < self.settings.cycles and not self.clock.out_of_time():  # else no next cycle
                    parent = self._parent(last)
            else:
                cycles = self.settings.cycles
                result.stop_reason = result.stop_reason or f"{cycles} cycle{'s' if cycles != 1 else ''} done"
            if result.generations and not self.clock.out_of_time():
                self._measure_overall(resources, result, base, last)
        except Cancelled:
            result.stop_reason = "time budget used up"
        if result.stop_reason.startswith("time budget used up") and self.settings.budget_s is not None:
            result.stop_reason = result.stop_reason.replace(
                "time budget used up", f"time budget used up ({self.settings.budget_s:g} s)", 1)
        return result

    # -- baseline --------------------------------------------------------------------------
    def baseline(self, resources: Resources, source: str) -> Parent:
        """Refuse to evolve code whose oracle or workload already fails; measure the original."""
        self.notify("stage", text="checking the unchanged code: tests and workload")
        version = resources.version(source, limits_for(self.settings))
        try:
            parent = measure_parent(resources, version)
        finally:
            self.record_tests(version, None)
        self.tests_run = parent.tests_expected
        self._said_nondeterministic(parent)
        oracle = version.oracle
        if oracle is not None and oracle.duration_s >= SELECT_TESTS_FROM_S and selectable(self.settings.tests):
            self.notify("stage", text="finding which tests reach which function (coverage)")
            self.tests_map = map_tests(version.bench.scratch, self.settings.tests, version.bench.limits.tests_s)
        return parent

    def _parent(self, version: Version) -> Parent:
        """The parent of the next cycle (the generation just written), measured once."""
        self.notify("stage", text="measuring and profiling the parent")
        parent = measure_parent(self.resources, version, tests_expected=self.tests_run)
        self._said_nondeterministic(parent)
        return parent

    def _said_nondeterministic(self, parent: Parent) -> None:
        if parent.nondeterministic:
            self.notify("stage", text="workload output is nondeterministic: not compared")

    # -- one cycle -------------------------------------------------------------------------
    def cycle(self, resources: Resources, parent_gen: Generation, parent: Parent,
              result: EvolveResult) -> tuple[Generation, Version] | None:
        metrics = self._record_parent(parent)
        prof = parent.version.survey.profile if parent.version.survey else None
        sites = transforms.propose(parent.version.source, self.ctx)
        self.history.add_refusals(self.session_id, str(self.target.path), parent.version.hash, sites)
        for site in sites:
            if site.verdict == "refused":
                self.notify("refused", site=site.id, reasons=site.reasons)
        ranked = rank(sites, prof, self.learned, seed=zlib.crc32(self.session_id.encode()))
        if not ranked:
            result.stop_reason = "no applicable rewrite left"
            return None
        kept, screened = screen(ranked, prof, min_effect=self.settings.min_effect, parent_errors=parent.errors)
        for position, out in enumerate(screened, start=1):
            self.notify("skipped", site=out.candidate.site.id, reason=out.reason, position=position,
                        total=len(screened))
            result.screened.append((out.candidate, out.reason))
        kept = self.choose(kept)
        if not kept:
            result.stop_reason = "no rewrite left that could give a measurable gain"
            return None
        evaluator = self.executor.evaluator(resources, parent, notify=self.notify,
                                            recorder=_Recorder(self, parent.version.hash, {c.site.id: c for c in kept}))
        results = evaluator.evaluate([self._proposal(parent.version.source, c) for c in kept])
        by_key = {c.site.id: c for c in kept}
        outcomes = [Outcome(by_key[r.key], r.judgement) for r in results]
        result.outcomes.extend(outcomes)
        approved = [(o, r) for o, r in zip(outcomes, results) if o.status == "approved"]
        out_of_time = self.clock.out_of_time()
        if not approved:
            result.stop_reason = "time budget used up" if out_of_time else _nothing_won(outcomes, evaluator)
            return None
        composed = None if out_of_time else self._compose(resources, evaluator, parent, approved)
        if composed is None and self.clock.out_of_time():  # what was approved is kept: the best alone, as raced
            result.stop_reason = "time budget used up"
            composed, unwritten = self._best_alone(approved)
            if composed is None:
                result.stop_reason += f"; {unwritten}"
                return None
        if composed is None:
            result.stop_reason = "no composition gave a significant gain"
            return None
        version, group, cmp, errors, behaviour = composed
        if len(group) > 1 or cmp.extra.get("n_candidates") == 1:  # measured alone, not picked out of a race
            self._measured_alone[version.hash] = cmp
        measurements = {"vs_parent": to_json(cmp), "errors": errors, "parent_metrics": metrics,
                        "tests_run": self.tests_run, "behaviour": behaviour,
                        "bench": self.settings.bench}  # the workload it was timed on (`compare` re-times on it)
        gen = self.store.add(self.target, parent_gen, version.source,
                             transforms=[_manifest_entry(o) for o in group],
                             measurements=measurements, session_id=self.session_id)
        self._record_generation(gen, parent_gen)
        self.notify("generation", id=gen.id, text=cmp.describe())
        return gen, version

    def choose(self, worthwhile: Sequence[Candidate]) -> list[Candidate]:
        """The candidates to evaluate among those worth timing, in order (all of them here)."""
        return list(worthwhile)

    def _proposal(self, parent_source: str, cand: Candidate) -> Proposal:
        def make() -> str:
            return transforms.apply(parent_source, cand.site.id, self.ctx)

        tests = self.tests_map.tests_for([function_of(cand.site)]) if self.tests_map is not None else None
        info: dict[str, Any] = {"success": cand.predicted_success, "gain": cand.predicted_gain}
        if cand.prediction is not None:
            info.update(prediction=cand.prediction.describe(), history=cand.prediction.evidence)
        if tests is not None:
            info["tests"] = len(tests)
        return Proposal(cand.site.id, make, info, tests)

    def _record_parent(self, parent: Parent) -> dict[str, float]:
        found = parent.version.survey
        assert found is not None
        metrics = found.metrics()
        metrics["error_count"] = float(parent.errors)
        for name, unit in UNITS.items():
            if name in metrics:
                self.history.add_metric(session_id=self.session_id, target=str(self.target.path),
                                        source_hash=parent.version.hash, metric=name, value=float(metrics[name]),
                                        unit=unit, spread=None)
        for b in find_bottlenecks(metrics, self.settings.thresholds, found.profile):
            self.history.add_bottleneck(session_id=self.session_id, target=str(self.target.path),
                                        source_hash=parent.version.hash, metric=b.metric, value=b.value,
                                        threshold=b.target, severity=b.severity, impact=b.impact, location=b.where)
        return metrics

    def _compose(self, resources: Resources, evaluator: Evaluator, parent: Parent,
                 approved: Sequence[tuple[Outcome, Result]]
                 ) -> tuple[Version, list[Outcome], Comparison, tuple[int, int] | None, dict[str, Any] | None] | None:
        """All approved rewrites together; if that is not a significant win, the best single one."""
        best = sorted(approved, key=lambda pair: pair[0].comparison.ratio if pair[0].comparison else 1.0)
        attempts = [list(best)] + ([[best[0]]] if len(best) > 1 else [])
        for group in attempts:
            source, ids = transforms.apply_compatible(parent.version.source,
                                                      [o.candidate.site.id for o, _ in group], self.ctx)
            group = [(o, r) for o, r in group if o.candidate.site.id in ids]
            if not group:
                continue
            if len(group) == 1 and group[0][1].version is not None and group[0][0].comparison is not None:
                outcome, res = group[0]
                assert res.version is not None and outcome.comparison is not None
                if self._whole_suite_passes(res.version):
                    return res.version, [outcome], outcome.comparison, outcome.errors, outcome.judgement.behaviour
                continue
            self.notify("stage", text=f"checking the composition of {len(ids)} rewrites")
            solo = self.executor.evaluator(resources, parent, notify=_as_stage(self.notify), recorder=_TestsOnly(self))
            (found,) = solo.evaluate([Proposal(f"composition of {len(ids)} rewrites", _constant(source))])
            verdict = found.judgement
            if verdict.status == "approved" and verdict.comparison is not None and found.version is not None:
                return found.version, [o for o, _ in group], verdict.comparison, verdict.errors, verdict.behaviour
            self.notify("stage", text=f"composition not accepted: {verdict.reason}")
            if self.clock.out_of_time():
                return None
        return None

    def _best_alone(self, approved: Sequence[tuple[Outcome, Result]]
                    ) -> tuple[tuple[Version, list[Outcome], Comparison, tuple[int, int] | None,
                                     dict[str, Any] | None] | None, str]:
        """With the budget used up: the best approved candidate alone, with its race figure (a
        composition would need a measurement of its own), or None and why none can be written. A
        candidate that ran only the tests reaching its rewrite runs the whole suite first, past the
        budget (one test run, for a win already measured): one such run at most."""
        best = sorted(approved, key=lambda pair: pair[0].comparison.ratio if pair[0].comparison else 1.0)
        why: list[str] = []
        suite_runs = 0
        for outcome, res in best:
            version, name = res.version, outcome.candidate.site.id
            if version is None or outcome.comparison is None:
                continue
            if version.selected is not None:
                if suite_runs:
                    why.append(f"{name}: only the tests reaching its rewrite ran")
                    continue
                suite_runs += 1
                self._whole_suite_passes(version, past_budget=True)
            if self._whole_suite_ran(version):
                return (version, [outcome], outcome.comparison, outcome.errors, outcome.judgement.behaviour), ""
            why.append(f"{name}: the whole test suite does not pass on it")
        return None, "approved but not written: " + ("; ".join(why) or "no approved version was kept")

    def _whole_suite_ran(self, version: Version) -> bool:
        oracle = version.oracle
        return version.selected is None and oracle is not None and oracle.passed and \
            not 0 <= oracle.tests_run < self.tests_run

    def _whole_suite_passes(self, version: Version, *, past_budget: bool = False) -> bool:
        """A version that ran only the tests reaching its rewrite runs them all before it becomes a
        generation (``past_budget``: not stopped by the time budget; also when the budget ends
        during the run, which is then taken again so)."""
        if version.selected is None:
            return True
        self.notify("stage", text="running the whole test suite on the winner"
                    + (" (after the time budget: a generation needs it)" if past_budget else ""))
        full = run_oracle(version.bench.scratch, self.settings, timeout_s=version.bench.limits.tests_s,
                          cancel=None if past_budget else self.clock.cancel)
        if not past_budget and not full.passed and self.clock.out_of_time():
            return self._whole_suite_passes(version, past_budget=True)  # stopped, not failed
        version.oracle, version.selected = full, None
        self.record_tests(version, None)
        if not full.passed or 0 <= full.tests_run < self.tests_run:
            self.notify("stage", text=f"the whole suite does not pass on the winner: {full.reason or 'fewer tests ran'}")
            return False
        return True

    # -- records ------------------------------------------------------------------------------
    def record_tests(self, version: Version, improvement: int | None) -> None:
        record_test_run(self.history, self.session_id, improvement, version)

    def _record_generation(self, gen: Generation, parent: Generation) -> None:
        m = gen.manifest
        self.history.add_generation(id=gen.id, target_key=gen.target_key, target_path=str(self.target.path),
                                    number=gen.number, parent_id=parent.id, source_hash=m["source_hash"],
                                    parent_hash=m["parent_hash"], transforms=m["transforms"],
                                    measurements=m["measurements"], session_id=self.session_id)

    def _record_generation_root(self, root: Generation) -> None:
        m = root.manifest
        self.history.add_generation(id=root.id, target_key=root.target_key, target_path=str(self.target.path),
                                    number=root.number, parent_id=None, source_hash=m["source_hash"],
                                    parent_hash=None, transforms=[], measurements={},
                                    session_id=self.session_id)

    def _measure_overall(self, resources: Resources, result: EvolveResult, base: Parent, last: Version) -> None:
        """The headline figure: the last generation against the original, measured directly. A
        single generation that is a composition, or the one candidate of its race, already was (alone,
        against the original): its comparison is that figure. The winner of a race of several is not
        (it was picked because it measured well), so it is measured again."""
        alone = self._measured_alone.get(last.hash) if len(result.generations) == 1 else None
        if alone is not None:
            result.overall = alone
        else:
            self.notify("stage", text="measuring the final generation against the original")
            slots = Evaluator(resources, base, notify=self.notify).slots
            result.overall = compare(resources.slots(base.version, slots), resources.slots(last, slots),
                                     alpha=self.settings.alpha, min_effect=self.settings.min_effect)
        if last.errors is None:
            last.errors = error_count(last.bench, failure=EvolverError) if self.settings.transient else 0
        result.errors = (base.errors, last.errors)
        final_gen = result.generations[-1]
        self.store.annotate(final_gen, {"vs_root": to_json(result.overall) | {"root": result.root.id},
                                        "errors_vs_root": list(result.errors)})


def _manifest_entry(o: Outcome) -> dict[str, Any]:
    """One rewrite of a generation: what was predicted for it and what was measured."""
    cmp, cand = o.comparison, o.candidate
    predicted: dict[str, Any] = {"success": cand.predicted_success, "log_gain": cand.predicted_gain}
    if cand.prediction is not None:
        p = cand.prediction
        predicted.update(success_range=list(p.success_range), log_gain_range=list(p.gain_range),
                         speedup=math.exp(p.gain), speedup_range=[math.exp(g) for g in p.gain_range],
                         history=p.evidence, basis=p.basis, text=p.describe())
    return {"site": cand.site.id, "transform": cand.site.transform, "target": cand.site.target, "reason": o.reason,
            "predicted": predicted, "faults": o.judgement.faults,
            "measured": None if cmp is None else {"ratio": cmp.ratio, "ci": [cmp.ci_low, cmp.ci_high],
                                                  "speedup": cmp.speedup, "verdict": cmp.verdict, "pairs": cmp.pairs}}


def _nothing_won(outcomes: Sequence[Outcome], evaluator: Evaluator) -> str:
    """Why a cycle ended without a winner; says so when nothing was even measured."""
    if any(o.comparison is not None for o in outcomes):
        return "no candidate gave a significant gain"
    timed_out = [o for o in outcomes if o.judgement.timed_out_s is not None]
    unjudged = [o for o in outcomes if o.status == "interrupted"]
    failed = [o for o in outcomes if o.judgement.timed_out_s is None and o.status != "interrupted"]
    parts = []
    if timed_out:
        parts.append(f"{_count(len(timed_out))} {timed_out[0].reason}"
                     + ("" if len(timed_out) == 1 else " (the first)") + "; --timeout raises the limit")
    if failed:
        parts.append(f"{_count(len(failed))} failed before timing (the first: {failed[0].reason})")
    if unjudged:
        parts.append(f"{_count(len(unjudged))} stopped before a verdict (the first: {unjudged[0].reason})")
    return "nothing was measured: " + "; ".join(parts) if parts else "nothing was measured"


def _count(n: int) -> str:
    return f"{n} candidate{'s' if n != 1 else ''}"


def _constant(source: str) -> Callable[[], str]:
    return lambda: source


def _as_stage(notify: Notify) -> Notify:
    """Progress of a composition check, as stage lines (it is not one of the cycle's candidates)."""

    def relay(event: str, **data: Any) -> None:
        if event == "outcome":
            notify("stage", text=f"composition: {data['status']}: {data['reason']}")
        elif event == "race":
            notify(event, **data)

    return relay


def evolve(target: Target, settings: Settings, workspace: Path, history: History,
           notify: Notify = _quiet) -> EvolveResult:
    return Evolution(target, settings, workspace, history, notify).run()


def record_test_run(history: History, session_id: str, improvement: int | None, version: Version) -> None:
    """The version's test run (if it had one) into the history, under ``improvement`` (if any)."""
    oracle = version.oracle
    if oracle is None:
        return
    history.add_test_result(
        session_id=session_id, improvement_id=improvement, source_hash=version.hash,
        passed=oracle.passed, tests_run=oracle.tests_run, failed=oracle.failed, duration_s=oracle.duration_s,
        reason=oracle.reason, output_tail=oracle.output_tail, isolation=oracle.isolation)
