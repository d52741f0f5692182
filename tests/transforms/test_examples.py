"""Every transform's examples, run by one generic test: the code it must leave alone (every site
refused, for the reason the example names, so a lost check fails here) and the code it must
rewrite (into exactly the expected output, which it then leaves alone)."""

from __future__ import annotations

import difflib
import re

import pytest

from evolver import transforms
from evolver.transforms import Context, TransformError
from evolver.transforms.base import NO_SITE, Example

ALL = transforms.all_transforms()


def _examples(transform: transforms.Transform) -> list[Example]:
    return list(transform.examples)


LEAVE = [pytest.param(t, e, id=f"{t.name}-{i}") for t in ALL for i, e in enumerate(_examples(t)) if e.expected is None]
REWRITE = [pytest.param(t, e, id=f"{t.name}-{i}") for t in ALL for i, e in enumerate(_examples(t))
           if e.expected is not None]


def sites(source: str, name: str, ctx: Context) -> list[transforms.Site]:
    return [s for s in transforms.propose(source, ctx) if s.transform == name]


def test_every_transform_documents_itself_and_its_preconditions() -> None:
    names = [t.name for t in ALL]
    assert names == sorted(names) and {"memoize", "thread-pool", "retry"} <= set(names)
    for t in ALL:
        assert t.description and t.preconditions and t.__doc__
        for heading in ("What it rewrites", "Why it is", "Example"):
            assert heading in t.__doc__, (t.name, heading)
        assert "Safety preconditions" in t.__doc__ or "Rewrite safety" in t.__doc__, t.name
        examples = _examples(t)
        assert len([e for e in examples if e.expected is None]) >= len(t.preconditions), t.name
        assert any(e.expected is not None for e in examples), t.name


@pytest.mark.parametrize(("transform", "example"), LEAVE)
def test_leaves_alone(transform: transforms.Transform, example: Example) -> None:
    compile(example.source, "<example>", "exec")
    ctx = example.context or transform.example_context
    found = sites(example.source, transform.name, ctx)
    assert [s.id for s in found if s.verdict == "applicable"] == []
    if example.reason == NO_SITE:
        assert found == []
    elif example.reason is not None:
        assert found, "no site: the example never reaches a check"
        reasons = [r for s in found for r in s.reasons]
        assert any(re.search(example.reason, r) for r in reasons), reasons


@pytest.mark.parametrize(("transform", "example"), REWRITE)
def test_rewrites(transform: transforms.Transform, example: Example) -> None:
    ctx = example.context or transform.example_context
    ids = [s.id for s in sites(example.source, transform.name, ctx) if s.verdict == "applicable"]
    assert ids, "no applicable site"
    output = transforms.apply_many(example.source, ids, ctx)
    assert output == example.expected, "\n".join(
        difflib.unified_diff(example.expected.splitlines(), output.splitlines(), lineterm=""))
    compile(output, "<rewritten>", "exec")
    assert [s.id for s in sites(output, transform.name, ctx) if s.verdict == "applicable"] == []
    for site_id in ids:
        with pytest.raises(TransformError):
            transforms.apply(output, site_id, ctx)
