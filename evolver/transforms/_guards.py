"""What rewrites that need exact builtins share: the run-time guard that proves a declared
container of declared scalars exact before the fast form runs (the original code stays as the
fallback), and the check that a builtin the rewrite writes means the builtin where it stands."""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import builtin_visible
from evolver.analysis.rebinding import rebinders
from evolver.transforms._cst import CstView

# The element types a guard may allow, by the declared element kinds they stand for.
GUARDABLE = (frozenset({"int", "bool"}), frozenset({"str"}), frozenset({"bytes"}), frozenset({"list"}),
             frozenset({"tuple"}))


@dataclass(frozen=True)
class Guard:
    """``type(xs) is list and {*map(type, xs)} <= {int}``: what makes a declared container of
    declared values exact at run time (anything else keeps the original code)."""

    items: str  # the input's code: a local name, or a display of local names
    container: str | None  # "list", "tuple", "list|tuple" (either: a name of unknown type), None: a display
    elements: tuple[str, ...]  # the element types allowed ("int", "bool")
    key: str = ""  # a key that picks one item of each (exact) element: what it gives must be exact too
    keyed: tuple[str, ...] = ()  # the types allowed for what the key gives

    def code(self) -> str:
        kinds = [f"type({self.items}) is {c}" for c in self.containers()]
        parts = [kinds[0] if len(kinds) == 1 else f"({' or '.join(kinds)})"] if kinds else []
        if self.elements:
            parts.append(f"{{*map(type, {self.items})}} <= {{{', '.join(self.elements)}}}")
        if self.key:
            parts.append(f"{{*map(type, map({self.key}, {self.items}))}} <= {{{', '.join(self.keyed)}}}")
        return " and ".join(parts)

    def builtins(self) -> list[str]:
        return ["type", "map", *self.containers(), *self.elements, *self.keyed]

    def containers(self) -> list[str]:
        return self.container.split("|") if self.container else []

    def wrap(self, view: CstView, fast: cst.BaseExpression, original: cst.BaseExpression) -> cst.IfExp:
        """``(fast if guard else original)``."""
        return cst.IfExp(view.parse_expression(self.code()), fast.with_changes(lpar=[], rpar=[]),
                         original.with_changes(lpar=[], rpar=[]), lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def guard_for(index: ModuleIndex, fn: FunctionInfo, items: ast.expr, flat: bool = True) -> Guard | None:
    """The guard that would make ``items`` and its elements exact: a local name holding a list or
    tuple (or a display of local names) whose elements are declared ints, strs, bytes (``flat``), or
    lists or tuples (not ``flat``: their own contents are not checked)."""
    names = items.elts if isinstance(items, (ast.List, ast.Tuple)) else [items]
    if not all(isinstance(n, ast.Name) and index.binding(n) in ("local", "param") for n in names):
        return None
    source = types.facts(index, fn).of(items)
    if not k.known(source) or len(k.bases(source)) != 1 or k.bases(source) - {"list", "tuple"}:
        return None
    elements = k.elements(source)
    found = frozenset(k.bases(elements)) if k.known(elements) else frozenset({"?"})
    allowed = GUARDABLE[:3] if flat else GUARDABLE[3:]
    if not any(found <= a for a in allowed) or (flat and any(kind.items is not None or kind.parts is not None
                                                             for kind in elements)):
        return None
    container = None if isinstance(items, (ast.List, ast.Tuple)) else next(iter(k.bases(source)))
    return Guard(index.segment(items) or ast.unparse(items), container, tuple(sorted(found)))


def builtin_reasons(index: ModuleIndex, fn: FunctionInfo, names: list[str]) -> list[str]:
    """Why a builtin the rewrite writes in ``fn`` may not be the builtin when it runs."""
    reasons = []
    table = rebinders(index)
    for name in dict.fromkeys(names):
        shadowed = any(name in scope.bindings for scope in index.function_scopes(fn))
        if shadowed or not builtin_visible(index, fn, name):
            reasons.append(f"`{name}` is not the builtin here")
        elif table.of(name) or table.builtins:
            reasons.append(f"the module may rebind `{name}` ({(table.of(name) or table.builtins)[0]})")
    return reasons
