"""The adversarial suite, run differentially: see README.md in this folder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evolver.transforms import all_transforms

from .case import Case
from .cases import all_cases
from .runner import FAILURES, check

CASES = all_cases()
MINIMUM_CASES = 220
REFUSALS_PER_PRECONDITION = 2


def _param(case: Case) -> object:
    marks = []
    if case.hole is not None:
        marks.append(pytest.mark.xfail(strict=True, raises=FAILURES[case.hole.kind], reason=f"hole: {case.hole.what}"))
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    check(case, tmp_path)


def test_names_are_unique() -> None:
    repeated = [name for name, n in Counter(c.name for c in CASES).items() if n > 1]
    assert not repeated


def test_every_case_names_a_transform_and_says_why() -> None:
    names = {t.name for t in all_transforms()}
    assert not [c.name for c in CASES if c.transform not in names]
    assert not [c.name for c in CASES if not c.attack or "\n" in c.attack]
    assert not [c.name for c in CASES if c.expect == "refuse" and not c.reason]


def test_every_cue_names_exactly_one_precondition() -> None:
    preconditions = {t.name: t.preconditions for t in all_transforms()}
    bad = [(c.name, cue) for c in CASES for cue in c.covers
           if sum(cue in p for p in preconditions[c.transform]) != 1]
    assert not bad, "a cue must be a substring of exactly one precondition of its transform"


def test_every_precondition_has_two_refuse_cases() -> None:
    counts: Counter[tuple[str, str]] = Counter()
    for case in CASES:
        if case.expect != "refuse":
            continue
        transform = next(t for t in all_transforms() if t.name == case.transform)
        for cue in case.covers:
            counts.update((case.transform, p) for p in transform.preconditions if cue in p)
    missing = [f"{t.name}: {p} ({counts[t.name, p]})" for t in all_transforms() for p in t.preconditions
               if counts[t.name, p] < REFUSALS_PER_PRECONDITION]
    assert not missing, "\n".join(missing)


def test_every_transform_has_apply_and_refuse_cases() -> None:
    kinds = {(c.transform, c.expect) for c in CASES}
    missing = [(t.name, e) for t in all_transforms() for e in ("apply", "refuse") if (t.name, e) not in kinds]
    assert not missing


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= MINIMUM_CASES
