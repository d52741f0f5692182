"""The libcst-based transform base the transforms not yet moved onto the ``ast`` engine still use
(``evolver.transforms.base`` is the new one); removed once the last one has moved."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from evolver.analysis.static import (
    FunctionInfo,
    ModuleIndex,
    blocking_call,
    complexity_by_line,
    is_recursive,
    loop_depth,
)
from evolver.model import Site
from evolver.transforms.base import GENERATED, Context, TransformError

__all__ = ["GENERATED", "Context", "LegacyTransform", "TransformError"]


class LegacyTransform(ABC):
    """One kind of rewrite. Subclasses carry their metadata and examples as class attributes."""

    name: ClassVar[str]
    description: ClassVar[str]
    preconditions: ClassVar[tuple[str, ...]]
    examples_unchanged: ClassVar[tuple[str, ...]]
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]]
    example_context: ClassVar[Context] = Context(module="example")
    goal: ClassVar[str] = "speed"  # what a win means: "speed" (faster) or "sturdiness" (fewer failures)
    legacy: ClassVar[bool] = True

    @abstractmethod
    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        """Every site of this transform, applicable or refused, in a stable order."""

    @abstractmethod
    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        """The module with one applicable site rewritten."""

    def site(self, target: str, refusals: list[str], features: dict[str, Any],
             notes: tuple[str, ...] = ()) -> Site:
        """A site refused for ``refusals`` if there are any, else applicable (with ``notes``)."""
        unique = tuple(dict.fromkeys(refusals))
        return Site(transform=self.name, target=target, verdict="refused" if unique else "applicable",
                    reasons=unique or notes, features={**features, "n_reasons": len(unique)})


def function_features(index: ModuleIndex, fn: FunctionInfo) -> dict[str, Any]:
    """Numeric facts about the function a site lives in, for ranking."""
    start, end = index.lines(fn)
    return {
        "loc": end - start + 1,
        "complexity": complexity_by_line(index).get(start, 1),
        "io_calls": sum(1 for n in index.own_nodes(fn.node) if isinstance(n, cst.Call) and blocking_call(index, n)),
        "loop_depth": loop_depth(index, fn.node),
        "recursive": int(is_recursive(index, fn)),
        "call_sites": _call_counts(index).get(fn.name, 0),
        "n_params": len(fn.node.params.params) + len(fn.node.params.posonly_params)
        + len(fn.node.params.kwonly_params),
        "is_method": int(fn.cls is not None),
    }


def _call_counts(index: ModuleIndex) -> dict[str, int]:
    """How many calls in the module name each function or method name (``f(...)``, ``x.f(...)``)."""
    if "call_counts" not in index.cache:
        counts: dict[str, int] = {}
        for node in index.walk(index.tree):
            if isinstance(node, cst.Call) and isinstance(node.func, (cst.Name, cst.Attribute)):
                name = node.func.value if isinstance(node.func, cst.Name) else node.func.attr.value
                counts[name] = counts.get(name, 0) + 1
        index.cache["call_counts"] = counts
    return index.cache["call_counts"]


def add_import(tree: cst.Module, module: str) -> cst.Module:
    """``import module`` at the top, unless it is already there (libcst's AddImportsVisitor)."""
    context = CodemodContext()
    AddImportsVisitor.add_needed_import(context, module)
    return AddImportsVisitor(context).transform_module(tree)


def import_name_reason(index: ModuleIndex, fn: FunctionInfo | None, module: str) -> str | None:
    """Why ``module.x`` cannot be written in the rewritten code (its top name means something else)."""
    top = module.split(".")[0]
    for assignment in index.global_assignments(top):
        node = getattr(assignment, "node", None)
        if not isinstance(node, cst.Import) or not any(
            alias.asname is None and _dotted(alias.name).split(".")[0] == top for alias in node.names
        ):
            return f"the module binds `{top}` to something other than the {top} module"
    if fn is not None:
        for scope in index.function_scopes(fn):
            if top in scope.assignments and any(a.scope is scope for a in scope.assignments[top]):
                return f"`{top}` is a local name in {fn.qualname}"
    return None


def _dotted(expr: cst.BaseExpression) -> str:
    if isinstance(expr, cst.Attribute):
        return f"{_dotted(expr.value)}.{expr.attr.value}"
    return expr.value if isinstance(expr, cst.Name) else ""


class NodeReplacer(cst.CSTTransformer):
    """Replace nodes by identity (the originals come from the index's tree)."""

    def __init__(self, replacements: dict[int, cst.CSTNode | cst.RemovalSentinel]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        return self.replacements.get(id(original_node), updated_node)


def replace_nodes(tree: cst.Module, replacements: dict[int, Any]) -> cst.Module:
    return tree.visit(NodeReplacer(replacements))
