"""No false rejections on the bundled samples: a sound rewrite of each transform passes the
behaviour check on its sample's real workload (one site per transform; the whole sweep, every
applicable site, is ``benchmarks/sweep_behaviour.py --targets``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from behaviour_runs import behaviour

from evolver import transforms
from evolver.config import load_settings, resolve_target

TARGETS = Path(__file__).resolve().parents[2] / "targets"


@cache
def one_site_per_transform() -> dict[str, tuple[str, str]]:
    """transform -> (sample, site id): the first applicable site found, samples in name order."""
    found: dict[str, tuple[str, str]] = {}
    for folder in sorted(p for p in TARGETS.iterdir() if (p / "pyproject.toml").exists()):
        target = resolve_target(folder / f"{folder.name}.py")
        ctx = transforms.Context.of(target, load_settings(target))
        for site in transforms.propose(target.path.read_text(), ctx):
            if site.verdict == "applicable":
                found.setdefault(site.transform, (folder.name, site.id))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("transform", sorted(t.name for t in transforms.all_transforms()))
def test_a_sound_rewrite_of_a_sample_passes(transform: str) -> None:
    if transform not in one_site_per_transform():
        pytest.skip(f"no bundled sample has an applicable {transform} site")
    sample, site = one_site_per_transform()[transform]
    target = resolve_target(TARGETS / sample / f"{sample}.py")
    settings = load_settings(target, {"timeout_s": 300})
    source = target.path.read_text()
    candidate = transforms.apply(source, site, transforms.Context.of(target, settings))
    check = behaviour(target, settings, source, candidate)
    assert check.verdict == "same", (site, check.differences)
