"""hoist-constant beyond its examples: ids that stay stable while a function's displays are hoisted one
after the other, where the constant goes, and the name it takes."""

from __future__ import annotations

from evolver import transforms
from evolver.transforms import Context

CTX = Context(module="m")
TWO = (
    "def more_generic(a, b):\n"
    "    types = {type(None): 0, bool: 1, int: 2}\n"
    "    inverse = {2: int, 1: bool, 0: type(None)}\n"
    "    return inverse[max(types.get(a, 2), types.get(b, 2))]\n"
)


def _sites(source: str) -> dict[str, str]:
    return {s.id: s.verdict for s in transforms.propose(source, CTX) if s.transform == "hoist-constant"}


def test_both_displays_of_a_function_are_hoisted_one_after_the_other() -> None:
    ids = ["hoist-constant@m:more_generic#0", "hoist-constant@m:more_generic#1"]
    assert _sites(TWO) == dict.fromkeys(ids, "applicable")
    source, applied = transforms.apply_compatible(TWO, ids, CTX)
    assert applied == ids
    assert "    types = _evolver_const_more_generic_types\n" in source
    assert "    inverse = _evolver_const_more_generic_inverse\n" in source
    assert _sites(source) == dict.fromkeys(ids, "refused")  # still there, "already hoisted": ids do not shift
    namespace: dict[str, object] = {}
    exec(compile(source, "m", "exec"), namespace)
    assert namespace["more_generic"](bool, int) is int  # type: ignore[operator]


def test_the_constant_goes_before_the_statement_holding_the_function_after_joined_lines() -> None:
    source = "import os; KB = 1024\n\n\nclass Units:\n    # the factor\n    def factor(self, s):\n" \
             "        return {'k': KB, 'b': 1}[s]\n"
    (site,) = _sites(source)
    out = transforms.apply(source, site, CTX)
    assert out == ("import os; KB = 1024\n\n\n_evolver_const_Units_factor_0 = {'k': KB, 'b': 1}\n\n\n"
                   "class Units:\n    # the factor\n    def factor(self, s):\n"
                   "        return _evolver_const_Units_factor_0[s]\n")


def test_the_constant_takes_a_name_nothing_in_the_module_spells() -> None:
    source = "_evolver_const_f_0 = 'taken'\n\n\ndef f(t):\n    return {int: 1}.get(t)\n"
    out = transforms.apply(source, "hoist-constant@m:f#0", CTX)
    assert "_evolver_const_f_0_2 = {int: 1}\n" in out and "return _evolver_const_f_0_2.get(t)" in out


def test_folded_displays_are_no_site() -> None:
    source = "def f(x):\n    return x in [1, 2] or x in {3, 4} or x in (5, 6)\n"
    assert _sites(source) == {}
