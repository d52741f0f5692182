"""memoize-helper: cache a recursion on its hashable arguments, inside one call of the function."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import annotations as annotated
from evolver.analysis import kinds as k
from evolver.analysis import memo
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import builtin_visible
from evolver.analysis.purity import default_reasons, purity_reasons
from evolver.analysis.tree import all_params
from evolver.model import Site
from evolver.transforms import _memo_guard
from evolver.transforms._cst import CstView, NodeReplacer, add_import
from evolver.transforms._membership_built import not_builtin
from evolver.transforms._memo_readonly import call_reasons, fixed_reasons, reference_reasons
from evolver.transforms.base import (
    GENERATED,
    NO_SITE,
    Candidate,
    Context,
    Example,
    Transform,
    Verdict,
    import_name_reason,
    leave,
    rewrite,
)
from evolver.transforms.memoize import DECORATOR


@dataclass(frozen=True)
class Split(Candidate):
    """The parameters of a recursion: ``key`` ones vary along the call tree, ``fixed`` ones are passed
    down unchanged by every recursive call."""

    key: tuple[ast.arg, ...] = ()
    fixed: tuple[ast.arg, ...] = ()


class MemoizeHelper(Transform):
    """Memoize a recursive function's inner helper, keyed on its hashable arguments only.

    What it rewrites: a module-level recursive function some of whose parameters are not hashable
    (a dict, a list) but are passed down unchanged by every recursive call. The body moves into a
    nested helper that takes only the other, hashable parameters and is cached with
    ``functools.lru_cache``; the function calls it once. The cache lives for one outer call.

    Why it is faster: plain memoize cannot key a cache on a dict argument, but within one call tree
    that argument is the same object, unchanged, so the recursion's repeated sub-problems (same
    hashable arguments) can be answered from the cache: an exponential recursion becomes linear.

    Example::

        def ways(n: int, coins: list[int]) -> int:   def ways(n: int, coins: list[int]) -> int:
            if n == 0:                                   @functools.lru_cache(maxsize=None, typed=True)
                return 1                                 def _evolver_ways(n: int) -> int:
            return sum(ways(n - c, coins)      ->            if n == 0: ...
                       for c in coins if c <= n)             return sum(_evolver_ways(n - c) for c in ...)
                                                         return _evolver_ways(n)

    Rewrite safety: everything plain memoize needs (a module-level synchronous non-generator def
    bound once, no decorators, no global/nonlocal, a pure body, an immutable return value, keys that
    cannot confuse equal values) for the hashable parameters; the function calls itself directly,
    passing every fixed parameter as itself, in its own place, in every recursive call, and is not a
    recursion through a single self-call (no gain, half the depth); a fixed parameter is annotated as
    builtin data with its element types (``dict[str, list[int]]``), is never rebound, and neither it
    nor anything read out of it is stored into, passed to anything but reading builtins, reading
    methods, comparisons and iteration, or captured by a nested function or lambda; a copy made of
    it (``list(coins)``) is a new object the function may change, but not what it holds; an item is
    read from a fixed dict only with ``get``/``in`` (a ``d[k]`` on a dict subclass such as a
    defaultdict may insert). Nothing that runs during the call can change a fixed parameter, so a
    cached answer stays right. A fixed parameter that says nothing of its elements (no annotation, a
    bare ``list``/``tuple``/``dict``) is checked at run time instead (``evolver.transforms.
    _memo_guard``): the analysis is run again supposing element types its use allows (``list[int]``,
    ``dict[str, list[str]]``...), and when the whole check passes under some, the rewritten function
    tests exactly those, all the way down, on entry (``type(w) is list and all(type(e) is int for e
    in w)``); otherwise the helper runs uncached (``__wrapped__``), the original recursion. An annotated fixed
    parameter is tested the same way (``type(coins) is list and all(type(e) is int for e in coins)``):
    a list subclass with its own ``__iter__`` runs the original recursion, uncached. Relies on: what memoize relies on, and quiet-special-methods (the
    cached calls skip some iterations of a fixed parameter).
    """

    name: ClassVar[str] = "memoize-helper"
    description: ClassVar[str] = ("cache a recursion on its hashable arguments, in a helper living for one "
                                  "call, when the other arguments are passed down unchanged")
    preconditions: ClassVar[tuple[str, ...]] = (
        "module-level def, not async, not a generator, no decorators, bound once, no global/nonlocal; "
        "only plain positional-or-keyword parameters",
        "calls itself directly, and every recursive call passes each unhashable parameter as itself, "
        "in its own place; not through a single self-call",
        "the hashable parameters annotated with immutable hashable types; at least one of them",
        "unhashable parameters annotated as builtin data with element types (dict[str, list[int]]), or without "
        "element types and checked at run time against element types under which the body proves the rest; "
        "never rebound, stored into, passed to other functions or captured; "
        "only read (subscripts, reading methods and builtins, comparisons, iteration)",
        "body pure and return value immutable, as for memoize",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("stdlib-as-documented", "module-globals-private", "builtins-unchanged",
                                              "equal-keys-interchangeable", "annotations-hold", "identity-not-observed",
                                              "quiet-special-methods", "finalizers-quiet")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def total(n: int, xs: list) -> int:\n    return n + len(xs)\n", NO_SITE),  # nothing recursive to share
        leave("def walk(n: int, rows) -> int:\n    if n == 0:\n        return 0\n    rows.append(n)\n"
              "    return walk(n - 1, rows) + walk(n - 2, rows)\n", r"rows\.append changes `rows`"),
        leave("def ways(n: int, coins: list[int]) -> int:\n    if n <= 0:\n        return int(n == 0)\n"
              "    return ways(n - 1, coins[1:]) + ways(n, coins[1:])\n", "not the same object"),
        leave("def walk(n: int, seen: list[int]) -> int:\n    if n == 0:\n        return 0\n    seen.append(n)\n"
              "    return walk(n - 1, seen) + walk(n - 2, seen) + len(seen)\n", r"\.append\(\)|changes `seen`"),
        leave("def walk(n: int, rows: dict[int, list[int]]) -> int:\n    if n == 0:\n        return 0\n"
              "    row = rows.get(n, [])\n    row.append(1)\n    return walk(n - 1, rows) + walk(n - 2, rows) + len(row)\n",
              r"\.append\(\)"),
        leave("import heapq\n\ndef walk(n: int, heap: list[int]) -> int:\n    if n == 0:\n        return 0\n"
              "    heapq.heappush(heap, n)\n    return walk(n - 1, heap) + walk(n - 2, heap)\n", "heappush"),
        leave("def walk(n: list, rows: dict[int, list[int]]) -> int:\n    if not n:\n        return 0\n"
              "    return walk(n[1:], rows) + walk(n[2:], rows)\n", "no parameter is annotated with an immutable"),
        leave("def walk(n: int, rows: dict[int, list[int]]) -> int:\n    print(n)\n    if n == 0:\n        return 0\n"
              "    return walk(n - 1, rows) + walk(n - 2, rows)\n", "prints"),
        leave("def walk(n: int, rows: dict[int, list[int]]) -> list:\n    if n == 0:\n        return []\n"
              "    return walk(n - 1, rows) + walk(n - 2, rows)\n", "return value .* not provably immutable"),
        leave("class C:\n    def walk(self, n: int, rows: dict[int, list[int]]) -> int:\n"
              "        return 0 if n == 0 else self.walk(n - 1, rows)\n", NO_SITE),
        leave("def walk(n: int, rows: dict[int, list[int]]) -> int:\n    if n == 0:\n        return 0\n"
              "    key = lambda: rows\n    return walk(n - 1, rows) + walk(n - 2, rows) + len(key())\n", "captured"),
        leave("def down(n: int, step: list[int]) -> int:\n    return 0 if n <= 0 else 1 + down(n - step[0], step)\n",
              "one self-call"),
        leave("def reach(node: str, graph: dict[str, list[str]]) -> int:\n    total = 0\n"
              "    for nxt in graph[node]:\n        total += reach(nxt, graph)\n    return total\n", "defaultdict"),
    )
    examples += (
        # `coins` says nothing of its elements: the cache runs when they are exactly ints, checked at run time
        rewrite("def ways(n: int, coins: list) -> int:\n    if n <= 0:\n        return int(n == 0)\n"
                "    return sum(ways(n - c, coins) for c in coins if c <= n)\n",
                "import functools\n\ndef ways(n: int, coins: list) -> int:\n"
                "    @functools.lru_cache(maxsize=None, typed=True)\n    def _evolver_ways(n: int) -> int:\n"
                "        if n <= 0:\n            return int(n == 0)\n"
                "        return sum(_evolver_ways(n - c) for c in coins if c <= n)\n"
                "    if not (type(coins) is list and all(type(_e0) is int for _e0 in coins)):\n"
                "        _evolver_ways = _evolver_ways.__wrapped__  # uncached: the original recursion\n"
                "    return _evolver_ways(n)\n"),
        rewrite("def ways(n: int, coins: list[int]) -> int:\n"
                '    """Ways to pay n with coins."""\n'
                "    if n == 0:\n        return 1\n"
                "    return sum(ways(n - c, coins) for c in coins if c <= n)\n",
                "import functools\n\n"
                "def ways(n: int, coins: list[int]) -> int:\n"
                '    """Ways to pay n with coins."""\n'
                "    @functools.lru_cache(maxsize=None, typed=True)\n"
                "    def _evolver_ways(n: int) -> int:\n"
                "        if n == 0:\n            return 1\n"
                "        return sum(_evolver_ways(n - c) for c in coins if c <= n)\n"
                "    if not (type(coins) is list and all(type(_e0) is int for _e0 in coins)):\n"
                "        _evolver_ways = _evolver_ways.__wrapped__  # uncached: the original recursion\n"
                "    return _evolver_ways(n)\n"),
        rewrite("import functools\n\n\n"
                "def cost(graph: dict[str, tuple[tuple[str, int], ...]], node: str, depth: int = 0) -> int:\n"
                "    # cheapest path to a leaf\n"
                "    edges = graph.get(node, ())\n"
                "    if not edges or depth > 20:\n        return 0\n"
                "    return min(w + cost(graph, nxt, depth=depth + 1) for nxt, w in edges)\n",
                "import functools\n\n\n"
                "def cost(graph: dict[str, tuple[tuple[str, int], ...]], node: str, depth: int = 0) -> int:\n"
                "    @functools.lru_cache(maxsize=None, typed=True)\n"
                "    def _evolver_cost(node: str, depth: int) -> int:\n"
                "        # cheapest path to a leaf\n"
                "        edges = graph.get(node, ())\n"
                "        if not edges or depth > 20:\n            return 0\n"
                "        return min(w + _evolver_cost(nxt, depth=depth + 1) for nxt, w in edges)\n"
                "    if not (type(graph) is dict and all(type(_k0) is str and type(_v0) is tuple and all(type(_e1) is tuple "
                "and len(_e1) == 2 and type(_e1[0]) is str and type(_e1[1]) is int for _e1 in _v0) for _k0, _v0 in "
                "graph.items())):\n"
                "        _evolver_cost = _evolver_cost.__wrapped__  # uncached: the original recursion\n"
                "    return _evolver_cost(node, depth)\n"),
        # a copy of the fixed list is the function's own to change
        rewrite("def ways(n: int, coins: list[int]) -> int:\n    if n == 0:\n        return 1\n"
                "    options = list(coins)\n    options.append(n + 1)\n"
                "    return sum(ways(n - c, coins) for c in options if c <= n)\n",
                "import functools\n\ndef ways(n: int, coins: list[int]) -> int:\n"
                "    @functools.lru_cache(maxsize=None, typed=True)\n"
                "    def _evolver_ways(n: int) -> int:\n        if n == 0:\n            return 1\n"
                "        options = list(coins)\n        options.append(n + 1)\n"
                "        return sum(_evolver_ways(n - c) for c in options if c <= n)\n"
                "    if not (type(coins) is list and all(type(_e0) is int for _e0 in coins)):\n"
                "        _evolver_ways = _evolver_ways.__wrapped__  # uncached: the original recursion\n"
                "    return _evolver_ways(n)\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Split]:
        if fn.cls is not None or fn.nested or not memo.self_calls(index, fn):
            return []
        key: list[ast.arg] = []
        fixed: list[ast.arg] = []
        for param in all_params(fn.node.args):
            declared = annotated.declared(index, param.annotation) if param.annotation is not None else k.UNKNOWN
            hashable = k.hashable(declared, declared=True)  # a float too: memo.key_reasons says why not
            (key if hashable else fixed).append(param)
        return [Split(fn.node, None, tuple(key), tuple(fixed))] if fixed else []

    def check(self, index: ModuleIndex, fn: FunctionInfo, split: Split, ctx: Context) -> Verdict:
        verdict = self._check(index, fn, split, ctx)
        params = _memo_guard.open_params(index, fn, split.fixed)
        if not verdict.reasons:
            return self._exactly(index, fn, verdict, self._all_guards(index, fn, split, ctx))
        if not params or not all(_typed(reason, params) for reason in verdict.reasons):
            return verdict  # nothing a supposed element type could settle
        guards = self._all_guards(index, fn, split, ctx)
        shadowed = [name for name in _memo_guard.builtins_read(guards) if not builtin_visible(index, fn, name)]
        if shadowed:
            return Verdict(verdict.reasons + [not_builtin(index, name, "the run-time guard on the parameters without "
                                                          "element types") for name in shadowed],
                           verdict.notes, verdict.assumptions, verdict.features)
        if not guards:
            return Verdict(_unproven(index, fn, split, verdict.reasons, lambda other, found: self._check(
                other, found, _same_split(found, split), ctx).reasons), verdict.notes, verdict.assumptions,
                verdict.features)
        supposed = self._check(*_supposed(index, fn, split, guards[0]), ctx)
        shown = " or ".join(", ".join(f"{name}: {spec}" for name, spec in types.items()) for types in guards)
        return Verdict([], supposed.notes + [f"the cache is used when the arguments are exactly ({shown}), checked at "
                                             "run time; otherwise the original recursion runs, uncached"],
                       supposed.assumptions, supposed.features | {"guarded": 1})

    def _exactly(self, index: ModuleIndex, fn: FunctionInfo, verdict: Verdict, guards: list[dict[str, str]]) -> Verdict:
        """An applicable verdict, with the run-time test that the annotated containers are exactly what
        they say (a list subclass's own ``__iter__`` would see fewer reads under the cache)."""
        if not guards:
            return verdict
        shadowed = [name for name in _memo_guard.builtins_read(guards) if not builtin_visible(index, fn, name)]
        if shadowed:
            return Verdict([not_builtin(index, name, "the run-time guard on the annotated parameters")
                            for name in shadowed], features=verdict.features)
        shown = ", ".join(f"{name}: {spec}" for name, spec in guards[0].items())
        return Verdict([], verdict.notes + [f"the cache is used when the arguments are exactly ({shown}), checked at "
                                            "run time; otherwise the original recursion runs, uncached"],
                       verdict.assumptions, verdict.features | {"guarded": 1})

    def _all_guards(self, index: ModuleIndex, fn: FunctionInfo, split: Split, ctx: Context) -> list[dict[str, str]]:
        """What the guard tests: the annotated fixed parameters' own types (when they can be tested
        exactly), and for those without element types, the types under which the check passes."""
        annotated_specs = {}
        for param in split.fixed:
            if index.annotation(param) is not None and param.arg not in _memo_guard.open_params(index, fn, (param,)):
                spec = _memo_guard.spec_of(annotated.declared(index, index.annotation(param)))
                if spec is not None:
                    annotated_specs[param.arg] = spec
        supposed = self._guards(index, fn, split, ctx) if self._check(index, fn, split, ctx).reasons else []
        if supposed:
            return [annotated_specs | types for types in supposed]
        return [annotated_specs] if annotated_specs else []

    def _guards(self, index: ModuleIndex, fn: FunctionInfo, split: Split, ctx: Context) -> list[dict[str, str]]:
        """The element types, checked at run time, under which the body proves everything else."""
        return _memo_guard.proven(index, fn, split.fixed, lambda other, found: not self._check(
            other, found, _same_split(found, split), ctx).reasons)

    def _check(self, index: ModuleIndex, fn: FunctionInfo, split: Split, ctx: Context) -> Verdict:
        reasons = memo.shape_reasons(index, fn)
        args = fn.node.args
        if args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg:
            reasons.append("has positional-only, keyword-only or star parameters")
        if not split.key:
            reasons.append("no parameter is annotated with an immutable hashable type")
        reasons += default_reasons(index, fn) + memo.return_reasons(index, fn) + memo.recursion_reasons(index, fn)
        reasons += purity_reasons(index, fn.qualname) + memo.key_reasons(index, fn, list(split.key))
        fixed = {p.arg for p in split.fixed}
        for call in memo.self_calls(index, fn):
            reasons += call_reasons(index, fn, call, fixed)
        reasons += reference_reasons(index, fn)
        for param in split.fixed:
            reasons += fixed_reasons(index, fn, param)
        blocked = import_name_reason(index, fn, "functools")
        if blocked:
            reasons.append(blocked)
        helper = GENERATED + fn.name
        if any(helper in scope.bindings for scope in index.function_scopes(fn)) or index.global_bindings(helper):
            reasons.append(f"the name {helper} is taken")
        return Verdict(reasons, ["the cache lives for one call of the function: only repeats inside one call tree are "
                                 "saved"], features={"fixed_params": len(split.fixed)})

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, split = self.find(index, site, ctx)
        view = CstView.of(index)
        node = view.node(fn.node, cst.FunctionDef)
        helper = GENERATED + fn.name
        fixed = {p.arg for p in split.fixed}
        names = [p.arg for p in fn.node.args.args]
        calls = {id(view.node(call, cst.Call)): _helper_call(view.node(call, cst.Call), helper, names, fixed)
                 for call in memo.self_calls(index, fn)}
        body = node.body.visit(NodeReplacer(calls))
        assert isinstance(body, cst.IndentedBlock)
        statements = list(body.body)
        docstring = statements[:1] if node.get_docstring(clean=False) is not None else []
        inner_body = statements[len(docstring):]
        if inner_body and isinstance(inner_body[0], (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            first = inner_body[0]
            inner_body[0] = first.with_changes(leading_lines=[line for line in first.leading_lines if line.comment])
        keys = [p for p in node.params.params if p.name.value not in fixed]
        inner = cst.FunctionDef(
            name=cst.Name(helper),
            params=cst.Parameters(params=[p.with_changes(default=None, equal=cst.MaybeSentinel.DEFAULT,
                                                         comma=cst.MaybeSentinel.DEFAULT) for p in keys]),
            body=body.with_changes(body=inner_body), decorators=[cst.Decorator(view.parse_expression(DECORATOR))],
            returns=node.returns)
        call = view.parse_statement(f"return {helper}({', '.join(p.name.value for p in keys)})")
        guarded = []
        guards = self._all_guards(index, fn, split, ctx)
        if guards:  # the cache runs when the fixed arguments are exactly what was proven
            code = _memo_guard.guard_code(guards)
            guarded = [view.parse_statement(f"if not ({code}):\n    {helper} = {helper}.__wrapped__  # uncached: the "
                                            "original recursion\n")]
        outer = node.with_changes(body=body.with_changes(body=[*docstring, inner, *guarded, call]))
        return add_import(view.replace({id(node): outer}), "functools").code


def _typed(reason: str, params: dict[str, tuple[str, ...]]) -> bool:
    """A reason that element types could settle: one about an open parameter, a result or an argument
    whose type is unknown, or a callee refused for such a reason."""
    return any(f"`{name}`" in reason for name in params) or "not provably immutable" in reason or \
        "not proven an exact builtin value" in reason


def _unproven(index: ModuleIndex, fn: FunctionInfo, split: Split, reasons: list[str],
              check: Callable[[ModuleIndex, FunctionInfo], list[str]]) -> list[str]:
    """The reasons, where a parameter without element types is blamed, with what trying them found."""
    params = _memo_guard.open_params(index, fn, split.fixed)
    first = {name: shapes[0] for name, shapes in params.items()}
    under = [r for r in check(*_memo_guard.supposed(index, fn, first)) if "not annotated as builtin data" not in r]
    tried = ", ".join(f"`{name}` as {spec}" for name, spec in first.items())
    found = []
    for reason in reasons:
        name = next((n for n in params if reason.startswith(f"parameter `{n}` is not annotated as builtin data")), None)
        if name is None:
            found.append(reason)
        else:
            found.append(f"parameter `{name}` has no element types, and none that could be checked at run time "
                         f"({', '.join(params[name][:3])}, ...) proves the rest"
                         + (f" (with {tried}: {under[0]})" if under else ""))
    return found


def _same_split(fn: FunctionInfo, split: Split) -> Split:
    """``split`` for the same function in another index (the supposed one)."""
    key, fixed = {p.arg for p in split.key}, {p.arg for p in split.fixed}
    params = all_params(fn.node.args)
    return Split(fn.node, None, tuple(p for p in params if p.arg in key), tuple(p for p in params if p.arg in fixed))


def _supposed(index: ModuleIndex, fn: FunctionInfo, split: Split, types: dict[str, str]) -> tuple[ModuleIndex, FunctionInfo, Split]:
    other, found = _memo_guard.supposed(index, fn, types)
    return other, found, _same_split(found, split)


def _helper_call(call: cst.Call, helper: str, names: list[str], fixed: set[str]) -> cst.Call:
    kept = [arg for position, arg in enumerate(call.args)
            if (arg.keyword.value if arg.keyword is not None else names[position]) not in fixed]
    if kept:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(func=cst.Name(helper), args=kept)
