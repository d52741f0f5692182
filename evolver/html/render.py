"""Lay the views out in one self-contained HTML page (jinja2 template, inline CSS and SVG) and
write it without ever replacing a file that is not an evolver report."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from evolver import __version__
from evolver.errors import EvolverError
from evolver.html import diffs, plots
from evolver.html.collect import collect, scope_of
from evolver.html.records import read_records
from evolver.html.views import Candidate, Interval, TargetView, generation_anchor

GENERATOR = "evolver report"  # the page's <meta name="generator">: how an older report is recognised
NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    targets: int
    generations: int


def write_report(workspace: Path, scope: Path, output: Path) -> Written:
    """Render the report of every target under ``scope`` and write it to ``output`` atomically."""
    if not scope.exists():
        raise EvolverError(f"no such file or folder: {scope}")
    _check_output(output)
    records = read_records(workspace)
    targets = collect(records, scope_of(scope))
    if not targets:
        raise EvolverError(f"the history at {records.history_path} has no evolve run of {scope}")
    page = render(targets, workspace=workspace, history=records.history_path, problems=records.problems)
    _atomic_write(output, page.encode("utf-8"))
    return Written(path=output, size=len(page.encode("utf-8")), targets=len(targets),
                   generations=sum(len(t.generations) for t in targets))


def render(targets: Sequence[TargetView], *, workspace: Path, history: Path, problems: Sequence[str] = ()) -> str:
    env = Environment(loader=PackageLoader("evolver.html", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(speedup=speedup, ms=ms, pct=pct, when=when, fixed=fixed, anchor=generation_anchor,
                       slug=slug)
    return env.get_template("report.html.j2").render(
        generator=f"{GENERATOR} {__version__}", generated_at=when(datetime.now(UTC).isoformat()),
        workspace=str(workspace), history=str(history), pygments_css=Markup(diffs.css()),
        problems=list(problems), targets=[_target_page(t) for t in targets])


def _target_page(t: TargetView) -> dict[str, Any]:
    labels = {s.id: f"{s.command} {when(s.started_at)}" for s in t.sessions}
    measured = [c for c in t.candidates if c.measured is not None and c.predicted_gain is not None]
    return {
        "view": t,
        "session_labels": labels,
        "times_svg": _markup(plots.generation_times(t.generations)),
        "trend_svg": _markup(plots.trend(t.trend, labels)),
        "predictions_svg": _markup(plots.predictions(measured)),
        "predicted": measured,
        "rank_correlation": rank_correlation(measured),
        "tried": len(t.candidates),
        "refused": sum(len(c.refusals) for c in _all_cycles(t)),
        "best": _best(t),
        "per_session": _per_session(t),
    }


def _per_session(t: TargetView) -> dict[str, tuple[int, int]]:
    """Generations made and candidates tried, by session."""
    made: dict[str, int] = {}
    tried: dict[str, int] = {}
    for g in t.generations:
        if g.session_id and g.parent_id:
            made[g.session_id] = made.get(g.session_id, 0) + 1
    for c in t.candidates:
        tried[c.session_id] = tried.get(c.session_id, 0) + 1
    return {s.id: (made.get(s.id, 0), tried.get(s.id, 0)) for s in t.sessions}


def _all_cycles(t: TargetView) -> list[Any]:
    return [g.cycle for g in t.generations if g.cycle is not None] + list(t.idle_cycles)


def _best(t: TargetView) -> Any:
    """The newest generation measured directly against the original, if any was."""
    direct = [g for g in t.generations if g.vs_root is not None]
    return direct[-1] if direct else None


def rank_correlation(candidates: Sequence[Candidate]) -> float | None:
    """Spearman's rho between predicted and measured log gain; None below 3 candidates or ties only."""
    if len(candidates) < 3:
        return None
    from scipy.stats import spearmanr

    predicted = [c.predicted_gain for c in candidates]
    measured = [-math.log(c.measured.ratio) for c in candidates if c.measured]
    rho = float(spearmanr(predicted, measured).statistic)
    return rho if math.isfinite(rho) else None


# -- filters -----------------------------------------------------------------------------------
def speedup(value: Interval | None) -> str:
    if value is None:
        return NOT_MEASURED
    return f"{value.speedup:.2f}x (95% CI {value.speedup_low:.2f}–{value.speedup_high:.2f})"


def ms(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:.3g} ms"


def pct(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:.0%}"


def fixed(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return NOT_MEASURED if value is None else f"{value:.{digits}f}{suffix}"


def when(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def slug(text: str) -> str:
    """A CSS class from a label: lower-case letters and digits, runs of anything else as one "-"."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _markup(svg: str | None) -> Markup | None:
    return None if svg is None else Markup(svg)


# -- writing -----------------------------------------------------------------------------------
def _check_output(output: Path) -> None:
    if output.is_dir():
        raise EvolverError(f"{output} is a folder; give the report's file name with -o")
    if not output.parent.is_dir():
        raise EvolverError(f"cannot write {output}: no folder {output.parent}")
    if output.exists() and not _is_report(output):
        raise EvolverError(f"refusing to overwrite {output}: it is not an evolver report "
                           "(choose another -o, or remove it)")


def _is_report(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}'.encode() in head


def _atomic_write(output: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
