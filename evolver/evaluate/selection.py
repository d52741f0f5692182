"""Which tests reach which function of the target: a coverage run of the parent's tests, once per
evolve run, with one coverage context per test. A candidate's tests are then only those that ran
a line of the function it rewrites; when coverage cannot say (no pytest, no map, a function no test
reaches, a test command with options) it runs them all. Whatever runs on candidates, the version
that becomes a generation runs the whole suite.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evolver.sandbox.oracle import pytest_args
from evolver.sandbox.scratch import Scratch

_PLUGIN = "_evolver_coverage_contexts"
_PLUGIN_SOURCE = """\
import coverage


def _switch(name):
    cov = coverage.Coverage.current()
    if cov is not None:
        cov.switch_context(name)


def pytest_runtest_setup(item):
    _switch(item.nodeid)


def pytest_sessionfinish(session, exitstatus):
    _switch("")
"""


@dataclass(frozen=True)
class TestMap:
    """Function qualname ("mod:Class.method") -> node ids of the tests that ran a line of its body."""

    by_function: dict[str, frozenset[str]] = field(default_factory=dict)
    tests: frozenset[str] = frozenset()

    def tests_for(self, functions: Sequence[str]) -> tuple[str, ...] | None:
        """The tests reaching any of ``functions``, in a stable order; None: run them all."""
        found: set[str] = set()
        for name in functions:
            reached = self.by_function.get(name)
            if not reached:
                return None
            found |= reached
        return tuple(sorted(found)) if found else None


def selectable(tests: str | None) -> list[str] | None:
    """The paths of a "pytest <paths>" test command (None for anything else, options included)."""
    args = [] if tests is None else pytest_args(tests)
    if args is None or any(a.startswith("-") for a in args):
        return None
    return args


def map_tests(scratch: Scratch, tests: str | None, timeout_s: float) -> TestMap | None:
    """Run the tests under coverage in ``scratch`` (the parent); None when it cannot tell."""
    paths = selectable(tests)
    if paths is None:
        return None
    with scratch.io_dir() as tmp:
        data = Path(tmp, "coverage.db")
        Path(tmp, f"{_PLUGIN}.py").write_text(_PLUGIN_SOURCE, encoding="utf-8")
        argv = [sys.executable, "-m", "coverage", "run", f"--data-file={data}", f"--include={scratch.module_path}",
                "-m", "pytest", *paths, "-q", "-p", "no:cacheprovider", "-p", _PLUGIN]
        env = {"HOME": str(scratch.dir), "PYTHONPATH": f"{scratch.import_root}:{tmp}"}
        run = scratch.run(argv, scratch.dir, env=env, timeout_s=timeout_s)
        if not run.ok or not data.exists():
            return None
        return _read(data, scratch.module_path, scratch.target.module)


def _read(data_file: Path, module_file: Path, module: str) -> TestMap | None:
    from coverage import CoverageData

    data = CoverageData(basename=str(data_file))
    data.read()
    measured = [f for f in data.measured_files() if Path(f).resolve() == module_file.resolve()]
    if not measured:
        return None
    lines = data.contexts_by_lineno(measured[0])
    spans = function_spans(module_file.read_text(encoding="utf-8"), module)
    by_function: dict[str, frozenset[str]] = {}
    for name, (first, last) in spans.items():
        reached = {c for n in range(first, last + 1) for c in lines.get(n, ()) if c}
        by_function[name] = frozenset(reached)
    every = frozenset(c for contexts in lines.values() for c in contexts if c)
    return TestMap(by_function, every)


def function_spans(source: str, module: str) -> dict[str, tuple[int, int]]:
    """"mod:outer.inner" -> (first, last) line of each function's body (not its def line, which
    runs at import)."""
    found: dict[str, tuple[int, int]] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    found[f"{module}:{name}"] = (child.body[0].lineno, child.end_lineno or child.body[-1].lineno)
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found
