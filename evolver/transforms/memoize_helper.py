"""memoize-helper: cache a recursion on its hashable arguments, inside one call of the function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import legacy_purity as purity
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.model import Site
from evolver.transforms._legacy import (
    GENERATED,
    Context,
    LegacyTransform,
    NodeReplacer,
    add_import,
    function_features,
    import_name_reason,
    replace_nodes,
)
from evolver.transforms.memoize import DECORATOR

# Builtins that read their arguments and never change them (their results are new objects or views).
READING_BUILTINS = frozenset({
    "len", "isinstance", "sorted", "min", "max", "sum", "any", "all", "tuple", "frozenset", "str",
    "repr", "bool", "int", "float", "abs", "hash", "enumerate", "zip", "range", "reversed", "list", "set",
    "dict", "iter", "type", "id", "ord", "chr", "round", "divmod", "format",
})
# Methods that only read their receiver (dict, list, tuple, str, set, frozenset, bytes).
READING_METHODS = frozenset({
    "get", "keys", "values", "items", "count", "index", "copy", "startswith", "endswith", "find",
    "rfind", "lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "join", "isdigit",
    "isalpha", "issubset", "issuperset", "isdisjoint", "union", "intersection", "difference",
    "symmetric_difference", "__contains__", "__getitem__", "__len__",
})


DATA_CONTAINERS = frozenset({
    "builtins.dict", "builtins.list", "builtins.set", "builtins.frozenset", "builtins.tuple", "typing.Dict",
    "typing.List", "typing.Set", "typing.FrozenSet", "typing.Tuple",
})


@dataclass(frozen=True)
class Split:
    """The parameters of a recursion: ``key`` ones vary along the call tree, ``fixed`` ones are
    passed down unchanged by every recursive call."""

    key: tuple[cst.Param, ...]
    fixed: tuple[cst.Param, ...]


class MemoizeHelper(LegacyTransform):
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

    Safety preconditions: everything plain memoize needs (module-level synchronous
    non-generator def bound once, no decorators, no global/nonlocal, a pure body, an immutable
    return value) for the hashable parameters; the function calls itself directly, passing every
    fixed parameter as itself, in its own place, in every recursive call; a fixed parameter is
    annotated as builtin data with its element types (``dict[str, list[int]]``: its methods and
    operators are the builtin, reading ones), is never rebound, and neither it nor anything read
    out of it is stored into, passed to anything but reading builtins, reading methods,
    comparisons and iteration, or captured by a nested function or lambda: nothing that runs
    during the call can change it, so a cached answer stays right.
    """

    name: ClassVar[str] = "memoize-helper"
    description: ClassVar[str] = ("cache a recursion on its hashable arguments, in a helper living for one "
                                  "call, when the other arguments are passed down unchanged")
    preconditions: ClassVar[tuple[str, ...]] = (
        "module-level def, not async, not a generator, no decorators, bound once, no global/nonlocal; "
        "only plain positional-or-keyword parameters",
        "calls itself directly, and every recursive call passes each unhashable parameter as itself, "
        "in its own place",
        "the hashable parameters annotated with immutable hashable types; at least one of them",
        "unhashable parameters annotated as builtin data with element types (dict[str, list[int]]); "
        "never rebound, stored into, passed to other functions or captured; "
        "only read (subscripts, reading methods and builtins, comparisons, iteration)",
        "body pure and return value immutable, as for memoize",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # a plain function: nothing recursive to share
        "def total(n: int, xs: list) -> int:\n    return n + len(xs)\n",
        # the list's element type is not given: its items' __eq__ or __lt__ could do anything
        "def ways(n: int, coins: list) -> int:\n    if n <= 0:\n        return int(n == 0)\n"
        "    return sum(ways(n - c, coins) for c in coins if c <= n)\n",
        # the list is passed down changed
        "def ways(n: int, coins: list[int]) -> int:\n    if n <= 0:\n        return int(n == 0)\n"
        "    return ways(n - 1, coins[1:]) + ways(n, coins[1:])\n",
        # the list is mutated during the recursion
        "def walk(n: int, seen: list[int]) -> int:\n    if n == 0:\n        return 0\n    seen.append(n)\n"
        "    return walk(n - 1, seen) + len(seen)\n",
        # something read out of it is mutated
        "def walk(n: int, rows: dict[int, list[int]]) -> int:\n    if n == 0:\n        return 0\n    row = rows[n]\n"
        "    row.append(1)\n    return walk(n - 1, rows) + len(row)\n",
        # it is passed to a function that could change it
        "import heapq\n\ndef walk(n: int, heap: list[int]) -> int:\n    if n == 0:\n        return 0\n"
        "    heapq.heappush(heap, n)\n    return walk(n - 1, heap)\n",
        # the key argument is not hashable either
        "def walk(n: list, rows: dict[int, list[int]]) -> int:\n    if not n:\n        return 0\n    return walk(n[1:], rows)\n",
        # impure: prints
        "def walk(n: int, rows: dict[int, list[int]]) -> int:\n    print(n)\n    if n == 0:\n        return 0\n"
        "    return walk(n - 1, rows)\n",
        # returns a mutable object
        "def walk(n: int, rows: dict[int, list[int]]) -> list:\n    if n == 0:\n        return []\n    return walk(n - 1, rows)\n",
        # a method
        "class C:\n    def walk(self, n: int, rows: dict[int, list[int]]) -> int:\n        return 0 if n == 0 else self.walk(n - 1, rows)\n",
        # the fixed parameter is captured by a lambda
        "def walk(n: int, rows: dict[int, list[int]]) -> int:\n    if n == 0:\n        return 0\n"
        "    key = lambda: rows\n    return walk(n - 1, rows) + len(key())\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def ways(n: int, coins: list[int]) -> int:\n"
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
            "    return _evolver_ways(n)\n",
        ),
        (
            "import functools\n\n\n"
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
            "    return _evolver_cost(node, depth)\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            if fn.cls is not None or fn.nested or not self_calls(index, fn):
                continue
            split = split_params(index, fn)
            if not split.fixed:  # all hashable: plain memoize's case
                continue
            features = function_features(index, fn) | {"fixed_params": len(split.fixed)}
            found.append(self.site(f"{ctx.module}:{fn.qualname}", self.reasons(index, fn, split), features,
                                   ("the cache lives for one call of the function: only repeats inside "
                                    "one call tree are saved",)))
        return found

    @staticmethod
    def reasons(index: ModuleIndex, fn: FunctionInfo, split: Split) -> list[str]:
        reasons = purity.shape_reasons(index, fn)
        params = fn.node.params
        if params.posonly_params or params.kwonly_params or isinstance(params.star_arg, cst.Param) \
                or params.star_kwarg is not None:
            reasons.append("has positional-only, keyword-only or star parameters")
        if not split.key:
            reasons.append("no parameter is annotated with an immutable hashable type")
        reasons += purity.default_reasons(index, fn) + purity.return_reasons(index, fn)
        reasons += purity.purity_reasons(index, fn.qualname) + key_reasons(index, list(split.key))
        fixed = {p.name.value for p in split.fixed}
        for call in self_calls(index, fn):
            reasons += _call_reasons(index, fn, call, fixed)
        reasons += _reference_reasons(index, fn)
        for param in split.fixed:
            reasons += _fixed_reasons(index, fn, param)
        blocked = import_name_reason(index, None, "functools")
        if blocked:
            reasons.append(blocked)
        helper = GENERATED + fn.name
        if helper in _names_in(index, fn) or index.global_assignments(helper):
            reasons.append(f"the name {helper} is taken")
        return reasons

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        fn = index.function(site.target.split(":", 1)[1])
        assert fn is not None
        split = split_params(index, fn)
        helper = GENERATED + fn.name
        fixed = {p.name.value for p in split.fixed}
        calls = {id(call): _helper_call(call, helper, fn, fixed) for call in self_calls(index, fn)}
        body = fn.node.body.visit(NodeReplacer(calls))
        assert isinstance(body, cst.IndentedBlock)
        statements = list(body.body)
        docstring = statements[:1] if fn.node.get_docstring(clean=False) is not None else []
        inner_body = statements[len(docstring):]
        if inner_body and isinstance(inner_body[0], (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            first = inner_body[0]
            inner_body[0] = first.with_changes(leading_lines=[line for line in first.leading_lines
                                                              if line.comment is not None])
        decorator = cst.Decorator(decorator=cst.parse_expression(DECORATOR, config=index.tree.config_for_parsing))
        inner = cst.FunctionDef(
            name=cst.Name(helper),
            params=cst.Parameters(params=[p.with_changes(default=None, equal=cst.MaybeSentinel.DEFAULT,
                                                         comma=cst.MaybeSentinel.DEFAULT) for p in split.key]),
            body=body.with_changes(body=inner_body),
            decorators=[decorator], returns=fn.node.returns)
        call = cst.parse_statement(f"return {helper}({', '.join(p.name.value for p in split.key)})",
                                   config=index.tree.config_for_parsing)
        outer = fn.node.with_changes(body=body.with_changes(body=[*docstring, inner, call]))
        return add_import(replace_nodes(index.tree, {id(fn.node): outer}), "functools")


def split_params(index: ModuleIndex, fn: FunctionInfo) -> Split:
    key, fixed = [], []
    for param in purity.all_params(fn):
        hashable = param.annotation is not None and purity.immutable_annotation(index, param.annotation.annotation)
        (key if hashable else fixed).append(param)
    return Split(tuple(key), tuple(fixed))


def self_calls(index: ModuleIndex, fn: FunctionInfo) -> tuple[cst.Call, ...]:
    """Calls of the function by its own module-level name inside its body (lambdas included);
    cached on the index, since every check of a site asks for them."""
    key = ("self_calls", fn.qualname)
    if key not in index.cache:
        index.cache[key] = tuple(
            node for node in index.own_nodes(fn.node) if isinstance(node, cst.Call)
            and isinstance(node.func, cst.Name) and node.func.value == fn.name
            and index.binding(node.func) == "global" and _is(index.module_function(fn.name), fn))
    return index.cache[key]


def _is(found: FunctionInfo | None, fn: FunctionInfo) -> bool:
    return found is not None and found.node is fn.node


def _call_reasons(index: ModuleIndex, fn: FunctionInfo, call: cst.Call, fixed: set[str]) -> list[str]:
    """Every fixed parameter passed as itself, in its own place (by position or by name)."""
    shown = index.code(call)
    if any(arg.star for arg in call.args):
        return [f"the recursive call `{shown}` passes *args or **kwargs"]
    names = [p.name.value for p in fn.node.params.params]
    passed: dict[str, cst.BaseExpression] = {}
    for k, arg in enumerate(call.args):
        name = arg.keyword.value if arg.keyword is not None else (names[k] if k < len(names) else None)
        if name is None or name in passed:
            return [f"the recursive call `{shown}` does not match the parameters"]
        passed[name] = arg.value
    reasons = []
    for name in names:
        if name not in passed:
            reasons.append(f"the recursive call `{shown}` leaves `{name}` to its default")
        elif name in fixed and not (isinstance(passed[name], cst.Name) and passed[name].value == name
                                    and index.binding(passed[name]) == "param"):
            reasons.append(f"the recursive call `{shown}` passes `{index.code(passed[name])}` as `{name}`, "
                           "not the same object")
    return reasons


def _reference_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """The function's name used other than to call it (``map(f, xs)``) would skip the helper."""
    calls = {id(call.func) for call in self_calls(index, fn)}
    return [f"`{fn.name}` is used other than in direct calls" for node in index.walk(fn.node.body)
            if isinstance(node, cst.Name) and node.value == fn.name and id(node) not in calls
            and index.binding(node) == "global"][:1]


def _fixed_reasons(index: ModuleIndex, fn: FunctionInfo, param: cst.Param) -> list[str]:
    """The parameter, and every local name bound from it, only ever read."""
    name = param.name.value
    if param.annotation is None or not builtin_data(index, param.annotation.annotation):
        return [f"parameter `{name}` is not annotated as builtin data with its element types "
                "(e.g. dict[str, list[int]]): its methods and operators could do anything"]
    names = [p.name.value for p in fn.node.params.params]
    recursive_args = {id(arg.value) for call in self_calls(index, fn) for k, arg in enumerate(call.args)
                      if (arg.keyword.value if arg.keyword is not None else names[k] if k < len(names) else None)
                      == name}
    own = {id(node) for node in index.own_nodes(fn.node, lambdas=False)}
    tainted: set[str] = {name}
    reasons: list[str] = []
    changed = True
    while changed:  # a fixpoint over local names that hold something read out of the parameter
        changed = False
        reasons = []
        for node in index.walk(fn.node.body):
            if not (isinstance(node, cst.Name) and node.value in tainted) or id(node) in recursive_args:
                continue
            if id(node) not in own:
                reasons.append(f"`{name}` (as `{node.value}`) is captured by a nested function or lambda")
                continue
            if index.binding(node) not in ("param", "local") or _is_store(index, node):
                if node.value == name and _is_store(index, node):
                    reasons.append(f"parameter `{name}` is rebound")
                continue
            why, bound = _read_only(index, fn, node)
            if why:
                reasons.append(f"`{name}` (as `{index.code(node)}`) {why}")
            for target in bound:
                if target not in tainted:
                    tainted.add(target)
                    changed = True
    return reasons


def builtin_data(index: ModuleIndex, expr: cst.BaseExpression) -> bool:
    """An annotation made only of builtin data types with their element types given
    (``dict[str, list[int]]``): then every method and operator the body can use on the value and
    on what it holds is the builtin one, which only reads. A bare ``dict`` could hold objects whose
    ``__eq__`` or ``get`` does anything."""
    if isinstance(expr, cst.Name) and expr.value == "None":
        return True
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
        return builtin_data(index, expr.left) and builtin_data(index, expr.right)
    if isinstance(expr, cst.Subscript):
        base = index.qualified_name(expr.value)
        items = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
        if len(items) != len(expr.slice) or base not in DATA_CONTAINERS | purity.UNION_TYPES:
            return False
        return all(isinstance(i, cst.Ellipsis) or builtin_data(index, i) for i in items)
    return index.qualified_name(expr) in purity.IMMUTABLE_TYPES


def _is_store(index: ModuleIndex, node: cst.Name) -> bool:
    return any(getattr(a, "node", None) is node for a in index.assignments(node))


def _read_only(index: ModuleIndex, fn: FunctionInfo, node: cst.BaseExpression) -> tuple[str | None, list[str]]:
    """Why using ``node`` (a value read out of a fixed parameter) might change it (None: it only
    reads), and the local names its value gets bound to."""
    current = node
    recursion = {id(call) for call in self_calls(index, fn)}
    while True:
        parent = index.parent(current)
        if parent is None:
            return "is used outside the function", []
        if isinstance(parent, cst.Subscript) and parent.value is current:
            if _is_target(index, parent):
                return "is stored into", []
            current = parent
        elif isinstance(parent, (cst.SubscriptElement, cst.Index, cst.Slice)):
            return None, []  # used as an index: only read
        elif isinstance(parent, cst.Attribute) and parent.value is current:
            grand = index.parent(parent)
            if isinstance(grand, cst.Call) and grand.func is parent:
                if parent.attr.value not in READING_METHODS:
                    return f"calls .{parent.attr.value}(), which may change it", []
                current = grand
            elif _is_target(index, parent):
                return "is stored into", []
            else:
                current = parent
        elif isinstance(parent, cst.Arg) and id(index.parent(parent)) in recursion:
            return None, []  # a key argument of the recursion, which runs under these same checks
        elif isinstance(parent, cst.Arg):
            call = index.parent(parent)
            qualified = index.qualified_name(call.func) if isinstance(call, cst.Call) else None
            if qualified is None or not qualified.startswith("builtins.") \
                    or qualified.removeprefix("builtins.") not in READING_BUILTINS:
                shown = index.code(call.func) if isinstance(call, cst.Call) else "a call"
                return f"is passed to {shown}, which could change it", []
            current = call
        elif isinstance(parent, (cst.ComparisonTarget, cst.Comparison)):
            return None, []  # a comparison's result is a new bool
        elif isinstance(parent, (cst.BinaryOperation, cst.BooleanOperation, cst.UnaryOperation, cst.IfExp,
                                 cst.Element, cst.Tuple, cst.List, cst.Set, cst.FormattedStringExpression,
                                 cst.FormattedString, cst.DictElement, cst.Dict)):
            current = parent
        elif isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is current:
            return None, _target_names(parent.target)
        elif isinstance(parent, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            current = parent
        elif isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is current:
            targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
            if not all(isinstance(t, (cst.Name, cst.Tuple, cst.List)) for t in targets):
                return "is stored into an attribute or item", []
            return None, [n for t in targets for n in _target_names(t)]
        elif isinstance(parent, cst.AugAssign) and parent.value is current:
            return None, _target_names(parent.target)
        elif isinstance(parent, (cst.Return, cst.If, cst.While, cst.Expr, cst.Assert, cst.CompIf)):
            return None, []  # returned (immutable, checked), tested or discarded
        else:
            return f"is used in a {type(parent).__name__}", []


def _is_target(index: ModuleIndex, node: cst.CSTNode) -> bool:
    parent = index.parent(node)
    return (isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.Del)) and getattr(parent, "target", None) is node) \
        or (isinstance(parent, cst.AnnAssign) and parent.target is node) \
        or (isinstance(parent, (cst.For, cst.CompFor)) and parent.target is node)


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _target_names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return ["<not a name>"]


def _names_in(index: ModuleIndex, fn: FunctionInfo) -> set[str]:
    return {node.value for node in index.walk(fn.node) if isinstance(node, cst.Name)}


def _helper_call(call: cst.Call, helper: str, fn: FunctionInfo, fixed: set[str]) -> cst.Call:
    names = [p.name.value for p in fn.node.params.params]
    kept = [arg for k, arg in enumerate(call.args)
            if (arg.keyword.value if arg.keyword is not None else names[k]) not in fixed]
    if kept:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(func=cst.Name(helper), args=kept)


def key_reasons(index: ModuleIndex, params: list[cst.Param]) -> list[str]:
    """Arguments the cache would confuse: keys compare by ``==``, so 0.0 and -0.0 share an entry,
    and ``typed=True`` checks only top-level types, so (1,), (1.0,) and (True,) share one too."""
    reasons = []
    for param in params:
        if param.annotation is None:
            continue
        names = purity.annotation_names(index, param.annotation.annotation)
        if names & {"builtins.float", "builtins.complex"}:
            reasons.append(f"parameter `{param.name.value}` is a float: 0.0 and -0.0 would share a cache entry")
        elif names & _CONTAINERS and names & _NUMBERS:
            reasons.append(f"parameter `{param.name.value}` holds numbers in a container: 1, 1.0 and True "
                           "would share a cache entry")
    return reasons


_CONTAINERS = frozenset({"builtins.tuple", "typing.Tuple", "builtins.frozenset", "typing.FrozenSet"})
_NUMBERS = frozenset({"builtins.int", "builtins.float", "builtins.complex", "builtins.bool"})
