"""The generic differential runner: what evolver says about a case, and what its rewrite does.

``check(case, workdir)`` proposes the case's module twice (the second time as a fresh parse, so a
verdict that depends on evolver's own process state shows up), selects the sites of the case's
transform, and then:

* ``refuse``: every selected site must be refused, each with a reason matching ``case.reason``
  and none matching ``case.not_reason``;
* ``apply``: every selected site must be applicable;
* whenever a selected site is applicable (a sound ``apply``, or a ``refuse`` the tool got wrong),
  every applicable site of the transform is applied and the original and the rewritten module
  each run in a fresh interpreter (``driver.py``); their observations must be identical.

Each way of failing raises its own ``CaseFailure`` subclass, so a known hole can be marked as an
expected failure of exactly that kind.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evolver import transforms
from evolver.model import Site
from evolver.transforms import Context

from .case import Case

MODULE = "victim"
DRIVER = Path(__file__).with_name("driver.py")
TIMEOUT_S = 30.0
SHOWN = 400  # characters of one observed field shown in a failure


class CaseFailure(AssertionError):
    """The engine did not do what the case expects."""


class MissingSite(CaseFailure):
    """The transform found no site where the case aims."""


class WrongReason(CaseFailure):
    """Refused, but no reason names the true one, or a reason is false."""


class Refused(CaseFailure):
    """A sound rewrite was refused."""


class BehaviourDifference(CaseFailure):
    """The rewritten module behaved differently from the original."""


class AcceptedUnseen(CaseFailure):
    """A must-refuse site was declared applicable, but the probes saw no difference."""


class Unstable(CaseFailure):
    """Two proposals of the same module disagree."""


class Incomparable(CaseFailure):
    """The observations cannot be compared (an unencodable value, both sides timed out)."""


FAILURES: dict[str, type[CaseFailure]] = {"behaviour": BehaviourDifference, "reason": WrongReason,
                                          "refused": Refused}


def context(case: Case) -> Context:
    return Context(module=MODULE, idempotent=case.idempotent, transient=case.transient)


def check(case: Case, workdir: Path) -> None:
    try:
        _check(case, workdir)
    finally:
        re.purge()  # what evolver compiled here must not decide another test's verdict in this process


def _check(case: Case, workdir: Path) -> None:
    ctx = context(case)
    first, second = proposal(case.source, ctx, case.transform), proposal(case.source + "\n", ctx, case.transform)
    chosen = _selected(case, first), _selected(case, second)
    if not chosen[0]:
        raise MissingSite(f"{case.name}: no {case.transform} site{_matching(case)}; its sites: {_show(first)}")
    accepted = next((sites for sites, picked in zip((first, second), chosen)
                     if any(s.verdict == "applicable" for s in picked)), None)
    unstable = _disagreement(chosen[0], chosen[1])
    if accepted is not None and (case.expect == "refuse" or unstable):
        _differential(case, ctx, accepted, workdir, unstable)
    if unstable:
        raise Unstable(f"{case.name}: two proposals disagree: {unstable}")
    if case.expect == "refuse":
        _check_reasons(case, chosen[0])
        return
    refused = [s for s in chosen[0] if s.verdict != "applicable"]
    if refused:
        raise Refused(f"{case.name}: a sound rewrite was refused: {_show(refused)}")
    _differential(case, ctx, first, workdir, "")


def proposal(source: str, ctx: Context, transform: str) -> list[Site]:
    return [s for s in transforms.propose(source, ctx) if s.transform == transform]


def _selected(case: Case, sites: list[Site]) -> list[Site]:
    return [s for s in sites if case.site is None or re.search(case.site, _where(s))]


def _where(site: Site) -> str:
    """The site's place in the module: ``func#k`` of ``transform@module:func#k``."""
    return site.id.split(":", 1)[-1]


def _matching(case: Case) -> str:
    return f" matching {case.site!r}" if case.site is not None else ""


def _show(sites: Sequence[Site]) -> str:
    return "; ".join(f"{_where(s)} {s.verdict} {list(s.reasons)}" for s in sites) or "none"


def _disagreement(first: list[Site], second: list[Site]) -> str:
    one = {s.id: (s.verdict, s.reasons) for s in first}
    two = {s.id: (s.verdict, s.reasons) for s in second}
    if one == two:
        return ""
    return f"first {_show(first)} | then {_show(second)}"


def _check_reasons(case: Case, chosen: list[Site]) -> None:
    assert case.reason is not None
    for site in chosen:
        if not any(re.search(case.reason, r) for r in site.reasons):
            raise WrongReason(f"{case.name}: refused without the true reason /{case.reason}/: {_show([site])}")
        false = [r for r in site.reasons if case.not_reason is not None and re.search(case.not_reason, r)]
        if false:
            raise WrongReason(f"{case.name}: a false reason /{case.not_reason}/ is given: {false}")


# --- running both sides ----------------------------------------------------------------------------


def _differential(case: Case, ctx: Context, sites: list[Site], workdir: Path, unstable: str) -> None:
    ids = [s.id for s in sites if s.verdict == "applicable"]
    rewritten, applied = transforms.apply_compatible(case.source, ids, ctx)
    if not applied or rewritten == case.source:
        raise CaseFailure(f"{case.name}: {ids} are applicable but none could be applied")
    original, changed = run_sides(case, {"original": case.source, "rewritten": rewritten}, workdir)
    differences = compare(original, changed)
    verdict = (f"{case.name}: {', '.join(applied)} declared applicable"
               + (f" (the verdict depends on evolver's process state: {unstable})" if unstable else ""))
    if differences:
        raise BehaviourDifference(f"{verdict}, and the rewrite behaves differently:\n" + "\n".join(differences)
                                  + "\n--- the rewrite ---\n" + _diff(case.source, rewritten))
    unknown = _unknown(original)
    if unknown:
        raise Incomparable(f"{case.name}: the observations hold values that cannot be compared: {unknown}")
    if case.expect == "refuse":
        raise AcceptedUnseen(f"{verdict}, although the case must be refused ({case.attack}); the probes saw no "
                             "difference\n--- the rewrite ---\n" + _diff(case.source, rewritten))


def run_sides(case: Case, sources: dict[str, str], workdir: Path) -> tuple[list[Any], ...]:
    """Both modules at once, each in its own fresh interpreter."""
    running = {}
    for side, source in sources.items():
        folder = workdir / side
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{MODULE}.py").write_text(source)
        spec = {"dir": str(folder), "module": MODULE, "setup": case.setup, "steps": [case.call, *case.probes]}
        (folder / "spec.json").write_text(json.dumps(spec))
        command = [sys.executable, "-S", "-B", str(DRIVER), str(folder / "spec.json"), str(folder / "result.json")]
        running[side] = subprocess.Popen(command, cwd=folder, env=_environment(), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return tuple(_result(process, workdir / side) for side, process in running.items())


def _environment() -> dict[str, str]:
    """The same hash seed on both sides (set order is observable), nothing else inherited."""
    return {"PATH": os.environ.get("PATH", ""), "PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"}


def _result(process: subprocess.Popen[str], folder: Path) -> list[Any]:
    try:
        _, stderr = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return [{"step": "<timed out>"}]
    try:
        observed: list[Any] = json.loads((folder / "result.json").read_text())
    except (OSError, ValueError):  # no result, or one cut short: the interpreter died
        return [{"step": "<crashed>", "returncode": process.returncode, "stderr": stderr[-SHOWN:]}]
    return observed


def compare(original: list[Any], rewritten: list[Any]) -> list[str]:
    """One line per field that differs, both sides shown."""
    if original == rewritten:
        return ([] if original[-1]["step"] != "<timed out>"
                else ["both sides timed out (the case cannot be compared)"])
    lines = []
    for k in range(max(len(original), len(rewritten))):
        one = original[k] if k < len(original) else {"step": "<missing>"}
        two = rewritten[k] if k < len(rewritten) else {"step": "<missing>"}
        for key in sorted(set(one) | set(two)):
            if one.get(key) != two.get(key):
                lines.append(f"  step {one.get('step')!r} {key}:\n    original:  {_short(one.get(key))}\n"
                             f"    rewritten: {_short(two.get(key))}")
    return lines


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[:SHOWN] + "..."


def _unknown(observed: list[Any]) -> list[str]:
    found: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, list) and value[:1] == ["<unknown>"]:
            found.append(str(value[1]))
        elif isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    visit(observed)
    return found


def _diff(before: str, after: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), "original", "rewritten"))
