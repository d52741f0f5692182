"""set-membership: membership tests against a list or tuple of constants become set lookups."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import deleted_names, repeats
from evolver.analysis.tree import is_literal
from evolver.analysis.uses import introspects
from evolver.model import Site
from evolver.transforms._cst import CstView
from evolver.transforms.base import Candidate, Context, Transform, Verdict, leave, rewrite

DISPLAYS = (ast.List, ast.Tuple, ast.Set)
CstDisplay = cst.List | cst.Tuple | cst.Set


@dataclass(frozen=True)
class Test:
    """One ``left in container`` (or ``not in``) test."""

    left: ast.expr
    comparison: ast.Compare
    position: int  # which of the comparison's operators


@dataclass(frozen=True)
class Membership(Candidate):
    """A literal tested against directly (``x in [..]``), or a local bound to one (``L = (..)``)
    that some ``in`` test reads; ``node`` is the display."""

    kind: str = "inline"  # "inline" or "local"
    tests: tuple[Test, ...] = ()
    name: ast.Name | None = None
    others: tuple[ast.AST, ...] = field(default=())  # local: uses that are not membership tests


class SetMembership(Transform):
    """Test membership in a set instead of a list or tuple of constants.

    What it rewrites: ``x in [c1, c2, ...]`` / ``x not in (c1, ...)`` inside a loop or a
    comprehension, or a local ``L = [c1, c2, ...]`` bound once and only ever used as the right side
    of ``in`` tests: the literal becomes the set display ``{c1, c2, ...}``.

    Why it is faster: ``x in {...}`` is one hash lookup; a list or tuple is scanned element by
    element (O(1) instead of O(n)). CPython stores a set display of constants after ``in`` as a
    frozenset constant, so nothing is built per test.

    Example::

        for w in words:                          for w in words:
            if w in ["a", "an", "the"]:    ->        if w.lower() in {"a", "an", "the"}:

    Rewrite safety: ``in`` on a list compares with ``is`` then ``==``; on a set it hashes first.
    The two agree when the tested value is exactly a builtin hashable value (a str subclass may
    define ``__eq__`` and ``__hash__`` that disagree; an unhashable value makes the set lookup raise
    ``TypeError`` where the list test is False), and every element is a constant of a builtin value
    type (str, bytes, int, float, complex, bool, None, tuples of those; duplicates such as 1, 1.0 and
    True collapse in the set, which ``in`` cannot tell apart). So the tested value must be proven
    exact by construction (a literal, a str method's result, an item of an exact str...): an
    annotation is not enough. The container must not be used otherwise (mutated, indexed, iterated
    for its order, returned, passed on, compared, deleted), str and bytes are not mixed (a
    ``BytesWarning`` under ``python -b`` would differ), and the function does not reach its locals
    by name (``locals``, ``vars``, ``eval``, ``exec``, ``sys._getframe``). Relies on:
    frames-not-inspected (a local container).
    """

    name: ClassVar[str] = "set-membership"
    description: ClassVar[str] = "test membership in a set literal instead of a list/tuple of constants"
    preconditions: ClassVar[tuple[str, ...]] = (
        "a list/tuple literal tested with `in`/`not in` inside a loop or comprehension, or a local "
        "bound once to one and used only as the right side of `in` tests (not mutated, indexed, "
        "iterated, returned, passed on, compared or deleted)",
        "every element a hashable constant of a builtin value type (str, bytes, int, float, complex, "
        "bool, None, tuples of those); a literal tested directly holds literals only",
        "the tested value provably exactly a hashable builtin (constructed: an annotation may name a "
        "superclass of what is passed)",
        "str and bytes are not mixed; the container is not also compared in a chained comparison",
        "the function does not use locals, vars, eval, exec or frame introspection (sys._getframe, inspect)",
    )
    examples = (
        leave("def is_vowel(ch: str) -> bool:\n    return ch in ['a', 'e', 'i', 'o', 'u']\n", "runs repeatedly"),
        leave("def known(items):\n    return [x.lower() for x in items if x.lower() in ['a', 'b']]\n",
              "not provably exactly"),
        leave("def known(items: list[str]):\n    return [x for x in items if x.strip() in ['a', 'b']]\n",
              "not provably exactly"),
        leave("def pick(words: list[str], a: str, b: str) -> list[str]:\n    return [w for w in words if w.lower() in [a, b]]\n",
              "not a literal"),
        leave("def f(words: list[str]) -> int:\n    stop = ['a', 'the']\n    stop.append('an')\n"
              "    return sum(1 for w in words if w.lower() in stop)\n", "used other than"),
        leave("def f(words: list[str]):\n    stop = ('a', 'the')\n    n = sum(1 for w in words if w.lower() in stop)\n"
              "    return n, stop\n", "used other than"),
        leave("def f(words: list[str], short: bool):\n    stop = ['a']\n    if short:\n        stop = ['a', 'an']\n"
              "    return [w for w in words if w.lower() in stop]\n", "bound more than once"),
        leave("def f(words: list[str]):\n    return [w for w in words if w.lower() in ['a', b'a']]\n", "mixes str and bytes"),
        leave("def f(xs: list[int], other: list[int]):\n    return [x for x in xs if abs(x) in [1, 2] == other]\n",
              "chained comparison"),
        leave("def f(words: list[str]):\n    stop = ['a', 'the']\n    names = locals()\n"
              "    return [w for w in words if w.lower() in stop], names\n", "could reach `stop` by name"),
        leave("def f(words: list[str]):\n    return [w for w in words if w.lower() in []]\n", "empty"),
    )
    examples += (
        # ch may be a str subclass with its own __eq__/__hash__: the set is used only for an exact str
        rewrite("def vowels(text: str) -> int:\n    return sum(1 for ch in text if ch in ['a', 'e', 'i', 'o', 'u'])\n",
                "def vowels(text: str) -> int:\n    return sum(1 for ch in text if (ch in {'a', 'e', 'i', 'o', 'u'} "
                "if type(ch) is str else ch in ['a', 'e', 'i', 'o', 'u']))\n"),
        rewrite("def codes(n: int) -> list[int]:\n    odd = (1, 3, 5, 7, 9)  # last digits\n    out = []\n"
                "    for i in range(n):\n        if i % 10 in odd:\n            out.append(i)\n    return out\n",
                "def codes(n: int) -> list[int]:\n    odd = {1, 3, 5, 7, 9}  # last digits\n    out = []\n"
                "    for i in range(n):\n        if i % 10 in odd:\n            out.append(i)\n    return out\n"),
        rewrite("def marks(n: int) -> list[int]:\n    found = []\n    for i in range(n):\n"
                "        if i % 7 in ( 1, 2, 3 ) and i not in [10, 20]:\n            found.append(i)\n    return found\n",
                "def marks(n: int) -> list[int]:\n    found = []\n    for i in range(n):\n"
                "        if i % 7 in { 1, 2, 3 } and i not in {10, 20}:\n            found.append(i)\n    return found\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Membership]:
        """In source order; a rewritten literal stays a candidate (a set), so ids do not shift."""
        found: list[Membership] = []
        for node in index.own_nodes(fn):
            if isinstance(node, ast.Compare):
                for position, (op, right) in enumerate(zip(node.ops, node.comparators)):
                    if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, DISPLAYS):
                        left = node.left if position == 0 else node.comparators[position - 1]
                        found.append(Membership(right, len(found), "inline", (Test(left, node, position),)))
            elif isinstance(node, ast.Assign):
                local = _local(index, fn, node, len(found))
                if local is not None:
                    found.append(local)
        return found

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Membership, ctx: Context) -> Verdict:
        features = {"form": 0 if candidate.kind == "inline" else 1, "n_elements": len(candidate.node.elts),  # type: ignore[attr-defined]
                    "site_loop_depth": max(repeats(index, t.comparison) for t in candidate.tests)}
        if isinstance(candidate.node, ast.Set):
            return Verdict(["already a set"], features=features)
        if _fallback(index, candidate):
            return Verdict(["already a set (this is the fallback of a guarded set lookup)"], features=features)
        facts = types.facts(index, fn)
        reasons = _element_reasons(index, facts, candidate)
        reasons += [r for test in candidate.tests for r in _test_reasons(index, facts, candidate, test)]
        assumptions = []
        if candidate.kind == "local":
            reasons += _local_reasons(index, fn, candidate)
            assumptions.append("frames-not-inspected")
        if not any(repeats(index, test.comparison) for test in candidate.tests):
            reasons.append("no membership test runs repeatedly (none inside a loop or comprehension)")
        guarded = guard(index, facts, candidate)
        notes = [f"guarded: the set is used only when `{guarded}`"] if guarded else []
        return Verdict(reasons, notes, assumptions, features)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, candidate = self.find(index, site, ctx)
        view = CstView.of(index)
        kind = {ast.List: cst.List, ast.Tuple: cst.Tuple}[type(candidate.node)]
        display = view.node(candidate.node, kind)
        condition = guard(index, types.facts(index, fn), candidate)
        if condition is None:
            return view.replace({id(display): as_set(display)}).code
        test = candidate.tests[0]
        comparison = view.node(test.comparison, cst.Comparison)
        fast = comparison.with_changes(comparisons=[comparison.comparisons[0].with_changes(comparator=as_set(display))],
                                       lpar=[], rpar=[])
        chosen = cst.IfExp(test=view.parse_expression(condition), body=fast,
                           orelse=comparison.with_changes(lpar=[], rpar=[]),
                           lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return view.replace({id(comparison): chosen}).code


def guard(index: ModuleIndex, facts: types.TypeFacts, candidate: Membership) -> str | None:
    """A run-time check that makes a literal's membership test safe for a value whose type is not
    proven: ``type(x) is str`` (the elements' types), when the tested value is a plain name (read
    twice, at no cost) tested directly against the literal. None: no guard is needed, or none fits."""
    if candidate.kind != "inline" or len(candidate.tests) != 1:
        return None
    test = candidate.tests[0]
    if not isinstance(test.left, ast.Name) or k.hashable(facts.of(test.left)) or len(test.comparison.ops) != 1:
        return None
    element_types = [facts.of(e) for e in candidate.node.elts]  # type: ignore[attr-defined]
    if not element_types or not all(k.hashable(t) and k.exactly(t, k.HASHABLE_SCALARS) for t in element_types):
        return None
    names = sorted({GUARD_NAMES[b] for t in element_types for b in k.bases(t)})
    shown = names[0] if len(names) == 1 else f"({', '.join(names)})"
    return f"type({test.left.id}) is {shown}" if len(names) == 1 else f"type({test.left.id}) in {shown}"


def _fallback(index: ModuleIndex, candidate: Membership) -> bool:
    """The list test this transform kept behind its guard: ``(x in {..} if type(x) is T else x in [..])``."""
    comparison = candidate.tests[0].comparison
    parent = index.parent(comparison)
    return (isinstance(parent, ast.IfExp) and parent.orelse is comparison and isinstance(parent.body, ast.Compare)
            and isinstance(parent.body.comparators[-1], ast.Set))


GUARD_NAMES = {"int": "int", "bool": "bool", "float": "float", "complex": "complex", "str": "str", "bytes": "bytes",
               "none": "type(None)"}


def _local(index: ModuleIndex, fn: FunctionInfo, assign: ast.Assign, number: int) -> Membership | None:
    if len(assign.targets) != 1 or not isinstance(assign.value, DISPLAYS) or not isinstance(assign.targets[0], ast.Name):
        return None
    name = assign.targets[0]
    if index.resolve_store(name) is not index.function_scope(fn):
        return None
    tests, others = [], []
    for read in index.function_scope(fn).references.get(name.id, []):
        parent = index.parent(read)
        if isinstance(parent, ast.Compare) and read in parent.comparators:
            position = parent.comparators.index(read)
            if isinstance(parent.ops[position], (ast.In, ast.NotIn)):
                left = parent.left if position == 0 else parent.comparators[position - 1]
                tests.append(Test(left, parent, position))
                continue
        others.append(read)
    if not tests:
        return None
    return Membership(assign.value, number, "local", tuple(tests), name, tuple(others))


def _element_reasons(index: ModuleIndex, facts: types.TypeFacts, candidate: Membership) -> list[str]:
    elements = candidate.node.elts  # type: ignore[attr-defined]
    if not elements:
        return ["the literal is empty"]
    reasons = []
    for element in elements:
        shown = index.code(element)
        if isinstance(element, ast.Starred):
            reasons.append(f"unpacks `{shown}`")
        elif candidate.kind == "inline" and not is_literal(element):
            reasons.append(f"element `{shown}` is not a literal (a set display would be rebuilt on every test)")
        elif candidate.kind == "local" and not (is_literal(element) or isinstance(element, ast.Name)):
            reasons.append(f"element `{shown}` is not a constant or a name")
        elif not k.hashable(facts.of(element)):
            reasons.append(f"element `{shown}` is not provably hashable ({k.show(facts.of(element))})")
    return reasons


def _test_reasons(index: ModuleIndex, facts: types.TypeFacts, candidate: Membership, test: Test) -> list[str]:
    reasons = []
    left = facts.of(test.left)
    if not k.hashable(left) and guard(index, facts, candidate) is None:
        container = "tuple" if isinstance(candidate.node, ast.Tuple) else "list"
        reasons.append(f"`{index.code(test.left)}` is not provably exactly a hashable builtin ({k.show(left)}): a "
                       f"subclass's __eq__/__hash__ may disagree, and an unhashable value makes the set lookup raise "
                       f"TypeError where the {container} test is False")
    if test.position != len(test.comparison.ops) - 1:
        reasons.append(f"`{index.code(test.comparison.comparators[test.position])}` is also compared in a chained "
                       "comparison")
    found = k.bases(left) if k.known(left) else set()
    for element in candidate.node.elts:  # type: ignore[attr-defined]
        kind = facts.of(element)
        found |= k.bases(kind) if k.known(kind) else set()
    if {"str", "bytes"} <= found:
        reasons.append("mixes str and bytes (a BytesWarning under `python -b` would differ)")
    return reasons


def _local_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Membership) -> list[str]:
    name = candidate.name
    assert name is not None
    reasons = []
    if len(index.function_scope(fn).bindings.get(name.id, [])) != 1:
        reasons.append(f"`{name.id}` is bound more than once")
    if name.id in deleted_names(index, fn):
        reasons.append(f"`{name.id}` is deleted")
    for other in candidate.others:
        parent = index.parent(other)
        reasons.append(f"`{name.id}` is used other than as the right side of `in` ({index.code(parent or other)})")
    if introspects(index, fn):
        reasons.append(f"{fn.qualname} reads its frame (locals, vars, eval, exec...: could reach `{name.id}` by name)")
    return reasons


def as_set(display: cst.List | cst.Tuple) -> cst.Set:
    """The set display with the same elements, keeping the whitespace inside the brackets."""
    if isinstance(display, cst.List):
        return cst.Set(display.elements, cst.LeftCurlyBrace(display.lbracket.whitespace_after),
                       cst.RightCurlyBrace(display.rbracket.whitespace_before), display.lpar, display.rpar)
    if not display.lpar:
        return cst.Set(display.elements)
    return cst.Set(display.elements, cst.LeftCurlyBrace(display.lpar[-1].whitespace_after),
                   cst.RightCurlyBrace(display.rpar[0].whitespace_before), display.lpar[:-1], display.rpar[1:])
