"""A tiny project with one exponential pure function, written into a temp dir for the API tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

FIB = '''\
"""A tiny project with one exponential pure function."""


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)
'''


def make_fib_project(root: Path, extra_settings: str = "") -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "fibproj"
        version = "0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.evolver]
        tests = "pytest tests"
        bench = "workload:run"
        cycles = 1
        """) + extra_settings)
    (root / "fib.py").write_text(FIB)
    (root / "workload.py").write_text("from fib import fib\n\n\ndef run():\n    return [fib(18), fib(19)]\n")
    (root / "tests" / "test_fib.py").write_text(
        "from fib import fib\n\n\ndef test_fib():\n    assert [fib(i) for i in range(8)] == [0, 1, 1, 2, 3, 5, 8, 13]\n")
    return root / "fib.py"
