"""False rejections of the behaviour check: sound rewrites that it must let through.

Every site a transform finds applicable is applied, one at a time, and the candidate's behaviour
is checked against the original's for real (scratch copies, the worker's trace mode):

- ``--targets``: every applicable site of the bundled samples (targets/*), on their workloads;
- ``--adversarial``: the cases of the adversarial suite (tests/adversarial) whose sites the engine
  finds applicable, each applied the way that suite applies it, the case's call and probes being
  the workload: the sound edges (``apply`` cases) must pass; the known holes (cases marked
  ``hole=behaviour(...)``: today's engine rewrites them unsoundly) show what the check catches;
- ``--stdlib N``: N applicable sites in standard-library modules that have their own tests in
  CPython's ``Lib/test/test_<module>.py``: each module is copied into a project with that test
  file, the test run is the workload (traced), and the candidate's own test run is reported too.
  Modules the worker or pytest import before the target (their copy would not be the one run)
  are skipped, and said so.

Each line is one site: the verdict, the calls and sampled inputs compared, the unknown values;
the last lines count sites, rejections (each a false rejection, unless the transform is wrong:
read the evidence) and failing test runs.

    .venv/bin/python benchmarks/sweep_behaviour.py --targets [name ...]
    .venv/bin/python benchmarks/sweep_behaviour.py --stdlib 20
    .venv/bin/python benchmarks/sweep_behaviour.py --adversarial [name-regex]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from evolver import transforms
from evolver.config import load_settings, resolve_target
from evolver.errors import EvolverError
from evolver.evaluate.behaviour import BehaviourCheck, check_behaviour
from evolver.evaluate.workers import Bench
from evolver.model import Settings, Target, source_hash
from evolver.sandbox.oracle import run_oracle
from evolver.sandbox.scratch import Scratch

REPO = Path(__file__).resolve().parent.parent
TARGETS = REPO / "targets"
STDLIB = Path(sysconfig.get_paths()["stdlib"])
# stdlib modules with tests of their own, small enough to trace their whole test run
STDLIB_MODULES = ("colorsys", "textwrap", "statistics", "fractions", "difflib", "calendar", "graphlib",
                  "html", "netrc", "plistlib", "ipaddress", "configparser", "mimetypes", "sched", "quopri",
                  "wave", "csv", "pprint", "string", "shlex", "glob", "fnmatch", "getopt", "cmd", "reprlib",
                  "secrets", "tabnanny", "zipapp", "chunk", "heapq", "bisect", "base64", "optparse", "gettext")
PYPROJECT = '[tool.evolver]\ntests = "pytest tests"\n\n[tool.pytest.ini_options]\npythonpath = ["."]\n'


def applicable(target: Target, settings: Settings, source: str) -> list[str]:
    ctx = transforms.Context.of(target, settings)
    return [s.id for s in transforms.propose(source, ctx) if s.verdict == "applicable"]


def check_sites(target: Target, settings: Settings, sites: list[str], own_tests: bool) -> Iterator[str]:
    source = target.path.read_text()
    ctx = transforms.Context.of(target, settings)
    with Scratch(target, source, settings) as parent_scratch:
        parent = Bench(parent_scratch, settings, source_hash(source))
        for site in sites:
            start = time.perf_counter()
            try:
                candidate = transforms.apply(source, site, ctx)
                with Scratch(target, candidate, settings) as scratch:
                    tests = run_oracle(scratch, settings) if own_tests else None
                    check = check_behaviour(parent, Bench(scratch, settings, source_hash(candidate)), source, candidate)
            except EvolverError as exc:
                yield f"ERROR  {site}: {exc}"
                continue
            yield line(site, check, tests.passed if tests is not None else None, time.perf_counter() - start)


def line(site: str, check: BehaviourCheck, tests: bool | None, seconds: float) -> str:
    verdict = {"same": "same", "differs": "DIFFERS", "off": "off"}[check.verdict]
    test_part = "" if tests is None else f" tests {'pass' if tests else 'FAIL'}"
    head = (f"{verdict:7s} {site}: {check.calls} calls, {check.callee_calls} callee calls, {check.samples} samples, "
            f"{check.unknown} unknown, {check.tolerated} tolerated{test_part} ({seconds:.1f} s)")
    return head + (f"\n        {check.first}" if check.first else "")


def targets(names: list[str]) -> Iterator[str]:
    for name in names or sorted(p.name for p in TARGETS.iterdir() if (p / "pyproject.toml").exists()):
        target = resolve_target(TARGETS / name / f"{name}.py")
        settings = load_settings(target, {"timeout_s": 600})
        yield from check_sites(target, settings, applicable(target, settings, target.path.read_text()), False)


def stdlib(count: int, per_module: int = 2) -> Iterator[str]:
    left = count
    for module in STDLIB_MODULES:
        tests = STDLIB / "test" / f"test_{module}.py"
        if left <= 0 or not (STDLIB / f"{module}.py").is_file() or not tests.is_file():
            continue
        with tempfile.TemporaryDirectory(prefix="sweep-behaviour-") as tmp:
            root = Path(tmp) / f"std_{module}"
            (root / "tests").mkdir(parents=True)
            shutil.copy(STDLIB / f"{module}.py", root / f"{module}.py")
            shutil.copy(tests, root / "tests" / tests.name)
            (root / "pyproject.toml").write_text(PYPROJECT)
            target = resolve_target(root / f"{module}.py")
            settings = load_settings(target, {"timeout_s": 600})
            source = target.path.read_text()
            try:
                sites = applicable(target, settings, source)
            except EvolverError as exc:
                yield f"skip   {module}: {exc}"
                continue
            if not sites:
                continue
            with Scratch(target, source, settings) as scratch:
                baseline = run_oracle(scratch, settings)
            if not baseline.passed:
                yield f"skip   {module}: its own tests fail on the unchanged copy ({baseline.reason})"
                continue
            picked = spread(sites, min(per_module, left))
            for found in check_sites(target, settings, picked, True):
                if "imported" in found and "not from" in found:
                    yield f"skip   {module}: the worker or pytest imports it first ({found.split(': ', 1)[1][:80]})"
                    break
                left -= 1
                yield found


ADVERSARIAL_WORKLOAD = """\
import victim as mod

SETUP = {setup!r}
STEPS = {steps!r}


def _step(code, ns):
    try:
        try:
            compiled = compile(code, "<step>", "eval")
        except SyntaxError:
            exec(compile(code, "<step>", "exec"), ns)
            return None
        return eval(compiled, ns)
    except Exception as exc:
        return (type(exc).__name__, str(exc))


def run():
    ns = {{name: getattr(mod, name) for name in dir(mod) if not name.startswith("_")}}
    ns["mod"] = mod
    out = [_step(SETUP, ns) if SETUP.strip() else None]
    out += [_step(step, ns) for step in STEPS]
    return out
"""


def adversarial(pattern: str | None) -> Iterator[str]:
    """The adversarial suite's cases whose selected sites are applicable; the line's prefix says
    what the suite expects of the rewrite: "sound" (an apply case) or "HOLE" (a known unsound one)."""
    if not (REPO / "tests" / "adversarial" / "cases").is_dir():
        yield "skip   the adversarial suite (tests/adversarial) is not in this checkout"
        return
    sys.path.insert(0, str(REPO))
    from tests.adversarial.cases import all_cases  # type: ignore[import-not-found]

    for case in all_cases():
        if pattern and not re.search(pattern, case.name):
            continue
        with tempfile.TemporaryDirectory(prefix="sweep-adversarial-") as tmp:
            root = Path(tmp) / "case"
            root.mkdir()
            (root / "victim.py").write_text(case.source)
            (root / "workload.py").write_text(ADVERSARIAL_WORKLOAD.format(setup=case.setup,
                                                                         steps=[case.call, *case.probes]))
            (root / "pyproject.toml").write_text('[tool.evolver]\nbench = "workload:run"\n')
            target = resolve_target(root / "victim.py")
            settings = load_settings(target, {"timeout_s": 120, "transient": list(case.transient),
                                              "idempotent": list(case.idempotent)})
            ctx = transforms.Context(module="victim", idempotent=case.idempotent, transient=case.transient)
            sites = [x for x in transforms.propose(case.source, ctx) if x.transform == case.transform]
            chosen = [x for x in sites if x.verdict == "applicable"
                      and (case.site is None or re.search(case.site, x.target.split(":", 1)[1]))]
            if not chosen:
                continue
            candidate, applied = transforms.apply_compatible(
                case.source, [x.id for x in sites if x.verdict == "applicable"], ctx)
            if not applied or candidate == case.source:
                continue
            hole = case.hole.kind if case.hole is not None else None
            kind = "HOLE" if hole == "behaviour" else "sound" if case.expect == "apply" else "unmarked"
            start = time.perf_counter()
            try:
                with Scratch(target, case.source, settings) as a, Scratch(target, candidate, settings) as b:
                    check = check_behaviour(Bench(a, settings, source_hash(case.source)),
                                            Bench(b, settings, source_hash(candidate)), case.source, candidate)
            except EvolverError as exc:
                yield f"ERROR  [{kind}] {case.name}: {exc}"
                continue
            yield f"[{kind}] " + line(case.name, check, None, time.perf_counter() - start)


def spread(sites: list[str], k: int) -> list[str]:
    """``k`` sites of as many transforms as possible."""
    by_transform: dict[str, list[str]] = {}
    for site in sites:
        by_transform.setdefault(site.split("@")[0], []).append(site)
    picked: list[str] = []
    while len(picked) < k and any(by_transform.values()):
        for group in by_transform.values():
            if group and len(picked) < k:
                picked.append(group.pop(0))
    return picked


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", nargs="*", default=None, help="bundled samples (default: all)")
    parser.add_argument("--stdlib", type=int, default=0, help="this many standard-library sites")
    parser.add_argument("--adversarial", nargs="?", const="", default=None, help="the adversarial cases (regex)")
    args = parser.parse_args(argv[1:])
    print(f"sweep_behaviour: load average {os.getloadavg()}, {os.cpu_count()} CPUs", flush=True)
    lines: list[str] = []
    sources = ([targets(args.targets)] if args.targets is not None else []) + (
        [stdlib(args.stdlib)] if args.stdlib else []) + (
        [adversarial(args.adversarial)] if args.adversarial is not None else [])
    for source in sources:
        for found in source:
            print(found, flush=True)
            lines.append(found)
    checked = [x.split("] ", 1)[-1] for x in lines if x.startswith(("same", "DIFFERS", "["))]
    print(f"sites checked {len(checked)}, behaviour differs {sum(x.startswith('DIFFERS') for x in checked)}, "
          f"tests failing {sum(' tests FAIL' in x for x in checked)}, errors {sum(x.startswith('ERROR') for x in lines)}, "
          f"skipped {sum(x.startswith('skip') for x in lines)}")
    for kind in ("sound", "HOLE", "unmarked"):
        group = [x for x in lines if x.startswith(f"[{kind}]")]
        if group:
            print(f"  adversarial {kind}: {len(group)} checked, behaviour differs "
                  f"{sum('] DIFFERS' in x for x in group)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
