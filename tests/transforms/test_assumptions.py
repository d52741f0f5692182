"""The soundness model's assumptions: listed on every applicable site, switchable off in
``[tool.evolver] assumptions`` (stricter only), and every site relying on one then refused, saying so."""

from __future__ import annotations

from pathlib import Path

import pytest

from evolver import transforms
from evolver.analysis.assumptions import ASSUMPTIONS
from evolver.config import load_settings, resolve_target
from evolver.errors import EvolverError

FIB = "def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"


def memoize_site(ctx: transforms.Context) -> transforms.Site:
    return next(s for s in transforms.propose(FIB, ctx) if s.transform == "memoize")


def test_an_applicable_site_lists_known_assumptions() -> None:
    site = memoize_site(transforms.Context(module="m"))
    assert site.verdict == "applicable"
    assert site.assumptions and all(a in ASSUMPTIONS for a in site.assumptions)
    assert "module-globals-private" in site.assumptions  # fib calls itself through a module global


def test_a_site_relying_on_a_switched_off_assumption_is_refused_saying_so() -> None:
    relied = memoize_site(transforms.Context(module="m")).assumptions
    site = memoize_site(transforms.Context(module="m", assumptions_off=frozenset({relied[0]})))
    assert site.verdict == "refused"
    assert site.reasons == (f"relies on the assumption `{relied[0]}`, switched off in [tool.evolver] assumptions",)
    assert site.assumptions == ()
    other = next(a for a in ASSUMPTIONS if a not in relied)
    assert memoize_site(transforms.Context(module="m", assumptions_off=frozenset({other}))).verdict == "applicable"


def _target(tmp_path: Path, table: str) -> object:
    (tmp_path / "pyproject.toml").write_text(f"[tool.evolver]\n{table}\n")
    (tmp_path / "fib.py").write_text(FIB)
    return resolve_target(tmp_path / "fib.py")


def test_settings_switch_assumptions_off(tmp_path: Path) -> None:
    target = _target(tmp_path, "assumptions = {single-thread = false, builtins-unchanged = true}")
    settings = load_settings(target)  # type: ignore[arg-type]
    assert settings.assumptions_off == ("single-thread",)
    assert transforms.Context.of(target, settings).assumptions_off == frozenset({"single-thread"})  # type: ignore[arg-type]


@pytest.mark.parametrize(("table", "message"), [
    ("assumptions = {no-such-thing = false}", "unknown assumption 'no-such-thing'"),
    ("assumptions = {single-thread = 0}", "single-thread must be true or false"),
    ('assumptions = ["single-thread"]', "must be a table of assumption = false"),
])
def test_bad_assumption_settings(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(EvolverError, match=message):
        load_settings(_target(tmp_path, table))  # type: ignore[arg-type]
