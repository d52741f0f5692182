"""`evolver analyze`: static facts, a profiled workload run, bottlenecks, and every rewrite site."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

from evolver import transforms
from evolver.analysis.bottlenecks import UNITS, find_bottlenecks
from evolver.analysis.facts import analyze_module
from evolver.config import read_source
from evolver.history import History
from evolver.model import Bottleneck, ModuleFacts, Profile, Settings, Site, Target, source_hash


@dataclass(frozen=True)
class Analysis:
    target: Target
    source_hash: str
    facts: ModuleFacts
    metrics: dict[str, float]  # empty without a profile run
    profile: Profile | None
    bottlenecks: tuple[Bottleneck, ...]
    sites: tuple[Site, ...]


def analyze(target: Target, settings: Settings, history: History, profile_run: bool = True,
            session_id: str | None = None) -> Analysis:
    """Static facts, a profiled workload run and every rewrite site, recorded under a new
    "analyze" session (or under ``session_id``, left open, when given)."""
    source = read_source(target.path)
    h = source_hash(source)
    facts = analyze_module(source, target.module)
    sites = tuple(transforms.propose(source, transforms.Context.of(target, settings)))
    metrics: dict[str, float] = {}
    prof = None
    opened = (history.session("analyze", target=target, settings=settings) if session_id is None
              else nullcontext(session_id))
    with opened as session:
        if profile_run:
            metrics, prof = _measure(target, source, settings)
        found = tuple(find_bottlenecks(metrics, settings.thresholds, prof)) if metrics else ()
        for name, unit in UNITS.items():
            if name in metrics:
                history.add_metric(session_id=session, target=str(target.path), source_hash=h, metric=name,
                                   value=float(metrics[name]), unit=unit, spread=metrics.get(f"{name}_spread"))
        for b in found:
            history.add_bottleneck(session_id=session, target=str(target.path), source_hash=h, metric=b.metric,
                                   value=b.value, threshold=b.target, severity=b.severity, impact=b.impact,
                                   location=b.where)
    return Analysis(target=target, source_hash=h, facts=facts, metrics=metrics, profile=prof,
                    bottlenecks=found, sites=sites)


def _measure(target: Target, source: str, settings: Settings) -> tuple[dict[str, float], Profile]:
    """Three workload runs in one sandboxed worker (plain, profiled, traced): metrics and a profile
    of the unchanged module. The wall time is one cold run's."""
    from evolver.errors import EvolverError
    from evolver.evaluate.workers import Bench, survey
    from evolver.sandbox.scratch import Scratch

    with Scratch(target, source, settings) as scratch:
        found = survey(Bench(scratch, settings, source_hash(source)))
    if found.error:
        raise EvolverError(f"the workload raises on the unchanged code: {found.error}")
    return found.metrics(), found.profile
