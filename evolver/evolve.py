"""The evolve loop: baseline checks, then cycles of propose -> rank -> evaluate -> compose -> store."""

from __future__ import annotations

import dataclasses
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evolver import predictor, transforms
from evolver.analysis.bottlenecks import UNITS, find_bottlenecks
from evolver.config import read_source
from evolver.errors import EvolverError
from evolver.generations import Generation, GenerationStore
from evolver.harness import Bench, CandidateFailed, check, compare, error_count, measure, profile
from evolver.history import History
from evolver.model import Comparison, OracleResult, Profile, Settings, Site, Target, source_hash, to_json
from evolver.rank import Candidate, function_of, rank
from evolver.sandbox.oracle import run_oracle
from evolver.sandbox.scratch import Scratch

Notify = Callable[..., None]


def _quiet(event: str, **data: Any) -> None:
    """Default progress sink: say nothing."""


@dataclass(frozen=True)
class Judgement:
    """The verdict on one version against its parent."""

    status: str  # approved / rejected / failed
    reason: str
    comparison: Comparison | None = None
    errors: tuple[int, int] | None = None  # surfaced transient failures: (parent, candidate)


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
    overall: Comparison | None = None  # final generation vs the original, measured directly
    errors: tuple[int, int] | None = None  # original vs final
    stop_reason: str = ""


@dataclass
class _Version:
    """One version of the module, live in a sandbox for the duration of a cycle."""

    source: str
    bench: Bench
    output: str | None  # digest of the workload's return value; None when nondeterministic
    oracle: OracleResult | None  # None when this version's tests already passed earlier


def _candidate_settings(settings: Settings, baseline_s: float) -> Settings:
    """A candidate gets a wall-clock limit scaled from the baseline, so a hang costs little."""
    limit = min(settings.timeout_s, max(30.0, 10.0 * baseline_s))
    return dataclasses.replace(settings, timeout_s=limit)


class Evolution:
    def __init__(self, target: Target, settings: Settings, workspace: Path, history: History,
                 notify: Notify = _quiet) -> None:
        self.target, self.settings, self.history, self.notify = target, settings, history, notify
        self.store = GenerationStore(workspace / "generations")
        self.learned = predictor.load(workspace / ".evolver")
        self.ctx = transforms.Context.of(target, settings)
        self.session_id = ""
        self.tests_run = 0
        self.deadline = None if settings.budget_s is None else time.monotonic() + settings.budget_s

    # -- sandbox helpers -------------------------------------------------------------------
    @contextmanager
    def _version(self, source: str, settings: Settings, improvement: int | None = None,
                 tests: bool = True) -> Iterator[_Version]:
        """Put ``source`` in a scratch copy, run the oracle (unless ``tests`` is off because this
        exact source passed it already) and the workload once."""
        with Scratch(self.target, source, settings) as scratch:
            oracle = run_oracle(scratch, settings) if tests else None
            if oracle is not None:
                self.history.add_test_result(
                    session_id=self.session_id, improvement_id=improvement, source_hash=source_hash(source),
                    passed=oracle.passed, tests_run=oracle.tests_run, failed=oracle.failed,
                    duration_s=oracle.duration_s, reason=oracle.reason, output_tail=oracle.output_tail,
                    isolation=oracle.isolation)
            bench = Bench(scratch, settings, source_hash(source))
            output = None
            if (oracle is None or oracle.passed) and self.settings.bench:
                first = check(bench)
                if first.get("error"):
                    output = "error: " + str(first["error"])
                else:
                    output = first["output"]
            yield _Version(source=source, bench=bench, output=output, oracle=oracle)

    def _out_of_budget(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    # -- baseline --------------------------------------------------------------------------
    def baseline(self, source: str) -> OracleResult:
        """Refuse to evolve code whose oracle or workload already fails."""
        self.notify("stage", text="checking the unchanged code: tests and workload")
        with self._version(source, self.settings) as base:
            assert base.oracle is not None
            if not base.oracle.passed:
                raise EvolverError(f"the tests fail on the unchanged code ({base.oracle.reason}); "
                                   "evolver only evolves code whose tests pass")
            if base.output is not None and base.output.startswith("error: "):
                raise EvolverError(f"the workload {self.settings.bench} raises on the unchanged code: "
                                   f"{base.output[len('error: '):]}")
            self.tests_run = base.oracle.tests_run
            return base.oracle

    # -- one cycle -------------------------------------------------------------------------
    def _analyze(self, parent: _Version) -> tuple[dict[str, float], Profile | None, list[Site]]:
        self.notify("stage", text="measuring and profiling the parent")
        metrics = measure(parent.bench)
        prof = profile(parent.bench)
        h = source_hash(parent.source)
        for name, unit in UNITS.items():
            if name in metrics:
                self.history.add_metric(session_id=self.session_id, target=str(self.target.path),
                                        source_hash=h, metric=name, value=float(metrics[name]), unit=unit,
                                        spread=metrics.get(f"{name}_spread"))
        for b in find_bottlenecks(metrics, self.settings.thresholds, prof):
            self.history.add_bottleneck(session_id=self.session_id, target=str(self.target.path),
                                        source_hash=h, metric=b.metric, value=b.value, threshold=b.target,
                                        severity=b.severity, impact=b.impact, location=b.where)
        sites = transforms.propose(parent.source, self.ctx)
        return metrics, prof, sites

    def _judge(self, parent: _Version, child: _Version, parent_errors: int, n_candidates: int) -> Judgement:
        """Oracle, output equality, then the harness."""
        assert child.oracle is not None
        if not child.oracle.passed:
            return Judgement("failed", f"tests fail: {child.oracle.reason}")
        if 0 <= child.oracle.tests_run < self.tests_run:
            return Judgement("failed", f"fewer tests ran ({child.oracle.tests_run} < {self.tests_run})")
        if parent.output is not None and child.output != parent.output:
            return Judgement("failed", "workload output differs from the parent's")
        cmp = compare(parent.bench, child.bench, alpha=self.settings.alpha,
                      min_effect=self.settings.min_effect, n_candidates=n_candidates)
        errors = (parent_errors, error_count(child.bench)) if parent_errors > 0 else None
        memory = cmp.extra.get("memory") or {}
        if memory.get("over_budget"):
            return Judgement("rejected", f"{cmp.describe()} but uses too much memory "
                             f"({memory.get('ratio', float('nan')):.2f}x peak)", cmp, errors)
        if cmp.verdict == "faster":
            return Judgement("approved", cmp.describe(), cmp, errors)
        if cmp.verdict != "slower" and errors is not None and errors[1] < errors[0]:
            return Judgement("approved", f"sturdier: surfaced failures {errors[0]} -> {errors[1]}", cmp, errors)
        return Judgement("rejected", cmp.describe(), cmp, errors)

    def _evaluate(self, parent: _Version, cand: Candidate, settings: Settings, parent_errors: int,
                  n_candidates: int) -> Outcome:
        site = cand.site
        imp = self.history.add_improvement(
            session_id=self.session_id, target=str(self.target.path), site_id=site.id,
            transform=site.transform, parent_hash=source_hash(parent.source),
            predicted_success=cand.predicted_success, predicted_gain=cand.predicted_gain,
            features=site.features)
        self.notify("candidate", site=site.id, success=cand.predicted_success, gain=cand.predicted_gain)
        self.history.set_status(imp, "testing")
        fields: dict[str, Any] = {}
        try:
            child_source = transforms.apply(parent.source, site.id, self.ctx)
            fields["candidate_hash"] = source_hash(child_source)
            with self._version(child_source, settings, imp) as child:
                verdict = self._judge(parent, child, parent_errors, n_candidates)
        except (CandidateFailed, EvolverError) as exc:
            verdict = Judgement("failed", str(exc))
        cmp = verdict.comparison
        fields["reason"] = verdict.reason
        if cmp is not None:
            fields.update(ratio=cmp.ratio, ci_low=cmp.ci_low, ci_high=cmp.ci_high, p_value=cmp.p_value,
                          measurement=to_json(cmp) | {"errors": verdict.errors})
        self.history.set_status(imp, verdict.status, **fields)
        self.notify("outcome", site=site.id, status=verdict.status, reason=verdict.reason)
        return Outcome(cand, verdict)

    def _compose(self, parent: _Version, approved: Sequence[Outcome], settings: Settings,
                 parent_errors: int) -> tuple[str, list[Outcome], Comparison, tuple[int, int] | None] | None:
        """All approved rewrites together; if that is not a significant win, the best single one."""
        best = sorted(approved, key=lambda o: o.comparison.ratio if o.comparison else 1.0)
        attempts = [list(best)] + ([[best[0]]] if len(best) > 1 else [])
        for group in attempts:
            source, ids = transforms.apply_compatible(parent.source, [o.candidate.site.id for o in group],
                                                      self.ctx)
            group = [o for o in group if o.candidate.site.id in ids]
            if not group:
                continue
            if len(group) == 1 and group[0].comparison is not None:
                return source, group, group[0].comparison, group[0].errors
            self.notify("stage", text=f"checking the composition of {len(ids)} rewrites")
            try:
                with self._version(source, settings) as child:
                    verdict = self._judge(parent, child, parent_errors, 1)
            except (CandidateFailed, EvolverError) as exc:
                verdict = Judgement("failed", str(exc))
            if verdict.status == "approved" and verdict.comparison is not None:
                return source, list(group), verdict.comparison, verdict.errors
            self.notify("stage", text=f"composition not accepted: {verdict.reason}")
        return None

    def cycle(self, parent_gen: Generation, parent_source: str, settings: Settings,
              result: EvolveResult) -> Generation | None:
        with ExitStack() as stack:
            parent = stack.enter_context(self._version(parent_source, self.settings, tests=False))
            if settings.bench and check(parent.bench).get("output") != parent.output:
                parent.output = None  # nondeterministic output: cannot compare it
                self.notify("stage", text="workload output is nondeterministic: not compared")
            metrics, prof, sites = self._analyze(parent)
            for site in sites:
                if site.verdict == "refused":
                    self.notify("refused", site=site.id, reasons=site.reasons)
            ranked = rank(sites, prof, self.learned, seed=zlib.crc32(self.session_id.encode()))
            if not ranked:
                result.stop_reason = "no applicable rewrite left"
                return None
            parent_errors = int(metrics.get("error_count", 0))
            ranked = [c for c in ranked if self._worth_evaluating(c, prof, parent_errors)]
            if not ranked:
                result.stop_reason = "no rewrite left that could give a measurable gain"
                return None
            outcomes = []
            for cand in ranked:
                if self._out_of_budget():
                    result.stop_reason = "time budget used up"
                    break
                outcomes.append(self._evaluate(parent, cand, settings, parent_errors, len(ranked)))
            result.outcomes.extend(outcomes)
            approved = [o for o in outcomes if o.status == "approved"]
            if not approved:
                result.stop_reason = result.stop_reason or "no candidate gave a significant gain"
                return None
            composed = self._compose(parent, approved, settings, parent_errors)
            if composed is None:
                result.stop_reason = "no composition gave a significant gain"
                return None
            source, group, cmp, errors = composed
        measurements = {"vs_parent": to_json(cmp), "errors": errors,
                        "parent_metrics": metrics, "tests_run": self.tests_run}
        gen = self.store.add(self.target, parent_gen, source,
                             transforms=[{"site": o.candidate.site.id, "transform": o.candidate.site.transform,
                                          "target": o.candidate.site.target, "reason": o.reason}
                                         for o in group],
                             measurements=measurements, session_id=self.session_id)
        self._record_generation(gen, parent_gen)
        self.notify("generation", id=gen.id, text=cmp.describe() if cmp else "")
        return gen

    def _worth_evaluating(self, cand: Candidate, prof: Profile | None, parent_errors: int) -> bool:
        """Amdahl's bound: a rewrite confined to a function that takes a share s of the workload
        saves at most s of its time, so below ``min_effect`` it cannot be accepted; a sturdiness
        rewrite is worth trying only when transient failures surface."""
        site = cand.site
        if transforms.goal_of(site.transform) == "sturdiness":
            if parent_errors > 0:
                return True
            reason = "no transient failures surface in the workload"
        else:
            share = float(site.features.get("profile_share", 0.0)) if prof is not None else 1.0
            if share >= self.settings.min_effect:
                return True
            reason = (f"{function_of(site)} takes {share:.1%} of the workload: even removing it "
                      f"entirely is below the {self.settings.min_effect:.0%} minimum effect")
        self.notify("skipped", site=site.id, reason=reason)
        return False

    def _record_generation(self, gen: Generation, parent: Generation) -> None:
        m = gen.manifest
        self.history.add_generation(id=gen.id, target_key=gen.target_key, target_path=str(self.target.path),
                                    number=gen.number, parent_id=parent.id, source_hash=m["source_hash"],
                                    parent_hash=m["parent_hash"], transforms=m["transforms"],
                                    measurements=m["measurements"], session_id=self.session_id)

    # -- the whole run ---------------------------------------------------------------------
    def run(self) -> EvolveResult:
        original = read_source(self.target.path)
        self.session_id = self.history.start_session("evolve", target=self.target, settings=self.settings)
        status = "error"
        try:
            oracle = self.baseline(original)
            settings = _candidate_settings(self.settings, oracle.duration_s)
            root = self.store.root_for(self.target, original)
            if not self.history.generation_exists(root.id):
                self._record_generation_root(root)
            result = EvolveResult(target=self.target, session_id=self.session_id, root=root)
            gen, source = root, original
            for number in range(self.settings.cycles):
                if self._out_of_budget():
                    result.stop_reason = "time budget used up"
                    break
                self.notify("cycle", number=number + 1, parent=gen.id)
                child = self.cycle(gen, source, settings, result)
                if child is None:
                    break
                result.generations.append(child)
                gen, source = child, child.read_source()
            else:
                result.stop_reason = f"{self.settings.cycles} cycles done"
            if result.generations:
                self._measure_overall(result, original, source, settings)
            status = "ok"
            return result
        finally:
            self.history.end_session(self.session_id, status)

    def _record_generation_root(self, root: Generation) -> None:
        m = root.manifest
        self.history.add_generation(id=root.id, target_key=root.target_key, target_path=str(self.target.path),
                                    number=root.number, parent_id=None, source_hash=m["source_hash"],
                                    parent_hash=None, transforms=[], measurements={},
                                    session_id=self.session_id)

    def _measure_overall(self, result: EvolveResult, original: str, final: str, settings: Settings) -> None:
        """The headline figure: the last generation against the original, measured directly."""
        self.notify("stage", text="measuring the final generation against the original")
        with self._version(original, self.settings, tests=False) as base, \
                self._version(final, settings, tests=False) as last:
            result.overall = compare(base.bench, last.bench, alpha=self.settings.alpha,
                                     min_effect=self.settings.min_effect)
            before, after = error_count(base.bench), error_count(last.bench)
            result.errors = (before, after)
        final_gen = result.generations[-1]
        self.store.annotate(final_gen, {"vs_root": to_json(result.overall) | {"root": result.root.id},
                                        "errors_vs_root": [before, after]})


def evolve(target: Target, settings: Settings, workspace: Path, history: History,
           notify: Notify = _quiet) -> EvolveResult:
    return Evolution(target, settings, workspace, history, notify).run()
