"""What the CLI prints: progress on stderr, results on stdout.

Every command builds one plain view (a dict, see ``evolver.views``); ``--json`` prints it and the
text below renders it, so both carry the same figures. Results are columns of one line per row,
never wrapped or cut to the terminal's width: a pipe or a file gets every column, a terminal
shows long lines as it always does. Colour only on a terminal (and never with NO_COLOR).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.text import Text

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

STATUS_STYLE = {"approved": "green", "rejected": "yellow", "failed": "red", "applicable": "green",
                "refused": "dim", "interrupted": "magenta"}
DASH = "-"


def say(text: str = "", style: str | None = None) -> None:
    out.print(Text(text, style=style or ""))


def note(text: str) -> None:
    """A hint for a person, on stderr (stdout stays the result)."""
    err.print(Text(text, style="dim"))


def columns(header: Sequence[str], rows: Iterable[Sequence[str]], *, styled: int | None = None,
            details: Sequence[Sequence[str]] | None = None) -> None:
    """Rows aligned under ``header``; the last column is left unpadded (it may be long).
    ``styled`` is the index of a column coloured by its value (a status); ``details[i]`` are
    lines printed, indented, under row ``i``."""
    rows = [list(r) for r in rows]
    widths = [max(len(str(r[i])) for r in [list(header), *rows]) for i in range(len(header) - 1)]
    for n, row in enumerate([list(header), *rows]):
        text = Text(style="bold" if n == 0 else "")
        for i, cell in enumerate(row):
            padded = cell if i == len(row) - 1 else cell.ljust(widths[i]) + "  "
            style = STATUS_STYLE.get(cell.strip(), "") if n and i == styled else ""
            text.append(padded, style=style)
        text.rstrip()
        out.print(text)
        for line in (details[n - 1] if details and n else ()):
            say(f"    {line}")


def speedup(value: float | None) -> str:
    return DASH if value is None or not math.isfinite(value) else f"{value:.2f}x"


def interval(ci: Sequence[float | None] | None) -> str:
    if not ci or any(v is None or not math.isfinite(v) for v in ci):
        return DASH
    return f"{ci[0]:.2f}-{ci[1]:.2f}"


def p_value(value: float | None) -> str:
    return DASH if value is None else f"{value:.2g}"


# -- evolve ---------------------------------------------------------------------------------------
class Progress:
    """Progress of an evolve run on stderr: a line per event; on a terminal a spinner shows the
    current stage, elsewhere each stage is a line of its own. ``timed``: each line starts with the
    seconds since the run started (where the time goes: tests, rounds, each verdict)."""

    def __init__(self, timed: bool = False) -> None:
        self._live = err.is_terminal
        self._status = err.status("starting") if self._live else None
        self._stage = ""
        self._start = time.monotonic() if timed else None

    def __enter__(self) -> Progress:
        if self._status is not None:
            self._status.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._status is not None:
            self._status.__exit__(exc_type, exc, tb)

    def _line(self, text: str, style: str = "") -> None:
        if self._start is not None:
            text = f"{time.monotonic() - self._start:6.1f}s {text}"
        err.print(Text(text, style=style))

    def _stage_text(self, text: str) -> None:
        if self._status is not None:
            self._status.update(text)
        elif text != self._stage:
            self._line(f"  {text}", "dim")
        self._stage = text

    def notify(self, event: str, **data: Any) -> None:
        if event == "stage":
            self._stage_text(data["text"] + _eta(data))
        elif event == "cycle":
            self._line(f"cycle {data['number']} from {data['parent']}", "bold")
        elif event == "candidate":
            if self._status is not None:
                self._status.update(f"evaluating {data['site']}{_queue(data)}{_eta(data)}")
            self._line(f"  try {data['site']}{_queue(data)}{_predicted(data)}")
        elif event == "race":
            if self._status is not None:  # many a second: the spinner only
                self._status.update(f"timing {data.get('live', '?')} candidates against the parent: round "
                                    f"{data.get('rounds', '?')}, next look at {data.get('next_look', '?')}{_eta(data)}")
        elif event == "skipped":
            self._line(f"  skip {data['site']}  ({data['reason']})", "dim")
        elif event == "outcome":  # verdicts come in any order once candidates race: name the site
            self._line(f"  {data['status']} {data['site']}: {data['reason']}", STATUS_STYLE.get(data["status"], ""))
        elif event == "warning":
            self._line(f"warning: {data['text']}", "yellow")
        elif event == "generation":
            self._line(f"  wrote {data['id']} (its speedup to quote is the one in the summary: measured last)",
                       "bold green")
        elif event == "package":
            hot = ", ".join(f"{m['module']} ({m['share']:.0%})" for m in data["modules"]) or "none"
            self._line(f"{len(data['modules'])} of {data['total']} modules to evolve: {hot}", "bold")
        elif event == "module":
            self._line(f"module {data['position']}/{data['total']}: {data['module']} "
                       f"({data['share']:.0%} of the workload)", "bold")


def _predicted(data: dict[str, Any]) -> str:
    """The prediction with its range and what it rests on (the prior, said so, on unseen code)."""
    if data.get("prediction"):
        return f"  (predicted: {data['prediction']})"
    if data.get("success") is None or data.get("gain") is None:
        return ""
    return f"  (predicted: success {data['success']:.0%}, gain {math.exp(data['gain']):.2f}x)"


def _queue(data: dict[str, Any]) -> str:
    """``[3/14]`` when the event says where the candidate stands in the cycle's queue."""
    position, total = data.get("position"), data.get("total")
    return f" [{position}/{total}]" if position is not None and total is not None else ""


def _eta(data: dict[str, Any]) -> str:
    seconds = data.get("eta_s")
    if seconds is None:
        return ""
    return f" (about {seconds / 60:.0f} min left)" if seconds >= 90 else f" (about {seconds:.0f} s left)"


def evolve(view: dict[str, Any], details: bool = False) -> None:
    counts = view["counts"]
    tried = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    say(f"evolve {view['target']['relpath']}: {_plural(len(view['candidates']), 'candidate')} tried"
        + (f" ({tried})" if tried else "") + f"; stopped: {view['stop_reason']}")
    if view["candidates"]:
        say()
        _candidates(view["candidates"], details)
    if view["skipped"]:
        say()
        if details:
            columns(["skipped (not worth timing)", "why"], [[r["site"], r["reason"]] for r in view["skipped"]])
        else:
            say(f"skipped, not worth timing: {_plural(len(view['skipped']), 'candidate')} "
                "(`evolver evolve --details` says why for each)", "dim")
    if view["generations"]:
        say()
        _generations(view["generations"], details)
    say()
    final = view["result"]
    if final is None:
        say(f"no new generation: {view['stop_reason']}")
        return
    say(f"{final['generation']}: {_figure_sentence(final)}", style="bold")
    if final.get("failures") and any(final["failures"]):
        before, after = final["failures"]
        say(f"transient failures surfacing in one workload run: {before} -> {after}")
    diff = f"evolver diff {view['root']} {final['generation']}"
    promote = f"evolver promote {final['generation']}"
    width = max(len(diff), len(promote))
    say(f"next: {diff.ljust(width)}  # what changed since the original")
    say(f"      {promote.ljust(width)}  # write it into {view['target']['relpath']}")


def package(view: dict[str, Any], details: bool = False) -> None:
    """``evolver evolve <folder>``: the ranking, each module's run as ``evolve`` shows it, one summary."""
    _package_ranking(view)
    for run in view["runs"]:
        say()
        say(f"== {run['module']} ==", style="bold")
        if run["evolve"] is not None:
            evolve(run["evolve"], details)
        else:
            say(f"not evolved: {run['error']}")
    say()
    rows = view["summary"]
    if rows:
        columns(["module", "share", "generations", "speedup", "95% CI", "result"],
                [[r["module"], f"{r['share']:.0%}", str(r["generations"]),
                  speedup((r["result"] or {}).get("speedup")), interval((r["result"] or {}).get("ci")),
                  (r["result"] or {}).get("generation") or r["stop_reason"]] for r in rows])
        say("(speedup: each module's last generation against its original, the other modules as they are; "
            "the gains were measured one module at a time, never together)", "dim")
    written = sum(r["generations"] for r in rows)
    say(f"evolve {view['package']['relpath']}: {_plural(len(rows), 'module')} evolved, "
        f"{_plural(written, 'new generation')}; {view['stop_reason']}", style="bold")


def package_analysis(view: dict[str, Any], details: bool = False) -> None:
    """``evolver analyze <folder>``: the ranking, then each hot module's analysis."""
    _package_ranking(view)
    for found in view["analyses"]:
        say()
        say(f"== {found['target']['module']} ==", style="bold")
        analysis(found, details)


def _package_ranking(view: dict[str, Any]) -> None:
    test_run = view["workload"] == "the test run"
    say(f"{view['package']['relpath']}: {_plural(len(view['modules']), 'module')}; where "
        f"{view['workload']} spends its time ({view['profile_total_ms']:.1f} ms profiled, "
        f"{view['package_ms']:.1f} ms of it in these modules)")
    columns(["share", "of package", "own", "library", "module", "evolved"],
            [[f"{m['share']:.1%}", f"{m['of_package']:.0%}", f"{m['own_ms']:.1f} ms", f"{m['library_ms']:.1f} ms",
              m["module"], "yes" if m["chosen"] else m["why"]] for m in view["modules"]])
    say("(share: the module's own code and the library calls it makes, of the whole run; of package: of the "
        "time in these modules)", "dim")
    for row in view["excluded"]:
        note(f"left out: {row['file']}: {row['why']}")
    if test_run and view.get("proposal"):
        say()
        say("no --bench: the test run is the workload. A workload of your own measures what your users run; "
            "from the calls the tests spend the most time in, for example:")
        for line in view["proposal"]:
            say(f"    {line}" if line else "")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _candidates(rows: Sequence[dict[str, Any]], details: bool) -> None:
    failures = any(r["failures"] is not None for r in rows)
    header = ["status", "speedup", "95% CI", "p", *(["failures"] if failures else []), "candidate", "note"]
    lines = [[r["status"], speedup(r["speedup"]), interval(r["ci"]), p_value(r["p_value"]),
              *([_failures(r["failures"])] if failures else []), r["site"], r["note"]] for r in rows]
    columns(header, lines, styled=0, details=[_candidate_details(r) for r in rows] if details else None)
    say("(speedup: the candidate against its parent, with its 95% interval and one-sided p-value)", "dim")
    if failures:
        say("(failures: transient failures that surfaced in one workload run, parent -> candidate, with the "
            "faults evolver injects for a retry; a retry that absorbs them lowers the second figure)", "dim")


def _failures(pair: Sequence[int] | None) -> str:
    return DASH if pair is None else f"{pair[0]} -> {pair[1]}"


def _candidate_details(row: dict[str, Any]) -> list[str]:
    lines = [row["reason"]]
    if row["pairs"] is not None:
        lines.append(f"{row['pairs']} timing pairs, verdict {row['verdict']}")
    memory = row.get("memory")
    if memory:
        lines.append(f"peak memory {memory['peak_ratio']:.2f}x the parent's "
                     f"({'OVER' if memory['over_budget'] else 'within'} the {memory['budget']:g}x budget)")
    lines.append(f"predicted success {row['predicted_success']:.0%}, gain {row['predicted_speedup']:.2f}x")
    return lines


def _figure_sentence(fig: dict[str, Any]) -> str:
    against = "the original" if fig["against_original"] else f"its parent {fig['against']}"
    verdict = fig["verdict"]
    what = (f"{speedup(fig['speedup'])} faster than {against}" if verdict == "faster"
            else f"{verdict} against {against} ({speedup(fig['speedup'])})")
    return f"{what} (95% CI {interval(fig['ci'])}; measured {fig['measured']}, against {fig['against']})"


def _generations(rows: Sequence[dict[str, Any]], details: bool) -> None:
    header = ["generation", "parent", "speedup", "95% CI", "measured against", "rewrites"]
    columns(header, [_generation_cells(g) for g in rows], details=[g["transforms"] for g in rows] if details else None)
    say("(speedup: each generation's last measurement against the original; where none was made, "
        "against its parent, named)", "dim")


def _generation_cells(g: dict[str, Any]) -> list[str]:
    fig = g["figure"]
    if fig is None:
        return [g["id"], g["parent"] or DASH, DASH, DASH, "(the original)" if g["parent"] is None else DASH,
                str(len(g["transforms"]))]
    against = f"{fig['against']} ({'original' if fig['against_original'] else 'parent'}), {fig['measured']}"
    return [g["id"], g["parent"] or DASH, speedup(fig["speedup"]), interval(fig["ci"]), against,
            str(len(g["transforms"]))]


# -- log ------------------------------------------------------------------------------------------
def lineage(view: dict[str, Any], details: bool = False) -> None:
    if not view["targets"]:
        say(f"no generations in {view['store']} yet (run `evolver evolve <module.py>`)")
        return
    for n, target in enumerate(view["targets"]):
        if n:
            say()
        say(f"{target['key']}  ({target['path']})", style="bold")
        _generations(target["generations"], details)


# -- analyze --------------------------------------------------------------------------------------
def analysis(view: dict[str, Any], details: bool = False) -> None:
    say(f"{view['relpath']}: {view['lines']} lines, maintainability index {view['maintainability']:.1f}, "
        f"sha256 {view['source_hash'][:12]}")
    if view["hotspots"]:
        say()
        say(f"hotspots (one profiled workload run, {view['profile_total_ms']:.1f} ms)")
        columns(["share", "calls", "own time", "function"],
                [[f"{h['share']:.0%}", str(h["calls"]), f"{h['own_ms']:.1f} ms", h["function"]]
                 for h in view["hotspots"]])
    if view["metrics"]:
        say("measured: " + ", ".join(metric(k, v) for k, v in view["metrics"].items() if k not in ("loops", "samples")))
    for b in view["bottlenecks"]:
        where = f" in {b['where']}" if b["where"] else ""
        say(f"bottleneck: {b['metric']} {b['value']:.4g} (target {b['target']:.4g}), {b['severity']}, "
            f"impact {b['impact']:.0f}{where}")
    if view["most_complex"]:
        say("most complex: " + ", ".join(f"{f['function']} (cc {f['complexity']})" for f in view["most_complex"]))
    sites = view["sites"]
    applicable = sum(s["verdict"] == "applicable" for s in sites)
    say()
    say(f"rewrite sites: {applicable} applicable, {len(sites) - applicable} refused")
    if details:
        columns(["verdict", "site"], [[s["verdict"], s["id"]] for s in sites], styled=0,
                details=[_site_details(s) for s in sites])
        return
    columns(["verdict", "site", "why"], [[s["verdict"], s["id"], first_reason(s["why"])] for s in sites],
            styled=0)
    if any(len(s["why"]) > 1 for s in sites):
        say("((+N): N more reasons; `evolver analyze --details` lists them all)", "dim")
    relied = Counter(a for s in sites if s["verdict"] == "applicable" for a in s.get("assumptions") or ())
    if relied:
        say("(applicable sites assume " + ", ".join(f"{a} ({n})" for a, n in sorted(relied.items()))
            + "; docs/soundness.md says what each means, [tool.evolver] assumptions switches one off, "
            "--details lists them per site)", "dim")


def _site_details(site: dict[str, Any]) -> list[str]:
    lines = ([f"at line {site['line']}"] if site.get("line") else []) + list(site["why"])
    return lines + [f"assumes: {a}" for a in site.get("assumptions") or ()]


_METRICS = {"wall_time_ms": ("wall time", "{:.1f} ms"), "peak_memory_mb": ("peak memory", "{:.1f} MB"),
            "cpu_percent": ("CPU", "{:.0f}% of wall time"), "error_count": ("transient failures surfacing", "{:.0f}"),
            "tracemalloc_peak_mb": ("peak of Python allocations", "{:.2f} MB")}


def metric(key: str, value: float) -> str:
    """A measured figure in words: "wall time 566.0 ms"."""
    words, form = _METRICS.get(key, (key, "{:.4g}"))
    return f"{words} {form.format(value)}"


def first_reason(reasons: Sequence[str]) -> str:
    if not reasons:
        return ""
    return reasons[0] + (f" (+{len(reasons) - 1})" if len(reasons) > 1 else "")


# -- the other commands -------------------------------------------------------------------------
def stats(view: dict[str, Any]) -> None:
    if view["history"] is None:
        say(f"no history in {view['workspace']} yet (`evolver evolve <module.py>` starts one)")
        return
    say(f"history: {view['history']}")
    sessions = view["sessions_by_status"]
    say(f"sessions: {view['sessions']}" + _breakdown(sessions))
    by = view["by_status"]
    judged = by["approved"] + by["applied"] + by["rolled_back"] + by["rejected"] + by["failed"]
    rate = ("no candidate judged yet" if view["success_rate"] is None
            else f"{view['success_rate']:.0%} of the {judged} judged")
    say(f"candidates: {view['candidates_tried']} tried, {view['approved']} approved ({rate}), "
        f"{by['rejected']} rejected, {by['failed']} failed" + (f", {by['interrupted']} interrupted"
                                                               if by.get("interrupted") else ""))
    say(f"promotions: {view['applied']}, {view['rolled_back']} of them reverted")
    per = view["per_transform"]
    if per:
        say()
        columns(["transform", "tried", "approved"],
                [[name, str(row["tried"]), str(row["approved"])] for name, row in sorted(per.items())])


def _breakdown(counts: dict[str, int]) -> str:
    parts = [f"{n} {status}" for status, n in counts.items() if n]
    return f" ({', '.join(parts)})" if parts else ""


def transforms(rows: Sequence[dict[str, Any]], long: bool = False) -> None:
    columns(["transform", "goal", "what it does"], [[r["name"], r["goal"], r["description"]] for r in rows])
    if long:
        for r in rows:
            say()
            say(f"{r['name']}: applies only where", style="bold")
            for p in r["preconditions"]:
                say(f"  - {p}")
    else:
        say("(`evolver transforms --long` lists each one's preconditions)", "dim")


def promoted(done: dict[str, Any]) -> None:
    say(f"promoted {done['generation']} into {done['target']} (sha256 {done['previous_hash'][:12]} -> "
        f"{done['new_hash'][:12]}); `evolver revert {done['target']}` puts the previous bytes back")


def reverted(done: dict[str, Any]) -> None:
    what = "" if done["written"] else " (it already held them: only the record changed)"
    say(f"reverted {done['target']} to the bytes it had before {done['generation']} was promoted{what}")


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
    if cv.get("calibrated_error") is not None:
        say(f"success calibration error {cv['calibration_error']:.3f} -> {cv['calibrated_error']:.3f} calibrated "
            f"(Brier {cv['brier']:.3f} -> {cv['calibrated_brier']:.3f}, held-out folds)")
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
