"""dict-items: iterate a dict's items instead of looking every key up again."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.rebinding import global_binding_reasons, region_reasons
from evolver.analysis.tree import enclosing_loops, inside_any, within
from evolver.analysis.uses import variable_refs
from evolver.model import Site
from evolver.transforms._cst import CstView
from evolver.transforms._guards import builtin_reasons
from evolver.transforms.base import (
    NO_SITE,
    Candidate,
    Context,
    Example,
    Transform,
    Verdict,
    leave,
    not_applicable,
    rewrite,
)


@dataclass(frozen=True)
class Loop(Candidate):
    """``for key in mapping:`` (or ``mapping.keys()``) whose body starts with ``value = mapping[key]``
    (``key`` None: a loop over ``x.items()`` already, kept so that site numbers stay put)."""

    key: ast.Name | None = None
    mapping: ast.Name | None = None
    value: ast.Name | None = None
    keys_call: bool = False


class DictItems(Transform):
    """Iterate ``d.items()`` instead of indexing ``d`` with every key.

    What it rewrites: inside a function, a loop ``for k in d:`` (or ``for k in d.keys():``) whose
    body starts with ``v = d[k]`` becomes ``for k, v in d.items():`` without that line (its comments
    move to the next line).

    Why it is faster: one hash lookup less per element (perflint W8201, ruff PERF102's cousin).

    Example::

        for name in ages:                   for name, age in ages.items():
            age = ages[name]          ->        total += age
            total += age

    Rewrite safety: ``d`` is exactly a dict (a display, a comprehension, ``dict()``,
    ``collections.defaultdict(...)`` made in the function, or a module constant bound to one: an
    annotation only says "a dict or a subclass", and a subclass's own ``__getitem__``, ``__iter__``
    or ``items`` may disagree), so ``d[k]`` for a key being iterated is the value ``items()`` yields
    (a defaultdict's ``__missing__`` never runs for a present key). A ``d`` only annotated as a dict
    is rewritten behind a run-time guard: ``if type(d) is dict:`` the new loop, ``else:`` the
    original one (``type`` and ``dict`` must be the builtins there; an annotated defaultdict is
    refused: the guard would not let it through). Its keys are builtin hashable
    values (a str, an int, a tuple of those, maybe of a subclass): ``d[k]`` runs the key's
    ``__hash__`` and ``__eq__`` again, ``items()`` does not (assumptions quiet-special-methods,
    hash-agrees-with-eq). Nothing runs between fetching the next key and ``v = d[k]`` but binding
    ``k``, so both read the value at the same moment, whatever the body does; a size change raises
    RuntimeError in both. ``d`` names the same dict throughout the loop: a local or parameter not
    rebound in the body, or a module global bound once that no code the loop runs rebinds (through
    ``global``, ``globals()[...]`` or ``setattr`` on the module: ``evolver.analysis.rebinding``).
    ``k`` and ``v`` are plain, distinct names. Relies on: module-globals-private,
    quiet-special-methods, hash-agrees-with-eq, annotations-hold (a key's kind).
    """

    name: ClassVar[str] = "dict-items"
    description: ClassVar[str] = "iterate d.items() instead of looking up d[k] for every key"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `for k in d:` or `for k in d.keys():` (not async) whose body starts with `v = d[k]` "
        "and has more after it, inside a function; k, v, d distinct plain names",
        "d is provably a dict (display, comprehension, dict(), collections.defaultdict made here, or a module "
        "constant bound to one: exactly dict), or annotated a dict and guarded at run time (`type(d) is dict`, "
        "the original loop for anything else); its keys builtin hashable values (d[k] hashes a key again)",
        "d names the same dict through the loop: a local or parameter not rebound in the loop body nor by a "
        "nested function (nonlocal), or a module global bound once that nothing the loop runs rebinds",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("module-globals-private", "quiet-special-methods",
                                              "hash-agrees-with-eq", "annotations-hold")
    examples: ClassVar[tuple[Example, ...]] = (
        # the lookup is not the first statement
        leave("def total(prices: dict[str, int]):\n    s = 0\n    for k in prices:\n        s += 1\n"
              "        s += prices[k]\n    return s\n", NO_SITE),
        # nothing else in the body
        leave("def last():\n    prices = {'a': 1}\n    for k in prices:\n        v = prices[k]\n    return v\n", NO_SITE),
        leave("def total(prices):\n    s = 0\n    for k in prices:\n        v = prices[k]\n        s += v\n    return s\n",
              "not provably a dict"),
        # a subclass's __getitem__ may disagree with items(), and the guard's builtins are not the builtins
        leave("def total(prices: dict[str, int], type=None):\n    s = 0\n    for k in prices:\n        v = prices[k]\n"
              "        s += v\n    return s\n", "only annotated.*`type` is not the builtin here"),
        leave("import typing\n\n\ndef total(prices: typing.DefaultDict[str, int]):\n    s = 0\n    for k in prices:\n"
              "        v = prices[k]\n        s += v\n    return s\n", "only annotated.*may be a defaultdict"),
        leave("def walk(other: dict[str, int]):\n    tree = {'a': 1}\n    for k in tree:\n        v = tree[k]\n"
              "        tree = other\n    return v\n", "rebound in the loop"),
        leave("PRICES = {'a': 1}\n\n\ndef reset():\n    global PRICES\n    PRICES = {}\n\n\n"
              "def total():\n    s = 0\n    for k in PRICES:\n        v = PRICES[k]\n        s += v\n    return s\n",
              "bound more than once"),
        # d[k] runs each key's own __hash__ again
        leave("def total(pairs):\n    d = dict(pairs)\n    s = 0\n    for k in d:\n        v = d[k]\n        s += v\n"
              "    return s\n", "keys of `d` are not provably builtin hashable"),
        leave("def last(d: dict[str, str]):\n    out = ''\n    for k in d:\n        k = d[k]\n        out += k\n"
              "    return out\n", "not three different names"),
    )
    examples += (
        rewrite("def total(names: list[str]) -> int:\n    ages = {n: len(n) for n in names}\n    s = 0\n"
                "    for name in ages:  # every person\n        # their age\n        age = ages[name]  # looked up\n"
                "        s += age\n    return s\n",
                "def total(names: list[str]) -> int:\n    ages = {n: len(n) for n in names}\n    s = 0\n"
                "    for name, age in ages.items():  # every person\n        # their age\n        # looked up\n"
                "        s += age\n    return s\n"),
        rewrite("import collections\n\n\ndef invert(pairs: list[tuple[str, int]]):\n"
                "    index = collections.defaultdict(list)\n"
                "    for a, b in pairs:\n        index[a].append(b)\n    out = {}\n    for key in index.keys():\n"
                "        values = index[key]\n        for v in values:\n            out[v] = key\n    return out\n",
                "import collections\n\n\ndef invert(pairs: list[tuple[str, int]]):\n"
                "    index = collections.defaultdict(list)\n"
                "    for a, b in pairs:\n        index[a].append(b)\n    out = {}\n    for key, values in index.items():\n"
                "        for v in values:\n            out[v] = key\n    return out\n"),
        rewrite("def total(prices: dict[str, int]):\n    s = 0\n    # each\n    for k in prices:\n        v = prices[k]\n"
                "        s += v\n    return s\n",
                "def total(prices: dict[str, int]):\n    s = 0\n    # each\n    if type(prices) is dict:\n"
                "        for k, v in prices.items():\n            s += v\n    else:\n        for k in prices:\n"
                "            v = prices[k]\n            s += v\n    return s\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Loop]:
        """Loops over a dict with a lookup first, and loops over ``x.items()`` with two names (what
        they become: site numbers stay put)."""
        found: list[Loop] = []
        fallbacks = [guarded.orelse[0] for guarded in index.own(fn, ast.If, lambdas=False)
                     if _guarded_form(guarded)]
        for node in index.own(fn, (ast.For, ast.AsyncFor), lambdas=False):
            if any(node is f or within(index, node, f) for f in fallbacks):
                continue  # the loop a guarded rewrite keeps for a subclass: part of that site
            loop = _loop(node, len(found))  # type: ignore[arg-type]
            if loop is not None:
                found.append(loop)
        return found

    def check(self, index: ModuleIndex, fn: FunctionInfo, loop: Loop, ctx: Context) -> Verdict:
        features = {"form": int(loop.keys_call), "site_loop_depth": len(enclosing_loops(index, loop.node, fn.node))}
        if loop.key is None or loop.mapping is None or loop.value is None:
            return Verdict(["iterates items() already"], features=features)
        reasons: list[str] = []
        notes: list[str] = []
        if isinstance(loop.node, ast.AsyncFor):
            reasons.append("the loop is asynchronous")
        if len({loop.key.id, loop.mapping.id, loop.value.id}) != 3:
            reasons.append("the key, the value and the dict are not three different names")
        name = loop.mapping.id
        kinds = types.facts(index, fn).of(loop.mapping)
        if not k.known(kinds) or not k.is_(kinds, ("dict", "defaultdict")):
            reasons.append(f"`{name}` is not provably a dict (a mapping's own __getitem__ may disagree with its items())")
        elif not k.exactly(kinds, ("dict", "defaultdict")):
            blocked = [] if k.is_(kinds, ("dict",)) else [f"`{name}` may be a defaultdict, which `type({name}) is "
                                                            "dict` would not let through"]
            blocked += builtin_reasons(index, fn, ["type", "dict"])
            if blocked:
                reasons.append(f"`{name}` is not provably a dict itself, only annotated one: a subclass's own "
                               f"__getitem__ may disagree with its items(), and no run-time guard fits ({blocked[0]})")
            else:
                notes.append(f"behind a run-time guard (type({name}) is dict): a subclass runs the original loop")
        if k.known(kinds) and k.is_(kinds, ("dict", "defaultdict")) and not k.hashable(k.elements(kinds), declared=True):
            reasons.append(f"the keys of `{name}` are not provably builtin hashable values: `{name}[{loop.key.id}]` "
                           "runs a key's own __hash__ and __eq__ again (items() does not)")
        reasons += _rebinding_reasons(index, fn, loop, loop.mapping)
        features["guarded"] = int(bool(notes))
        return Verdict(reasons, notes=notes if not reasons else [], features=features)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, loop = self.find(index, site, ctx)
        verdict = self.check(index, fn, loop, ctx)
        if verdict.reasons:
            raise not_applicable(site, verdict)
        view = CstView.of(index)
        node = view.node(loop.node, cst.For)
        fast: cst.BaseStatement = _itemized(node, loop)
        if verdict.notes and loop.mapping is not None:  # guarded: a subclass keeps the original loop
            fast = cst.If(view.parse_expression(f"type({loop.mapping.id}) is dict"),
                          cst.IndentedBlock([fast.with_changes(leading_lines=[])]),
                          orelse=cst.Else(cst.IndentedBlock([node.with_changes(leading_lines=[])])),
                          leading_lines=node.leading_lines)
        return view.replace({id(node): fast}).code


def _loop(node: ast.For | ast.AsyncFor, number: int) -> Loop | None:
    target, mapping, keys_call = node.target, node.iter, False
    if isinstance(target, ast.Tuple) and len(target.elts) == 2 and all(isinstance(e, ast.Name) for e in target.elts) \
            and isinstance(mapping, ast.Call) and isinstance(mapping.func, ast.Attribute) \
            and mapping.func.attr == "items" and not mapping.args and not mapping.keywords:
        return Loop(node, number)
    if isinstance(mapping, ast.Call) and isinstance(mapping.func, ast.Attribute) and mapping.func.attr == "keys" \
            and not mapping.args and not mapping.keywords:
        mapping, keys_call = mapping.func.value, True
    if not (isinstance(target, ast.Name) and isinstance(mapping, ast.Name) and len(node.body) > 1):
        return None
    first = node.body[0]
    if not (isinstance(first, ast.Assign) and len(first.targets) == 1 and isinstance(first.targets[0], ast.Name)):
        return None
    value = first.value
    if not (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and value.value.id == mapping.id
            and isinstance(value.slice, ast.Name) and value.slice.id == target.id):
        return None
    return Loop(node, number, target, mapping, first.targets[0], keys_call)


def _guarded_form(node: ast.If) -> bool:
    """``if type(d) is dict: for k, v in d.items(): ... else: <the loop over d>`` (what a guarded
    rewrite makes)."""
    test = node.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is)
            and isinstance(test.left, ast.Call) and isinstance(test.left.func, ast.Name) and test.left.func.id == "type"
            and len(test.left.args) == 1 and isinstance(test.left.args[0], ast.Name)
            and isinstance(test.comparators[0], ast.Name) and test.comparators[0].id == "dict"):
        return False
    name = test.left.args[0].id
    if not (len(node.body) == 1 and len(node.orelse) == 1 and isinstance(node.body[0], ast.For)
            and isinstance(node.orelse[0], ast.For)):
        return False
    fast, original = _loop(node.body[0], 0), _loop(node.orelse[0], 0)
    items = node.body[0].iter
    return (fast is not None and fast.key is None and original is not None and original.mapping is not None
            and original.mapping.id == name and isinstance(items, ast.Call) and isinstance(items.func, ast.Attribute)
            and isinstance(items.func.value, ast.Name) and items.func.value.id == name)


def _rebinding_reasons(index: ModuleIndex, fn: FunctionInfo, loop: Loop, name: ast.Name) -> list[str]:
    """``d[k]`` reads the name ``d`` again at every step: it must still name the iterated dict."""
    binding = index.binding(name)
    if binding == "global":
        return global_binding_reasons(index, fn, name.id) or region_reasons(index, fn, [loop.node], name.id)
    refs = variable_refs(index, fn, name) if binding in ("local", "param") else None
    if refs is None:
        return [f"`{name.id}` is not a local variable, parameter or module global"]
    if any(r.use in ("bind", "augment") and inside_any(index, r.node, loop.node.body)  # type: ignore[attr-defined]
           for r in refs):
        return [f"`{name.id}` is rebound in the loop"]
    nested = [index.enclosing_function(r.node) for r in refs if r.use in ("bind", "augment")]
    culprit = next((owner for owner in nested if owner is not None and owner.node is not fn.node), None)
    if culprit is not None:
        return [f"`{name.id}` is rebound by the nested function {culprit.qualname} (nonlocal), which the loop may run"]
    return []


def _itemized(node: cst.For, loop: Loop) -> cst.For:
    body = node.body
    assert isinstance(body, cst.IndentedBlock) and loop.key is not None and loop.value is not None \
        and loop.mapping is not None
    first, second = body.body[0], body.body[1]
    assert isinstance(first, cst.SimpleStatementLine)
    moved = list(first.leading_lines)
    comment = first.trailing_whitespace.comment
    if comment is not None:
        moved.append(cst.EmptyLine(comment=comment))
    second = second.with_changes(leading_lines=[*moved, *second.leading_lines])  # type: ignore[attr-defined]
    target = cst.Tuple([cst.Element(cst.Name(loop.key.id), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                        cst.Element(cst.Name(loop.value.id))], lpar=[], rpar=[])
    items = cst.Call(cst.Attribute(cst.Name(loop.mapping.id), cst.Name("items")))
    return node.with_changes(target=target, iter=items, body=body.with_changes(body=[second, *body.body[2:]]))
