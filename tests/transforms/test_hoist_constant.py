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


def test_both_displays_of_a_function_are_hoisted_by_its_one_site() -> None:
    site = "hoist-constant@m:more_generic"
    assert _sites(TWO) == {site: "applicable"}
    source = transforms.apply(TWO, site, CTX)
    assert "    types = _evolver_const_more_generic_types\n" in source
    assert "    inverse = _evolver_const_more_generic_inverse\n" in source
    assert "_evolver_const_more_generic_types = {" in source.split("def more_generic")[0]
    assert _sites(source) == {site: "refused"}  # "already hoisted"
    namespace: dict[str, object] = {}
    exec(compile(source, "m", "exec"), namespace)
    assert namespace["more_generic"](bool, int) is int  # type: ignore[operator]


def test_the_constant_goes_before_the_statement_holding_the_function_after_joined_lines() -> None:
    source = "import os; KB = 1024\n\n\nclass Units:\n    # the factor\n    def factor(self, s):\n" \
             "        return {'k': KB, 'b': 1}[s]\n"
    (site,) = _sites(source)
    assert site == "hoist-constant@m:Units.factor"
    out = transforms.apply(source, site, CTX)
    assert out == ("import os; KB = 1024\n\n\n_evolver_const_Units_factor_0 = {'k': KB, 'b': 1}\n\n\n"
                   "class Units:\n    # the factor\n    def factor(self, s):\n"
                   "        return _evolver_const_Units_factor_0[s]\n")


def test_the_constant_takes_a_name_nothing_in_the_module_spells() -> None:
    source = "_evolver_const_f_0 = 'taken'\n\n\ndef f(t):\n    return {int: 1}.get(t)\n"
    out = transforms.apply(source, "hoist-constant@m:f", CTX)
    assert "_evolver_const_f_0_2 = {int: 1}\n" in out and "return _evolver_const_f_0_2.get(t)" in out


def test_a_display_that_may_not_be_hoisted_is_left_and_named_in_the_notes() -> None:
    source = "def f(t, g):\n    kinds = {int: 'i'}\n    seen = {str: 's'}\n    g(seen)\n    return kinds.get(t), (1, 2)\n"
    (site,) = [s for s in transforms.propose(source, CTX) if s.transform == "hoist-constant"]
    assert site.verdict == "applicable"
    assert site.reasons[0] == "hoists `kinds`" and site.reasons[1].startswith("leaves `seen`: `seen` is used other than")
    out = transforms.apply(source, site.id, CTX)
    assert "kinds = _evolver_const_f_kinds\n    seen = {str: 's'}\n" in out


def test_a_tuple_of_builtins_over_several_lines_keeps_its_parentheses() -> None:
    source = "def f(e):\n    return e in (int,\n                 str)\n"
    out = transforms.apply(source, "hoist-constant@m:f", CTX)
    # libcst keeps continuation lines relative to the block: at module level they lose its indent
    assert out == "_evolver_const_f_0 = (int,\n             str)\n\n\ndef f(e):\n    return e in _evolver_const_f_0\n"


def test_folded_displays_are_no_site() -> None:
    source = "def f(x):\n    return x in [1, 2] or x in {3, 4} or x in (5, 6)\n"
    assert _sites(source) == {}
