from __future__ import annotations

from pathlib import Path

import pytest

from evolver.model import OracleResult, Settings, Target
from evolver.sandbox.oracle import pytest_args, run_oracle
from evolver.sandbox.scratch import Scratch

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sandbox_proj"
CALC = FIXTURE / "calc.py"
SOURCE = CALC.read_text()
TARGET = Target(path=CALC, root=FIXTURE, import_root=FIXTURE, module="calc")


def oracle(source: str, tests: str | None, target: Target = TARGET) -> OracleResult:
    settings = Settings(tests=tests, timeout_s=60)
    with Scratch(target, source, settings) as scratch:
        return run_oracle(scratch, settings)


def test_discovered_pytest_counts_the_tests() -> None:
    result = oracle(SOURCE, None)
    assert result.passed, result.reason
    assert (result.tests_run, result.failed, result.reason) == (3, 0, "")


def test_pytest_counts_failures_and_names_them() -> None:
    broken = SOURCE.replace("return total", "return total + 1")
    result = oracle(broken, None)
    assert not result.passed
    assert (result.tests_run, result.failed) == (3, 1)
    assert result.reason.startswith("1 of 3 tests failed: ")
    assert "test_hot" in result.reason and "\n" not in result.reason


def test_pytest_arguments_are_passed_through() -> None:
    result = oracle(SOURCE, "pytest checks -k 'hot or cold'")
    assert result.passed and result.tests_run == 2


def test_no_tests_collected_is_a_failure() -> None:
    result = oracle(SOURCE, "pytest -k no_such_test_anywhere")
    assert not result.passed
    assert result.reason == "no tests collected"


def test_an_import_error_in_the_candidate_fails_the_tests() -> None:
    result = oracle(SOURCE + "\nraise ImportError('candidate is broken')\n", "pytest")
    assert not result.passed
    assert result.failed >= 1


def test_doctest_counts_examples() -> None:
    result = oracle(SOURCE, "doctest")
    assert result.passed and (result.tests_run, result.failed) == (2, 0)


def test_doctest_notices_dropped_and_failing_examples() -> None:
    fewer = oracle(SOURCE.replace("    >>> hot(0)\n    0\n", ""), "doctest")
    assert fewer.passed and fewer.tests_run == 1
    wrong = oracle(SOURCE.replace("    19\n", "    20\n"), "doctest")
    assert not wrong.passed and (wrong.tests_run, wrong.failed) == (2, 1)
    assert wrong.reason == "1 of 2 doctest examples failed"
    none = oracle('"""No examples."""\nN = 1\n', "doctest")
    assert not none.passed and none.reason == "no doctest examples found"


def test_a_shell_command_decides_by_exit_code() -> None:
    ok = oracle(SOURCE, "test -f calc.py && python -c 'import calc; assert calc.hot(10) == 19'")
    assert ok.passed and ok.tests_run == -1
    bad = oracle(SOURCE, "echo about to fail; exit 3")
    assert not bad.passed and bad.tests_run == -1
    assert bad.reason == "`echo about to fail; exit 3` exited with 3: about to fail"


def test_a_hanging_test_times_out() -> None:
    settings = Settings(tests="sleep 30", timeout_s=1)
    with Scratch(TARGET, SOURCE, settings) as scratch:
        result = run_oracle(scratch, settings)
    assert not result.passed and "timed out" in result.reason


def test_tests_that_import_another_copy_of_the_module_fail(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    elsewhere = root / "elsewhere"  # inside the project: the sandbox's private /tmp hides the rest of tmp_path
    elsewhere.mkdir(parents=True)
    (elsewhere / "mod.py").write_text("def f():\n    return 1\n")
    (root / "tests").mkdir(parents=True)
    (root / "mod.py").write_text("def f():\n    return 1\n")
    (root / "tests" / "conftest.py").write_text(
        "import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'elsewhere'))\n")
    (root / "tests" / "test_mod.py").write_text("import mod\n\ndef test_f():\n    assert mod.f() == 1\n")
    target = Target(path=root / "mod.py", root=root, import_root=root, module="mod")
    result = oracle("def f():\n    return 1\n", None, target)
    assert not result.passed
    assert "not from the candidate's copy" in result.reason


@pytest.mark.parametrize(("command", "args"), [
    ("pytest", []),
    ("pytest tests -x -k 'a or b'", ["tests", "-x", "-k", "a or b"]),
    ("python -m pytest -q", ["-q"]),
    ("python3.11 -m pytest", []),
    ("doctest", None),
    ("make test", None),
])
def test_pytest_args(command: str, args: list[str] | None) -> None:
    assert pytest_args(command) == args
