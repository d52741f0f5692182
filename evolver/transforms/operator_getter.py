"""operator-getter: pass ``operator.itemgetter``/``attrgetter`` instead of a lambda that only fetches."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.tree import constant_int, enclosing_loops
from evolver.model import Site
from evolver.transforms._cst import CstView, add_import
from evolver.transforms.base import Candidate, Context, Example, Transform, Verdict, import_name_reason, leave, rewrite

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
class Getter(Candidate):
    """A lambda ``p: p[c]`` / ``p: p.a.b`` / ``p: (p[c1], p[c2])`` taken apart (``maker`` empty: an
    operator getter already, kept so that site numbers do not shift)."""

    maker: str  # "itemgetter", "attrgetter" or ""
    keys: tuple[ast.expr, ...] = ()  # the constant subscripts (itemgetter)
    paths: tuple[str, ...] = ()  # the dotted attribute paths (attrgetter)


class OperatorGetter(Transform):
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

    Rewrite safety: the lambda has one plain parameter and its body only subscripts it with
    constants or reads attribute paths from it (all of one sort), so the getter computes the same
    value, evaluates the same lookups in the same order and raises the same exceptions (whatever
    the element types: both call the same ``__getitem__``/``__getattribute__``). It is passed
    straight to a standard function that calls it with one positional argument and does nothing
    else with it (a lambda kept in a variable could be called with a keyword or inspected). Private
    names (``p.__x``) are refused: a lambda in a class body mangles them, attrgetter does not.
    ``.sort`` must be an exact list's. ``operator`` must mean the operator module wherever the
    lambda stands: no enclosing scope may bind the name. Relies on: stdlib-as-documented,
    builtins-unchanged, and that no traceback or profile of the key function is observed
    (a lambda frame no longer appears).
    """

    name: ClassVar[str] = "operator-getter"
    description: ClassVar[str] = "operator.itemgetter/attrgetter instead of a fetching lambda passed as a key"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `lambda p: p[c]`, `lambda p: p.a.b` or a tuple of such (one sort), constants only, one "
        "plain parameter, inside a function; `operator` is the module wherever the lambda stands",
        "handed straight to sorted/min/max/list.sort/heapq/bisect as key=, to map/filter over one "
        "iterable, or to itertools.groupby",
        "no private (name-mangled) attribute names",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("stdlib-as-documented", "builtins-unchanged")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def order(ps):\n    key = lambda p: p[1]\n    return sorted(ps, key=key)\n", "not passed straight"),
        leave("def order(ps, sorter):\n    return sorter(ps, key=lambda p: p[1])\n", "not known to only call"),
        leave("def order(table):\n    table.sort(key=lambda p: p[1])\n    return table\n", "not provably exactly a list"),
        leave("class Box:\n    def __init__(self, v):\n        self.__v = v\n\n    def order(self, boxes):\n"
              "        return sorted(boxes, key=lambda b: b.__v)\n", "private attribute"),
        leave("def order(ps, operator):\n    return sorted(ps, key=lambda p: p[1])\n", "`operator` is a local name"),
        leave("def outer(operator):\n    def order(ps):\n        return sorted(ps, key=lambda p: p[1])\n    return order\n",
              "`operator` is a local name"),
    )
    examples += (
        rewrite("def by_score(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:\n"
                "    return sorted(pairs, key=lambda p: p[1])  # ascending\n",
                "import operator\n\ndef by_score(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:\n"
                "    return sorted(pairs, key=operator.itemgetter(1))  # ascending\n"),
        rewrite("import operator\n\n\ndef oldest(people):\n    rows = list(people)\n"
                "    rows.sort(key=lambda person: (person.age, person.name.lower), reverse=True)\n"
                "    names = list(map(lambda r: r['name'], rows))\n"
                "    return max(rows, key=(lambda r: r.birth.year)), names\n",
                "import operator\n\n\ndef oldest(people):\n    rows = list(people)\n"
                "    rows.sort(key=operator.attrgetter(\"age\", \"name.lower\"), reverse=True)\n"
                "    names = list(map(operator.itemgetter('name'), rows))\n"
                "    return max(rows, key=(operator.attrgetter(\"birth.year\"))), names\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Getter]:
        """Fetching lambdas, and the operator getters they become (site numbers stay put)."""
        found: list[Getter] = []
        for node in index.own_nodes(fn):
            if isinstance(node, ast.Lambda):
                getter = getter_of(node, len(found))
                if getter is not None:
                    found.append(getter)
            elif isinstance(node, ast.Call) and index.qualified_name(node.func) in GETTERS:
                found.append(Getter(node, len(found), ""))
        return found

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Getter, ctx: Context) -> Verdict:
        features = {"form": int(candidate.maker == "attrgetter"),
                    "site_loop_depth": len(enclosing_loops(index, candidate.node, fn.node))}
        if not candidate.maker:
            return Verdict(["already an operator getter"], features=features)
        reasons = _caller_reasons(index, fn, candidate.node)  # type: ignore[arg-type]
        private = [p for p in candidate.paths for part in p.split(".") if part.startswith("__") and not part.endswith("__")]
        if private:
            reasons.append(f"reads the private attribute `{private[0]}` (mangled in a class, not by attrgetter)")
        blocked = import_name_reason(index, fn, "operator")
        return Verdict(reasons + ([blocked] if blocked else []), features=features)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        _, getter = self.find(index, site, ctx)
        view = CstView.of(index)
        node = view.node(getter.node, cst.Lambda)
        return add_import(view.replace({id(node): _call(view, index, getter, node)}), "operator").code


def getter_of(node: ast.Lambda, number: int) -> Getter | None:
    args = node.args
    if len(args.args) != 1 or args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg or args.defaults:
        return None
    name = args.args[0].arg
    parts = list(node.body.elts) if isinstance(node.body, ast.Tuple) and len(node.body.elts) > 1 else [node.body]
    keys = [_key(part, name) for part in parts]
    if all(key is not None for key in keys):
        return Getter(node, number, "itemgetter", keys=tuple(keys))  # type: ignore[arg-type]
    paths = [_path(part, name) for part in parts]
    if all(p is not None for p in paths):
        return Getter(node, number, "attrgetter", paths=tuple(paths))  # type: ignore[arg-type]
    return None


def _key(expr: ast.AST, name: str) -> ast.expr | None:
    """The constant ``c`` of ``name[c]``."""
    if not (isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name) and expr.value.id == name):
        return None
    key = expr.slice
    constant = (isinstance(key, ast.Constant) and isinstance(key.value, str)) or constant_int(key) is not None
    return key if constant else None


def _path(expr: ast.AST, name: str) -> str | None:
    """``"a.b"`` for ``name.a.b``."""
    attrs = []
    while isinstance(expr, ast.Attribute):
        attrs.append(expr.attr)
        expr = expr.value
    if not (attrs and isinstance(expr, ast.Name) and expr.id == name):
        return None
    return ".".join(reversed(attrs))


def _caller_reasons(index: ModuleIndex, fn: FunctionInfo, node: ast.Lambda) -> list[str]:
    parent = index.parent(node)
    keyword = parent if isinstance(parent, ast.keyword) else None
    call = index.parent(keyword) if keyword is not None else parent
    if not isinstance(call, ast.Call) or (keyword is None and node not in call.args):
        return ["the lambda is not passed straight to a function (kept, it could be called with keywords)"]
    caller = index.qualified_name(call.func)
    if keyword is not None and keyword.arg == "key":
        if caller in KEY_CALLERS:
            return []
        if isinstance(call.func, ast.Attribute) and call.func.attr == "sort":
            receiver = types.facts(index, fn).of(call.func.value)
            if k.exactly(receiver, ("list",)):
                return []
            return [f"`{index.code(call.func.value)}` is not provably exactly a list (its .sort may use the key "
                    "otherwise)"]
    elif keyword is None and caller in POSITIONAL_CALLERS:
        position, count = POSITIONAL_CALLERS[caller]
        if len(call.args) == count and call.args[position] is node and not call.keywords \
                and not any(isinstance(a, ast.Starred) for a in call.args):
            return []
    return [f"`{index.code(call.func)}` is not known to only call the lambda with one positional argument"]


def _call(view: CstView, index: ModuleIndex, getter: Getter, node: cst.Lambda) -> cst.Call:
    if getter.maker == "itemgetter":
        values = [view.parse_expression(index.segment(key) or ast.unparse(key)) for key in getter.keys]
    else:
        values = [cst.SimpleString(f'"{path}"') for path in getter.paths]
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args = [cst.Arg(v, comma=comma if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT) for i, v in enumerate(values)]
    return cst.Call(cst.Attribute(cst.Name("operator"), cst.Name(getter.maker)), args, lpar=node.lpar, rpar=node.rpar)
