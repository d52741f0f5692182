"""Where one workload call spends its time, module by module of a package (stdlib only; worker.py's
``modules`` mode).

cProfile watches one workload call. Each module file of the package (the request lists them) is
charged with
- its **own** time: the functions defined in it, callees excluded;
- its **library** time: the calls its functions make directly into code outside the project (the
  standard library, installed packages, builtins), less the time those calls spend back in the
  project's code (a ``sorted(key=...)`` or ``map`` calling a package function is charged once).
Calls from one package module into another charge the callee's module, so no time is counted
twice. A module's body (``<module>``: what runs once, at import) is not charged. The calls into the package from the rest of the project (its tests, the workload's own
module) are the **entries**: where a workload would start.
"""

from __future__ import annotations

import cProfile
import hashlib
import os
import pstats
from collections import defaultdict
from types import ModuleType
from typing import Any

Key = tuple[str, int, str]  # cProfile's (filename, first line, name)
ENTRIES = 12  # entries reported, largest first


def run(request: dict[str, Any], worker: ModuleType) -> dict[str, Any]:
    """The answer for the worker: shares by module file (paths relative to the project copy)."""
    root = os.path.realpath(request["root"])
    modules = {os.path.realpath(os.path.join(root, rel)) for rel in request["modules"]}
    with open(request["module_file"], "rb") as handle:  # the anchor module: the copy holds the expected bytes
        digest = hashlib.sha256(handle.read()).hexdigest()
    workload = worker.load_workload(request["workload"])
    profiler = cProfile.Profile()
    error = None
    profiler.enable()
    try:
        workload()
    except BaseException as exc:
        error = worker.exception_line(exc)
    finally:
        profiler.disable()
    stats: dict[Key, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    places = Places(root, modules)
    return {"hash": digest, "error": error, **charge(stats, places, worker)}


class Places:
    """Tells a code object's file apart: a module of the package, elsewhere in the project, outside."""

    def __init__(self, root: str, modules: set[str]) -> None:
        self.root, self.modules = root + os.sep, modules
        self._seen: dict[str, str] = {}

    def real(self, filename: str) -> str:
        found = self._seen.get(filename)
        if found is None:
            found = os.path.realpath(filename) if filename and not filename.startswith(("~", "<")) else ""
            self._seen[filename] = found
        return found

    def in_package(self, filename: str) -> bool:
        return self.real(filename) in self.modules

    def in_project(self, filename: str) -> bool:
        return self.real(filename).startswith(self.root)

    def relative(self, filename: str) -> str:
        return os.path.relpath(self.real(filename), self.root[:-1]).replace(os.sep, "/")


def charge(stats: dict[Key, Any], places: Places, worker: ModuleType) -> dict[str, Any]:
    own: dict[str, float] = defaultdict(float)
    library: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    entries: dict[tuple[Key, Key], float] = defaultdict(float)
    returned = _returned(stats, places)
    for key, (_, ncalls, tottime, _, callers) in stats.items():
        if key[2] == "<module>":
            continue  # a module's body runs once, at import: no rewrite of a function changes it
        if places.in_package(key[0]):
            path = places.relative(key[0])
            own[path] += tottime
            calls[path] += ncalls
            for caller, (_, _, _, cumtime) in callers.items():
                if places.in_project(caller[0]) and not places.in_package(caller[0]):
                    entries[(key, caller)] += cumtime
        elif not places.in_project(key[0]):
            for caller, (_, _, _, cumtime) in callers.items():
                if places.in_package(caller[0]) and caller[2] != "<module>":
                    library[places.relative(caller[0])] += cumtime * (1.0 - returned.get(key, 0.0))
    names: dict[str, dict[tuple[int, str], str]] = {}

    def qualname(key: Key) -> str:
        if key[0] not in names:
            try:
                names[key[0]] = worker.qualnames(places.real(key[0]))
            except Exception:
                names[key[0]] = {}
        return names[key[0]].get((key[1], key[2]), key[2])

    ranked = sorted(entries.items(), key=lambda item: -item[1])[:ENTRIES]
    total = float(sum(row[2] for row in stats.values()))
    return {
        "total_s": total,
        "modules": {path: {"own_s": own[path], "library_s": library.get(path, 0.0), "calls": calls[path]}
                    for path in own},
        "entries": [{"file": places.relative(callee[0]), "qualname": qualname(callee),
                     "caller_file": places.relative(caller[0]), "caller": qualname(caller), "cumtime_s": seconds}
                    for (callee, caller), seconds in ranked],
    }



def _returned(stats: dict[Key, Any], places: Places) -> dict[Key, float]:
    """For each function outside the project, the share of its cumulative time spent back in project
    code, directly (a callback) or through other outside functions (``Counter`` iterating a
    generator of the package)."""
    callees: dict[Key, list[tuple[Key, float]]] = defaultdict(list)
    for key, (*_, callers) in stats.items():
        for caller, (_, _, _, cumtime) in callers.items():
            if not places.in_project(caller[0]) and caller != key:
                callees[caller].append((key, cumtime))
    share: dict[Key, float] = {}

    def of(key: Key) -> float:
        if key in share:
            return share[key]
        share[key] = 0.0  # a cycle among outside functions adds nothing more
        back = sum(cumtime if places.in_project(callee[0]) else cumtime * of(callee)
                   for callee, cumtime in callees.get(key, ()))
        total = stats[key][3]
        share[key] = min(1.0, back / total) if total > 0 else 0.0
        return share[key]

    return {key: of(key) for key in stats if not places.in_project(key[0])}
