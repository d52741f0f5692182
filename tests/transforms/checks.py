"""What the per-transform test files share: a transform's sites in a source, the source with all
its applicable sites rewritten, running code in a fresh namespace, and a call's outcome."""

from __future__ import annotations

import functools
from collections.abc import Callable

from evolver import transforms
from evolver.model import Site
from evolver.transforms import Context


def under_test(name: str, ctx: Context) -> tuple[Callable[[str], dict[str, Site]], Callable[[str], str],
                                                 Callable[[str], dict[str, object]]]:
    """``sites`` (keyed by the site's function and number), ``rewritten`` (every applicable site
    applied; there must be one) and ``load`` (the source executed), for the transform ``name``."""

    def sites(source: str) -> dict[str, Site]:
        transform = transforms.get(name)
        found = transform.sites(transforms.index_for(transform, source, ctx), ctx)  # type: ignore[arg-type]
        return {s.target.split(":", 1)[1]: s for s in found}

    @functools.cache
    def rewritten(source: str) -> str:
        ids = [s.id for s in sites(source).values() if s.verdict == "applicable"]
        assert ids, sites(source)
        return transforms.apply_many(source, ids, ctx)

    @functools.cache
    def load(source: str) -> dict[str, object]:
        namespace: dict[str, object] = {"__name__": f"{name.replace('-', '_')}_under_test"}
        exec(compile(source, "<sample>", "exec"), namespace)
        return namespace

    return sites, rewritten, load


def outcome(func: object, *args: object) -> tuple[object, ...]:
    try:
        return ("returned", func(*args))  # type: ignore[operator]
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))
