"""set-membership: membership tests against a list or tuple of constants become set lookups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst
from libcst.metadata import Assignment

from evolver.analysis import type_facts
from evolver.analysis import value_types as vt
from evolver.analysis.loop_facts import deleted_names, repeats
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.analysis.type_facts import TypeFacts
from evolver.model import Site
from evolver.transforms._legacy import Context, LegacyTransform, function_features, replace_nodes

Display = cst.List | cst.Tuple | cst.Set
DISPLAYS = (cst.List, cst.Tuple, cst.Set)
INTROSPECTION = frozenset({"builtins.locals", "builtins.vars", "builtins.eval", "builtins.exec", "sys._getframe",
                           "inspect.currentframe", "inspect.stack"})


@dataclass(frozen=True)
class Test:
    """One ``left in container`` (or ``not in``) test."""

    left: cst.BaseExpression
    target: cst.ComparisonTarget
    comparison: cst.Comparison


@dataclass(frozen=True)
class Candidate:
    """A literal tested against directly (``x in [..]``), or a local bound to one (``L = (..)``)
    that some ``in`` test reads; ``anchor`` is the node whose position names the site."""

    kind: str  # "inline" or "local"
    display: Display
    anchor: cst.CSTNode
    tests: tuple[Test, ...]
    name: cst.Name | None = None
    others: tuple[cst.CSTNode, ...] = ()  # local: uses that are not membership tests


class SetMembership(LegacyTransform):
    """Test membership in a set instead of a list or tuple of constants.

    What it rewrites: ``x in [c1, c2, ...]`` / ``x not in (c1, ...)`` inside a loop or a
    comprehension, or a local ``L = [c1, c2, ...]`` bound once and only ever used as the right
    side of ``in`` tests: the literal becomes the set display ``{c1, c2, ...}``.

    Why it is faster: ``x in {...}`` is one hash lookup; a list or tuple is scanned element by
    element (O(1) instead of O(n)). CPython stores a set display of constants after ``in`` as a
    frozenset constant, so nothing is built per test.

    Example::

        for w in words:                          for w in words:
            if w in ["a", "an", "the"]:    ->        if w in {"a", "an", "the"}:

    Safety preconditions: ``in`` on a list compares with ``is`` then ``==``; on a set it hashes
    first. The two agree when the tested value is hashable and hash agrees with ``==`` for every
    element, so every element must be a constant of a builtin value type (str, bytes, int,
    float, complex, bool, None, tuples of those; duplicates such as 1, 1.0 and True collapse in
    the set, which ``in`` cannot tell apart) and the tested value must be provably hashable: a
    constant, a parameter annotated with such a type (the annotation is trusted), or a local of
    a proven builtin hashable type. An unhashable value (a list, a dataclass with ``eq=True``
    and not frozen) would make the set lookup raise ``TypeError`` where the list test returns
    False: unknown types are refused. The container must not be used otherwise (mutated,
    indexed, iterated for its order, returned, passed on, compared, deleted), str and bytes are
    not mixed (a ``BytesWarning`` under ``python -b`` would differ), and the function does not
    reach its locals by name (``locals``, ``vars``, ``eval``, ``exec``, ``sys._getframe``).
    """

    name: ClassVar[str] = "set-membership"
    description: ClassVar[str] = "test membership in a set literal instead of a list/tuple of constants"
    preconditions: ClassVar[tuple[str, ...]] = (
        "a list/tuple literal tested with `in`/`not in` inside a loop or comprehension, or a local "
        "bound once to one and used only as the right side of `in` tests (not mutated, indexed, "
        "iterated, returned, passed on, compared or deleted)",
        "every element a hashable constant of a builtin value type (str, bytes, int, float, complex, "
        "bool, None, tuples of those); a literal tested directly holds literals only",
        "the tested value provably hashable: a constant, a parameter annotated with a hashable builtin "
        "type, or a local of a proven hashable builtin type (unknown types are refused)",
        "str and bytes are not mixed; the container is not also compared in a chained comparison",
        "the function does not use locals, vars, eval, exec or frame introspection (sys._getframe, inspect)",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # a single test: nothing is repeated
        "def is_vowel(ch: str) -> bool:\n    return ch in ['a', 'e', 'i', 'o', 'u']\n",
        # the tested value may be unhashable (a list in `items` would make a set lookup raise)
        "def known(items):\n    return [x for x in items if x in ['a', 'b']]\n",
        # a dataclass with eq=True and not frozen is unhashable
        "import dataclasses\n\n\n@dataclasses.dataclass\nclass P:\n    x: int\n\n\n"
        "def pick(ps: list[P]) -> list[P]:\n    return [p for p in ps if p in [P(1), P(2)]]\n",
        # elements that are not literals
        "def pick(words: list[str], a: str, b: str) -> list[str]:\n    return [w for w in words if w in [a, b]]\n",
        # the local is mutated, returned, indexed, passed on, iterated
        "def f(words: list[str]) -> int:\n    stop = ['a', 'the']\n    stop.append('an')\n"
        "    return sum(1 for w in words if w in stop)\n",
        "def f(words: list[str]):\n    stop = ('a', 'the')\n    n = sum(1 for w in words if w in stop)\n    return n, stop\n",
        "def f(words: list[str]):\n    stop = ['a', 'the']\n    return [w for w in words if w in stop], stop[0]\n",
        "def f(words: list[str], seen):\n    stop = ['a', 'the']\n    seen(stop)\n"
        "    return [w for w in words if w not in stop]\n",
        "def f(words: list[str]):\n    order = ['b', 'a']\n    for w in words:\n        if w in order:\n"
        "            for o in order:\n                print(o)\n",
        # bound twice
        "def f(words: list[str], short: bool):\n    stop = ['a']\n    if short:\n        stop = ['a', 'an']\n"
        "    return [w for w in words if w in stop]\n",
        # str and bytes mixed
        "def f(words: list[str]):\n    return [w for w in words if w in ['a', b'a']]\n",
        # the literal is also compared (a chained comparison)
        "def f(xs: list[int], other: list[int]):\n    return [x for x in xs if x in [1, 2] == other]\n",
        # locals() could reach the list by name
        "def f(words: list[str]):\n    stop = ['a', 'the']\n    names = locals()\n"
        "    return [w for w in words if w in stop], names\n",
        # empty
        "def f(words: list[str]):\n    return [w for w in words if w in []]\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def vowels(text: str) -> int:\n    return sum(1 for ch in text if ch in ['a', 'e', 'i', 'o', 'u'])\n",
            "def vowels(text: str) -> int:\n    return sum(1 for ch in text if ch in {'a', 'e', 'i', 'o', 'u'})\n",
        ),
        (
            'def keep(words: list[str]) -> list[str]:\n    stop = ("a", "an", "the")  # articles\n    out = []\n'
            "    for w in words:\n        if w.lower() not in stop:\n            out.append(w)\n    return out\n",
            'def keep(words: list[str]) -> list[str]:\n    stop = {"a", "an", "the"}  # articles\n    out = []\n'
            "    for w in words:\n        if w.lower() not in stop:\n            out.append(w)\n    return out\n",
        ),
        (
            "def marks(n: int) -> list[int]:\n    found = []\n    for i in range(n):\n"
            "        if i % 7 in ( 1, 2, 3 ) and i not in [10, 20]:\n            found.append(i)\n    return found\n",
            "def marks(n: int) -> list[int]:\n    found = []\n    for i in range(n):\n"
            "        if i % 7 in { 1, 2, 3 } and i not in {10, 20}:\n            found.append(i)\n    return found\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            for k, candidate in enumerate(candidates(index, fn)):
                target = f"{ctx.module}:{fn.qualname}#{k}"
                found.append(self.site(target, self.reasons(index, fn, candidate), _features(index, fn, candidate)))
        return found

    @staticmethod
    def reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
        if isinstance(candidate.display, cst.Set):
            return ["already a set"]
        try:
            facts = type_facts.facts(index, fn)
            reasons = _element_reasons(index, facts, candidate)
            reasons += [r for test in candidate.tests for r in _test_reasons(index, facts, candidate, test)]
        except RecursionError:
            return ["an expression is too deeply nested to analyze"]
        if candidate.kind == "local":
            reasons += _local_reasons(index, fn, candidate)
        if not any(repeats(index, test.comparison) for test in candidate.tests):
            reasons.append("no membership test runs repeatedly (none inside a loop or comprehension)")
        return reasons

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        display = candidates(index, fn)[int(k)].display
        return replace_nodes(index.tree, {id(display): as_set(display)})


# --- finding candidates ----------------------------------------------------------------------


def candidates(index: ModuleIndex, fn: FunctionInfo) -> list[Candidate]:
    """In source order; a rewritten literal stays a candidate (a set), so ids do not shift."""
    found = []
    for node in index.own_nodes(fn.node):
        if isinstance(node, cst.ComparisonTarget) and _membership(node) and isinstance(node.comparator, DISPLAYS):
            found.append(Candidate("inline", node.comparator, node, (_test(index, node),)))
        elif isinstance(node, cst.Assign):
            local = _local(index, node)
            if local is not None:
                found.append(local)
    return found


def _membership(target: cst.ComparisonTarget) -> bool:
    return isinstance(target.operator, (cst.In, cst.NotIn))


def _test(index: ModuleIndex, target: cst.ComparisonTarget) -> Test:
    comparison = index.parent(target)
    assert isinstance(comparison, cst.Comparison)
    position = next(i for i, c in enumerate(comparison.comparisons) if c is target)
    left = comparison.left if position == 0 else comparison.comparisons[position - 1].comparator
    return Test(left, target, comparison)


def _local(index: ModuleIndex, assign: cst.Assign) -> Candidate | None:
    if len(assign.targets) != 1 or not isinstance(assign.value, DISPLAYS):
        return None
    name = assign.targets[0].target
    if not isinstance(name, cst.Name) or index.binding(name) != "local":
        return None
    tests, others = [], []
    for ref in _references(index, name):
        parent = index.parent(ref)
        if isinstance(parent, cst.ComparisonTarget) and parent.comparator is ref and _membership(parent):
            tests.append(_test(index, parent))
        else:
            others.append(ref)
    if not tests:
        return None
    return Candidate("local", assign.value, assign, tuple(tests), name, tuple(others))


def _references(index: ModuleIndex, name: cst.Name) -> list[cst.CSTNode]:
    for assignment in index.assignments(name):
        if isinstance(assignment, Assignment) and assignment.node is name:
            return [access.node for access in assignment.references]
    return []


# --- checks ------------------------------------------------------------------------------------


def _element_reasons(index: ModuleIndex, facts: TypeFacts, candidate: Candidate) -> list[str]:
    elements = candidate.display.elements
    if not elements:
        return ["the literal is empty"]
    reasons = []
    for element in elements:
        shown = index.code(element.value)
        if not isinstance(element, cst.Element):
            reasons.append(f"unpacks `*{shown}`")
        elif candidate.kind == "inline" and not _literal(element.value):
            reasons.append(f"element `{shown}` is not a literal (a set display would be rebuilt on every test)")
        elif candidate.kind == "local" and not (_literal(element.value) or isinstance(element.value, cst.Name)):
            reasons.append(f"element `{shown}` is not a constant or a name")
        elif not vt.hashable(facts.of(element.value)):
            reasons.append(f"element `{shown}` is not provably hashable ({vt.show(facts.of(element.value))})")
    return reasons


def _literal(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(expr, cst.ConcatenatedString):
        return _literal(expr.left) and _literal(expr.right)
    if isinstance(expr, cst.Name):
        return expr.value in ("True", "False", "None")
    if isinstance(expr, cst.UnaryOperation):
        return isinstance(expr.operator, (cst.Minus, cst.Plus)) and isinstance(
            expr.expression, (cst.Integer, cst.Float, cst.Imaginary))
    if isinstance(expr, cst.Tuple):
        return all(isinstance(e, cst.Element) and _literal(e.value) for e in expr.elements)
    return False


def _test_reasons(index: ModuleIndex, facts: TypeFacts, candidate: Candidate, test: Test) -> list[str]:
    reasons = []
    left = facts.of(test.left)
    if not vt.hashable(left):
        container = "tuple" if isinstance(candidate.display, cst.Tuple) else "list"
        reasons.append(f"`{index.code(test.left)}` is not provably hashable ({vt.show(left)}): a set lookup "
                       f"would raise TypeError where the {container} test is False")
    if test.target is not test.comparison.comparisons[-1]:
        reasons.append(f"`{index.code(test.target.comparator)}` is also compared in a chained comparison")
    tags = {k.tag for k in left} | {k.tag for e in candidate.display.elements for k in facts.of(e.value)}
    if {"str", "bytes"} <= tags:
        reasons.append("mixes str and bytes (a BytesWarning under `python -b` would differ)")
    return reasons


def _local_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
    name = candidate.name
    assert name is not None
    reasons = []
    if len(index.assignments(name)) != 1:
        reasons.append(f"`{name.value}` is bound more than once")
    if name.value in deleted_names(index, fn):
        reasons.append(f"`{name.value}` is deleted")
    for other in candidate.others:
        parent = index.parent(other)
        shown = index.code(parent) if parent is not None else name.value
        reasons.append(f"`{name.value}` is used other than as the right side of `in` ({shown})")
    for access, _ in index.scan(fn).accesses:
        qualified = index.qualified_name(index.chain_top(access))
        if qualified in INTROSPECTION:
            reasons.append(f"uses {qualified.removeprefix('builtins.')} (could reach `{name.value}` by name)")
    return reasons


def _features(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> dict[str, float]:
    return function_features(index, fn) | {
        "form": 0 if candidate.kind == "inline" else 1,
        "site_loop_depth": max(repeats(index, test.comparison) for test in candidate.tests),
        "n_elements": len(candidate.display.elements),
    }


# --- rewriting ----------------------------------------------------------------------------------


def as_set(display: Display) -> cst.Set:
    """The set display with the same elements, keeping the whitespace inside the brackets."""
    if isinstance(display, cst.Set):
        return display
    if isinstance(display, cst.List):
        return cst.Set(display.elements, cst.LeftCurlyBrace(display.lbracket.whitespace_after),
                       cst.RightCurlyBrace(display.rbracket.whitespace_before), display.lpar, display.rpar)
    if not display.lpar:
        return cst.Set(display.elements)
    return cst.Set(display.elements, cst.LeftCurlyBrace(display.lpar[-1].whitespace_after),
                   cst.RightCurlyBrace(display.rpar[0].whitespace_before), display.lpar[:-1], display.rpar[1:])
