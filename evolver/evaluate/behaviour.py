"""The behaviour check: a candidate must make the workload's real calls end as the parent's do.

Both versions run the workload once more in their sandboxes, in the worker's ``trace`` mode
(``sandbox/tracer.py``), following the functions the candidate rewrites (found by diffing the two
sources, ``rewritten.py``) and the module functions they call; the parent's run also draws
sampled inputs for the rewritten functions the workload calls with few distinct arguments, and
the candidate's run replays them. When the traces differ, both versions run once more: a
difference found in either of the candidate's runs counts unless the parent's two runs disagree on
it (the parent may be nondeterministic: time, addresses, thread timing). A candidate that behaves
as the parent only sometimes (a thread pool whose pending calls a failure cancels or not) is not
refuted by its lucky run.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Literal

from evolver.errors import EvolverError
from evolver.evaluate.rewritten import Rewritten, rewritten
from evolver.evaluate.trace_compare import Difference, Tally, compare
from evolver.evaluate.workers import Bench, CandidateFailed, run_worker

Verdict = Literal["same", "differs", "off"]
SHOWN = 5  # differences listed besides the first
TRACE_CALLS = 4  # a traced run may take the time of this many workload calls (recording, sampled inputs)
_TIMING_KEYS = frozenset({"workload_s", "workload_cpu_s", "sample_s", "t", "times"})


@dataclass(frozen=True)
class BehaviourCheck:
    """The verdict on the candidate's behaviour, with the evidence."""

    verdict: Verdict
    summary: str  # one line
    first: str | None = None  # the first differing call, in words
    differences: tuple[str, ...] = ()  # the first few confirmed differences
    changed: tuple[str, ...] = ()
    callees: tuple[str, ...] = ()
    calls: int = 0
    callee_calls: int = 0
    samples: int = 0
    unknown: int = 0
    tolerated: int = 0
    parent_trace: str | None = None  # sha256 of the parent's trace (timings left out)
    candidate_trace: str | None = None
    notes: tuple[str, ...] = ()
    cost_s: dict[str, float] = field(default_factory=dict)

    @property
    def differs(self) -> bool:
        return self.verdict == "differs"


def turned_off() -> BehaviourCheck:
    return BehaviourCheck("off", "not checked: the behaviour check is turned off (behaviour = false)")


def check_behaviour(parent: Bench, candidate: Bench, parent_source: str, candidate_source: str) -> BehaviourCheck:
    """Trace both versions on the workload and compare; CandidateFailed if the candidate's run fails."""
    plan = rewritten(parent_source, candidate_source)
    request = _request(plan, parent, parent_source)
    first = _parent_trace(parent, request)
    replay = {"examples": _examples(first)}
    mine = trace(candidate, {**request, **replay, "sample": []}, CandidateFailed)
    tally = Tally()
    found = compare(first, mine, tally)
    if found:
        with _PARENT_LOCK:
            again = trace(parent, {**request, **replay, "sample": []}, EvolverError)
        noisy = {d.key for d in compare(first, again)}
        seen = {d.key for d in found}
        rerun = compare(first, trace(candidate, {**request, **replay, "sample": []}, CandidateFailed))
        found = [d for d in [*found, *(d for d in rerun if d.key not in seen)] if d.key not in noisy]
        found.sort(key=lambda d: d.order)
        if noisy:
            tally.notes.append(f"{len(noisy)} field(s) differ between two runs of the parent: not compared")
    return _verdict(plan, first, mine, found, tally)


_PARENT_TRACES: OrderedDict[str, dict[str, Any]] = OrderedDict()  # the parent's first run, by request
_PARENT_LOCK = threading.Lock()  # one parent run at a time: candidates are checked from several threads
_KEPT = 32


def _parent_trace(parent: Bench, request: dict[str, Any]) -> dict[str, Any]:
    """The parent's first traced run; candidates that rewrite the same functions share it."""
    key = json.dumps([str(parent.scratch.dir), parent.expected_hash, request], sort_keys=True)
    with _PARENT_LOCK:
        if key not in _PARENT_TRACES:
            _PARENT_TRACES[key] = trace(parent, request, EvolverError)
            while len(_PARENT_TRACES) > _KEPT:
                _PARENT_TRACES.popitem(last=False)
        _PARENT_TRACES.move_to_end(key)
        return _PARENT_TRACES[key]


def trace(bench: Bench, request: dict[str, Any], failure: type[EvolverError]) -> dict[str, Any]:
    return run_worker(bench, "trace", failure=failure, calls=TRACE_CALLS, scratch_dir=str(bench.scratch.dir),
                      **request)


def _request(plan: Rewritten, parent: Bench, source: str) -> dict[str, Any]:
    settings = parent.settings
    sample = sampled_functions(plan, source, parent.scratch.target.module, settings.sample_io) \
        if settings.behaviour_samples > 0 else []
    return {"changed": list(plan.changed), "callees": list(plan.callees),
            "exclude_globals": list(plan.exclude_globals), "sample": sample,
            "sample_count": settings.behaviour_samples, "seed": 0}


def sampled_functions(plan: Rewritten, source: str, module: str, with_io: bool) -> list[str]:
    """The rewritten functions to draw inputs for: all of them with ``with_io``, else those that
    make no blocking I/O call, directly or through the module functions they call."""
    if with_io:
        return list(plan.changed)
    from evolver.analysis.evidence import io_evidence
    from evolver.analysis.index import ModuleIndex

    try:
        index = ModuleIndex.of(source, module)
    except EvolverError:
        return []
    return [name for name in plan.changed if not io_evidence(index, name)]


def _examples(trace: dict[str, Any]) -> dict[str, Any]:
    return {name: {"examples": block["examples"], "times": [o["t"] for o in block["outcomes"]]}
            for name, block in trace.get("samples", {}).items() if block.get("examples")}


def trace_digest(trace: dict[str, Any]) -> str:
    """sha256 of a trace without its timings: equal runs give equal digests."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in _TIMING_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return hashlib.sha256(json.dumps(strip(trace), sort_keys=True).encode()).hexdigest()


def _verdict(plan: Rewritten, parent: dict[str, Any], candidate: dict[str, Any], found: list[Difference],
             tally: Tally) -> BehaviourCheck:
    notes = tuple(dict.fromkeys([*tally.notes, *parent.get("notes", ()), *candidate.get("notes", ())]))
    common: dict[str, Any] = {
        "changed": plan.changed, "callees": plan.callees, "calls": tally.calls, "callee_calls": tally.callee_calls,
        "samples": tally.samples, "unknown": tally.unknown, "tolerated": tally.tolerated,
        "parent_trace": trace_digest(parent), "candidate_trace": trace_digest(candidate), "notes": notes,
        "cost_s": {"parent_workload": parent.get("workload_s", 0.0), "candidate_workload": candidate.get("workload_s", 0.0),
                "parent_samples": parent.get("sample_s", 0.0)}}
    if found:
        return BehaviourCheck("differs", f"behaviour differs: {found[0]}", first=str(found[0]),
                              differences=tuple(str(d) for d in found[:SHOWN + 1]), **common)
    return BehaviourCheck("same", _same_summary(plan, tally), **common)


def _same_summary(plan: Rewritten, tally: Tally) -> str:
    if not plan.changed:
        return "same module state after the workload (no function is rewritten)"
    if not (tally.calls or tally.samples or tally.tolerated):
        return (f"not exercised: the workload makes no call of {', '.join(plan.changed)}; "
                "the state after the workload is the same")
    what = [f"{tally.calls} call(s) of {', '.join(plan.changed)}"]
    if tally.callee_calls:
        what.append(f"{tally.callee_calls} callee call(s)")
    if tally.samples:
        what.append(f"{tally.samples} sampled input(s)")
    line = "same behaviour on " + ", ".join(what) + " and the state after the workload"
    if tally.unknown:
        line += f"; {tally.unknown} value(s) could not be compared (unknown, not counted as same)"
    if tally.tolerated:
        line += f"; {tally.tolerated} call(s) with transient failures not compared"
    return line


def describe(check: BehaviourCheck) -> dict[str, Any]:
    """The JSON recorded in the history and the manifests."""
    from evolver.model import to_json

    return to_json(check)
