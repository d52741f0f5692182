"""The plain data each command shows: ``--json`` prints it as it is, ``report`` renders it as text.

One builder per command, so the text and the JSON always carry the same figures. Figures are
speedups (parent time / candidate time, above 1 is faster) with their 95% interval.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from evolver.generations import Generation, GenerationStore
from evolver.model import Comparison, Site, to_json

if TYPE_CHECKING:
    from evolver.analyze import Analysis
    from evolver.evolve import EvolveResult, Outcome
    from evolver.model import Package
    from evolver.package import ModuleShare, PackageAnalysis, PackageProfile, PackageResult

STATUS_ORDER = ("approved", "rejected", "failed", "interrupted")


def _speedups(cmp: Comparison) -> tuple[float | None, list[float | None]]:
    def inv(x: float) -> float | None:
        return 1 / x if x > 0 and math.isfinite(x) else None
    return inv(cmp.ratio), [inv(cmp.ci_high), inv(cmp.ci_low)]


# -- evolve ---------------------------------------------------------------------------------------
def evolve_view(result: EvolveResult, store: GenerationStore) -> dict[str, Any]:
    candidates = [candidate_row(o) for o in result.outcomes]
    counts = {s: sum(c["status"] == s for c in candidates) for s in STATUS_ORDER}
    gens = [store.get(g.id) for g in (result.root, *result.generations)]  # re-read: annotated since
    final = None
    if result.generations:
        figure = store.headline(gens[-1])
        final = {"generation": gens[-1].id, **(figure or {}),
                 "failures": list(result.errors) if result.errors is not None else None}
    return {
        "command": "evolve",
        "target": target_row(result.target),
        "session": result.session_id,
        "root": result.root.id,
        "counts": counts,
        "candidates": candidates,
        "skipped": [{"site": cand.site.id, "transform": cand.site.transform, "reason": reason}
                    for cand, reason in result.screened],
        "generations": [generation_row(g, store) for g in gens],
        "result": final,
        "stop_reason": result.stop_reason,
    }


def target_row(target: Any) -> dict[str, str]:
    return {"path": str(target.path), "module": target.module, "relpath": target.relpath.as_posix()}


def candidate_row(o: Outcome) -> dict[str, Any]:
    cmp = o.comparison
    ratio, ci = _speedups(cmp) if cmp is not None else (None, None)
    note: str = o.reason
    if cmp is not None and o.reason == cmp.describe():
        note = "" if o.status == "approved" else cmp.words
    return {
        "site": o.candidate.site.id, "transform": o.candidate.site.transform, "status": o.status,
        "reason": o.reason, "note": note, "speedup": ratio, "ci": ci,
        "p_value": cmp.p_value if cmp is not None else None,
        "pairs": cmp.pairs if cmp is not None else None,
        "verdict": cmp.verdict if cmp is not None else None,
        "failures": list(o.errors) if o.errors is not None else None,
        "memory": _memory(cmp.extra.get("memory")) if cmp is not None else None,
        "predicted_success": o.candidate.predicted_success,
        "predicted_speedup": math.exp(o.candidate.predicted_gain),
    }


def _memory(judged: dict[str, Any] | None) -> dict[str, Any] | None:
    """Peak memory of candidate vs parent, when it was judged."""
    if not judged or judged.get("ratio") is None:
        return None
    return {"peak_ratio": judged["ratio"], "over_budget": bool(judged.get("over_budget")),
            "budget": judged.get("budget")}


def generation_row(gen: Generation, store: GenerationStore) -> dict[str, Any]:
    transforms = [t.get("site", "") for t in gen.manifest.get("transforms", [])]
    return {"id": gen.id, "parent": gen.parent_id, "transforms": transforms,
            "figure": store.headline(gen), "source_hash": gen.source_hash,
            "created": gen.manifest.get("created_at", "")}


# -- log ------------------------------------------------------------------------------------------
def lineage_view(store: GenerationStore, keys: Sequence[str]) -> dict[str, Any]:
    targets = []
    for key in keys:
        gens = store.lineage(key)
        if gens:
            targets.append({"key": key, "path": gens[-1].manifest["target"]["path"],
                            "generations": [generation_row(g, store) | {"manifest": g.manifest} for g in gens]})
    return {"command": "log", "store": str(store.root), "targets": targets}


# -- analyze --------------------------------------------------------------------------------------
def analysis_view(result: Analysis) -> dict[str, Any]:
    facts, prof = result.facts, result.profile
    hotspots = [] if prof is None else [
        {"function": f.qualname, "share": f.share, "calls": f.calls, "own_ms": f.tottime_s * 1000,
         "cumulative_ms": f.cumtime_s * 1000}
        for f in sorted(prof.functions, key=lambda f: -f.cumtime_s)[:10]]
    sites = sorted(result.sites, key=lambda s: (s.verdict != "applicable", s.id))
    return {
        "command": "analyze",
        "target": target_row(result.target),
        "relpath": result.target.relpath.as_posix(),
        "source_hash": result.source_hash,
        "lines": facts.loc,
        "maintainability": facts.maintainability,
        "profile_total_ms": prof.total_s * 1000 if prof is not None else None,
        "hotspots": hotspots,
        "metrics": {k: v for k, v in sorted(result.metrics.items()) if not k.endswith("_spread")},
        "bottlenecks": [to_json(b) for b in result.bottlenecks],
        "most_complex": [{"function": f.qualname, "complexity": f.complexity}
                         for f in sorted(facts.functions, key=lambda f: -f.complexity)[:5]],
        "sites": [site_row(s) for s in sites],
        "facts": to_json(facts),
        "profile": to_json(prof),
    }


def site_row(site: Site) -> dict[str, Any]:
    # line and assumptions: given by the analysis engine when it knows them (older Sites lack them)
    return {"id": site.id, "transform": site.transform, "target": site.target, "verdict": site.verdict,
            "line": getattr(site, "line", 0) or None, "why": group_reasons(site.reasons),
            "reasons": list(site.reasons), "assumptions": list(getattr(site, "assumptions", ())),
            "features": site.features}


_QUOTED = re.compile(r"`[^`]*`")


def group_reasons(reasons: Sequence[str]) -> list[str]:
    """Merge reasons that differ only in their `quoted` names into one, listing the names:
    "not `a`: calls `f`" and "not `b`: calls `f`" become "not `a`, `b`: calls `f`"; a full
    cross product of names becomes one line. Order of first appearance is kept."""
    templates: dict[str, list[tuple[tuple[str, ...], ...]]] = {}
    for reason in reasons:
        rows = templates.setdefault(_QUOTED.sub("\0", reason), [])
        row: tuple[tuple[str, ...], ...] = tuple((name,) for name in _QUOTED.findall(reason))
        if row not in rows:
            rows.append(row)
    grouped = []
    for template, rows in templates.items():
        for slot in reversed(range(len(rows[0]))):
            rows = _merge_slot(rows, slot)
        for row in rows:
            parts = template.split("\0")
            grouped.append(parts[0] + "".join(", ".join(names) + rest for names, rest in zip(row, parts[1:])))
    return grouped


def _merge_slot(rows: list[tuple[tuple[str, ...], ...]], slot: int) -> list[tuple[tuple[str, ...], ...]]:
    """Rows equal outside ``slot`` become one row whose ``slot`` lists all their names."""
    merged: dict[tuple[tuple[str, ...], ...], list[str]] = {}
    for row in rows:
        names = merged.setdefault(row[:slot] + row[slot + 1:], [])
        names.extend(n for n in row[slot] if n not in names)
    return [rest[:slot] + (tuple(names),) + rest[slot:] for rest, names in merged.items()]


# -- diff -----------------------------------------------------------------------------------------
def diff_view(old: Generation, new: Generation, patch: str) -> dict[str, Any]:
    lines = patch.splitlines()
    return {
        "command": "diff", "from": old.id, "to": new.id, "file": new.source_path.name, "patch": patch,
        "added": sum(line.startswith("+") and not line.startswith("+++") for line in lines),
        "removed": sum(line.startswith("-") and not line.startswith("---") for line in lines),
    }


# -- a package target ----------------------------------------------------------------------------
def package_view(result: PackageResult, store: GenerationStore) -> dict[str, Any]:
    """``evolver evolve <folder>``: the profile's ranking, each hot module's evolve view, one summary."""
    runs, summary = [], []
    for run in result.runs:
        view = evolve_view(run.result, store) if run.result is not None else None
        runs.append({"module": run.share.target.module, "error": run.error or None, "evolve": view})
        summary.append({"module": run.share.target.module, "relpath": run.share.target.relpath.as_posix(),
                        "share": run.share.share,
                        "generations": len(view["generations"]) - 1 if view is not None else 0,
                        "result": view["result"] if view is not None else None,
                        "stop_reason": view["stop_reason"] if view is not None else run.error})
    chosen = {run.share.target.module for run in result.runs}
    return {"command": "evolve", **_package_part(result.package, result.profile, chosen, result.not_evolved,
                                                 result.excluded),
            "runs": runs, "summary": summary, "stop_reason": result.stop_reason}


def package_analysis_view(result: PackageAnalysis) -> dict[str, Any]:
    """``evolver analyze <folder>``: the profile's ranking and each hot module's analysis."""
    chosen = {a.target.module for a in result.analyses}
    return {"command": "analyze", **_package_part(result.package, result.profile, chosen, result.not_analyzed,
                                                  result.excluded),
            "analyses": [analysis_view(a) for a in result.analyses]}


def _package_part(package: Package, profile: PackageProfile, chosen: set[str],
                  others: Sequence[tuple[ModuleShare, str]], excluded: Sequence[tuple[str, str]]) -> dict[str, Any]:
    from evolver.package import proposed_workload

    why = {m.target.module: reason for m, reason in others}
    modules = [{"module": m.target.module, "relpath": m.target.relpath.as_posix(), "share": m.share,
                "of_package": m.seconds / profile.package_s if profile.package_s > 0 else 0.0,
                "own_ms": m.own_s * 1000, "library_ms": m.library_s * 1000, "calls": m.calls,
                "chosen": m.target.module in chosen, "why": why.get(m.target.module, "")} for m in profile.modules]
    return {"package": {"folder": str(package.folder), "root": str(package.root),
                        "relpath": package.folder.relative_to(package.root).as_posix()},
            "workload": profile.workload, "profile_total_ms": profile.total_s * 1000,
            "package_ms": profile.package_s * 1000, "modules": modules,
            "entries": [to_json(e) for e in profile.entries],
            "proposal": proposed_workload(profile, package) if profile.workload == "the test run" else [],
            "excluded": [{"file": f, "why": w} for f, w in excluded]}
