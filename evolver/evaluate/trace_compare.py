"""Compare two call traces (``sandbox/tracer.py`` answers): the differences, in the order the
candidate made them, each said in words ("noisy(1000) call 2: returned 12, parent returned 803").

A value recorded as unknown (it could not be encoded completely) is never "the same": it is
counted as unknown, and it is a difference only when its type differs.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]
FINAL = math.inf


@dataclass(frozen=True)
class Difference:
    key: tuple[str, ...]  # the same difference in another run has the same key
    order: float  # where the candidate's run got to: its call sequence number; FINAL after the workload
    where: str  # "noisy(1000) call 2", "after the workload", "sampled input noisy(-1)"
    what: str  # "returned 12, parent returned 803"

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class Tally:
    """What a comparison looked at."""

    calls: int = 0  # entry calls compared
    callee_calls: int = 0  # callee calls matched with a parent call of the same arguments
    samples: int = 0  # sampled inputs compared
    unknown: int = 0  # values that could not be compared (unencodable on one side)
    tolerated: int = 0  # calls left out because a transient failure surfaced in them (or in the parent's)
    keys: set[tuple[str, ...]] = field(default_factory=set)  # what was compared (a Difference's key)
    notes: list[str] = field(default_factory=list)


def compare(parent: Record, candidate: Record, tally: Tally | None = None) -> list[Difference]:
    """Every difference between the two traces, first made first."""
    tally = tally if tally is not None else Tally()
    found = [*_entries(parent, candidate, tally), *_callees(parent, candidate, tally),
             *_final(parent, candidate, tally), *_samples(parent, candidate, tally)]
    return sorted(found, key=lambda d: d.order)


# -- values -----------------------------------------------------------------------------------

def same_value(parent: list[Any] | None, candidate: list[Any] | None, tally: Tally) -> bool | None:
    """True / False, or None when unknown: a value record is [digest, type, preview, unknown]."""
    if parent is None or candidate is None:
        return parent is candidate
    if parent[1] != candidate[1]:
        return False
    if parent[3] or candidate[3]:
        tally.unknown += 1
        return None
    return parent[0] == candidate[0]


def _shown(value: list[Any]) -> str:
    return value[2] or f"a {value[1]}"


def _outcome(out: Record) -> str:
    if "e" in out:
        kind, message = out["e"][0], out["e"][1]
        return f"raised {kind.rpartition('.')[2]}: {message}" if message else f"raised {kind}"
    return f"returned {_shown(out['r'])}"


def _compare_outcomes(parent: Record, candidate: Record, tally: Tally) -> str | None:
    """What differs in how the call ended and what it left in its arguments; None if nothing."""
    p, c = parent.get("out", {}), candidate.get("out", {})
    if ("e" in p) != ("e" in c):
        return f"{_outcome(c)}, parent {_outcome(p)}"
    if "e" in p:
        if p["e"][0] != c["e"][0] or p["e"][2] != c["e"][2]:
            return f"{_outcome(c)}, parent {_outcome(p)}"
    elif same_value(p.get("r"), c.get("r"), tally) is False:
        return f"{_outcome(c)}, parent {_outcome(p)}"
    pp, cp = parent.get("pr"), candidate.get("pr")
    if pp != cp:
        return f"printed {_printed(cp)}, parent printed {_printed(pp)}"
    pm, cm = parent.get("mut", {}), candidate.get("mut", {})
    for key in sorted(pm.keys() | cm.keys()):
        label = _argument(key, str(candidate.get("f", "")))
        if key not in pm or key not in cm:
            changed = cm.get(key) or pm.get(key)
            if changed is not None and changed[3]:
                tally.unknown += 1
                continue
            return (f"changed {label} to {_shown(cm[key])}, parent left it unchanged" if key in cm
                    else f"left {label} unchanged, parent changed it to {_shown(pm[key])}")
        if same_value(pm[key], cm[key], tally) is False:
            return f"left {label} as {_shown(cm[key])}, parent as {_shown(pm[key])}"
    return None


def _printed(record: list[Any] | None) -> str:
    return "nothing" if record is None else f"{record[1]} ({record[2]} characters)"


def _argument(key: str, function: str) -> str:
    if not key.isdigit():
        return f"argument {key}"
    if key == "0" and "." in function:
        return "self"
    return f"argument {int(key) + (0 if '.' in function else 1)}"


# -- entry calls ----------------------------------------------------------------------------------

def _entries(parent: Record, candidate: Record, tally: Tally) -> Iterator[Difference]:
    p_state, c_state = _States(parent), _States(candidate)
    p_calls = {(r["f"], r["i"]): r for r in parent["calls"]}
    for record in candidate["calls"]:
        c_state.advance(record)
        other = p_calls.get((record["f"], record["i"]))
        if other is None:
            continue
        p_state.advance_to(other)
        where = f"{record['f']}({record.get('args', ['', '', '?'])[2]}) call {record['i'] + 1}"
        if "broken" in record or "broken" in other:
            tally.notes.append(f"{where}: not compared (recording failed)")
            continue
        if other.get("tr") or record.get("tr"):
            tally.tolerated += 1  # a transient failure surfaced: a sturdier rewrite may change this call
            continue
        tally.calls += 1
        tally.keys.add(("call", record["f"], str(record["i"])))
        what = _called_with(other, record) or _compare_outcomes(other, record, tally) or _yields(other, record, tally)
        if what is None and other.get("g") != record.get("g"):
            what = _state_difference(p_state, c_state)
        if what is not None:
            yield Difference(("call", record["f"], str(record["i"])), record["s"], where, what)
    if not (parent.get("complete", True) and candidate.get("complete", True)):
        tally.notes.append("call counts not compared: a run's trace stopped early (its time share was used)")
        return
    for name, info in parent["functions"].items():
        mine = candidate["functions"].get(name)
        if info["role"] == "changed" and mine is not None:
            tally.keys.add(("count", name))
        if info["role"] == "changed" and mine is not None and mine["calls"] != info["calls"]:
            last = max((r["s"] for r in candidate["calls"] if r["f"] == name), default=0)
            yield Difference(("count", name), last + 0.5, name,
                             f"called {mine['calls']} times, parent {info['calls']} times")


def _called_with(parent: Record, candidate: Record) -> str | None:
    """The unchanged callers passed other arguments: something before this call differed."""
    p, c = parent["args"], candidate["args"]
    if p[0] == c[0] or p[3] or c[3]:
        return None
    return f"was called with ({c[2]}), parent's with ({p[2]})"


def _yields(parent: Record, candidate: Record, tally: Tally) -> str | None:
    p, c = parent.get("y"), candidate.get("y")
    if p is None or c is None:
        return None
    if p["items"] != c["items"]:
        index = next((i for i, (a, b) in enumerate(zip(p["items"], c["items"])) if a != b),
                     min(len(p["items"]), len(c["items"])))
        return f"yielded another value as item {index + 1}"
    if p["count"] != c["count"]:
        return f"yielded {c['count']} items, parent {p['count']}"
    if isinstance(p["end"], dict) and isinstance(c["end"], dict):
        return _compare_outcomes({"out": p["end"]}, {"out": c["end"]}, tally)
    return None if p["end"] == c["end"] else f"its generator ended {c['end']}, parent's {p['end']}"


class _States:
    """The module's globals as of each recorded entry call, replayed from the changes it lists."""

    def __init__(self, trace: Record) -> None:
        self.values: dict[str, list[Any]] = {k: list(v) for k, v in trace["start"]["globals"].items()}
        self.calls = sorted(trace["calls"], key=lambda r: r["s"])
        self.done = 0

    def advance(self, record: Record) -> None:
        self.values.update(record.get("gd", {}))

    def advance_to(self, record: Record) -> None:
        while self.done < len(self.calls) and self.calls[self.done]["s"] <= record["s"]:
            self.advance(self.calls[self.done])
            self.done += 1


def _state_difference(parent: _States, candidate: _States) -> str:
    for name in sorted(parent.values.keys() | candidate.values.keys()):
        p, c = parent.values.get(name), candidate.values.get(name)
        if p is None or c is None or p[0] == c[0] or p[3] or c[3]:
            continue
        if p[1] == "rng":
            return "left the random generator in another state than the parent did"
        return f"left global {name} as {_shown(c)}, parent as {_shown(p)}"
    return "left the module's globals different from the parent's"


# -- callee calls ---------------------------------------------------------------------------------

def _signature(record: Record) -> tuple[Any, ...]:
    out = record.get("out", {})
    result = tuple(out["e"][::2]) if "e" in out else ("r", *out.get("r", [])[:2])
    return result, tuple(sorted((k, v[0]) for k, v in record.get("mut", {}).items()))


def _callees(parent: Record, candidate: Record, tally: Tally) -> Iterator[Difference]:
    """A callee call whose arguments the parent's callee calls had too must end as one of them did."""
    seen: dict[tuple[str, str], list[Record]] = {}
    for record in parent["nested"]:
        if "broken" not in record:
            seen.setdefault((record["f"], record["args"][0]), []).append(record)
    for record in candidate["nested"]:
        if "broken" in record or record["args"][3]:
            continue
        others = seen.get((record["f"], record["args"][0]))
        if not others:
            continue
        if any(_unknown(o) for o in [*others, record]):
            tally.unknown += 1
            continue
        if all(o.get("tr") for o in others) and not record.get("tr"):
            tally.tolerated += 1  # the parent's call failed transiently; the rewrite's recovered (a retry)
            continue
        tally.callee_calls += 1
        tally.keys.add(("callee", record["f"], record["args"][0]))
        if _signature(record) not in {_signature(o) for o in others}:
            what = _compare_outcomes(others[0], record, Tally()) or "ended otherwise than every parent call"
            yield Difference(("callee", record["f"], record["args"][0]), record["s"],
                             f"{record['f']}({record['args'][2]}), called by the rewritten code", what)


def _unknown(record: Record) -> bool:
    out = record.get("out", {})
    return bool(out.get("r", [0, 0, 0, 0])[3] or any(v[3] for v in record.get("mut", {}).values()))


# -- after the workload ---------------------------------------------------------------------------

def _final(parent: Record, candidate: Record, tally: Tally) -> Iterator[Difference]:
    p, c = parent["final"], candidate["final"]
    where = "after the workload"
    tally.keys |= {("final", "error"), ("final", "output"), ("final", "printed")}
    tally.keys |= {("final", "global", n) for n in p["globals"].keys() | c["globals"].keys()}
    tally.keys |= {("final", "file", n) for n in p["files"].keys() | c["files"].keys()}
    if (p["error"] is None) != (c["error"] is None) or (p["error"] and p["error"][:1] != c["error"][:1]):
        yield Difference(("final", "error"), FINAL, where,
                         f"the workload {_ended(c)}, parent's {_ended(p)}")
    elif p["output"] is not None and same_value(p["output"], c["output"], tally) is False:
        yield Difference(("final", "output"), FINAL, where,
                         f"the workload returned {_shown(c['output'])}, parent's {_shown(p['output'])}")
    if p.get("printed") and c.get("printed") and p["printed"][0] != c["printed"][0]:
        yield Difference(("final", "printed"), FINAL, where,
                         f"the workload printed {_printed(c['printed'])}, parent's {_printed(p['printed'])}")
    for name in sorted(p["globals"].keys() & c["globals"].keys()):
        if same_value(p["globals"][name], c["globals"][name], tally) is False:
            what = ("the random generator is in another state than the parent's" if p["globals"][name][1] == "rng"
                    else f"global {name} is {_shown(c['globals'][name])}, parent's {_shown(p['globals'][name])}")
            yield Difference(("final", "global", name), FINAL, where, what)
    for name in sorted(p["globals"].keys() ^ c["globals"].keys()):
        side = "candidate" if name in c["globals"] else "parent"
        yield Difference(("final", "global", name), FINAL, where, f"global {name} exists only in the {side}'s run")
    for path in sorted(p["files"].keys() | c["files"].keys()):
        a, b = p["files"].get(path), c["files"].get(path)
        if a == b:
            continue
        if a is not None and b is not None and (a.startswith("?") or b.startswith("?")):
            tally.unknown += 1
            continue
        what = (f"wrote {path}, parent did not" if a is None else f"did not write {path}, parent did" if b is None
                else f"wrote other contents to {path}" if b != "deleted" else f"deleted {path}")
        yield Difference(("final", "file", path), FINAL, where, what)


def _ended(final: Record) -> str:
    return f"raised {final['error'][0]}: {final['error'][1]}" if final["error"] else "returned"


# -- sampled inputs -------------------------------------------------------------------------------

def _samples(parent: Record, candidate: Record, tally: Tally) -> Iterator[Difference]:
    for name, block in sorted(parent.get("samples", {}).items()):
        mine = candidate.get("samples", {}).get(name, {})
        if "skipped" in block:
            tally.notes.append(f"{name}: no sampled inputs ({block['skipped']})")
            continue
        if "stopped" in block:
            tally.notes.append(f"{name}: sampled inputs stopped early ({block['stopped']})")
        for index, (p, c) in enumerate(zip(block["outcomes"], mine.get("outcomes", []))):
            if "stopped" in c:
                tally.notes.append(f"{name}: the candidate's sampled inputs stopped ({c['stopped']})")
                break
            if p.get("tr") or c.get("tr"):
                tally.tolerated += 1
                continue
            if "e" in p.get("out", {}) and "e" in c.get("out", {}):
                tally.unknown += 1  # both refuse an input the workload never gave: its exception is no contract
                continue
            tally.samples += 1
            tally.keys.add(("sample", name, str(index)))
            what = _compare_outcomes(p, {**c, "f": name}, tally)
            if what is None and p.get("g") != c.get("g"):
                what = "left the module's globals different from the parent's"
            if what is not None:
                yield Difference(("sample", name, str(index)), FINAL + index, f"sampled input {name}({p['a']})", what)
