"""Which functions a candidate rewrites, from the two sources alone."""

from __future__ import annotations

import textwrap

import pytest

from evolver.errors import EvolverError
from evolver.evaluate.rewritten import rewritten

PARENT = textwrap.dedent('''\
    import re

    TOTAL = 0

    def helper(x):
        return x + 1

    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    def walk(xs):
        global TOTAL
        for x in xs:
            TOTAL += helper(x)
        return Box(TOTAL).size()

    class Box:
        def __init__(self, size):
            self.n = size

        def size(self):
            return self.n

        def other(self):
            return 0
''')


def test_nothing_changed() -> None:
    found = rewritten(PARENT, PARENT)
    assert found.changed == () and found.callees == () and found.exclude_globals == ()


def test_a_decorator_is_a_change_and_comments_are_not() -> None:
    memoized = PARENT.replace("def fib", "@functools.lru_cache(maxsize=None, typed=True)\ndef fib") \
        .replace("import re", "import functools\nimport re").replace("return x + 1", "return x + 1  # one more")
    found = rewritten(PARENT, memoized)
    assert found.changed == ("fib",)
    assert found.callees == ()  # it calls only itself
    assert found.exclude_globals == ("functools",)  # imported by the candidate only


def test_rebinding_a_function_at_module_level_is_a_change() -> None:
    found = rewritten(PARENT, PARENT + "\nfib = functools.lru_cache(maxsize=None)(fib)\n")
    assert found.changed == ("fib",)


def test_callees_are_the_unchanged_module_functions_and_methods_named() -> None:
    candidate = PARENT.replace("for x in xs:\n        TOTAL += helper(x)", "TOTAL += sum(helper(x) for x in xs)")
    found = rewritten(PARENT, candidate)
    assert found.changed == ("walk",)
    assert found.callees == ("Box.__init__", "Box.size", "helper")


def test_helpers_the_rewrite_adds_are_not_traced_but_their_names_are_excluded() -> None:
    candidate = PARENT.replace(
        "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)",
        "def _evolver_fib(n):\n    return n if n < 2 else _evolver_fib(n - 1) + _evolver_fib(n - 2)\n\n"
        "def fib(n):\n    return _evolver_fib(n)")
    found = rewritten(PARENT, candidate)
    assert found.changed == ("fib",)
    assert found.added == ("_evolver_fib",)
    assert "_evolver_fib" in found.exclude_globals


def test_a_changed_method_and_a_new_constant() -> None:
    candidate = PARENT.replace("return 0", "return len(_PATTERN.pattern)") + "\n_PATTERN = re.compile('x')\n"
    found = rewritten(PARENT, candidate)
    assert found.changed == ("Box.other",)
    assert found.exclude_globals == ("_PATTERN",)


def test_a_source_that_does_not_parse_is_a_clear_error() -> None:
    with pytest.raises(EvolverError, match="candidate source does not parse"):
        rewritten(PARENT, "def broken(:\n")
