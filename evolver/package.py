"""A package or folder as the target: one profiled workload run (or test run) charges its time to the
package's modules (``sandbox/package_profile.py``), the modules are ranked by their share, and the hot
ones are evolved one after the other, one lineage per module, under one time budget.

A module is *hot* when its share of the workload's time reaches the minimum effect: a module that
takes less cannot make the workload that much faster, whatever is rewritten in it. At most
``Settings.modules`` of them are evolved, the largest share first. Each module's run is an ordinary
``evolve`` (its own session, generations and verdicts, timed on the whole workload with the other
modules as they are on disk); the summary lists each module's result, never a combined figure that
was not measured.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evolver.config import read_source
from evolver.errors import CheckFailed, EvolverError
from evolver.evolve import EvolveResult, Notify, evolve
from evolver.history import History
from evolver.model import Package, Settings, Target, source_hash

if TYPE_CHECKING:
    from evolver.analyze import Analysis


@dataclass(frozen=True)
class ModuleShare:
    """One module's part of the profiled workload call."""

    target: Target
    own_s: float  # its functions' own time
    library_s: float  # the calls they make into code outside the project
    calls: int
    share: float  # (own + library) / the call's total

    @property
    def seconds(self) -> float:
        return self.own_s + self.library_s


@dataclass(frozen=True)
class Entry:
    """A package function called from the rest of the project (a test, the workload's module)."""

    function: str  # module:qualname
    caller: str  # file::function
    seconds: float  # spent in it (callees included) from that caller


@dataclass(frozen=True)
class PackageProfile:
    workload: str  # "module:function", or "the test run"
    total_s: float
    modules: tuple[ModuleShare, ...]  # every module of the package, the largest share first
    entries: tuple[Entry, ...]

    @property
    def package_s(self) -> float:
        """The time charged to the package's modules."""
        return sum(m.seconds for m in self.modules)


@dataclass
class ModuleRun:
    share: ModuleShare
    result: EvolveResult | None = None
    error: str = ""  # why this module's run ended without a result


@dataclass
class PackageResult:
    package: Package
    profile: PackageProfile
    runs: list[ModuleRun] = field(default_factory=list)  # the hot modules, in the order evolved
    not_evolved: list[tuple[ModuleShare, str]] = field(default_factory=list)  # and why
    excluded: list[tuple[str, str]] = field(default_factory=list)  # files of the folder left out, and why
    stop_reason: str = ""


def modules_of(package: Package, settings: Settings) -> tuple[list[Target], list[tuple[str, str]]]:
    """The package's modules evolver works on, and the files left out with the reason: the workload's
    own module (rewriting it would change what is measured) besides ``package.skipped``."""
    bench_module = settings.bench.partition(":")[0] if settings.bench else None
    kept, left = [], list(package.skipped)
    for target in package.modules:
        if target.module == bench_module:
            left.append((target.relpath.as_posix(), "the workload's own module (--bench): rewriting it would "
                                                    "change what is measured"))
        else:
            kept.append(target)
    return kept, left


def profile_package(package: Package, modules: list[Target], settings: Settings) -> PackageProfile:
    """One profiled workload call in a sandboxed copy of the project: the time charged to each module."""
    from evolver.evaluate.workers import Bench, run_worker
    from evolver.sandbox.scratch import Scratch

    if not modules:
        raise EvolverError(f"{package.folder}: no module to profile")
    anchor = modules[0]
    source = read_source(anchor.path)
    with Scratch(anchor, source, settings) as scratch:
        answer = run_worker(Bench(scratch, settings, source_hash(source)), "modules", failure=EvolverError,
                            calls=3, root=str(scratch.dir),
                            modules=[m.relpath.as_posix() for m in modules])
    if answer.get("error"):
        raise EvolverError(f"the workload raises on the unchanged code: {answer['error']}")
    total = float(answer["total_s"]) or 1e-12
    found = answer["modules"]
    shares = []
    for target in modules:
        row = found.get(target.relpath.as_posix(), {})
        own, library = float(row.get("own_s", 0.0)), float(row.get("library_s", 0.0))
        shares.append(ModuleShare(target, own, library, int(row.get("calls", 0)), min(1.0, (own + library) / total)))
    shares.sort(key=lambda m: (-m.share, m.target.module))
    by_path = {m.relpath.as_posix(): m for m in modules}
    entries = tuple(Entry(f"{by_path[e['file']].module}:{e['qualname']}", f"{e['caller_file']}::{e['caller']}",
                          float(e["cumtime_s"]))
                    for e in answer["entries"] if e["file"] in by_path)
    return PackageProfile(settings.bench or "the test run", total, tuple(shares), entries)


def hot(profile: PackageProfile, settings: Settings) -> tuple[list[ModuleShare], list[tuple[ModuleShare, str]]]:
    """The modules worth evolving, largest share first, and the others with the reason."""
    chosen: list[ModuleShare] = []
    others: list[tuple[ModuleShare, str]] = []
    for m in profile.modules:
        if m.share < settings.min_effect:
            why = ("the workload never runs its code" if m.calls == 0 else
                   f"{m.share:.1%} of the workload: below the {settings.min_effect:.0%} minimum effect")
            others.append((m, why))
        elif len(chosen) >= settings.modules:
            others.append((m, f"{m.share:.1%} of the workload, but only the {settings.modules} largest are "
                              "evolved (--modules)"))
        else:
            chosen.append(m)
    return chosen, others


def evolve_package(package: Package, settings: Settings, workspace: Path, history: History,
                   notify: Notify | None = None) -> PackageResult:
    """Profile, rank, and evolve the hot modules one after the other, within ``settings.budget_s``."""
    say: Notify = notify or (lambda event, **data: None)
    started = time.monotonic()
    modules, excluded = modules_of(package, settings)
    say("stage", text=f"profiling {settings.bench or 'the test run'} over {len(modules)} modules")
    profile = profile_package(package, modules, settings)
    chosen, others = hot(profile, settings)
    result = PackageResult(package, profile, not_evolved=others, excluded=excluded)
    say("package", modules=[{"module": m.target.module, "share": m.share} for m in chosen], total=len(modules))
    for position, share in enumerate(chosen, start=1):
        left = None if settings.budget_s is None else settings.budget_s - (time.monotonic() - started)
        if left is not None and left <= 0:
            result.not_evolved += [(m, "the time budget was used up") for m in chosen[position - 1:]]
            result.stop_reason = f"time budget used up ({settings.budget_s:g} s)"
            break
        say("module", module=share.target.module, position=position, total=len(chosen), share=share.share)
        run = ModuleRun(share)
        result.runs.append(run)
        try:
            run.result = evolve(share.target, dataclasses.replace(settings, budget_s=left), workspace, history, say)
        except CheckFailed:
            raise  # the project's own tests or workload fail: no module can be evolved
        except EvolverError as exc:
            run.error = str(exc)
    else:
        result.stop_reason = (f"{len(chosen)} hot module{'s' * (len(chosen) != 1)} evolved" if chosen else
                              f"no module takes {settings.min_effect:.0%} of the workload")
    return result


@dataclass
class PackageAnalysis:
    package: Package
    profile: PackageProfile
    analyses: list[Analysis] = field(default_factory=list)  # the hot modules
    not_analyzed: list[tuple[ModuleShare, str]] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)


def analyze_package(package: Package, settings: Settings, history: History) -> PackageAnalysis:
    """The profile's ranking, and ``evolver analyze`` of each hot module (its own profiled run)."""
    from evolver.analyze import analyze

    modules, excluded = modules_of(package, settings)
    profile = profile_package(package, modules, settings)
    chosen, others = hot(profile, settings)
    found = PackageAnalysis(package, profile, not_analyzed=others, excluded=excluded)
    for share in chosen:
        found.analyses.append(analyze(share.target, settings, history))
    return found


def proposed_workload(profile: PackageProfile, package: Package, limit: int = 3) -> list[str]:
    """Without ``--bench``: lines of a workload module built from the package functions the tests
    spend the most time in (a call for each, its arguments left to the user), then the command."""
    entries: list[Entry] = []
    for entry in profile.entries:
        if entry.function not in {e.function for e in entries} and "<" not in entry.function:
            entries.append(entry)
    if not entries:
        return []
    imports = sorted({e.function.partition(":")[0] for e in entries[:limit]})
    where = package.modules[0].import_root.relative_to(package.root) / "bench.py"
    lines = [f"# {where.as_posix()}", *(f"import {name}" for name in imports), "", "", "def run():"]
    in_package = profile.package_s or 1e-12
    for e in entries[:limit]:
        module, _, qualname = e.function.partition(":")
        lines.append(f"    {module}.{qualname}(...)  # as {e.caller} calls it "
                     f"({min(1.0, e.seconds / in_package):.0%} of the tests' time in the package)")
    folder = package.folder.relative_to(package.root).as_posix()
    return [*lines, "", f"# then: evolver evolve {folder} --bench bench:run"]
