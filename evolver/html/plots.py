"""The report's plots, drawn by matplotlib as SVG and inlined in the page (no script, no network).

Each plotted generation or candidate is an artist with its own SVG id (``set_gid``): the page's
script turns a click on ``time-<x>`` into a jump to the card ``gen-<x>``, and a test can count the
points.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import matplotlib

matplotlib.use("svg")  # no display; the Agg/GUI back ends are never needed

from matplotlib import dates as mdates
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from evolver.html.views import Candidate, GenerationView, TrendPoint

STYLE: Any = {"svg.fonttype": "none", "font.family": ["DejaVu Sans", "sans-serif"], "font.size": 9,
         "svg.hashsalt": "evolver-report"}
COLOURS = {"faster": "#1a7f37", "passed": "#1a7f37", "in this generation": "#1a7f37", "other": "#9a6700"}
WIDTH, HEIGHT = 10.5, 3.2  # inches; the page shows 1 inch as 96 px


def point_gid(kind: str, name: str) -> str:
    """The SVG id of one plotted item: ``<kind>-<name with anything but letters and digits as ->``."""
    return f"{kind}-" + "".join(c if c.isalnum() else "-" for c in name)


def generation_times(gens: Sequence[GenerationView]) -> str | None:
    """Workload time per call for each generation with its interquartile range, joined to its parent."""
    timed = {g.id: g for g in gens if g.timing is not None}
    if not timed:
        return None
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(WIDTH, HEIGHT))
        ax = fig.add_subplot()
        for g in timed.values():
            parent = timed.get(g.parent_id or "")
            if parent is not None:
                assert parent.timing is not None and g.timing is not None
                ax.plot([parent.number, g.number], [parent.timing.median_ms, g.timing.median_ms],
                        color="#8c959f", linewidth=1, zorder=1)
        for g in timed.values():
            t = g.timing
            assert t is not None
            bars = ax.errorbar([g.number], [t.median_ms], yerr=[[t.median_ms - t.low_ms], [t.high_ms - t.median_ms]],
                               fmt="o", color="#0969da" if g.parent_id else "#24292f", capsize=3, markersize=5,
                               zorder=2)
            _tag(bars, point_gid("time", g.id))
        ax.set_xlabel("generation number")
        ax.set_ylabel("workload time per call, ms")
        _log_if_wide(ax.yaxis, [g.timing.low_ms for g in timed.values() if g.timing],
                     [g.timing.high_ms for g in timed.values() if g.timing], "{:g} ms")
        numbers = [g.number for g in timed.values()]
        ax.set_xlim(min(numbers) - 0.5, max(numbers) + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(fig)


def trend(points: Sequence[TrendPoint], session_labels: dict[str, str]) -> str | None:
    """Every recorded baseline time over the calendar, one colour per session."""
    if not points:
        return None
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(WIDTH, HEIGHT))
        ax = fig.add_subplot()
        sessions = list(dict.fromkeys(p.session_id for p in points))
        for i, session in enumerate(sessions):
            mine = [p for p in points if p.session_id == session]
            bars = ax.errorbar([mdates.date2num(p.measured_at) for p in mine], [p.value_ms for p in mine],
                               yerr=[p.spread_ms or 0.0 for p in mine], fmt="o-", capsize=3, markersize=4,
                               linewidth=1, color=f"C{i % 10}",
                               label=session_labels.get(session, session[:8]))
            _tag(bars, point_gid("session", session))
        ax.set_ylabel("workload time per call, ms")
        _log_if_wide(ax.yaxis, [p.value_ms - (p.spread_ms or 0) for p in points],
                     [p.value_ms + (p.spread_ms or 0) for p in points], "{:g} ms")
        first, last = points[0].measured_at, points[-1].measured_at
        if (last - first).total_seconds() < 120:  # one moment: show a few minutes around it
            ax.set_xlim(mdates.date2num(first - timedelta(minutes=5)), mdates.date2num(last + timedelta(minutes=5)))
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        # years, months, days, hours, minutes, seconds: a tick within a minute says its minute too
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
            locator, formats=["%Y", "%b", "%d", "%H:%M", "%H:%M", "%H:%M:%S"]))
        if len(sessions) <= 8:
            ax.legend(fontsize=7, loc="best")
        return _svg(fig)


def predictions(candidates: Sequence[Candidate]) -> str | None:
    """Predicted against measured speedup (with its 95% interval) for every measured candidate."""
    shown = [c for c in candidates if c.measured is not None and c.predicted_speedup is not None]
    if not shown:
        return None
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(WIDTH, HEIGHT + 0.6))
        ax = fig.add_subplot()
        for i, c in enumerate(shown):
            m, predicted = c.measured, c.predicted_speedup
            assert m is not None and predicted is not None
            colour = COLOURS.get(c.outcome, COLOURS["other"])
            bars = ax.errorbar([predicted], [m.speedup], yerr=[[m.speedup - m.speedup_low], [m.speedup_high - m.speedup]],
                               fmt="o", color=colour, capsize=2, markersize=4)
            _tag(bars, point_gid("prediction", f"{i}-{c.site}"))
        values = [c.predicted_speedup or 1.0 for c in shown] + [c.measured.speedup for c in shown if c.measured]
        low, high = min(values + [1.0]) / 1.1, max(values + [1.0]) * 1.1
        ax.plot([low, high], [low, high], linestyle="--", color="#8c959f", linewidth=1, label="prediction = measurement")
        for axis in (ax.xaxis, ax.yaxis):
            _log_if_wide(axis, [low], [high], "{:g}x")
            if axis.get_scale() == "linear":
                axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}x"))
        ax.set_xlabel("predicted speedup of the workload (x)")
        ax.set_ylabel("measured speedup (x, 95% CI)")
        ax.plot([], [], "o", color=COLOURS["passed"], label="passed")
        ax.plot([], [], "o", color=COLOURS["other"], label="rejected")
        ax.legend(fontsize=7, loc="best")
        return _svg(fig)


def _tag(container: Any, gid: str) -> None:
    """Give an errorbar's marker line one id; its bars are left untagged."""
    line = container.lines[0]
    line.set_gid(gid)
    line.set_zorder(5)  # over its own bars, so a click lands on the point


def _log_if_wide(axis: Any, lows: Sequence[float], highs: Sequence[float], label: str) -> None:
    """A log scale when the values span more than a factor of 4 (ticks at 1, 2, 5 times powers of
    ten, in plain numbers); else the linear scale."""
    positive = [v for v in lows if v > 0]
    if not positive or max(highs) / min(positive) <= 4:
        return
    ax = axis.axes
    (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda v, _: label.format(v)))
    axis.set_minor_formatter(NullFormatter())


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text

