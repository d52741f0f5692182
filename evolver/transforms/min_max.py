"""min-max: take the smallest or largest element with ``min``/``max`` instead of sorting everything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis.legacy_kinds import (
    CONTAINERS,
    SEQUENCES,
    STR_TO_STR,
    Fact,
    Kind,
    constant_int,
    interchangeable,
    items_of,
    ordered,
)
from evolver.analysis.legacy_nonempty import nonempty_reasons
from evolver.analysis.legacy_uses import builtin_free, enclosing_loops, is_target, lone_parameter
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.analysis.typer import Typer
from evolver.model import Site
from evolver.transforms._legacy import Context, LegacyTransform, function_features, replace_nodes

FORMS = ("min", "max", "min-reversed", "max-reversed")


@dataclass(frozen=True)
class Shape:
    """``sorted(xs, key=k, reverse=r)[position]``, taken apart."""

    items: cst.Arg
    key: cst.Arg | None
    reverse: bool
    position: int  # 0 or -1

    @property
    def pick(self) -> str:
        return "min" if (self.position == 0) != self.reverse else "max"


class MinMax(LegacyTransform):
    """Take the first or last element of a sort with ``min``/``max``.

    What it rewrites: inside a function, ``sorted(xs)[0]`` becomes ``min(xs)`` and
    ``sorted(xs, reverse=True)[0]`` becomes ``max(xs)``, keeping ``key=``. ``sorted(xs)[-1]`` becomes
    ``max(xs)`` when equal elements cannot be told apart, else ``max(reversed(xs))``.

    Why it is faster: one O(n) pass and no list copy instead of an O(n log n) sort of a copy.

    Example::

        if not scores:                   if not scores:
            return None                      return None
        return sorted(scores)[0]   ->    return min(scores)

    Safety preconditions: ``sorted`` is stable (also with ``reverse=True``), so ``[0]`` is the first
    of the elements that compare equal, like ``min``/``max``; ``[-1]`` is the *last*, so it needs
    equal elements to be indistinguishable (exact ints, strs, bytes, no key) or a sequence to run
    backwards. The compared values (elements, or key results) are provably totally ordered (int,
    bool, str, bytes, tuples of those; never float, where NaN breaks the order). A key is pure; as
    ``min`` interleaves iterating and key calls where ``sorted`` iterates first, a key that can raise
    needs an iterable whose iteration cannot (a container). ``sorted([])[0]`` raises IndexError and
    ``min([])`` ValueError: ``xs`` must be provably non-empty (``evolver.analysis.legacy_nonempty``).
    Annotations are trusted (``xs: list[int]`` holds ints).
    """

    name: ClassVar[str] = "min-max"
    description: ClassVar[str] = "take the first/last element of a sort with min()/max() (O(n), no copy)"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `sorted(xs)[0]` / `[-1]` with optional `key=` and constant `reverse=`, in a function; "
        "sorted, min, max, reversed are the builtins",
        "the compared values (elements or key results) are provably int, bool, str, bytes or tuples of "
        "those: totally ordered (no float: NaN)",
        "a key is pure (len/abs/str, a str method, operator.itemgetter, a pure module function or a pure "
        "lambda); a key that may raise needs an iterable whose iteration cannot raise (a container)",
        "xs provably non-empty at the use: a non-empty display, or a guard that nothing can undo",
        "`[-1]` (the last of equal elements): no key and indistinguishable equal values, or a sequence "
        "and a key that cannot raise (max(reversed(xs)))",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # second element; reverse not a constant; min shadowed
        "def second(xs: list[int]):\n    if xs:\n        return sorted(xs)[1]\n",
        "def first(xs: list[int], flag: bool):\n    if xs:\n        return sorted(xs, reverse=flag)[0]\n",
        "def min(xs):\n    return xs\n\n\ndef first(xs: list[int]):\n    if xs:\n        return sorted(xs)[0]\n",
        # floats (NaN), unknown elements
        "def lowest(xs: list[float]):\n    if not xs:\n        return None\n    return sorted(xs)[0]\n",
        "def lowest(xs: list):\n    if not xs:\n        return None\n    return sorted(xs)[0]\n",
        # impure key
        "SEEN = []\n\n\ndef key(w: str) -> int:\n    SEEN.append(w)\n    return len(w)\n\n\n"
        "def shortest(ws: list[str]):\n    if ws:\n        return sorted(ws, key=key)[0]\n",
        # no guard; guard undone by a pop; a parameter changed by a call before the use
        "def lowest(xs: list[int]):\n    return sorted(xs)[0]\n",
        "def lowest(data: list[int]):\n    xs = list(data)\n    if not xs:\n        return None\n    xs.pop()\n"
        "    return sorted(xs)[0]\n",
        "def lowest(xs: list[int]):\n    if not xs:\n        return None\n    log(xs)\n    return sorted(xs)[0]\n",
        # [-1] with a key on a set (not a sequence); [-1] of annotated ints (True and 1 tie) in a set
        "def longest(ws: set[str]):\n    if ws:\n        return sorted(ws, key=len)[-1]\n",
        "def highest(xs: set[int]):\n    if xs:\n        return sorted(xs)[-1]\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def smallest(xs: list[int]) -> int:\n    if not xs:\n        raise ValueError('empty')\n"
            "    return sorted(xs)[0]  # the smallest\n",
            "def smallest(xs: list[int]) -> int:\n    if not xs:\n        raise ValueError('empty')\n"
            "    return min(xs)  # the smallest\n",
        ),
        (
            "def longest(words: list[str]) -> str:\n    if words:\n        return sorted(words, key=len)[-1]\n"
            "    return ''\n",
            "def longest(words: list[str]) -> str:\n    if words:\n        return max(reversed(words), key=len)\n"
            "    return ''\n",
        ),
        (
            "def best(pairs: list[tuple[str, int]]):\n    if not pairs:\n        return None\n"
            "    return sorted(pairs, key=lambda p: p[1], reverse=True)[0]\n",
            "def best(pairs: list[tuple[str, int]]):\n    if not pairs:\n        return None\n"
            "    return max(pairs, key=lambda p: p[1])\n",
        ),
        (
            "def spread(words):\n    sizes = [len(w) for w in words]\n    if len(sizes) == 0:\n        return 0\n"
            "    return sorted(sizes)[-1] - sorted(sizes)[0]\n",
            "def spread(words):\n    sizes = [len(w) for w in words]\n    if len(sizes) == 0:\n        return 0\n"
            "    return max(sizes) - min(sizes)\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            for k, node in enumerate(candidates(index, fn)):
                if isinstance(node, cst.Subscript):
                    reasons, form = self.check(index, fn, node)
                    features = function_features(index, fn) | {
                        "form": FORMS.index(form) if form else -1,
                        "site_loop_depth": len(enclosing_loops(index, fn, node))}
                    found.append(self.site(f"{ctx.module}:{fn.qualname}#{k}", reasons, features))
        return found

    @staticmethod
    def check(index: ModuleIndex, fn: FunctionInfo, node: cst.Subscript) -> tuple[list[str], str | None]:
        """The reasons to refuse, and the form of the rewrite (None when refused)."""
        shape = shape_of(node)
        if isinstance(shape, str):
            return [shape], None
        typer = Typer.of(index, fn)
        source = typer.kind(shape.items.value)
        elements = items_of(source)
        key = _key_fact(index, typer, shape.key.value, elements) if shape.key is not None else None
        reasons = _builtin_reasons(index, node, shape) + _order_reasons(index, shape, source, elements, key)
        reasons += nonempty_reasons(index, fn, shape.items.value, node)
        form, why = _form(shape, source, elements, key)
        reasons += [why] if why else []
        return reasons, form if not reasons else None

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        node = candidates(index, fn)[int(k)]
        assert isinstance(node, cst.Subscript)
        shape = shape_of(node)
        form = self.check(index, fn, node)[1]
        assert isinstance(shape, Shape) and form is not None
        return replace_nodes(index.tree, {id(node): _replacement(node, shape, form)})


def candidates(index: ModuleIndex, fn: FunctionInfo) -> list[cst.CSTNode]:
    """``sorted(...)[i]`` subscripts and builtin ``min``/``max`` calls (what the rewrite leaves in
    the same place, so that site numbers do not move)."""
    found: list[cst.CSTNode] = []
    for node in index.own_nodes(fn.node):
        if (isinstance(node, cst.Subscript) and isinstance(node.value, cst.Call) \
                and _builtin_name(index, node.value.func, ("sorted",)) and not is_target(index, node)) or (isinstance(node, cst.Call) and _builtin_name(index, node.func, ("min", "max"))):
            found.append(node)
    return found


def _builtin_name(index: ModuleIndex, func: cst.BaseExpression, names: tuple[str, ...]) -> bool:
    return isinstance(func, cst.Name) and func.value in names and index.qualified_name(func) == f"builtins.{func.value}"


def shape_of(node: cst.Subscript) -> Shape | str:
    """The parts of ``sorted(xs, key=k, reverse=r)[i]``, or why it is not of that shape."""
    call = node.value
    assert isinstance(call, cst.Call)
    element = node.slice[0].slice if len(node.slice) == 1 else None
    position = constant_int(element.value) if isinstance(element, cst.Index) and element.star is None else None
    if position not in (0, -1):
        return "takes an element other than the first or last"
    positional = [a for a in call.args if a.keyword is None]
    keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
    if len(positional) != 1 or positional[0].star or any(a.star for a in call.args) \
            or set(keywords) - {"key", "reverse"}:
        return "sorted() is not called with one iterable and only key= / reverse="
    reverse = keywords.get("reverse")
    flag = reverse.value if reverse is not None else cst.Name("False")
    if not (isinstance(flag, cst.Name) and flag.value in ("True", "False")):
        return "reverse= is not the constant True or False"
    key = keywords.get("key")
    if key is not None and isinstance(key.value, cst.Name) and key.value.value == "None":
        key = None
    return Shape(positional[0], key, flag.value == "True", position)  # type: ignore[arg-type]


def _builtin_reasons(index: ModuleIndex, node: cst.CSTNode, shape: Shape) -> list[str]:
    needed = [shape.pick] + (["reversed"] if shape.position == -1 else [])
    return [f"`{name}` is not the builtin here" for name in needed if not builtin_free(index, node, name)]


def _order_reasons(index: ModuleIndex, shape: Shape, source: Kind | None, elements: Kind | None,
                   key: Fact | None) -> list[str]:
    """The compared values must be totally ordered, a key pure, and a key that can raise must not
    interleave with an input whose iteration can raise too."""
    reasons = []
    if not ordered(key.kind if key is not None else elements):
        what = "the key's results" if key is not None else "the elements"
        reasons.append(f"{what} are not provably int, str, bytes or tuples of those (a total order)")
    if key is not None and shape.key is not None and not key.pure:
        reasons.append(f"the key `{index.code(shape.key.value)}` is not proven pure")
    if key is not None and not key.safe and (source is None or source.base not in CONTAINERS):
        reasons.append("the key may raise and so may iterating the input: min/max would interleave them")
    return reasons


def _key_fact(index: ModuleIndex, typer: Typer, key: cst.BaseExpression, elements: Kind | None) -> Fact:
    """What the key returns for the elements, whether it is pure and whether it can raise."""
    if isinstance(key, cst.Lambda):
        parameter = lone_parameter(key)
        return typer.fact(key.body, {parameter.value: elements}) if parameter is not None else Fact(None)
    qualified = index.qualified_name(key.func if isinstance(key, cst.Call) else key) or ""
    if qualified.startswith("builtins.str.") and qualified[13:] in STR_TO_STR and isinstance(key, cst.Attribute):
        is_str = elements is not None and elements.base == "str"
        return Fact(Kind("str"), is_str, is_str)
    element = cst.Name("_evolver_element")
    if isinstance(key, cst.Name):
        return typer.fact(cst.Call(func=key, args=[cst.Arg(element)]), {element.value: elements})
    if isinstance(key, cst.Call) and qualified == "operator.itemgetter" and key.args \
            and all(a.keyword is None and not a.star for a in key.args):
        fetched = [cst.Subscript(element, [cst.SubscriptElement(cst.Index(a.value))]) for a in key.args]
        probe = fetched[0] if len(fetched) == 1 else cst.Tuple([cst.Element(f) for f in fetched])
        return typer.fact(probe, {element.value: elements})
    return Fact(None)


def _form(shape: Shape, source: Kind | None, elements: Kind | None, key: Fact | None) -> tuple[str | None, str]:
    """The rewrite's form, or why ``[-1]`` (the last of equal elements) cannot be had."""
    if shape.position == 0 or (key is None and interchangeable(elements)):
        return shape.pick, ""
    if source is not None and source.base in SEQUENCES and (key is None or key.safe):
        return f"{shape.pick}-reversed", ""
    return None, ("`[-1]` is the last of equal elements and max/min return the first: needs values whose "
                  "ties are indistinguishable, or a sequence (to reverse) and a key that cannot raise")


def _replacement(node: cst.Subscript, shape: Shape, form: str) -> cst.Call:
    call = node.value
    assert isinstance(call, cst.Call)
    value = shape.items.value
    if form.endswith("-reversed"):
        value = cst.Call(cst.Name("reversed"), [cst.Arg(value)])
    items = shape.items.with_changes(value=value)
    args = [items.with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    if shape.key is not None:
        args = [items, shape.key.with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return call.with_changes(func=cst.Name(form.split("-")[0]), args=args, lpar=node.lpar, rpar=node.rpar)
