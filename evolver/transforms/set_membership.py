"""set-membership: membership tests against a list or tuple of constants, or against a list the
function builds with ``append``, become set lookups."""

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
from evolver.analysis.uses import introspection
from evolver.model import Site
from evolver.transforms._cst import CstView
from evolver.transforms._guards import builtin_reasons
from evolver.transforms._membership_built import PLAIN, as_set, built_reasons, needs_guard, rewrite_built
from evolver.transforms.base import GENERATED, Candidate, Context, Example, Transform, Verdict, leave, rewrite

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

    kind: str = "inline"  # "inline", "local", or "built" (a local list grown by append)
    tests: tuple[Test, ...] = ()
    name: ast.Name | None = None
    others: tuple[ast.AST, ...] = field(default=())  # local: uses that are not membership tests (nor appends)
    appends: tuple[ast.Call, ...] = field(default=())  # built: the ``name.append(x)`` calls


class SetMembership(Transform):
    """Test membership in a set instead of a list or tuple of constants, or of a list built by append.

    What it rewrites: ``x in [c1, c2, ...]`` / ``x not in (c1, ...)`` inside a loop or a
    comprehension, or a local ``L = [c1, c2, ...]`` bound once and only ever used as the right side
    of ``in`` tests: the literal becomes the set display ``{c1, c2, ...}``.

    A local list that the function builds with ``append`` and tests with ``in`` (``if v in seen:
    ...; seen.append(v)``) becomes a set (``seen = set()``, ``seen.add(v)``) when nothing else uses
    it; when something else does (it is returned, iterated, measured), the list stays and a set
    kept beside it answers the tests: ``_evolver_seen = set()`` after the binding,
    ``_evolver_seen.add(seen[-1])`` after each append (the value is evaluated once).

    Why it is faster: ``x in {...}`` is one hash lookup; a list or tuple is scanned element by
    element (O(1) instead of O(n)). CPython stores a set display of constants after ``in`` as a
    frozenset constant, so nothing is built per test.

    Example::

        for w in re.findall("[a-z]+", text):         for w in re.findall("[a-z]+", text):
            if w in ["a", "the"]:              ->        if w in {"a", "the"}:

    Rewrite safety: ``in`` on a list compares with ``is`` then ``==``; on a set it hashes first.
    The two agree when the tested value is hashable and its hash agrees with ``==`` for every
    element, so every element must be a constant of a builtin value type (str, bytes, int, float,
    complex, bool, None, tuples of those; duplicates such as 1, 1.0 and True collapse in the set,
    which ``in`` cannot tell apart) and the tested value provably hashable: a builtin hashable value
    by construction. A value an annotation only declares so (a subclass instance may stand in, whose
    ``__hash__`` need not agree with its ``__eq__``, or something unhashable despite the annotation)
    is sent to the set only when its type is exactly the declared one, tested where the literal is
    tested directly: ``(w in {"GET", "POST"} if type(w) is str else w in ["GET", "POST"])``; the
    value must be a plain name (read twice) in a single comparison, and a local literal is refused
    for it. (A list built by append still takes a declared value at its word: annotations-hold,
    hash-agrees-with-eq.) An unhashable value (a list, a ``bytes`` annotation's bytearray, a dataclass with
    ``eq=True``) would make the set lookup raise ``TypeError`` where the list test returns False:
    unknown types are refused. The container must not be used otherwise (mutated, indexed, iterated
    for its order, returned, passed on, compared, deleted), str and bytes are not mixed (a
    ``BytesWarning`` under ``python -b`` would differ), and the function does not reach its locals by
    name (``locals``, ``vars``, ``eval``, ``exec``, ``sys._getframe``; assumption frames-not-inspected
    for a local container). A list built by append: every appended value provably hashable as well
    (``set.add`` raises ``TypeError`` on an unhashable one, ``list.append`` does not), the name bound
    once, to a list display; a list kept beside its set is otherwise only read, iterated, viewed or
    returned (anything that could change it behind the set's back, or hand it to code that could, is
    refused), and each append is a statement of its own. A tested or appended value that is not
    provably hashable (unknown, or computed from declared values: ``pow(base, i, m)`` of int
    parameters may run a subclass's ``__pow__``) is checked at run time instead: the list is kept, a
    test asks the set only when ``type(v)`` is exactly int, float, str, bytes or bool (whose hashes
    agree with ``==`` across them) and the set is still whole; an append adds to the set only such a
    value, and drops the set for good (``None``) on any other. The tested value must then be a plain
    name (it is read twice), a value provably never hashable is refused, and the builtins the check
    reads are not rebound.
    """

    name: ClassVar[str] = "set-membership"
    description: ClassVar[str] = "test membership in a set literal instead of a list/tuple of constants"
    preconditions: ClassVar[tuple[str, ...]] = (
        "a list/tuple literal tested with `in`/`not in` inside a loop or comprehension, or a local "
        "bound once to one and used only as the right side of `in` tests (not mutated, indexed, "
        "iterated, returned, passed on, compared or deleted)",
        "every element a hashable constant of a builtin value type (str, bytes, int, float, complex, "
        "bool, None, tuples of those); a literal tested directly holds literals only",
        "the tested value provably hashable: a constant, a value of a builtin hashable type by construction, or "
        "one declared so by an annotation, then tested exactly at run time (a plain name, a literal tested directly); "
        "unknown types are refused",
        "str and bytes are not mixed; the container is not also compared in a chained comparison",
        "the function does not use locals, vars, eval, exec or frame introspection (sys._getframe, inspect)",
        "a local list built by `append`: every appended value provably hashable; if used otherwise than by "
        "tests and appends, only read, iterated or returned, and each append a statement of its own; a value not "
        "provably hashable checked at run time (a plain name when tested, never a value that cannot be hashable)",
    )
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def is_vowel(ch: str) -> bool:\n    return ch in ['a', 'e', 'i', 'o', 'u']\n", "runs repeatedly"),
        leave("def known(items):\n    return [x for x in items if x.lower() in ['a', 'b']]\n", "not provably hashable"),
        leave("import dataclasses\n\n\n@dataclasses.dataclass\nclass P:\n    x: int\n\n\n"
              "def pick(ps: list[P]) -> list[P]:\n    return [p for p in ps if p in [(1, 2), (3, 4)]]\n",
              "not provably hashable"),
        leave("def pick(words: list[str], a: str, b: str) -> list[str]:\n    return [w for w in words if w.lower() in [a, b]]\n",
              "not a literal"),
        leave("def f(words: list[str]) -> int:\n    stop = ['a', 'the']\n    stop.remove('a')\n"
              "    return sum(1 for w in words if w.lower() in stop)\n", "could change it"),
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
        leave("def f(rows: list[list[int]]) -> int:\n    seen = []\n    for r in rows:\n        if r not in seen:\n"
              "            seen.append(r)\n    return len(seen)\n", "not provably hashable"),
        leave("def f(xs: list[int], log) -> int:\n    seen = []\n    for x in xs:\n        if x not in seen:\n"
              "            seen.append(x)\n            log(seen)\n    return len(seen)\n", "could change it"),
    )
    examples += (
        rewrite("import re\n\n\ndef content(text: str) -> int:\n"
                "    return sum(1 for w in re.findall(r'[a-z]+', text) if w not in ['a', 'an', 'the'])\n",
                "import re\n\n\ndef content(text: str) -> int:\n"
                "    return sum(1 for w in re.findall(r'[a-z]+', text) if w not in {'a', 'an', 'the'})\n"),
        rewrite("def codes(n: int) -> list[int]:\n    odd = (1, 3, 5, 7, 9)  # last digits\n    out = []\n"
                "    for i in range(n):\n        if i % 10 in odd:\n            out.append(i)\n    return out\n",
                "def codes(n: int) -> list[int]:\n    odd = {1, 3, 5, 7, 9}  # last digits\n    out = []\n"
                "    for i in range(n):\n        if i % 10 in odd:\n            out.append(i)\n    return out\n"),
        rewrite("def marks(n: int) -> list[int]:\n    found = []\n    for i in range(n):\n"
                "        if i % 7 in ( 1, 2, 3 ) and i not in [10, 20]:\n            found.append(i)\n    return found\n",
                "def marks(n: int) -> list[int]:\n    found = []\n    for i in range(n):\n"
                "        if i % 7 in { 1, 2, 3 } and i not in {10, 20}:\n            found.append(i)\n    return found\n"),
        rewrite("def firsts(n: int) -> int:\n    seen = []\n    count = 0\n    for i in range(n):\n"
                "        v = pow(i, 2, 1009)\n        if v not in seen:\n            seen.append(v)\n            count += 1\n"
                "    return count\n",
                "def firsts(n: int) -> int:\n    seen = set()\n    count = 0\n    for i in range(n):\n"
                "        v = pow(i, 2, 1009)\n        if v not in seen:\n            seen.add(v)\n            count += 1\n"
                "    return count\n"),
        rewrite("def cycle(seed: int, m: int) -> list[int]:\n    order = []\n    v = seed\n    while v not in order:\n"
                "        order.append(v)\n        v = (v * v + 1) % m\n    return order\n",
                "def cycle(seed: int, m: int) -> list[int]:\n    order = []\n    _evolver_order = set()\n    v = seed\n"
                "    while v not in _evolver_order:\n"
                "        order.append(v)\n        _evolver_order.add(order[-1])\n        v = (v * v + 1) % m\n    return order\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Membership]:
        """In source order; a rewritten literal stays a candidate (a set), so ids do not shift."""
        found: list[Membership] = []
        for node in index.own_nodes(fn):
            if isinstance(node, ast.Compare) and not _fallback(index, node):
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
        features = {"form": 0 if candidate.kind == "inline" else 1, "n_elements": len(getattr(candidate.node, "elts", ())),
                    "site_loop_depth": max((repeats(index, t.comparison) for t in candidate.tests), default=0)}
        if isinstance(candidate.node, (ast.Set, ast.Call)) or (
                candidate.name is not None and _shadowed(index, fn, candidate.name.id)):
            return Verdict(["already a set"], features=features)
        features["form"] = {"inline": 0, "local": 1, "built": 2}[candidate.kind]
        facts = types.facts(index, fn)
        reasons = _element_reasons(index, facts, candidate) if candidate.node.elts or candidate.kind != "built" else []  # type: ignore[attr-defined]
        guarding = candidate.kind == "built" and needs_guard(facts, candidate)
        reasons += [r for test in candidate.tests for r in _test_reasons(index, facts, candidate, test)
                    if not (guarding and "not provably hashable" in r)]
        assumptions = []
        values = [t.left for t in candidate.tests] + [call.args[0] for call in candidate.appends]
        guarded = candidate.kind == "built" and needs_guard(facts, candidate)
        declared = [t for t in candidate.tests if candidate.kind != "built" and not k.hashable(facts.of(t.left))
                    and k.hashable(facts.of(t.left), declared=True)]
        if guarded:
            features["guarded"] = 1
        elif declared:
            reasons += _declared_reasons(index, fn, facts, candidate, declared)
            features["guarded"] = 1
        elif not all(k.hashable(facts.of(v)) for v in values):
            assumptions += ["annotations-hold", "hash-agrees-with-eq"]  # a subclass of a declared type may stand in
        if candidate.kind in ("local", "built"):
            reasons += _local_reasons(index, fn, candidate)
            assumptions.append("frames-not-inspected")
        if candidate.kind == "built":
            reasons += built_reasons(index, fn, facts, candidate)
        if not any(repeats(index, test.comparison) for test in candidate.tests):
            reasons.append("no membership test runs repeatedly (none inside a loop or comprehension)")
        notes = ["values not provably hashable: a run-time check `type(v) in (...)` sends plainly hashable ones to "
                 "the set; once the list holds another value, the list answers alone"] if guarded else []
        notes += [f"`{index.code(t.left)}` is only declared {k.show(facts.of(t.left))}: the set answers when "
                  f"`{_exact_test(facts, t)}`, the literal otherwise" for t in declared]
        return Verdict(reasons, notes, assumptions=assumptions, features=features)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, candidate = self.find(index, site, ctx)
        view = CstView.of(index)
        if candidate.kind == "built":
            return rewrite_built(index, fn, view, candidate)
        display: cst.List | cst.Tuple = view.node(candidate.node, cst.List) if isinstance(candidate.node, ast.List) \
            else view.node(candidate.node, cst.Tuple)
        facts = types.facts(index, fn)
        test = candidate.tests[0]
        if not k.hashable(facts.of(test.left)):  # only declared hashable: the set answers for exact values
            comparison = view.node(test.comparison, cst.Comparison)
            target = comparison.comparisons[0]
            fast = comparison.with_changes(comparisons=[target.with_changes(comparator=as_set(display))],
                                           lpar=[], rpar=[])
            guarded = cst.IfExp(view.parse_expression(_exact_test(facts, test)), fast,
                                comparison.with_changes(lpar=[], rpar=[]),
                                lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            return view.replace({id(comparison): guarded}).code
        return view.replace({id(display): as_set(display)}).code


def _local(index: ModuleIndex, fn: FunctionInfo, assign: ast.Assign, number: int) -> Membership | None:
    """A local bound to a display (or to ``set()``: one this transform wrote) that ``in`` tests read."""
    value = assign.value
    if len(assign.targets) != 1 or not isinstance(assign.targets[0], ast.Name):
        return None
    name = assign.targets[0]
    if name.id.startswith(GENERATED):
        return None  # the set this transform keeps beside a list: the list is the candidate
    empty_set = isinstance(value, ast.Call) and index.qualified_name(value.func) == "builtins.set" \
        and not value.args and not value.keywords  # what a list tested and appended to becomes
    if not (isinstance(value, DISPLAYS) or empty_set):
        return None
    if index.resolve_store(name) is not index.function_scope(fn):
        return None
    tests, others, appends = [], [], []
    for read in index.function_scope(fn).references.get(name.id, []):
        parent = index.parent(read)
        if isinstance(parent, ast.Compare) and read in parent.comparators:
            position = parent.comparators.index(read)
            if isinstance(parent.ops[position], (ast.In, ast.NotIn)):
                left = parent.left if position == 0 else parent.comparators[position - 1]
                tests.append(Test(left, parent, position))
                continue
        call = index.parent(parent) if isinstance(parent, ast.Attribute) and parent.value is read else None
        if isinstance(call, ast.Call) and isinstance(parent, ast.Attribute) and call.func is parent \
                and parent.attr in ("append", "add") \
                and len(call.args) == 1 and not call.keywords and not isinstance(call.args[0], ast.Starred):
            appends.append(call)
            continue
        others.append(read)
    if not tests and not _shadowed(index, fn, name.id):
        return None
    kind = "built" if appends or empty_set or (others and isinstance(value, ast.List)) else "local"
    return Membership(value, number, kind, tuple(tests), name, tuple(others), tuple(appends))


def _fallback(index: ModuleIndex, test: ast.Compare) -> bool:
    """The literal's own test kept behind this transform's run-time check (``(w in {..} if type(w) is
    str else w in [..])``): part of the site the set stands for, not a site of its own."""
    parent = index.parent(test)
    return isinstance(parent, ast.IfExp) and parent.orelse is test and isinstance(parent.body, ast.Compare) \
        and len(parent.body.comparators) == 1 and isinstance(parent.body.comparators[0], ast.Set) \
        and ast.dump(parent.body.left) == ast.dump(test.left) and isinstance(parent.test, ast.Compare) \
        and isinstance(parent.test.left, ast.Call) and index.qualified_name(parent.test.left.func) == "builtins.type"


def _shadowed(index: ModuleIndex, fn: FunctionInfo, name: str) -> bool:
    """A set this transform keeps beside the list ``name`` is there already."""
    return any(GENERATED + name in scope.bindings for scope in index.function_scopes(fn))


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
    if not k.hashable(left, declared=True):
        container = "tuple" if isinstance(candidate.node, ast.Tuple) else "list"
        reasons.append(f"`{index.code(test.left)}` is not provably hashable ({k.show(left)}): a set lookup would "
                       f"raise TypeError where the {container} test is False")
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


def _declared_reasons(index: ModuleIndex, fn: FunctionInfo, facts: types.TypeFacts, candidate: Membership,
                      tests: list[Test]) -> list[str]:
    """A tested value only declared hashable (an annotation: a subclass may hash unlike its ``==``, or
    be unhashable after all) is sent to the set only when its type is exactly a plain one; the literal
    answers otherwise. That needs the literal tested directly, a name read twice, one comparison."""
    reasons = []
    for test in tests:
        shown = f"`{index.code(test.left)}` is only declared {k.show(facts.of(test.left))}"
        if candidate.kind != "inline":
            reasons.append(f"{shown} (a subclass may hash unlike its ==), and the literal is a local: the run-time "
                           "check that sends exact values to a set is made only where a literal is tested directly")
        elif not (isinstance(test.left, ast.Name) and index.binding(test.left) in ("local", "param")):
            reasons.append(f"{shown} (a subclass may hash unlike its ==), and it is not a plain name that a run-time "
                           "check could read twice")
        elif len(test.comparison.ops) != 1:
            reasons.append(f"{shown} (a subclass may hash unlike its ==), in a chained comparison")
        elif not k.bases(facts.of(test.left)) <= PLAIN:
            reasons.append(f"{shown} (a subclass may hash unlike its ==), and no exact type check covers it")
    return reasons + builtin_reasons(index, fn, ["type"])


def _exact_test(facts: types.TypeFacts, test: Test) -> str:
    """``type(w) is str``: the value is exactly of a plain hashable type it is declared as."""
    name = ast.unparse(test.left)
    bases = sorted(k.bases(facts.of(test.left)) & PLAIN)
    return f"type({name}) is {bases[0]}" if len(bases) == 1 else f"type({name}) in ({', '.join(bases)})"


def _local_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Membership) -> list[str]:
    name = candidate.name
    assert name is not None
    reasons = []
    if len(index.function_scope(fn).bindings.get(name.id, [])) != 1:
        reasons.append(f"`{name.id}` is bound more than once")
    if name.id in deleted_names(index, fn):
        reasons.append(f"`{name.id}` is deleted")
    for other in candidate.others if candidate.kind == "local" else ():
        parent = index.parent(other)
        reasons.append(f"`{name.id}` is used other than as the right side of `in` ({index.code(parent or other)})")
    for shown in introspection(index, fn):
        reasons.append(f"uses {shown} (could reach `{name.id}` by name)")
    return reasons
