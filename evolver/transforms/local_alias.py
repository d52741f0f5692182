"""local-alias: read the builtins, globals and bound methods a loop uses from locals bound before it."""

from __future__ import annotations

import ast
import builtins
import collections
from dataclasses import dataclass
from typing import Any, ClassVar

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import rebinding, types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loop_checks import frame_reasons
from evolver.analysis.loops import (
    Loop,
    bound_before,
    builtin_visible,
    declared,
    deleted_names,
    function_loops,
    in_region,
    region,
    repeated,
)
from evolver.analysis.scopes import BUILTINS, MODULE_DUNDERS
from evolver.analysis.tree import is_called, position
from evolver.model import Site
from evolver.transforms._cst import CstView
from evolver.transforms.base import Candidate, Context, Example, Transform, Verdict, leave, rewrite

NOT_ALIASED = frozenset({  # constants, and builtins whose meaning depends on the calling frame
    "True", "False", "None", "NotImplemented", "Ellipsis", "__debug__", "super", "locals", "vars", "globals",
    "eval", "exec", "dir", "breakpoint", "__import__", "__build_class__", "__builtins__", "__loader__",
    "list", "set",  # `x = list(...)` marks where a loop was rewritten: site numbers must not shift
    "exit", "quit", "help", "copyright", "credits", "license",  # added by `site`: may be missing
}) | MODULE_DUNDERS
TYPES: dict[str, type] = {name: getattr(builtins, name) for name in (
    "list", "dict", "set", "frozenset", "tuple", "str", "bytes", "bytearray", "int", "float", "complex", "bool")}
TYPES |= {"deque": collections.deque, "defaultdict": collections.defaultdict}


@dataclass(frozen=True)
class Use:
    """Something the loop reads on every pass that could be read once: ``len``, ``helper``,
    ``out.append``."""

    key: str
    kind: str  # "builtin", "global" or "method"
    nodes: tuple[ast.AST, ...]  # the Name or Attribute nodes to replace


@dataclass(frozen=True)
class AliasLoop(Candidate):
    """A loop that reads something it could read from a local."""

    loop: Loop | None = None


class LocalAlias(Transform):
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

    Rewrite safety: a module global or builtin read once before the loop gives what the loop would
    have read on every pass when it is surely bound then and nothing can rebind it while the loop
    runs: ``evolver.analysis.rebinding.read_once_reasons``, the answer hoist-invariant uses too. It
    follows what the loop runs (its calls, transitively; callbacks handed to library calls such as
    ``re.sub`` or ``functools.reduce``; ``globals()``, ``setattr`` on an object that may be the
    module, a module object kept in a global, ``__builtins__``, ``import builtins``), and what the
    loop may run without naming it (an operator, a property, stepping an iterator): code of a value
    of unknown or only declared class (``iter(xs)`` of a ``list[str]`` runs a subclass's own
    ``__iter__``) may call any function of the module. ``setattr(obj, ...)`` rebinds no global when
    the module never takes hold of its own module object (module-globals-private: no code outside
    hands it over). When top-level code hands a handle on (``register(globals())``, a class attribute
    holding ``globals()``), every function that stores into an item or attribute, or calls anything but
    a builtin or a module function, may write the globals through it. A bound method is aliased only
    on a local that is *exactly* a builtin container or string (by construction: an annotation may hold a
    subclass whose method changes per instance, or None), that has the method, is surely bound
    when the loop starts and is never rebound in the loop nor by a nested function. The function
    must not read its own locals (``locals()``, ``eval``, ``sys._getframe``), and the alias names
    are free in it. A loop is aliased whole or not at all: when one name it reads may not be read
    once, the site is refused with that reason. Relies on: builtins-unchanged, module-globals-private, stdlib-as-documented,
    single-thread, frames-not-inspected.
    """

    name: ClassVar[str] = "local-alias"
    description: ClassVar[str] = "read builtins, globals and bound methods a loop uses from locals bound before it"
    preconditions: ClassVar[tuple[str, ...]] = (
        "inside a function, a `for`/`while` loop reading a builtin, a module global or a method of a local",
        "builtins: the module never binds the name, no star import, no __builtins__/import builtins, and no "
        "code the loop runs (called, called back, or run implicitly) can rebind it (globals(), setattr)",
        "globals: bound once by an unconditional top-level statement before the function can run, and no code "
        "the loop runs (called, called back, or run implicitly: a property, a generator) can rebind it",
        "methods: the receiver is a local provably exactly of a builtin container/str type having the method",
        "methods: the receiver is surely bound before the loop, not rebound in it nor by a nested function",
        "the function does not read its locals (locals(), eval, exec, vars(), sys._getframe)",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("builtins-unchanged", "module-globals-private", "stdlib-as-documented",
                                              "single-thread", "frames-not-inspected")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def f(xs):\n    t = 0\n    for x in xs:\n        t += len(x)\n    return t\n\n\n"
              "if True:\n    len = lambda x: 0\n", "`len` is bound conditionally"),
        leave("from helpers import *\n\n\ndef f(xs):\n    for x in xs:\n        len(x)\n", r"from \.\.\. import \*"),
        leave("def f(xs):\n    n = 0\n    while n < len(xs):\n        n += 1\n    return globals()\n",
              "itself rebinds `len` .through globals"),
        leave("SCALE = 2\n\n\ndef reset():\n    global SCALE\n    SCALE = 1\n\n\ndef f(xs, g):\n    total = 0\n"
              "    for x in xs:\n        total += g(x) * SCALE\n    return total\n", "calls unknown code .`g`."),
        leave("def f(xs):\n    t = 0\n    for x in xs:\n        t += x * SCALE\n    return t\n\n\nf([1])\nSCALE = 2\n",
              "bound later in the module"),
        leave("import os\n\nif os.name == 'posix':\n    SCALE = 2\n\n\n"
              "def f(xs):\n    t = 0\n    for x in xs:\n        t += x * SCALE\n    return t\n", "bound conditionally"),
        leave("def f(xs, out: list):\n    for x in xs:\n        out.append(x)\n", r"not provably exactly"),
        leave("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        if x:\n            out = []\n"
              "    return out\n", "`out` is rebound in the loop"),
        leave("def f(xs, c):\n    if c:\n        out = []\n    for x in xs:\n        out.append(x)\n",
              "may be unbound when the loop starts"),
        leave("def f(xs):\n    out = []\n\n    def reset():\n        nonlocal out\n        out = []\n\n"
              "    for x in xs:\n        out.append(x)\n        reset()\n    return out\n", "rebound by a nested function"),
        leave("def f(xs):\n    for x in xs:\n        print(len(x))\n    return locals()\n", "reads its local variables"),
        leave("import sys\n\n\ndef patch():\n    setattr(sys.modules[__name__], 'len', lambda x: 0)\n\n\n"
              "def f(xs):\n    for x in xs:\n        yield len(x)\n", "suspension point"),
    )
    examples += (
        rewrite("def lengths(words):\n    out = []\n    # one per word\n    for w in words:  # hot\n"
                "        out.append(len(w))\n    return out\n",
                "def lengths(words):\n    out = []\n    # one per word\n    _out_append = out.append\n    _len = len\n"
                "    for w in words:  # hot\n        _out_append(_len(w))\n    return out\n"),
        rewrite("import math\nfrom math import sqrt\n\nSCALE = 2.5\n\n\ndef norm(x: float) -> float:\n    return abs(x) * SCALE\n\n\n"
                "def total(xs):\n    acc = 0.0\n    keys = set()\n    i = 0\n    while i < len(xs):\n"
                "        acc += sqrt(norm(xs[i])) + math.pi * SCALE\n        keys.add(i)\n        i += 1\n"
                "    return acc, keys\n",
                "import math\nfrom math import sqrt\n\nSCALE = 2.5\n\n\ndef norm(x: float) -> float:\n    return abs(x) * SCALE\n\n\n"
                "def total(xs):\n    acc = 0.0\n    keys = set()\n    i = 0\n    _len = len\n    _sqrt = sqrt\n"
                "    _norm = norm\n    _math = math\n    _SCALE = SCALE\n    _keys_add = keys.add\n"
                "    while i < _len(xs):\n        acc += _sqrt(_norm(xs[i])) + _math.pi * _SCALE\n        _keys_add(i)\n"
                "        i += 1\n    return acc, keys\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[AliasLoop]:
        """Loops that read something aliasable, but not an inner loop that an enclosing loop aliases
        whole (its bindings, made once outside, serve the inner loop too)."""
        found = []
        for number, loop in function_loops(index, fn):
            if not isinstance(loop, (ast.For, ast.While)):
                continue  # an async for awaits between items: other code runs there
            keys = {u.key for u in _uses(index, fn, loop)}
            if keys and not any(_all_safe(index, fn, outer) and keys <= {u.key for u in _uses(index, fn, outer)}
                                for outer in _enclosing(index, fn, loop)):
                found.append(AliasLoop(loop, number, loop))
        return found

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: AliasLoop, ctx: Context) -> Verdict:
        assert candidate.loop is not None
        verdicts = {u.key: use_reasons(index, fn, candidate.loop, u) for u in _uses(index, fn, candidate.loop)}
        refused = [f"not `{key}`: {r}" for key, reasons in verdicts.items() for r in reasons]
        return Verdict(reasons=frame_reasons(index, fn) + refused, notes=[f"aliases {', '.join(verdicts)}"],
                       features={"site_loop_depth": len(_enclosing(index, fn, candidate.loop)), "aliases": len(verdicts)})

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, candidate = self.find(index, site, ctx)
        loop = candidate.loop
        safe = _uses(index, fn, loop)
        taken = _names_in(fn)
        aliases = {u.key: _free_name(u.key, taken) for u in safe}
        view = CstView.of(index)
        targets = {id(view.node(node, cst.Name if isinstance(node, ast.Name) else cst.Attribute)): aliases[u.key]
                   for u in safe for node in u.nodes}
        cst_loop = view.node(loop, cst.While if isinstance(loop, ast.While) else cst.For)
        return view.module.visit(_Aliaser(cst_loop, safe, aliases, targets)).code


# --- what a loop reads ------------------------------------------------------------------------------


def _uses(index: ModuleIndex, fn: FunctionInfo, loop: Loop) -> list[Use]:
    key = ("alias-uses", loop)
    if key not in index.cache:
        own = index.function_scope(fn)
        parts = repeated(loop)
        reads = [n for n in index.own(fn, ast.Name, lambdas=False) if isinstance(n.ctx, ast.Load)
                 and index.scopes.name_scope.get(n) is own and in_region(index, n, parts)]
        found: dict[str, tuple[str, list[ast.AST]]] = {}
        for name in sorted(reads, key=position):
            for use_key, kind, target in _classify(index, fn, loop, name):
                found.setdefault(use_key, (kind, []))[1].append(target)
        index.cache[key] = [Use(name, kind, tuple(nodes)) for name, (kind, nodes) in found.items()]
    return index.cache[key]


def _classify(index: ModuleIndex, fn: FunctionInfo, loop: Loop, name: ast.Name) -> list[tuple[str, str, ast.AST]]:
    if name.id in NOT_ALIASED or name.id.startswith("__"):
        return []
    binding = index.binding(name)
    if binding == "builtin" or (binding == "unresolved" and index.star_import and name.id in BUILTINS):
        return [(name.id, "builtin", name)]
    if binding in ("global", "import"):
        return [(name.id, "global", name)]
    parent = index.parent(name)
    if binding in ("local", "param", "enclosing") and isinstance(parent, ast.Attribute) and parent.value is name \
            and isinstance(parent.ctx, ast.Load) and is_called(index, parent) \
            and _has_method(types.facts(index, fn).of(name), parent.attr) and not _varies(index, fn, name, loop):
        return [(f"{name.id}.{parent.attr}", "method", parent)]
    return []


def _varies(index: ModuleIndex, fn: FunctionInfo, name: ast.Name, loop: Loop) -> bool:
    """The receiver is the loop's own variable: another object on each pass, nothing to read once (a
    receiver an assignment in the body rebinds is a use, refused for that reason)."""
    return isinstance(loop, ast.For) and index.binding(name) != "enclosing" and any(
        in_region(index, b.node, [loop.target]) for b in index.bindings(name))


def _has_method(found: k.Type, method: str) -> bool:
    """Every kind the value may have is a builtin type (exact or declared) that has ``method``."""
    return k.known(found) and all(kind.base in TYPES and hasattr(TYPES[kind.base], method) for kind in found)


def use_reasons(index: ModuleIndex, fn: FunctionInfo, loop: Loop, use: Use) -> list[str]:
    key = ("alias-reasons", loop, use.key)
    if key not in index.cache:
        index.cache[key] = _use_reasons(index, fn, loop, use)
    return index.cache[key]


def _use_reasons(index: ModuleIndex, fn: FunctionInfo, loop: Loop, use: Use) -> list[str]:
    if use.kind == "builtin":
        if index.star_import:
            return [f"the module has `from ... import *` (it may bind `{use.key}`)"]
        if not builtin_visible(index, fn, use.key):
            return [f"`{use.key}` is not the builtin here"]
        return rebinding.read_once_reasons(index, fn, region(loop), use.key, builtin=True)
    if use.kind == "global":
        return rebinding.read_once_reasons(index, fn, region(loop), use.key)
    receiver = use.nodes[0].value  # type: ignore[attr-defined]
    return receiver_reasons(index, fn, loop, receiver)


def receiver_reasons(index: ModuleIndex, fn: FunctionInfo, loop: Loop, name: ast.Name) -> list[str]:
    """The local is exactly a builtin, bound when the loop starts, and nothing rebinds it while the
    loop runs."""
    if name.id in declared(index, fn) or index.binding(name) == "enclosing":
        return [f"`{name.id}` is declared global or nonlocal" if name.id in declared(index, fn)
                else f"`{name.id}` is a variable of an enclosing function"]
    reasons = []
    found = types.facts(index, fn).of(name)
    if not all(kind.exact for kind in found):
        reasons.append(f"`{name.id}` is {k.show(found)}, not provably exactly a builtin (a subclass, or None, "
                       "may stand in: its method may change per instance)")
    bindings = index.bindings(name)
    if any(in_region(index, b.node, region(loop)) for b in bindings):
        reasons.append(f"`{name.id}` is rebound in the loop")
    if any(index.enclosing_function(b.node) is not fn for b in bindings):  # `nonlocal` stores bind here
        reasons.append(f"`{name.id}` is rebound by a nested function")
    if name.id in deleted_names(index, fn):
        reasons.append(f"`{name.id}` is deleted in {fn.qualname}")
    elif not bound_before(index, fn, name.id, loop):
        reasons.append(f"`{name.id}` may be unbound when the loop starts")
    return reasons


def _all_safe(index: ModuleIndex, fn: FunctionInfo, loop: Loop) -> bool:
    """Every read of the loop can be aliased: the loop is rewritten whole, or not at all (a loop whose
    code may rebind one of the names it reads is left as it is)."""
    return not frame_reasons(index, fn) and all(not use_reasons(index, fn, loop, u) for u in _uses(index, fn, loop))


def _enclosing(index: ModuleIndex, fn: FunctionInfo, node: ast.AST) -> list[Loop]:
    """The loops of the function whose repeated part contains ``node`` (innermost first)."""
    found: list[Loop] = []
    current = index.parent(node)
    while current is not None and current is not fn.node:
        if isinstance(current, (ast.For, ast.While)) and in_region(index, node, repeated(current)):
            found.append(current)
        current = index.parent(current)
    return found


def _names_in(fn: FunctionInfo) -> set[str]:
    """Every name the function and what it nests use, bind or declare."""
    taken: set[str] = set()
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Name):
            taken.add(node.id)
        elif isinstance(node, ast.arg):
            taken.add(node.arg)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            taken.update(node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            taken.add(node.name)
        elif isinstance(node, ast.alias):
            taken.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            taken.add(node.name)
    return taken


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

    def __init__(self, loop: cst.CSTNode, uses: list[Use], aliases: dict[str, str], targets: dict[int, str]) -> None:
        super().__init__()
        self.loop, self.uses, self.aliases, self.targets = loop, uses, aliases, targets

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
        return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(self.aliases[use.key]))], value)])
