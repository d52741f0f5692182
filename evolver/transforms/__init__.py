"""The transform library: one class per module file, found by the registry.

``propose`` lists every site of every transform (applicable and refused, with reasons);
``apply`` re-finds one site by its stable id in the given source and rewrites it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Sequence
from functools import cache

from evolver.analysis.index import ModuleIndex
from evolver.deep import deep
from evolver.model import Site
from evolver.transforms.base import GENERATED, Context, Transform, TransformError

__all__ = ["Context", "Transform", "TransformError", "all_transforms", "apply", "apply_compatible", "apply_many",
           "get", "goal_of", "propose"]

_NOT_TRANSFORMS = frozenset({"base"})


@cache
def _registry() -> tuple[type[Transform], ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in _NOT_TRANSFORMS or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        classes = [c for _, c in inspect.getmembers(module, inspect.isclass)
                   if issubclass(c, Transform) and c is not Transform
                   and c.__module__ == module.__name__]
        if len(classes) != 1:
            raise TypeError(f"{module.__name__} must define exactly one Transform, found {len(classes)}")
        found.append(classes[0])
    return tuple(sorted(found, key=lambda c: c.name))


def all_transforms() -> list[Transform]:
    """One instance of every registered transform, ordered by name."""
    return [cls() for cls in _registry()]


def get(name: str) -> Transform:
    for transform in all_transforms():
        if transform.name == name:
            return transform
    raise TransformError(f"unknown transform {name!r}")


def goal_of(name: str) -> str:
    """What a win of the named transform means: "speed" or "sturdiness" ("speed" when unknown)."""
    return next((t.goal for t in all_transforms() if t.name == name), "speed")


@deep
def propose(source: str, ctx: Context) -> list[Site]:
    """Every site of every transform in ``source``, applicable and refused (listing them never
    parses the source with libcst: only a rewrite does)."""
    index = ModuleIndex.of(source, ctx.module)
    return [site for transform in all_transforms() for site in transform.sites(index, ctx)
            if not _in_generated_helper(site)]


def index_for(transform: Transform, source: str, ctx: Context) -> ModuleIndex:
    """The index every transform reads (one per source, shared)."""
    return ModuleIndex.of(source, ctx.module)


def _in_generated_helper(site: Site) -> bool:
    """A site inside a helper evolver wrote (``_evolver_retry``, ``_evolver_f``): rewriting it
    again is never the point, and evaluating it costs a full candidate."""
    return any(part.startswith(GENERATED) for part in site.function.split("."))


@deep
def apply(source: str, site_id: str, ctx: Context) -> str:
    """Rewrite the site named ``site_id``, found again in *this* source."""
    name, _, target = site_id.partition("@")
    if not target:
        raise TransformError(f"not a site id: {site_id!r} (expected transform@module:function)")
    transform = get(name)
    index = index_for(transform, source, ctx)
    site = next((s for s in transform.sites(index, ctx) if s.id == site_id), None)
    if site is None:
        raise TransformError(f"{site_id}: no such site in this source")
    if site.verdict != "applicable":
        raise TransformError(f"{site_id}: not applicable: {'; '.join(site.reasons)}")
    return transform.rewrite(index, site, ctx)


def apply_many(source: str, site_ids: Sequence[str], ctx: Context) -> str:
    """Apply the sites one after the other, re-finding each in the source the previous produced."""
    for site_id in site_ids:
        source = apply(source, site_id, ctx)
    return source


def apply_compatible(source: str, site_ids: Sequence[str], ctx: Context) -> tuple[str, list[str]]:
    """Apply the sites in order, skipping any that an earlier rewrite consumed or made
    inapplicable (two transforms may claim one loop); returns the source and the ids applied."""
    applied = []
    for site_id in site_ids:
        try:
            source = apply(source, site_id, ctx)
        except TransformError:
            continue
        applied.append(site_id)
    return source, applied
