"""Sources that once crashed the analysis: every transform answers, or the module is refused with
one clear error when Python itself cannot parse it."""

from __future__ import annotations

import pytest

from evolver import transforms
from evolver.errors import EvolverError

CTX = transforms.Context(module="m")


@pytest.mark.parametrize("source", [
    "dict = dict\nlist = list\n\n\ndef f(n: int) -> dict:\n    return dict(a=n)\n",  # multiprocessing/dummy
    "A = B\nB = A\nC = C\n\n\ndef f():\n    return A, B, C\n",
])
def test_module_globals_bound_to_themselves(source: str) -> None:
    assert {s.transform for s in transforms.propose(source, CTX)} >= {"memoize"}


def test_a_source_libcst_cannot_parse_gets_the_ast_transforms_sites() -> None:
    source = ("def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\n\n"
              "def g():\n    (no_such_global): int\n    return 1\n")  # test_grammar.py: libcst rejects the parentheses
    sites = transforms.propose(source, CTX)
    assert any(s.transform == "memoize" and s.verdict == "applicable" for s in sites)
    with pytest.raises(EvolverError, match="not valid Python"):
        transforms.propose("def f(:\n", CTX)


def test_a_site_in_a_source_libcst_cannot_parse_is_not_rewritten_with_one_clear_error() -> None:
    source = ("def squares(xs):\n    out = []\n    for x in xs:\n        out.append(x * x)\n    return out\n\n\n"
              "def g():\n    (no_such_global): int\n    return 1\n")
    site = next(s for s in transforms.propose(source, CTX) if s.transform == "comprehension")
    assert site.verdict == "applicable"
    with pytest.raises(transforms.TransformError, match="libcst cannot parse this module"):
        transforms.apply(source, site.id, CTX)
