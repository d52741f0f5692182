"""What every transform is: a named rewrite that finds candidates in each function of a module,
checks each one (reasons to refuse, notes, the assumptions it relies on), and rewrites one site by
its stable id. ``Transform.sites`` is the one loop every transform shares.
"""

from __future__ import annotations

import ast
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from evolver.analysis import attributes, facts
from evolver.analysis.assumptions import switched_off_reason
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.errors import EvolverError
from evolver.model import Settings, Site, Target

GENERATED = "_evolver_"  # the prefix of every helper function a transform writes


class TransformError(EvolverError):
    """A site was asked for that is not found or not applicable in this source."""


@dataclass(frozen=True)
class Context:
    """What a transform needs to know beyond the source."""

    module: str  # import name of the target, e.g. "integrator" or "pkg.mod"
    transient: tuple[str, ...] = ("ConnectionError", "TimeoutError")
    idempotent: tuple[str, ...] = ()  # "module:func" / "module:Class.method" declared idempotent
    retry_backoff_s: float = 0.01  # first delay of the retry helper's exponential backoff
    assumptions_off: frozenset[str] = frozenset()  # assumptions the user switched off (stricter)

    @classmethod
    def of(cls, target: Target, settings: Settings) -> Context:
        """The context for evolving ``target`` with ``settings``."""
        return cls(module=target.module, transient=settings.transient, idempotent=settings.idempotent,
                   retry_backoff_s=settings.retry_backoff_s,
                   assumptions_off=frozenset(settings.assumptions_off))


@dataclass(frozen=True)
class Example:
    """A module a transform must rewrite into ``expected``, or leave alone: then every site it finds
    is refused and one of the reasons matches the regex ``reason`` (``NO_SITE``: no site at all)."""

    source: str
    expected: str | None = None
    reason: str | None = None
    context: Context | None = None


NO_SITE = "<no site>"


def leave(source: str, reason: str, context: Context | None = None) -> Example:
    return Example(source, None, reason, context)


def rewrite(source: str, expected: str, context: Context | None = None) -> Example:
    return Example(source, expected, None, context)


@dataclass(frozen=True)
class Candidate:
    """A place a transform could rewrite: ``node`` is where it is, ``number`` its "#k" in the site's
    name (None: the function itself is the site). Transforms add what their check and rewrite need."""

    node: ast.AST
    number: int | None


@dataclass
class Verdict:
    """What a check found: reasons to refuse (none: applicable), notes for an applicable site, the
    assumptions of the soundness model it relies on, features for ranking."""

    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    features: dict[str, Any] = field(default_factory=dict)


class Transform(ABC):
    """One kind of rewrite. Subclasses carry their metadata and examples as class attributes."""

    name: ClassVar[str]
    description: ClassVar[str]
    preconditions: ClassVar[tuple[str, ...]]
    examples: ClassVar[tuple[Example, ...]]
    assumptions: ClassVar[tuple[str, ...]] = ()  # relied on by every applicable site
    example_context: ClassVar[Context] = Context(module="example")
    goal: ClassVar[str] = "speed"  # what a win means: "speed" (faster) or "sturdiness" (fewer failures)

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        """Every site of this transform, applicable or refused, in a stable order."""
        found = []
        for fn in index.functions:
            for candidate in self.candidates(index, fn, ctx):
                found.append(self._site(index, fn, candidate, self.check(index, fn, candidate, ctx), ctx))
        return found

    @abstractmethod
    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> Iterable[Candidate]:
        """The places in ``fn`` this transform could rewrite, in a stable order."""

    @abstractmethod
    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Any, ctx: Context) -> Verdict:
        """Whether the candidate may be rewritten: the reasons it may not (none: it may)."""

    @abstractmethod
    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        """The module's source with one applicable site rewritten."""

    def find(self, index: ModuleIndex, site: Site, ctx: Context) -> tuple[FunctionInfo, Any]:
        """The function and candidate a site names, found again in ``index``."""
        fn = index.function(site.function)
        found = next((c for c in self.candidates(index, fn, ctx) if c.number == site.number), None) \
            if fn is not None else None
        if fn is None or found is None:
            raise TransformError(f"{site.id}: no such site in this source")
        return fn, found

    def find_applicable(self, index: ModuleIndex, site: Site, ctx: Context) -> tuple[FunctionInfo, Any]:
        """``find``, then ``check`` again: a site refused in this source is not rewritten."""
        fn, found = self.find(index, site, ctx)
        verdict = self.check(index, fn, found, ctx)
        if verdict.reasons:
            raise not_applicable(site, verdict)
        return fn, found

    def _site(self, index: ModuleIndex, fn: FunctionInfo, candidate: Candidate, verdict: Verdict,
              ctx: Context) -> Site:
        attribute_kinds = ["attributes-private"] if attributes.relied_on(index, fn) else []
        relied = list(dict.fromkeys([*self.assumptions, *verdict.assumptions, *attribute_kinds]))
        reasons = list(dict.fromkeys(verdict.reasons))
        if not reasons:
            reasons = [switched_off_reason(a) for a in relied if a in ctx.assumptions_off]
        features = facts.features(index, fn) | verdict.features | {"n_reasons": len(reasons)}
        return Site.at(self.name, ctx.module, fn.qualname, candidate.number,
                       "refused" if reasons else "applicable", reasons=tuple(reasons or verdict.notes),
                       features=features, assumptions=tuple(relied) if not reasons else (),
                       line=getattr(candidate.node, "lineno", 0), column=getattr(candidate.node, "col_offset", 0))


def import_name_reason(index: ModuleIndex, fn: FunctionInfo | None, module: str) -> str | None:
    """Why ``module.x`` cannot be written in the rewritten code (its top name means something else)."""
    top = module.split(".")[0]
    for binding in index.global_bindings(top):
        node, statement = binding.node, binding.statement
        if not (isinstance(statement, ast.Import) and isinstance(node, ast.alias) and node.asname is None
                and node.name.split(".")[0] == top):
            return f"the module binds `{top}` to something other than the {top} module"
    if fn is not None:
        for scope in index.function_scopes(fn):
            if top in scope.bindings:
                return f"`{top}` is a local name in {fn.qualname}"
        outer = index.function_scope(fn).parent
        while outer is not None and outer is not index.scopes.module:
            if outer.kind != "class" and top in outer.bindings:
                owner = outer.node.name if isinstance(outer.node, (ast.FunctionDef, ast.AsyncFunctionDef)) else "it"
                return f"`{top}` is a local name in {owner}, around {fn.qualname}"
            outer = outer.parent
    return None


def not_applicable(site: Site, verdict: Verdict) -> TransformError:
    """The error for rewriting a site whose check refuses it, with the reasons."""
    return TransformError(f"{site.id}: not applicable ({'; '.join(verdict.reasons)})")
