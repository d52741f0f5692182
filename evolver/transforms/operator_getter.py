"""operator-getter: pass ``operator.itemgetter``/``attrgetter`` instead of a lambda that only fetches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis.legacy_kinds import constant_int
from evolver.analysis.legacy_uses import enclosing_loops, lone_parameter
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.analysis.typer import Typer
from evolver.model import Site
from evolver.transforms._legacy import (
    Context,
    LegacyTransform,
    add_import,
    function_features,
    import_name_reason,
    replace_nodes,
)

GETTERS = ("operator.itemgetter", "operator.attrgetter")
# Functions that call the function they are given with one positional argument and nothing else:
# by keyword ``key=``, or at a position (0-based) when they take exactly that many arguments.
KEY_CALLERS = frozenset({
    "builtins.sorted", "builtins.min", "builtins.max", "heapq.nsmallest", "heapq.nlargest", "heapq.merge",
    "itertools.groupby", "bisect.bisect_left", "bisect.bisect_right", "bisect.bisect", "bisect.insort_left",
    "bisect.insort_right", "bisect.insort",
})
POSITIONAL_CALLERS = {"builtins.map": (0, 2), "builtins.filter": (0, 2), "itertools.groupby": (1, 2),
                      "heapq.nsmallest": (2, 3), "heapq.nlargest": (2, 3)}


@dataclass(frozen=True)
class Getter:
    """A lambda ``p: p[c]`` / ``p: p.a.b`` / ``p: (p[c1], p[c2])`` taken apart."""

    lambda_: cst.Lambda
    maker: str  # "itemgetter" or "attrgetter"
    keys: tuple[cst.BaseExpression, ...]  # the constant subscripts (itemgetter)
    paths: tuple[str, ...]  # the dotted attribute paths (attrgetter)


class OperatorGetter(LegacyTransform):
    """Replace a lambda that only fetches an item or an attribute with ``operator.itemgetter`` /
    ``operator.attrgetter``, where it is handed to a function that just calls it.

    What it rewrites: inside a function, ``key=lambda p: p[1]`` becomes
    ``key=operator.itemgetter(1)``, ``lambda p: p.name`` becomes ``operator.attrgetter("name")`` and
    ``lambda p: (p[1], p[0])`` becomes ``operator.itemgetter(1, 0)``, as the ``key=`` of sorted,
    min, max, list.sort, heapq and bisect functions, the function of ``map``/``filter`` over one
    iterable, or the key of ``itertools.groupby`` (ruff FURB118).

    Why it is faster: the getter runs in C; a lambda call builds a Python frame per element
    (sorting 10,000 pairs by ``p[1]``: about 2x faster).

    Example::

        sorted(pairs, key=lambda p: p[1])   ->   sorted(pairs, key=operator.itemgetter(1))

    Safety preconditions: the lambda has one plain parameter and its body only subscripts it with
    constants or reads attribute paths from it (all of one sort), so the getter computes the same
    value, evaluates the same lookups in the same order and raises the same exceptions. It is passed
    straight to a standard function that calls it with one positional argument and does nothing else
    with it (a lambda kept in a variable could be called with a keyword or inspected). Private names
    (``p.__x``) are refused: a lambda in a class body mangles them, attrgetter does not. ``.sort``
    must be a list's. ``operator`` must be free to import.
    """

    name: ClassVar[str] = "operator-getter"
    description: ClassVar[str] = "operator.itemgetter/attrgetter instead of a fetching lambda passed as a key"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `lambda p: p[c]`, `lambda p: p.a.b` or a tuple of such (one sort), constants only, one "
        "plain parameter, inside a function; `operator` free to import",
        "handed straight to sorted/min/max/list.sort/heapq/bisect as key=, to map/filter over one "
        "iterable, or to itertools.groupby",
        "no private (name-mangled) attribute names",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # computes more than a fetch; a default parameter; a non-constant index
        "def order(ps):\n    return sorted(ps, key=lambda p: -p[1])\n",
        "def order(ps):\n    return sorted(ps, key=lambda p, i=1: p[i])\n",
        "def order(ps, i):\n    return sorted(ps, key=lambda p: p[i])\n",
        # kept in a variable; passed to an unknown function; .sort of something not known to be a list
        "def order(ps):\n    key = lambda p: p[1]\n    return sorted(ps, key=key)\n",
        "def order(ps, sorter):\n    return sorter(ps, key=lambda p: p[1])\n",
        "def order(table):\n    table.sort(key=lambda p: p[1])\n    return table\n",
        # a private name (mangled inside a class)
        "class Box:\n    def __init__(self, v):\n        self.__v = v\n\n    def order(self, boxes):\n"
        "        return sorted(boxes, key=lambda b: b.__v)\n",
        # operator is something else here
        "def order(ps, operator):\n    return sorted(ps, key=lambda p: p[1])\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def by_score(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:\n"
            "    return sorted(pairs, key=lambda p: p[1])  # ascending\n",
            "import operator\n\ndef by_score(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:\n"
            "    return sorted(pairs, key=operator.itemgetter(1))  # ascending\n",
        ),
        (
            "import operator\n\n\ndef oldest(people):\n    rows = list(people)\n"
            "    rows.sort(key=lambda person: (person.age, person.name.lower), reverse=True)\n"
            "    names = list(map(lambda r: r['name'], rows))\n"
            "    return max(rows, key=(lambda r: r.birth.year)), names\n",
            "import operator\n\n\ndef oldest(people):\n    rows = list(people)\n"
            "    rows.sort(key=operator.attrgetter(\"age\", \"name.lower\"), reverse=True)\n"
            "    names = list(map(operator.itemgetter('name'), rows))\n"
            "    return max(rows, key=(operator.attrgetter(\"birth.year\"))), names\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            for k, node in enumerate(candidates(index, fn)):
                getter = getter_of(node) if isinstance(node, cst.Lambda) else None
                if getter is None:
                    continue
                features = function_features(index, fn) | {
                    "form": int(getter.maker == "attrgetter"),
                    "site_loop_depth": len(enclosing_loops(index, fn, node))}
                found.append(self.site(f"{ctx.module}:{fn.qualname}#{k}", self.reasons(index, fn, getter), features))
        return found

    @staticmethod
    def reasons(index: ModuleIndex, fn: FunctionInfo, getter: Getter) -> list[str]:
        reasons = _caller_reasons(index, fn, getter.lambda_)
        private = [p for p in getter.paths for part in p.split(".")
                   if part.startswith("__") and not part.endswith("__")]
        if private:
            reasons.append(f"reads the private attribute `{private[0]}` (mangled in a class, not by attrgetter)")
        blocked = import_name_reason(index, fn, "operator")
        return reasons + ([blocked] if blocked else [])

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        node = candidates(index, fn)[int(k)]
        getter = getter_of(node) if isinstance(node, cst.Lambda) else None
        assert getter is not None
        return add_import(replace_nodes(index.tree, {id(node): _call(getter)}), "operator")


def candidates(index: ModuleIndex, fn: FunctionInfo) -> list[cst.CSTNode]:
    """Fetching lambdas, and the operator getters they become (site numbers stay put)."""
    return [node for node in index.own_nodes(fn.node)
            if (isinstance(node, cst.Lambda) and getter_of(node) is not None)
            or (isinstance(node, cst.Call) and index.qualified_name(node.func) in GETTERS)]


def getter_of(node: cst.Lambda) -> Getter | None:
    parameter = lone_parameter(node)
    if parameter is None:
        return None
    name = parameter.value
    body = node.body
    parts = [e.value for e in body.elements] if isinstance(body, cst.Tuple) and len(body.elements) > 1 \
        and all(isinstance(e, cst.Element) for e in body.elements) else [body]
    keys = [_key(part, name) for part in parts]
    if all(k is not None for k in keys):
        return Getter(node, "itemgetter", tuple(keys), ())  # type: ignore[arg-type]
    paths = [_path(part, name) for part in parts]
    if all(p is not None for p in paths):
        return Getter(node, "attrgetter", (), tuple(paths))  # type: ignore[arg-type]
    return None


def _key(expr: cst.BaseExpression, name: str) -> cst.BaseExpression | None:
    """The constant ``c`` of ``name[c]``."""
    if not (isinstance(expr, cst.Subscript) and isinstance(expr.value, cst.Name) and expr.value.value == name
            and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index)):
        return None
    element = expr.slice[0].slice
    key = element.value
    constant = isinstance(key, cst.SimpleString) or constant_int(key) is not None
    return key if constant and element.star is None else None


def _path(expr: cst.BaseExpression, name: str) -> str | None:
    """``"a.b"`` for ``name.a.b``."""
    attrs = []
    while isinstance(expr, cst.Attribute):
        attrs.append(expr.attr.value)
        expr = expr.value
    if not (attrs and isinstance(expr, cst.Name) and expr.value == name):
        return None
    return ".".join(reversed(attrs))


def _caller_reasons(index: ModuleIndex, fn: FunctionInfo, node: cst.Lambda) -> list[str]:
    arg = index.parent(node)
    call = index.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(call, cst.Call) or not isinstance(arg, cst.Arg) or arg.value is not node or arg.star:
        return ["the lambda is not passed straight to a function (kept, it could be called with keywords)"]
    caller = index.qualified_name(call.func)
    if arg.keyword is not None and arg.keyword.value == "key":
        if caller in KEY_CALLERS:
            return []
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "sort":
            receiver = Typer.of(index, fn).kind(call.func.value)
            if receiver is not None and receiver.base == "list":
                return []
            return [f"`{index.code(call.func.value)}` is not provably a list (its .sort may use the key otherwise)"]
    elif arg.keyword is None and caller in POSITIONAL_CALLERS:
        position, count = POSITIONAL_CALLERS[caller]
        if len(call.args) == count and call.args[position] is arg and not any(a.keyword or a.star for a in call.args):
            return []
    return [f"`{index.code(call.func)}` is not known to only call the lambda with one positional argument"]


def _call(getter: Getter) -> cst.Call:
    if getter.maker == "itemgetter":
        values: list[cst.BaseExpression] = list(getter.keys)
    else:
        values = [cst.SimpleString(f'"{path}"') for path in getter.paths]
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args = [cst.Arg(v, comma=comma if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT) for i, v in enumerate(values)]
    func = cst.Attribute(cst.Name("operator"), cst.Name(getter.maker))
    return cst.Call(func, args, lpar=getter.lambda_.lpar, rpar=getter.lambda_.rpar)
