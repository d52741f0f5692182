"""Helpers for the behaviour tests: real sandboxes, real worker runs, real test runs."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from evolver.config import load_settings, resolve_target
from evolver.evaluate.behaviour import BehaviourCheck, check_behaviour
from evolver.evaluate.workers import Bench
from evolver.model import OracleResult, Settings, Target, source_hash
from evolver.sandbox.oracle import run_oracle
from evolver.sandbox.scratch import Scratch

CASES = Path(__file__).parent / "cases"
PYPROJECT = """\
[project]
name = "case"
version = "0"

[tool.evolver]
tests = "pytest tests"
bench = "workload:run"

[tool.pytest.ini_options]
pythonpath = ["."]
"""


@dataclass(frozen=True)
class Case:
    name: str
    target: Target
    settings: Settings

    @property
    def source(self) -> str:
        return self.target.path.read_text()

    def variant(self, kind: str) -> str:
        return (CASES / self.name / f"{kind}.py").read_text()


def case(name: str, tmp_path: Path, **overrides: object) -> Case:
    root = tmp_path / name
    shutil.copytree(CASES / name / "project", root)
    target = resolve_target(root / f"{name}.py")
    return Case(name, target, load_settings(target, {"timeout_s": 120, **overrides}))


def project(tmp_path: Path, module: str, source: str, workload: str, *, tests: str | None = None,
            **overrides: object) -> tuple[Target, Settings]:
    """A small project of our own: ``module``.py, workload.py (``run``) and optional tests."""
    root = tmp_path / "proj"
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / f"{module}.py").write_text(textwrap.dedent(source))
    (root / "workload.py").write_text(textwrap.dedent(workload))
    (root / "tests" / "test_it.py").write_text(textwrap.dedent(tests or "def test_nothing():\n    pass\n"))
    target = resolve_target(root / f"{module}.py")
    return target, load_settings(target, {"timeout_s": 120, **overrides})


@contextmanager
def benches(target: Target, settings: Settings, parent: str, candidate: str) -> Iterator[tuple[Bench, Bench]]:
    with Scratch(target, parent, settings) as a, Scratch(target, candidate, settings) as b:
        yield Bench(a, settings, source_hash(parent)), Bench(b, settings, source_hash(candidate))


def behaviour(target: Target, settings: Settings, parent: str, candidate: str) -> BehaviourCheck:
    with benches(target, settings, parent, candidate) as (a, b):
        return check_behaviour(a, b, parent, candidate)


def run_tests(target: Target, settings: Settings, source: str) -> OracleResult:
    with Scratch(target, source, settings) as scratch:
        return run_oracle(scratch, settings)
