"""min-max: take the smallest or largest element with ``min``/``max`` instead of sorting everything."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.nonempty import nonempty_reasons
from evolver.analysis.purity import purity_reasons
from evolver.analysis.raises import STR_NO_ARGS
from evolver.analysis.tree import constant_int, enclosing_loops
from evolver.model import Site
from evolver.transforms._cst import CstView
from evolver.transforms._guards import GUARDABLE, Guard, builtin_reasons, guard_for
from evolver.transforms.base import (
    Candidate,
    Context,
    Example,
    Transform,
    Verdict,
    leave,
    not_applicable,
    rewrite,
)

FORMS = ("min", "max", "min-reversed", "max-reversed")


@dataclass(frozen=True)
class Shape(Candidate):
    """``sorted(xs, key=k, reverse=r)[position]`` taken apart (``problem``: why it is not of that
    shape; a builtin ``min``/``max`` call is kept as a candidate so that site numbers stay put)."""

    problem: str = ""
    items: ast.expr | None = None
    key: ast.expr | None = None
    reverse: bool = False
    position: int = 0  # 0 or -1

    @property
    def pick(self) -> str:
        return "min" if (self.position == 0) != self.reverse else "max"


@dataclass(frozen=True)
class Key:
    """What a key function gives for the elements, whether calling it is pure and whether it can raise."""

    result: k.Type
    pure: bool
    safe: bool


UNKNOWN_KEY = Key(k.UNKNOWN, False, False)


class MinMax(Transform):
    """Take the first or last element of a sort with ``min``/``max``.

    What it rewrites: inside a function, ``sorted(xs)[0]`` becomes ``min(xs)`` and
    ``sorted(xs, reverse=True)[0]`` becomes ``max(xs)``, keeping ``key=``. ``sorted(xs)[-1]`` becomes
    ``max(xs)`` when equal elements cannot be told apart, else ``max(reversed(xs))``.

    Why it is faster: one O(n) pass and no list copy instead of an O(n log n) sort of a copy.

    Example::

        sizes = [len(w) for w in words]
        if not sizes:                    if not sizes:
            return None                      return None
        return sorted(sizes)[0]    ->    return min(sizes)

    Rewrite safety: ``sorted`` is stable (also with ``reverse=True``), so ``[0]`` is the first of the
    elements that compare equal, like ``min``/``max``; ``[-1]`` is the *last*, so it needs equal
    elements to be indistinguishable (exact ints, strs, bytes, no key) or an exact sequence to run
    backwards. The compared values (elements, or key results) are *exactly* int, bool, str, bytes or
    tuples of those, proven by construction: a declared ``list[str]`` may hold subclasses whose
    ``__lt__`` has effects or another order, and a float's NaN breaks the order. A key is pure and
    runs no user code; as ``min`` interleaves iterating and key calls where ``sorted`` iterates
    first, a key that can raise needs an input whose iteration runs no user code (an exact builtin
    container). ``sorted([])[0]`` raises IndexError and ``min([])`` ValueError: ``xs`` must be
    provably non-empty (``evolver.analysis.nonempty``: an exact container behind a guard nothing
    undoes). ``min``, ``max`` and ``reversed`` are the builtins where the call stands and the module
    cannot rebind them. Declared inputs are rewritten behind a run-time guard that makes them exact
    (``type(xs) is list and {*map(type, xs)} <= {int}``), the sort kept for anything else; with
    ``key=operator.itemgetter(i)`` over declared tuples the guard checks the tuples and the items the
    key picks (``{*map(type, map(operator.itemgetter(i), xs))} <= {int}``): picking an item of an
    exact tuple runs no user code, and raises IndexError where the sort's own key calls would, first.
    Relies on: builtins-unchanged, module-globals-private, stdlib-as-documented.
    """

    name: ClassVar[str] = "min-max"
    description: ClassVar[str] = "take the first/last element of a sort with min()/max() (O(n), no copy)"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `sorted(xs)[0]` / `[-1]` with optional `key=` and constant `reverse=`, in a function; "
        "sorted, min, max, reversed are the builtins",
        "the compared values (elements or key results) are provably exactly int, bool, str, bytes or tuples "
        "of those: totally ordered (no float: NaN; no subclass: its own __lt__)",
        "a key is pure (len, a str method, operator.itemgetter, constant subscripts, a pure module function); "
        "a key that may raise needs an iterable whose iteration cannot raise (a container)",
        "xs provably non-empty at the use: a non-empty display, or a guard that nothing can undo",
        "`[-1]` (the last of equal elements): no key and indistinguishable equal values, or a sequence "
        "and a key that cannot raise (max(reversed(xs)))",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("builtins-unchanged", "module-globals-private", "stdlib-as-documented")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def second(data):\n    xs = [int(v) for v in data]\n    if xs:\n        return sorted(xs)[1]\n",
              "other than the first or last"),
        leave("def first(data, flag: bool):\n    xs = [int(v) for v in data]\n    if xs:\n"
              "        return sorted(xs, reverse=flag)[0]\n", "reverse= is not the constant"),
        leave("def min(xs):\n    return xs\n\n\ndef first(data):\n    xs = [int(v) for v in data]\n    if xs:\n"
              "        return sorted(xs)[0]\n", "`min` is not the builtin here"),
        leave("def lowest(xs: list[float]):\n    if not xs:\n        return None\n    return sorted(xs)[0]\n",
              "not provably int, str, bytes"),
        leave("def lowest(xs: list[tuple[int, int]]):\n    if not xs:\n        return None\n    return sorted(xs)[0]\n",
              r"not provably int, str, bytes.*int\+"),
        leave("SEEN = []\n\n\ndef key(w: str) -> int:\n    SEEN.append(w)\n    return len(w)\n\n\n"
              "def shortest(data):\n    ws = [f'{w}.' for w in data]\n    if ws:\n        return sorted(ws, key=key)[0]\n",
              "key `key` is not proven pure"),
        leave("def lowest(data):\n    xs = [int(v) for v in data]\n    return sorted(xs)[0]\n", "nothing proves"),
        leave("def lowest(data):\n    xs = [int(v) for v in data]\n    if not xs:\n        return None\n    xs.pop()\n"
              "    return sorted(xs)[0]\n", "changed between the guard"),
        leave("def longest(data):\n    ws = {f'{w}.' for w in data}\n    if ws:\n        return sorted(ws, key=len)[-1]\n",
              "last of equal elements"),
    )
    examples += (
        rewrite("def smallest(data: list[int]) -> int:\n    xs = [int(v) for v in data]\n    if not xs:\n"
                "        raise ValueError('empty')\n    return sorted(xs)[0]  # the smallest\n",
                "def smallest(data: list[int]) -> int:\n    xs = [int(v) for v in data]\n    if not xs:\n"
                "        raise ValueError('empty')\n    return min(xs)  # the smallest\n"),
        rewrite("def longest(people) -> str:\n    names = [f'{first} {last}' for first, last in people]\n"
                "    if names:\n        return sorted(names, key=len)[-1]\n    return ''\n",
                "def longest(people) -> str:\n    names = [f'{first} {last}' for first, last in people]\n"
                "    if names:\n        return max(reversed(names), key=len)\n    return ''\n"),
        rewrite("def lowest(xs: list[int]):\n    if not xs:\n        return None\n    return sorted(xs)[0]\n",
                "def lowest(xs: list[int]):\n    if not xs:\n        return None\n"
                "    return (min(xs) if type(xs) is list and {*map(type, xs)} <= {int} else sorted(xs)[0])\n"),
        rewrite("def spread(words):\n    sizes = [len(w) for w in words]\n    if len(sizes) == 0:\n        return 0\n"
                "    return sorted(sizes)[-1] - sorted(sizes)[0]\n",
                "def spread(words):\n    sizes = [len(w) for w in words]\n    if len(sizes) == 0:\n        return 0\n"
                "    return max(sizes) - min(sizes)\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Shape]:
        """``sorted(...)[i]`` subscripts and builtin ``min``/``max`` calls (what a rewrite leaves in
        the same place, so that site numbers do not move)."""
        found: list[Shape] = []
        nodes = index.own_nodes(fn)
        fallbacks = {id(n.orelse) for n in nodes if isinstance(n, ast.IfExp) and _is_min_max(index, n.body)}
        for node in nodes:
            if id(node) in fallbacks:
                continue  # the sort a guarded rewrite keeps for other values: part of that site
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Call) \
                    and index.qualified_name(node.value.func) == "builtins.sorted":
                found.append(shape_of(node, len(found)))
            elif _is_min_max(index, node):
                found.append(Shape(node, len(found), "already a min()/max() call"))
        return found

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Shape, ctx: Context) -> Verdict:
        verdict, _ = self._check(index, fn, candidate)
        return verdict

    def _check(self, index: ModuleIndex, fn: FunctionInfo, shape: Shape) -> tuple[Verdict, Form | None]:
        features = {"site_loop_depth": len(enclosing_loops(index, shape.node, fn.node)), "form": -1, "guarded": 0}
        if shape.problem:
            return Verdict([shape.problem], features=features), None
        reasons, form = _reasons(index, fn, shape, exact_params=False)
        if reasons:
            guard = _guardable(index, fn, shape)
            if guard is not None and not _builtin_reasons(index, fn, shape, guard):
                guarded, form = _reasons(index, fn, shape, exact_params=True)
                if not guarded and form is not None:
                    features |= {"form": FORMS.index(form), "guarded": 1}
                    note = (f"behind a run-time guard ({guard.code()}): other values keep the sort, as "
                            f"declared types are not proven exact ({reasons[0]})")
                    return Verdict(notes=[note], assumptions=["quiet-special-methods"], features=features), \
                        Form(form, guard)
        if not reasons and form is not None:
            features["form"] = FORMS.index(form)
            return Verdict(features=features), Form(form, None)
        return Verdict(reasons, features=features), None

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, shape = self.find(index, site, ctx)
        verdict, form = self._check(index, fn, shape)
        if form is None:
            raise not_applicable(site, verdict)
        view = CstView.of(index)
        node = view.node(shape.node, cst.Subscript)
        new: cst.BaseExpression = _replacement(node, form.form)
        if form.guard is not None:
            new = form.guard.wrap(view, new, node)
        return view.replace({id(node): new}).code


@dataclass(frozen=True)
class Form:
    form: str  # one of FORMS
    guard: Guard | None


def _reasons(index: ModuleIndex, fn: FunctionInfo, shape: Shape, exact_params: bool) -> tuple[list[str], str | None]:
    assert shape.items is not None
    facts = types.facts(index, fn, exact_params)
    source = facts.of(shape.items)
    elements = k.elements(source)
    key = key_of(index, facts, shape.key, elements) if shape.key is not None else None
    reasons = _builtin_reasons(index, fn, shape) + _order_reasons(index, shape, source, elements, key)
    reasons += nonempty_reasons(index, fn, shape.items, shape.node, exact_params)
    form, why = _form(shape, source, elements, key)
    return reasons + ([why] if why else []), form


def _guardable(index: ModuleIndex, fn: FunctionInfo, shape: Shape) -> Guard | None:
    """The run-time guard that would make the site's values exact: the elements (the key, if any,
    reads nothing but its argument), or tuples and the one item the key picks from each."""
    if shape.items is None:
        return None
    flat = guard_for(index, fn, shape.items) if shape.key is None or _closed(index, shape.key) else None
    return flat or _picked_guard(index, fn, shape)


def _picked_guard(index: ModuleIndex, fn: FunctionInfo, shape: Shape) -> Guard | None:
    """``type(xs) is list and {*map(type, xs)} <= {tuple} and {*map(type, map(key, xs))} <= {int}``
    for ``key=operator.itemgetter(i)``, a constant position: on exact tuples it runs no user code
    and raises (IndexError) where the sort's own key calls would, first. (A key lambda is left to
    operator-getter: the guard would copy it, and the two rewrites would no longer commute.)"""
    assert shape.items is not None
    key = shape.key
    if not (isinstance(key, ast.Call) and index.qualified_name(key.func) == "operator.itemgetter"
            and len(key.args) == 1 and not key.keywords):
        return None
    position = constant_int(key.args[0])
    whole = guard_for(index, fn, shape.items, flat=False)
    if position is None or whole is None or whole.elements != ("tuple",):
        return None
    elements = k.elements(types.facts(index, fn).of(shape.items))
    picked = k.union(k.item_of(kind, position) for kind in elements)
    found = frozenset(k.bases(picked)) if k.known(picked) else frozenset({"?"})
    if not any(found <= allowed for allowed in GUARDABLE[:3]) or any(
            kind.items is not None or kind.parts is not None for kind in picked):
        return None
    return Guard(whole.items, whole.container, whole.elements, index.segment(key) or ast.unparse(key),
                 tuple(sorted(found)))


def _closed(index: ModuleIndex, key: ast.expr) -> bool:
    """The key reads no name but its own parameter and builtins (or is a pure module function)."""
    if isinstance(key, ast.Lambda):
        own = {a.arg for a in key.args.args}
        return all(n.id in own or index.binding(n) == "builtin" for n in ast.walk(key.body) if isinstance(n, ast.Name))
    name = index.qualified_name(key) or ""
    if isinstance(key, ast.Name) and index.binding(key) == "global":
        callee = index.module_function(key.id)
        return callee is not None and not purity_reasons(index, callee.qualname)
    return name in ("builtins.len", "builtins.abs") or name.startswith("builtins.str.")


def _is_min_max(index: ModuleIndex, node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and index.qualified_name(node.func) in ("builtins.min", "builtins.max")


def shape_of(node: ast.Subscript, number: int) -> Shape:
    """The parts of ``sorted(xs, key=k, reverse=r)[i]``, or why it is not of that shape."""
    call = node.value
    assert isinstance(call, ast.Call)
    position = constant_int(node.slice)
    if position not in (0, -1):
        return Shape(node, number, "takes an element other than the first or last")
    keywords = {kw.arg: kw.value for kw in call.keywords}
    if len(call.args) != 1 or isinstance(call.args[0], ast.Starred) or None in keywords \
            or set(keywords) - {"key", "reverse"}:
        return Shape(node, number, "sorted() is not called with one iterable and only key= / reverse=")
    flag = keywords.get("reverse", ast.Constant(False))
    if not (isinstance(flag, ast.Constant) and isinstance(flag.value, bool)):
        return Shape(node, number, "reverse= is not the constant True or False")
    key = keywords.get("key")
    if isinstance(key, ast.Constant) and key.value is None:
        key = None
    return Shape(node, number, "", call.args[0], key, flag.value, position)


def _builtin_reasons(index: ModuleIndex, fn: FunctionInfo, shape: Shape, guard: Guard | None = None) -> list[str]:
    needed = [shape.pick] + (["reversed"] if shape.position == -1 else []) + (guard.builtins() if guard else [])
    return builtin_reasons(index, fn, needed)


def _order_reasons(index: ModuleIndex, shape: Shape, source: k.Type, elements: k.Type, key: Key | None) -> list[str]:
    """The compared values must be exactly ordered builtins, a key pure, and a key that can raise
    must not interleave with an input whose iteration can raise or run user code."""
    reasons = []
    compared = key.result if key is not None else elements
    if not k.ordered(compared) or not compared:
        what = "the key's results" if key is not None else "the elements"
        reasons.append(f"{what} are not provably int, str, bytes or tuples of those, exactly ({k.show(compared)}): "
                       "a float may be NaN, a subclass may define its own __lt__")
    if key is not None and shape.key is not None and not key.pure:
        reasons.append(f"the key `{index.code(shape.key)}` is not proven pure")
    if key is not None and not key.safe and not k.quiet_iteration(source):
        reasons.append("the key may raise and so may iterating the input: min/max would interleave them")
    return reasons


def key_of(index: ModuleIndex, facts: types.TypeFacts, key: ast.expr, elements: k.Type) -> Key:
    """What the key gives for the elements, whether it is pure and whether it can raise."""
    if isinstance(key, ast.Lambda):
        args = key.args
        if len(args.args) != 1 or args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg or args.defaults:
            return UNKNOWN_KEY
        return _apply(index, key.body, args.args[0].arg, elements)
    qualified = index.qualified_name(key.func if isinstance(key, ast.Call) else key) or ""
    if qualified in ("builtins.len", "builtins.abs"):
        return _builtin_call(qualified, elements)
    if qualified.startswith("builtins.str.") and qualified[13:] in STR_NO_ARGS and isinstance(key, ast.Attribute):
        exact = k.exactly(elements, ("str",))
        return Key(k.of("bool" if qualified[13:].startswith("is") else "str"), exact, exact)
    if isinstance(key, ast.Call) and qualified == "operator.itemgetter" and key.args and not key.keywords \
            and not any(isinstance(a, ast.Starred) for a in key.args):
        parts = [_item(index, a, elements) for a in key.args]
        return parts[0] if len(parts) == 1 else _tuple(parts)
    if isinstance(key, ast.Name) and index.binding(key) == "global":
        callee = index.module_function(key.id)
        if callee is not None and not purity_reasons(index, callee.qualname) and k.exact(elements):
            return Key(types.returns(index, callee, exact=True), True, False)
    return UNKNOWN_KEY


def _apply(index: ModuleIndex, body: ast.expr, parameter: str, elements: k.Type) -> Key:
    """A key lambda's body over one element: a small language of constant subscripts, tuples,
    ``len``/``abs`` and str methods without arguments; anything else is unknown."""
    if isinstance(body, ast.Name) and body.id == parameter:
        return Key(elements, True, True)
    if isinstance(body, ast.Subscript):
        inner = _apply(index, body.value, parameter, elements)
        found = _item(index, body.slice, inner.result)
        return Key(found.result, inner.pure and found.pure, inner.safe and found.safe)
    if isinstance(body, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in body.elts):
        return _tuple([_apply(index, e, parameter, elements) for e in body.elts])
    if isinstance(body, ast.Call) and len(body.args) == 1 and not body.keywords:
        qualified = index.qualified_name(body.func)
        if qualified in ("builtins.len", "builtins.abs"):
            inner = _apply(index, body.args[0], parameter, elements)
            found = _builtin_call(qualified, inner.result)
            return Key(found.result, inner.pure and found.pure, inner.safe and found.safe)
    if isinstance(body, ast.Call) and not body.args and not body.keywords and isinstance(body.func, ast.Attribute) \
            and body.func.attr in STR_NO_ARGS:
        inner = _apply(index, body.func.value, parameter, elements)
        exact = k.exactly(inner.result, ("str",))
        result = k.of("bool" if body.func.attr.startswith("is") else "str")
        return Key(result if exact else k.UNKNOWN, inner.pure and exact, inner.safe and exact)
    return UNKNOWN_KEY


def _item(index: ModuleIndex, subscript: ast.expr, value: k.Type) -> Key:
    """``value[subscript]`` for a constant subscript: pure on exact builtins, safe on a tuple of known length."""
    position = constant_int(subscript)
    constant = position is not None or (isinstance(subscript, ast.Constant) and isinstance(subscript.value, str))
    if not constant or not k.known(value) or not all(kind.exact for kind in value):
        return UNKNOWN_KEY
    result = k.union(k.item_of(kind, position) for kind in value)
    safe = position is not None and all(kind.base == "tuple" and kind.parts is not None
                                        and -len(kind.parts) <= position < len(kind.parts) for kind in value)
    return Key(result, True, safe)


def _builtin_call(qualified: str, argument: k.Type) -> Key:
    if qualified == "builtins.len":
        return Key(k.INT, k.sized(argument), k.sized(argument))
    exact = k.exactly(argument, k.INTS)
    return Key(k.INT if exact else k.UNKNOWN, exact, exact)


def _tuple(parts: list[Key]) -> Key:
    return Key(k.of("tuple", parts=tuple(p.result for p in parts)), all(p.pure for p in parts),
               all(p.safe for p in parts))


def _form(shape: Shape, source: k.Type, elements: k.Type, key: Key | None) -> tuple[str | None, str]:
    """The rewrite's form, or why ``[-1]`` (the last of equal elements) cannot be had."""
    if shape.position == 0 or (key is None and k.interchangeable(elements)):
        return shape.pick, ""
    if k.exactly(source, k.SEQUENCES) and (key is None or key.safe):
        return f"{shape.pick}-reversed", ""
    return None, ("`[-1]` is the last of equal elements and max/min return the first: needs values whose "
                  "ties are indistinguishable, or an exact sequence (to reverse) and a key that cannot raise")


def _replacement(node: cst.Subscript, form: str) -> cst.Call:
    call = node.value
    assert isinstance(call, cst.Call)
    items = next(a for a in call.args if a.keyword is None)
    key = next((a for a in call.args if a.keyword is not None and a.keyword.value == "key"), None)
    value = items.value
    if form.endswith("-reversed"):
        value = cst.Call(cst.Name("reversed"), [cst.Arg(value)])
    items = items.with_changes(value=value)
    args = [items.with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    if key is not None and not (isinstance(key.value, cst.Name) and key.value.value == "None"):
        args = [items, key.with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return call.with_changes(func=cst.Name(form.split("-")[0]), args=args, lpar=node.lpar, rpar=node.rpar)
