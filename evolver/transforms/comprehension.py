"""comprehension: build a fresh list or set with a comprehension instead of an append/add loop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import loop_proofs as loops
from evolver.analysis.builtin_types import Kinds
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.model import Site
from evolver.transforms._legacy import Context, LegacyTransform, function_features
from evolver.transforms._loops import comprehension, parenthesized, replace_with_value

EMPTY = {"append": "list", "add": "set"}
COPYABLE = frozenset({"list", "tuple", "dict", "set", "frozenset", "str", "bytes", "bytearray", "range",
                      "iterator", "deque"})


@dataclass(frozen=True)
class Candidate:
    """``for x in xs: out.append(value)`` (or ``.add``), maybe under one ``if``."""

    loop: cst.For
    body: loops.Body
    call: cst.Call  # ``out.append(value)``
    update: cst.Attribute  # ``out.append``
    receiver: cst.Name
    value: cst.BaseExpression

    @property
    def kind(self) -> str:
        return EMPTY[self.update.attr.value]


class Comprehension(LegacyTransform):
    """Turn ``out = []`` + ``for x in xs: out.append(f(x))`` into ``out = [f(x) for x in xs]``.

    What it rewrites: inside a function, an empty list (``[]``, ``list()``) or set (``set()``)
    bound right before a loop that only appends (adds) one value per item, maybe under one
    ``if``, becomes one comprehension: ``out = [e for x in xs if c]`` / ``out = {e for x in xs}``.
    A plain copy (``out.append(x)``) becomes ``out = list(xs)`` / ``out = set(xs)`` when ``xs``
    is provably a builtin collection or iterator, else ``[x for x in xs]``.

    Why it is faster: the comprehension appends with one bytecode instead of looking up and
    calling ``out.append`` for each item (about 1.4x for a cheap per-item expression, measured
    here on CPython 3.11); ``list(xs)`` copies in C, tens of times faster than a copy loop.

    Example::

        names = []                              names = [u.name for u in users if u.active]
        for u in users:                  ->
            if u.active:
                names.append(u.name)

    Safety preconditions: ``out`` is a local bound to a fresh empty list/set by the statement
    right before the loop, not read while the loop runs (not in the value, the test or ``xs``,
    not by a closure that could run then), so only its final value is ever seen; the loop
    variables are plain names never read after the loop nor captured by lambdas, generators or
    nested functions (a comprehension binds them in its own scope); the loop has no ``else``, is
    not async, and no ``try`` or exception-swallowing ``with`` surrounds it (a handler would see a
    half-built list where the rewrite leaves the old binding); no ``:=``, ``yield``, ``await``,
    ``super()`` or ``__class__`` in the loop, and the function does not read its own locals
    (``locals()``, ``eval``, ``vars()``). Items are produced in the same order and an exception
    from ``xs``, the test or the value propagates unchanged. Residual difference: reading a local
    the function has not bound yet raises ``NameError`` instead of ``UnboundLocalError``.
    """

    name: ClassVar[str] = "comprehension"
    description: ClassVar[str] = "build a fresh list/set with a comprehension (or list()/set()) instead of an append loop"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `out = []` / `list()` / `set()` right before `for x in xs: out.append(e)` / `out.add(e)`, "
        "maybe under one `if` (no elif/else), nothing else in the body; no `else`, not async; inside a function",
        "`out` is a local nothing reads while the loop runs (not e, the test, xs, nor a closure that could run then)",
        "loop variables: plain names, not `out`, unused after the loop, not captured by lambdas/generators/defs",
        "no `try` and no exception-swallowing `with` around the loop (a handler would see a half-built list)",
        "no `:=`, `yield`, `await`, `super()`, `__class__` in the loop; the function does not read its locals "
        "(locals(), eval, exec, vars(), sys._getframe)",
        "`list(xs)`/`set(xs)` only when xs is provably a builtin collection or iterator, else a comprehension",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # not fresh: appends to a parameter
        "def f(xs, out):\n    for x in xs:\n        out.append(x * 2)\n    return out\n",
        # not right before the loop
        "def f(xs, log):\n    out = []\n    log.append(out)\n    for x in xs:\n        out.append(x * 2)\n"
        "    return out\n",
        # read inside the loop
        "def f(xs):\n    out = []\n    for x in xs:\n        out.append(len(out) + x)\n    return out\n",
        # a closure could read the half-built list
        "def f(xs, g):\n    peek = lambda: len(out)\n    out = []\n    for x in xs:\n        out.append(g(x, peek))\n"
        "    return out\n",
        # the loop variable is used after the loop
        "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x * 2)\n    return out, x\n",
        # captured by a lambda that outlives the loop
        "def f(xs):\n    out = []\n    for x in xs:\n        out.append(lambda: x)\n    x = 0\n    return out\n",
        # inside try: the handler sees the half-built list
        "def f(xs):\n    try:\n        out = []\n        for x in xs:\n            out.append(int(x))\n"
        "    except ValueError:\n        return out\n    return out\n",
        # a context manager that swallows exceptions
        "import contextlib\n\n\ndef f(xs):\n    with contextlib.suppress(ValueError):\n        out = []\n"
        "        for x in xs:\n            out.append(int(x))\n    return out\n",
        # break, else, two statements, elif
        "def f(xs):\n    out = []\n    for x in xs:\n        if x:\n            out.append(x)\n        else:\n"
        "            break\n    return out\n",
        "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    else:\n        out.append(0)\n"
        "    return out\n",
        # walrus, yield, super
        "def f(xs):\n    out = []\n    for x in xs:\n        out.append(y := x * 2)\n    return out\n",
        "class C(list):\n    def f(self, xs):\n        out = []\n        for x in xs:\n"
        "            out.append(super().count(x))\n        return out\n",
        # the function reads its own locals
        "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return locals()\n",
        # module level, attribute receiver, a dict, shadowed list
        "out = []\nfor x in range(3):\n    out.append(x)\n",
        "def f(self, xs):\n    for x in xs:\n        self.out.append(x)\n",
        "def f(xs):\n    out = {}\n    for x in xs:\n        out.append(x)\n    return out\n",
        "def list():\n    return []\n\n\ndef f(xs):\n    out = list()\n    for x in xs:\n        out.append(x)\n    return out\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def names(users):\n    # the active ones\n    found = []  # result\n\n    for u in users:  # each user\n"
            "        if u.active:\n            found.append(u.name.title())\n    return found\n",
            "def names(users):\n    # the active ones\n\n    # each user\n"
            "    found = [u.name.title() for u in users if u.active]  # result\n    return found\n",
        ),
        (
            "def tags(items: list[str]):\n    seen = set()\n    for t in items:\n        seen.add(t)\n"
            "    copy: list[str] = []\n    for t in items:\n        copy.append(t)\n"
            "    pairs = []\n    for k, v in enumerate(items):\n        pairs.append((k, v))\n"
            "    unknown = []\n    for t in reversed(items):\n        unknown.append(t)\n"
            "    return seen, copy, pairs, unknown\n",
            "def tags(items: list[str]):\n    seen = set(items)\n    copy: list[str] = list(items)\n"
            "    pairs = [(k, v) for k, v in enumerate(items)]\n    unknown = [t for t in reversed(items)]\n"
            "    return seen, copy, pairs, unknown\n",
        ),
        (
            "def grid(rows, scale):\n    out = []\n    for row in rows:\n        line = []\n        for x in row:\n"
            "            line.append(x * scale if x else 0)\n        out.append(line)\n"
            "    for x in (1, 2):\n        out.append([x])\n    return out\n",
            "def grid(rows, scale):\n    out = []\n    for row in rows:\n        line = [x * scale if x else 0 for x in row]\n"
            "        out.append(line)\n    for x in (1, 2):\n        out.append([x])\n    return out\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            for k, loop in loops.function_loops(index, fn):
                candidate = _candidate(index, loop)
                if candidate is not None:
                    features = function_features(index, fn) | {
                        "site_loop_depth": loops.enclosing_loops(index, fn, loop),
                        "form": ("list", "set").index(candidate.kind)}
                    found.append(self.site(f"{ctx.module}:{fn.qualname}#{k}", reasons(index, fn, candidate), features))
        return found

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        loop = loops.positions(index, fn)[int(k)]
        assert isinstance(loop, cst.For)
        candidate = _candidate(index, loop)
        assert candidate is not None
        return replace_with_value(index, loop, _built(index, fn, candidate))


def _candidate(index: ModuleIndex, loop: cst.For | cst.While) -> Candidate | None:
    body = loops.single_body(loop) if isinstance(loop, cst.For) else None
    if body is None or not isinstance(body.statement, cst.Expr):
        return None
    call = body.statement.value
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name)
            and call.func.attr.value in EMPTY and len(call.args) == 1):
        return None
    receiver = call.func.value
    if call.func.attr.value == "add" and _init(index, loop, receiver) is None:
        return None  # `.add` on an object that is not bound right here: not even a candidate
    assert isinstance(loop, cst.For)
    return Candidate(loop, body, call, call.func, receiver, call.args[0].value)


def _init(index: ModuleIndex, loop: cst.CSTNode, receiver: cst.Name) -> cst.BaseExpression | None:
    """The value ``receiver`` is bound to by the statement right before the loop."""
    bound = loops.assigned_name(loops.only_small(loops.previous_statement(index, loop)))
    return bound[1] if bound is not None and bound[0].value == receiver.value else None


def reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
    loop, kind, out = candidate.loop, candidate.kind, candidate.receiver
    found = []
    if loop.asynchronous is not None:
        found.append("the loop is asynchronous")
    if loop.orelse is not None:
        found.append("the loop has an `else` clause")
    arg = candidate.call.args[0]
    if arg.keyword is not None or arg.star:
        found.append("the value is passed with `*` or a keyword")
    if not _fresh(index, _init(index, loop, out), kind):
        found.append(f"`{out.value}` is not bound to a fresh empty {kind} right before the loop")
    if any(n.value == out.value for n in loops.target_names(loop.target) or ()):
        found.append(f"the loop rebinds `{out.value}`")
    found += loops.accumulator_reasons(index, fn, loop, out, candidate.update)
    found += loops.loop_variable_reasons(index, fn, loop)
    found += loops.handler_reasons(index, fn, loop, kind)
    found += loops.region_reasons(index, loop)
    return found + loops.frame_reasons(index, fn)


def _fresh(index: ModuleIndex, value: cst.BaseExpression | None, kind: str) -> bool:
    if kind == "list" and isinstance(value, cst.List) and not value.elements:
        return True
    return isinstance(value, cst.Call) and not value.args and index.qualified_name(value.func) == f"builtins.{kind}"


def _built(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> cst.BaseExpression:
    loop, value, kind = candidate.loop, candidate.value, candidate.kind
    copy = (isinstance(loop.target, cst.Name) and isinstance(value, cst.Name) and value.value == loop.target.value
            and candidate.body.condition is None)
    if copy and loops.builtin_visible(index, fn, kind) and _copyable(index, loop.iter, kind):
        return cst.Call(cst.Name(kind), [cst.Arg(parenthesized(loop.iter))])
    return comprehension(cst.ListComp if kind == "list" else cst.SetComp, value, loop, candidate.body.condition)


def _copyable(index: ModuleIndex, iterable: cst.BaseExpression, kind: str) -> bool:
    """``list(xs)`` iterates ``xs`` like the loop (it also asks a sized ``xs`` for its length);
    ``set(xs)`` reads a set's table directly, skipping a subclass's ``__iter__``."""
    found = Kinds(index).of(iterable)
    if found is None or found.name not in COPYABLE:
        return False
    return kind == "list" or found.exact or found.name not in ("set", "frozenset")
