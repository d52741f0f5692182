"""dict-items: iterate a dict's items instead of looking every key up again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis.legacy_uses import enclosing_loops, variable_refs, within
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.analysis.typer import Typer
from evolver.model import Site
from evolver.transforms._legacy import Context, LegacyTransform, function_features, replace_nodes


@dataclass(frozen=True)
class Loop:
    """``for key in mapping:`` (or ``mapping.keys()``) whose body starts with ``value = mapping[key]``."""

    node: cst.For
    key: cst.Name
    mapping: cst.Name
    value: cst.Name
    keys_call: bool


class DictItems(LegacyTransform):
    """Iterate ``d.items()`` instead of indexing ``d`` with every key.

    What it rewrites: inside a function, a loop ``for k in d:`` (or ``for k in d.keys():``) whose
    body starts with ``v = d[k]`` becomes ``for k, v in d.items():`` without that line (its comments
    move to the next line).

    Why it is faster: one hash lookup less per element (perflint W8201, ruff PERF102's cousin).

    Example::

        for name in ages:                   for name, age in ages.items():
            age = ages[name]          ->        total += age
            total += age

    Safety preconditions: ``d`` is provably a dict (a dict display or comprehension, ``dict()``,
    a defaultdict, OrderedDict or Counter, or annotated ``dict``; the annotation is trusted to mean
    a dict whose ``__getitem__`` and ``items`` are dict's), so ``d[k]`` for a key being iterated is
    the value ``items()`` yields. Nothing runs between fetching the next key and ``v = d[k]`` but
    binding ``k``, so both read the value at the same moment, whatever the body does; a size change
    raises RuntimeError in both. ``d`` names the same dict throughout the loop: a local or parameter
    not rebound in the body, or a module global bound once. ``k`` and ``v`` are plain, distinct names.
    """

    name: ClassVar[str] = "dict-items"
    description: ClassVar[str] = "iterate d.items() instead of looking up d[k] for every key"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `for k in d:` or `for k in d.keys():` (not async) whose body starts with `v = d[k]` "
        "and has more after it, inside a function; k, v, d distinct plain names",
        "d is provably a dict (display, comprehension, dict(), collections dicts, or annotated dict)",
        "d names the same dict through the loop: a local or parameter not rebound in the loop body, or "
        "a module global bound once",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # the lookup is not the first statement; nothing else in the body
        "def total(prices: dict[str, int]):\n    s = 0\n    for k in prices:\n        s += 1\n"
        "        s += prices[k]\n    return s\n",
        "def last(prices: dict[str, int]):\n    for k in prices:\n        v = prices[k]\n    return v\n",
        # not provably a dict (a mapping with its own __getitem__ may differ from items())
        "def total(prices):\n    s = 0\n    for k in prices:\n        v = prices[k]\n        s += v\n    return s\n",
        # rebound in the loop: later lookups read another dict
        "def walk(tree: dict[str, int], other: dict[str, int]):\n    for k in tree:\n        v = tree[k]\n"
        "        tree = other\n    return v\n",
        # a module global rebound elsewhere
        "PRICES = {'a': 1}\n\n\ndef reset():\n    global PRICES\n    PRICES = {}\n\n\n"
        "def total():\n    s = 0\n    for k in PRICES:\n        v = PRICES[k]\n        s += v\n    return s\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def total(ages: dict[str, int]) -> int:\n    s = 0\n    for name in ages:  # every person\n"
            "        # their age\n        age = ages[name]  # looked up\n        s += age\n    return s\n",
            "def total(ages: dict[str, int]) -> int:\n    s = 0\n    for name, age in ages.items():  # every person\n"
            "        # their age\n        # looked up\n        s += age\n    return s\n",
        ),
        (
            "import collections\n\n\ndef invert(pairs):\n    index = collections.defaultdict(list)\n"
            "    for a, b in pairs:\n        index[a].append(b)\n    out = {}\n    for key in index.keys():\n"
            "        values = index[key]\n        for v in values:\n            out[v] = key\n    return out\n",
            "import collections\n\n\ndef invert(pairs):\n    index = collections.defaultdict(list)\n"
            "    for a, b in pairs:\n        index[a].append(b)\n    out = {}\n    for key, values in index.items():\n"
            "        for v in values:\n            out[v] = key\n    return out\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            for k, node in enumerate(candidates(index, fn)):
                loop = loop_of(node)
                if loop is None:
                    continue
                features = function_features(index, fn) | {
                    "form": int(loop.keys_call), "site_loop_depth": len(enclosing_loops(index, fn, node))}
                found.append(self.site(f"{ctx.module}:{fn.qualname}#{k}", self.reasons(index, fn, loop), features))
        return found

    @staticmethod
    def reasons(index: ModuleIndex, fn: FunctionInfo, loop: Loop) -> list[str]:
        reasons = []
        if loop.node.asynchronous is not None:
            reasons.append("the loop is asynchronous")
        names = {loop.key.value, loop.mapping.value, loop.value.value}
        if len(names) != 3:
            reasons.append("the key, the value and the dict are not three different names")
        kind = Typer.of(index, fn).kind(loop.mapping)
        if kind is None or kind.base != "dict":
            reasons.append(f"`{loop.mapping.value}` is not provably a dict (a mapping's own "
                           "__getitem__ may disagree with its items())")
        return reasons + _rebinding_reasons(index, fn, loop)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        loop = loop_of(candidates(index, fn)[int(k)])
        assert loop is not None
        return replace_nodes(index.tree, {id(loop.node): _itemized(loop)})


def candidates(index: ModuleIndex, fn: FunctionInfo) -> list[cst.For]:
    """Loops over a dict with a lookup first, and loops over ``x.items()`` with two names (what
    they become: site numbers stay put)."""
    return [node for node in index.own_nodes(fn.node) if isinstance(node, cst.For)
            and (loop_of(node) is not None or _over_items(node))]


def loop_of(node: cst.For) -> Loop | None:
    mapping, keys_call = node.iter, False
    if isinstance(mapping, cst.Call) and isinstance(mapping.func, cst.Attribute) \
            and mapping.func.attr.value == "keys" and not mapping.args:
        mapping, keys_call = mapping.func.value, True
    body = node.body
    if not (isinstance(node.target, cst.Name) and isinstance(mapping, cst.Name)
            and isinstance(body, cst.IndentedBlock) and len(body.body) > 1):
        return None
    first = body.body[0]
    if not (isinstance(first, cst.SimpleStatementLine) and len(first.body) == 1
            and isinstance(first.body[0], cst.Assign)):
        return None
    assign = first.body[0]
    value = assign.value
    if not (len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)
            and isinstance(value, cst.Subscript) and _is(value.value, mapping.value) and len(value.slice) == 1):
        return None
    element = value.slice[0].slice
    if not (isinstance(element, cst.Index) and element.star is None and _is(element.value, node.target.value)):
        return None
    return Loop(node, node.target, mapping, assign.targets[0].target, keys_call)


def _over_items(node: cst.For) -> bool:
    target, source = node.target, node.iter
    return (isinstance(target, cst.Tuple) and len(target.elements) == 2
            and all(isinstance(e.value, cst.Name) for e in target.elements)
            and isinstance(source, cst.Call) and isinstance(source.func, cst.Attribute)
            and source.func.attr.value == "items" and not source.args)


def _is(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name


def _rebinding_reasons(index: ModuleIndex, fn: FunctionInfo, loop: Loop) -> list[str]:
    """``d[k]`` reads the name ``d`` again at every step: it must still name the iterated dict."""
    name = loop.mapping
    binding = index.binding(name)
    if binding == "global":
        if index.bound_once(name.value):
            return []
        return [f"`{name.value}` is a module global bound more than once (a call could rebind it)"]
    refs = variable_refs(index, fn, name) if binding in ("local", "param") else None
    if refs is None:
        return [f"`{name.value}` is not a local variable, parameter or module global"]
    if any(r.use in ("bind", "augment") and within(index, r.node, loop.node.body) for r in refs):
        return [f"`{name.value}` is rebound in the loop"]
    return []


# --- rewriting ---------------------------------------------------------------------------------


def _itemized(loop: Loop) -> cst.For:
    body = loop.node.body
    assert isinstance(body, cst.IndentedBlock)
    first, second = body.body[0], body.body[1]
    assert isinstance(first, cst.SimpleStatementLine)
    moved = list(first.leading_lines)
    comment = first.trailing_whitespace.comment
    if comment is not None:
        moved.append(cst.EmptyLine(comment=comment))
    second = second.with_changes(leading_lines=[*moved, *second.leading_lines])
    target = cst.Tuple([cst.Element(loop.key, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                        cst.Element(loop.value)], lpar=[], rpar=[])
    items = cst.Call(cst.Attribute(loop.mapping, cst.Name("items")))
    return loop.node.with_changes(target=target, iter=items,
                                  body=body.with_changes(body=[second, *body.body[2:]]))
