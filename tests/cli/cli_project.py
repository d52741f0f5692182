"""A small real project written into a temp dir, and how the CLI tests run evolver on it."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from evolver.cli import main

FIB = '''\
"""A tiny project with one exponential pure function."""


def fib(n: int) -> int:
    # the classic: exponential without a cache
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def label(n: int) -> str:
    return f"fib({n})={fib(n)}"
'''

TESTS = '''\
from fib import fib, label


def test_fib():
    assert [fib(i) for i in range(10)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]


def test_label():
    assert label(7) == "fib(7)=13"
'''

WORKLOAD = '''\
from fib import fib


def run():
    return [fib(20), fib(21)]
'''


def make_project(root: Path, module: str = FIB, tests: str = TESTS, workload: str = WORKLOAD,
                 bench: str = "workload:run") -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent(f"""\
        [project]
        name = "fibproj"
        version = "0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.evolver]
        tests = "pytest tests"
        bench = "{bench}"
        cycles = 2
        """))
    (root / "fib.py").write_text(module)
    (root / "workload.py").write_text(workload)
    (root / "tests" / "test_fib.py").write_text(tests)
    return root / "fib.py"


def digest(root: Path) -> dict[str, str]:
    """Hash of every file under root, to prove nothing was changed."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
            and ".pytest_cache" not in p.parts}


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def error_line(err: str) -> str:
    """The one line of a refusal: the last line of stderr (progress lines may come before it)."""
    lines = err.strip().splitlines()
    assert lines and lines[-1].startswith("evolver: error: "), err
    assert sum("error:" in line for line in lines) == 1, err
    return lines[-1]


def table(out: str, first: str) -> list[dict[str, str]]:
    """The rows of the column layout whose header line starts with ``first``, cut at the header's
    column starts: a misaligned or wrapped row fails here."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first + " "))
    header = lines[start]
    names = header.split("  ")
    names = [n.strip() for n in names if n.strip()]
    offsets: list[int] = []
    for name in names:
        offsets.append(header.index(name, offsets[-1] + 1 if offsets else 0))
    rows = []
    for line in lines[start + 1:]:
        if not line.strip() or line.startswith("(") or (line.startswith(" ") and not line.startswith("    ")):
            break  # the table ends at a blank line or its footnote
        if line.startswith("    "):  # a --details line under the row above
            continue
        cells = [line[a:b].strip() for a, b in zip(offsets, [*offsets[1:], None])]
        assert all(line[o - 1] == " " for o in offsets[1:] if o <= len(line)), line
        rows.append(dict(zip(names, cells)))
    return rows
