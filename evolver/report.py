"""What the CLI prints: rich progress on stderr, tables on stdout."""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from evolver.analyze import Analysis
    from evolver.evolve import EvolveResult
    from evolver.generations import Generation
    from evolver.model import Target

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

STATUS_STYLE = {"approved": "green", "rejected": "yellow", "failed": "red"}


def say(text: str) -> None:
    out.print(text, markup=False)


def _table(title: str, *columns: str, whole: tuple[str, ...] = ()) -> Table:
    """A table whose cells wrap instead of being cut; ``whole`` columns (ids) never break."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, no_wrap=column in whole, overflow="fold")
    return table


class Progress:
    """Live progress of an evolve run: a spinner for the current stage, a line per event."""

    def __init__(self) -> None:
        self._status = err.status("starting")
        self._refused = 0

    def __enter__(self) -> Progress:
        self._status.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._status.__exit__(exc_type, exc, tb)

    def notify(self, event: str, **data: Any) -> None:
        if event == "stage":
            self._status.update(data["text"])
        elif event == "cycle":
            err.print(f"[bold]cycle {data['number']}[/bold] from {data['parent']}")
            self._refused = 0
        elif event == "refused":
            self._refused += 1
        elif event == "candidate":
            self._status.update(f"evaluating {data['site']}")
            err.print(f"  try {data['site']}  [dim](predicted success {data['success']:.0%}, "
                      f"gain {math.exp(data['gain']):.2f}x)[/dim]")
        elif event == "skipped":
            err.print(f"  skip {data['site']}  [dim]({data['reason']})[/dim]")
        elif event == "outcome":
            style = STATUS_STYLE.get(data["status"], "white")
            err.print(f"    [{style}]{data['status']}[/{style}]: {data['reason']}", markup=True)
        elif event == "generation":
            err.print(f"  [bold green]wrote {data['id']}[/bold green]: {data['text']}")


def evolve_summary(result: EvolveResult) -> None:
    table = _table(f"evolve {result.target.relpath}", "candidate", "status", "measured", "errors",
                   whole=("candidate",))
    for o in result.outcomes:
        errors = "" if o.errors is None else f"{o.errors[0]} -> {o.errors[1]}"
        style = STATUS_STYLE.get(o.status, "white")
        table.add_row(o.candidate.site.id, f"[{style}]{o.status}[/{style}]", o.reason, errors)
    out.print(table)
    if result.generations:
        last = result.generations[-1]
        line = f"{last.id} ({len(result.generations)} generation(s) from {result.root.id})"
        if result.overall is not None:
            line += f": {result.overall.describe()} than the original"
        if result.errors is not None:
            line += f"; surfaced transient failures {result.errors[0]} -> {result.errors[1]}"
        say(line)
        say(f"see `evolver diff {last.id} {result.root.id}`, then `evolver promote {last.id}`")
    else:
        say(f"no new generation: {result.stop_reason}")


def lineage(target: Target, generations: Sequence[Generation]) -> None:
    if not generations:
        say(f"no generations for {target.module} yet (run `evolver evolve {target.path}`)")
        return
    table = _table(f"generations of {target.module}", "generation", "parent", "transforms",
                   "measured vs parent", "created", whole=("generation", "parent"))
    for g in generations:
        m = g.manifest
        sites = "\n".join(t["site"] for t in m.get("transforms", [])) or "(original)"
        vs = m.get("measurements", {}).get("vs_parent")
        measured = _describe(vs) if vs else ""
        table.add_row(g.id, g.parent_id or "", sites, measured, m.get("created_at", "")[:16].replace("T", " "))
    out.print(table)


def _describe(cmp: dict[str, Any]) -> str:
    from evolver.model import Comparison

    fields: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in cmp.items()}
    return Comparison(**fields).describe()


def analysis(result: Analysis) -> None:
    facts = result.facts
    say(f"{result.target.relpath}: {facts.loc} lines, maintainability index {facts.maintainability:.1f}, "
        f"sha256 {result.source_hash[:12]}")
    if result.profile is not None:
        table = _table("hotspots (profiled workload run)", "function", "share", "calls", "own time")
        for f in sorted(result.profile.functions, key=lambda f: -f.cumtime_s)[:10]:
            table.add_row(f.qualname, f"{f.share:.0%}", str(f.calls), f"{f.tottime_s * 1000:.1f} ms")
        out.print(table)
    if result.metrics:
        say("metrics: " + ", ".join(f"{k} {v:.4g}" for k, v in sorted(result.metrics.items())
                                    if not k.endswith("_spread")))
    for b in result.bottlenecks:
        where = f" in {b.where}" if b.where else ""
        say(f"bottleneck {b.metric}: {b.value:.4g} vs target {b.target:.4g} "
            f"({b.severity}, impact {b.impact:.0f}){where}")
    complex_fns = sorted(facts.functions, key=lambda f: -f.complexity)[:5]
    if complex_fns:
        say("most complex: " + ", ".join(f"{f.qualname} (cc {f.complexity})" for f in complex_fns))
    table = _table("rewrite sites", "site", "verdict", "why", whole=("site",))
    for s in sorted(result.sites, key=lambda s: (s.verdict != "applicable", s.id)):
        style = "green" if s.verdict == "applicable" else "dim"
        table.add_row(s.id, f"[{style}]{s.verdict}[/{style}]", "; ".join(s.reasons))
    out.print(table)


def stats(data: dict[str, Any]) -> None:
    table = Table(title="evolver history")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in data.items():
        if isinstance(value, dict):
            continue
        table.add_row(key, f"{value:.1%}" if key.endswith("rate") and isinstance(value, float) else str(value))
    out.print(table)
    per = data.get("per_transform") or {}
    if per:
        t = _table("per transform", "transform", "tried", "approved")
        for name, row in sorted(per.items()):
            t.add_row(name, str(row.get("tried", 0)), str(row.get("approved", 0)))
        out.print(t)


def transforms(rows: Sequence[dict[str, Any]]) -> None:
    table = _table("transforms", "name", "description", "preconditions")
    for r in rows:
        table.add_row(r["name"], r["description"], "\n".join(f"- {p}" for p in r["preconditions"]))
    out.print(table)


def retrain(summary: dict[str, Any]) -> None:
    say(f"predictor rebuilt from {summary['rows']} decided candidates ({summary['measured']} measured, "
        f"{summary['targets']} targets) in {summary['seconds']:.1f} s")
    for name, row in sorted(summary.get("transforms", {}).items()):
        gain = "" if row["mean_gain"] is None else f", mean log gain {row['mean_gain']:+.3f}"
        say(f"  {name}: {row['approved']}/{row['tried']} approved{gain}")
    learned = [n for n, key in (("success", "success_model"), ("gain", "gain_model")) if summary[key]]
    say(f"learned models: {', '.join(learned) or 'none'}"
        + ("" if len(learned) == 2 else f" (the prior decides below {summary['min_rows']} rows or one class)"))
    cv = summary["cv"]
    if cv["auc"] is not None:
        say(f"success ROC AUC {cv['auc']:.3f} ({cv['auc_folds']} folds by {cv['auc_split']}; "
            f"per-transform rate alone {cv['baseline_auc']:.3f})")
    if cv["spearman"] is not None:
        say(f"gain Spearman rho {cv['spearman']:+.3f} ({cv['gain_folds']} folds by {cv['gain_split']})")
    prev, change = summary.get("previous") or {}, summary.get("change") or {}
    if "unreadable" in prev:
        say(f"previous predictor unreadable: {prev['unreadable']}")
    elif change:
        say(f"since {prev.get('trained_at')}: rows {prev['rows']} -> {summary['rows']}, "
            f"AUC {_fmt(prev.get('auc'))} -> {_fmt(cv['auc'])}, rho {_fmt(prev.get('spearman'))} -> {_fmt(cv['spearman'])}")
    say(f"saved to {summary['path']}")


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
