"""local-alias: read the builtins, globals and bound methods a loop uses from locals bound before it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import libcst as cst
from libcst.metadata import Access

from evolver.analysis import alias_proofs as proofs
from evolver.analysis import loop_proofs as loops
from evolver.analysis.builtin_types import Kinds, has_method
from evolver.analysis.static import MODULE_DUNDERS, FunctionInfo, ModuleIndex
from evolver.model import Site
from evolver.transforms._legacy import Context, LegacyTransform, function_features

Loop = cst.For | cst.While
NOT_ALIASED = frozenset({  # constants, and builtins whose meaning depends on the calling frame
    "True", "False", "None", "NotImplemented", "Ellipsis", "__debug__", "super", "locals", "vars", "globals",
    "eval", "exec", "dir", "breakpoint", "__import__", "__build_class__", "__builtins__", "__loader__",
    "list", "set",  # `x = list(...)` marks where a loop was rewritten: site numbers must not shift
    "exit", "quit", "help", "copyright", "credits", "license",  # added by `site`: may be missing
}) | MODULE_DUNDERS


@dataclass(frozen=True)
class Use:
    """Something the loop reads on every pass that could be read once: ``len``, ``helper``,
    ``out.append``."""

    key: str
    kind: str  # "builtin", "global" or "method"
    nodes: tuple[cst.CSTNode, ...]  # the Name or Attribute nodes to replace


class LocalAlias(LegacyTransform):
    """Bind the builtins, module globals and bound methods a loop reads to locals before it.

    What it rewrites: inside a function, before a ``for`` or ``while`` loop, ``_len = len``,
    ``_helper = helper``, ``_out_append = out.append``; in the loop body (and a ``while`` test)
    the uses become ``_len(...)``, ``_helper(...)``, ``_out_append(...)``. Nested functions,
    lambdas and comprehensions in the loop are left alone.

    Why it is faster: a local is one array read; a global or builtin is a dictionary lookup
    (CPython 3.11 caches it, but still checks the cache on every pass) and ``out.append`` looks
    the method up on every pass. About 1.1-1.2x on loops dominated by such reads; bound
    methods give most of it. Small: worth it only in a loop the profile shows is hot.

    Example::

        for w in words:                          _out_append = out.append
            out.append(len(w))          ->       _len = len
                                                 for w in words:
                                                     _out_append(_len(w))

    Safety preconditions: a builtin is aliased only when the module never binds that name, has
    no star import and does not use ``globals()``/``__builtins__``/``import builtins``. A module
    global is aliased only when it is bound once, by an unconditional top-level statement, before
    the function can first run, and the loop calls nothing that could rebind it: only builtins,
    pure standard-library functions, module functions proven pure and methods of builtin
    containers, with no ``yield``/``await`` in it. A bound method is aliased only on a local that
    is provably a builtin container or string (no instance attributes, so the method cannot
    change), surely bound when the loop starts, never rebound in the loop nor by a nested
    function, with the method present on its type. The function must not read its own locals
    (``locals()``, ``eval``), and the alias names must be free in it. Assumed: no other thread
    or implicit protocol method (``__eq__``, ``__next__``) rebinds module globals or builtins while
    the loop runs.
    """

    name: ClassVar[str] = "local-alias"
    description: ClassVar[str] = "read builtins, globals and bound methods a loop uses from locals bound before it"
    preconditions: ClassVar[tuple[str, ...]] = (
        "inside a function, a `for`/`while` loop reading a builtin, a module global or a method of a local",
        "builtins: the module never binds the name, no star import, no globals()/__builtins__/import builtins",
        "globals: bound once by an unconditional top-level statement before the function can run; the loop "
        "calls only builtins, pure stdlib, pure module functions, builtin-container methods; no yield/await",
        "methods: the receiver is a local provably of a builtin container/str type having the method",
        "methods: the receiver is surely bound before the loop, not rebound in it nor by a nested function",
        "the function does not read its locals (locals(), eval, exec, vars(), sys._getframe)",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # the module rebinds `len` (so it is a global, rebound)
        "def f(xs):\n    t = 0\n    for x in xs:\n        t += len(x)\n    return t\n\n\nif True:\n    len = lambda x: 0\n",
        "from helpers import *\n\n\ndef f(xs):\n    for x in xs:\n        len(x)\n",
        "def f(xs):\n    n = 0\n    while n < len(xs):\n        n += 1\n    return globals()\n",
        # the loop calls unknown code that could rebind SCALE
        "SCALE = 2\n\n\ndef f(xs, g):\n    total = 0\n    for x in xs:\n        total += g(x) * SCALE\n    return total\n",
        # bound after the function by code that could call it
        "def f(xs):\n    t = 0\n    for x in xs:\n        t += x * SCALE\n    return t\n\n\nf([1])\nSCALE = 2\n",
        # bound conditionally
        "import os\n\nif os.name == 'posix':\n    SCALE = 2\n\n\n"
        "def f(xs):\n    t = 0\n    for x in xs:\n        t += x * SCALE\n    return t\n",
        # receiver of unknown type, rebound in the loop, maybe unbound, rebound by a nested function
        "def f(xs, sink):\n    for x in xs:\n        sink.write(x)\n",
        "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        if x:\n            out = []\n    return out\n",
        "def f(xs, c):\n    if c:\n        out = []\n    for x in xs:\n        out.append(x)\n",
        "def f(xs):\n    out = []\n\n    def reset():\n        nonlocal out\n        out = []\n\n"
        "    for x in xs:\n        out.append(x)\n        reset()\n    return out\n",
        # the function reads its locals
        "def f(xs):\n    for x in xs:\n        print(len(x))\n    return locals()\n",
        # a generator: other code runs between items
        "import math\n\n\ndef f(xs):\n    for x in xs:\n        yield math.sqrt(x)\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def lengths(words):\n    out = []\n    # one per word\n    for w in words:  # hot\n"
            "        out.append(len(w))\n    return out\n",
            "def lengths(words):\n    out = []\n    # one per word\n    _out_append = out.append\n    _len = len\n"
            "    for w in words:  # hot\n        _out_append(_len(w))\n    return out\n",
        ),
        (
            "import math\nfrom math import sqrt\n\nSCALE = 2.5\n\n\ndef norm(x: float) -> float:\n    return abs(x) * SCALE\n\n\n"
            "def total(xs):\n    acc = 0.0\n    keys = set()\n    i = 0\n    while i < len(xs):\n"
            "        acc += sqrt(norm(xs[i])) + math.pi * SCALE\n        keys.add(i)\n        i += 1\n"
            "    return acc, keys\n",
            "import math\nfrom math import sqrt\n\nSCALE = 2.5\n\n\ndef norm(x: float) -> float:\n    return abs(x) * SCALE\n\n\n"
            "def total(xs):\n    acc = 0.0\n    keys = set()\n    i = 0\n    _len = len\n    _sqrt = sqrt\n"
            "    _norm = norm\n    _math = math\n    _SCALE = SCALE\n    _keys_add = keys.add\n"
            "    while i < _len(xs):\n        acc += _sqrt(_norm(xs[i])) + _math.pi * _SCALE\n        _keys_add(i)\n"
            "        i += 1\n    return acc, keys\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            frame = loops.frame_reasons(index, fn)
            for k, loop in loops.function_loops(index, fn):
                uses = _uses(index, fn, loop)
                verdicts = {u.key: use_reasons(index, fn, loop, u) for u in uses}
                safe = [u for u in uses if not verdicts[u.key]]
                if uses and safe and _covered(index, fn, loop, safe):
                    continue  # an enclosing loop can bind all of these once, outside it
                if uses:
                    found.append(self._site(index, fn, ctx, k, loop, frame, verdicts))
        return found

    def _site(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context, k: int, loop: Loop, frame: list[str],
              verdicts: dict[str, list[str]]) -> Site:
        safe = [key for key, reasons in verdicts.items() if not reasons]
        refused = [f"not `{key}`: {r}" for key, reasons in verdicts.items() for r in reasons]
        features: dict[str, Any] = function_features(index, fn) | {
            "site_loop_depth": loops.enclosing_loops(index, fn, loop), "aliases": len(safe)}
        notes = (f"aliases {', '.join(safe)}", *refused)
        return self.site(f"{ctx.module}:{fn.qualname}#{k}", frame + ([] if safe else refused), features, notes)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        loop = loops.positions(index, fn)[int(k)]
        assert isinstance(loop, (cst.For, cst.While))
        safe = [u for u in _uses(index, fn, loop) if not use_reasons(index, fn, loop, u)]
        taken = {n.value for n in index.walk(fn.node) if isinstance(n, cst.Name)}
        aliases = {u.key: _free_name(u.key, taken) for u in safe}
        return index.tree.visit(_Aliaser(loop, safe, aliases))


# --- what a loop reads ------------------------------------------------------------------------------


def _region(loop: Loop) -> list[cst.CSTNode]:
    """What runs on every pass: the body, and a ``while`` test (a ``for`` iterable runs once)."""
    return [loop.test, loop.body] if isinstance(loop, cst.While) else [loop.body]


def _uses(index: ModuleIndex, fn: FunctionInfo, loop: Loop) -> list[Use]:
    key = ("alias_uses", id(loop))
    if key not in index.cache:
        kinds = Kinds(index)
        found: dict[str, tuple[str, list[cst.CSTNode]]] = {}
        for access in _accesses(index, fn):
            node = access.node
            if access.is_annotation or access.is_type_hint or not isinstance(node, cst.Name) \
                    or not any(loops.within(index, node, r) for r in _region(loop)):
                continue
            for use_key, kind, target in _classify(index, kinds, node):
                found.setdefault(use_key, (kind, []))[1].append(target)
        index.cache[key] = [Use(k, kind, tuple(nodes)) for k, (kind, nodes) in found.items()]
    return index.cache[key]


def _accesses(index: ModuleIndex, fn: FunctionInfo) -> list[Access]:
    """The function's own reads, in source order."""
    key = ("alias_accesses", fn.qualname)
    if key not in index.cache:
        index.cache[key] = sorted(loops.own_scope(index, fn).accesses, key=lambda a: index.order(a.node))
    return index.cache[key]


def _classify(index: ModuleIndex, kinds: Kinds, name: cst.Name) -> list[tuple[str, str, cst.CSTNode]]:
    binding = index.binding(name)
    if name.value in NOT_ALIASED or name.value.startswith("__"):
        return []
    if binding == "builtin":
        return [(name.value, "builtin", name)]
    if binding in ("global", "import"):
        return [(name.value, "global", name)]
    parent = index.parent(name)
    if binding in ("local", "param") and isinstance(parent, cst.Attribute) and parent.value is name \
            and index.is_called(parent) and has_method(kinds.of(name), parent.attr.value):
        return [(f"{name.value}.{parent.attr.value}", "method", parent)]
    return []


def use_reasons(index: ModuleIndex, fn: FunctionInfo, loop: Loop, use: Use) -> list[str]:
    if use.kind == "builtin":
        return proofs.module_rebinding_reasons(index)
    if use.kind == "global":
        return proofs.global_binding_reasons(index, fn, use.key) + _calls(index, fn, loop)
    receiver = use.nodes[0].value  # type: ignore[attr-defined]
    return proofs.local_reasons(index, fn, loop, receiver)


def _calls(index: ModuleIndex, fn: FunctionInfo, loop: Loop) -> list[str]:
    key = ("alias_calls", id(loop))
    if key not in index.cache:
        region = [loop.iter, loop.body] if isinstance(loop, cst.For) else _region(loop)
        index.cache[key] = proofs.unknown_code_reasons(index, fn, region)
    return index.cache[key]


def _covered(index: ModuleIndex, fn: FunctionInfo, loop: Loop, safe: list[Use]) -> bool:
    """Every safe use of an inner loop is also safe at some enclosing loop of the function."""
    outer = _enclosing(index, fn, loop)
    for use in safe:
        if not any(not use_reasons(index, fn, o, u) for o in outer for u in _uses(index, fn, o) if u.key == use.key):
            return False
    return bool(outer)


def _enclosing(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> list[Loop]:
    found, current = [], index.parent(node)
    while current is not None and current is not fn.node:
        if isinstance(current, (cst.For, cst.While)) and any(loops.within(index, node, r) for r in _region(current)):
            found.append(current)
        current = index.parent(current)
    return found


def _free_name(key: str, taken: set[str]) -> str:
    base = "_" + key.replace(".", "_").lstrip("_")
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


# --- rewriting ------------------------------------------------------------------------------------


class _Aliaser(cst.CSTTransformer):
    """Replace the uses inside the loop and put the alias bindings right before it (they take
    over the loop's leading comments and blank lines)."""

    def __init__(self, loop: Loop, uses: list[Use], aliases: dict[str, str]) -> None:
        super().__init__()
        self.loop = loop
        self.uses = uses
        self.aliases = aliases
        self.targets = {id(node): aliases[u.key] for u in uses for node in u.nodes}

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        alias = self.targets.get(id(original_node))
        if alias is not None:
            return cst.Name(alias, lpar=updated_node.lpar, rpar=updated_node.rpar)  # type: ignore[attr-defined]
        if original_node is self.loop:
            assert isinstance(updated_node, (cst.For, cst.While))
            bindings = [self._binding(u) for u in self.uses]
            bindings[0] = bindings[0].with_changes(leading_lines=updated_node.leading_lines)
            return cst.FlattenSentinel([*bindings, updated_node.with_changes(leading_lines=[])])
        return updated_node

    def _binding(self, use: Use) -> cst.SimpleStatementLine:
        if use.kind == "method":
            receiver, method = use.key.split(".")
            value: cst.BaseExpression = cst.Attribute(cst.Name(receiver), cst.Name(method))
        else:
            value = cst.Name(use.key)
        target = cst.AssignTarget(cst.Name(self.aliases[use.key]))
        return cst.SimpleStatementLine([cst.Assign([target], value)])
