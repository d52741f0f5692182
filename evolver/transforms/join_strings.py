"""join-strings: build a string with one ``"".join`` instead of ``+=`` in a loop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import loop_proofs as loops
from evolver.analysis.builtin_types import Kinds
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.model import Site
from evolver.transforms._legacy import Context, LegacyTransform, function_features
from evolver.transforms._loops import comprehension, replace_with_value


@dataclass(frozen=True)
class Candidate:
    """``for x in xs: s += piece``, maybe under one ``if``."""

    loop: cst.For
    body: loops.Body
    update: cst.AugAssign
    accumulator: cst.Name


class JoinStrings(LegacyTransform):
    """Turn ``s = ""`` + ``for x in xs: s += piece(x)`` into ``s = "".join([piece(x) for x in xs])``.

    What it rewrites: inside a function, a string bound to ``""`` right before a loop whose only
    statement (maybe under one ``if``) appends a provable string to it.

    Why it is faster: CPython 3.11 already resizes a local string in place for ``s += piece``
    (amortised linear), so for a plain local the gain is the loop overhead (about 1.2x measured
    here). The copy per ``+=`` returns when ``s`` is a closure cell (a nested function or lambda
    reads it after the loop): there the loop is quadratic (50,000 pieces: 1.6 s against 0.01 s
    for the join), as it is on other Python implementations.

    Example::

        out = ""                                 out = "".join([f"{k}={v};" for k, v in pairs])
        for k, v in pairs:               ->
            out += f"{k}={v};"

    Safety preconditions: ``s`` starts as the empty string literal in the statement right
    before the loop and nothing reads it while the loop runs (not the piece, the test, the
    iterable, nor a closure that could run then); every piece is provably a ``str`` (an
    f-string, a literal, ``str()``/``repr()``/``format()``, a str method of a str, ``+``/``%``/``*``
    of strs, a name annotated or bound only so, an item of a ``str``-typed collection), so each
    ``+=`` is plain concatenation and no piece can fail the join; the loop variables are plain
    names unused after the loop and not captured by lambdas, generators or nested functions; no
    ``else``, not async, no ``try`` or exception-swallowing ``with`` around it (a handler would see
    a half-built string); no ``:=``, ``yield``, ``await``, ``super()`` in the loop, and the function
    does not read its own locals. Pieces are computed in the same order; an exception while
    computing one propagates unchanged.
    """

    name: ClassVar[str] = "join-strings"
    description: ClassVar[str] = "build a string with one \"\".join instead of += in a loop"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `s = \"\"` right before `for x in xs: s += piece` (maybe under one `if`), nothing else "
        "in the body; no `else`, not async; inside a function",
        "every piece provably a str (f-string, literal, str()/repr()/format(), str method of a str, "
        "str-annotated or str-bound name, item of a str collection)",
        "`s` is a local nothing reads while the loop runs (not the piece, the test, xs, nor a closure "
        "that could run then)",
        "loop variables: plain names, not `s`, unused after the loop, not captured by lambdas/generators/defs",
        "no `try` and no exception-swallowing `with` around the loop (a handler would see a half-built string)",
        "no `:=`, `yield`, `await`, `super()`, `__class__` in the loop; the function does not read its locals",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # not an empty string right before the loop
        "def f(xs: list[str], s: str):\n    for x in xs:\n        s += x\n    return s\n",
        "def f(xs: list[str]):\n    s = ''\n    n = len(xs)\n    for x in xs:\n        s += x\n    return s, n\n",
        # the piece is not provably a str: `+=` could be anything
        "def f(xs):\n    s = ''\n    for x in xs:\n        s += x\n    return s\n",
        "def f(xs):\n    s = ''\n    for x in xs:\n        s += x.name\n    return s\n",
        # read inside the loop
        "def f(xs: list[str]):\n    s = ''\n    for x in xs:\n        s += f'{len(s)}:{x}'\n    return s\n",
        # a closure that could run during the loop
        "def f(xs: list[str], g):\n    peek = lambda: s\n    s = ''\n    for x in xs:\n        if g(peek):\n"
        "            s += x\n    return s\n",
        # the loop variable is used after the loop
        "def f(xs: list[str]):\n    s = ''\n    for x in xs:\n        s += x\n    return s + x\n",
        # inside try
        "def f(xs):\n    try:\n        s = ''\n        for x in xs:\n            s += str(int(x))\n"
        "    except ValueError:\n        return s\n    return s\n",
        # else clause, walrus
        "def f(xs: list[str]):\n    s = ''\n    for x in xs:\n        s += x\n    else:\n        s += '.'\n    return s\n",
        "def f(xs: list[str]):\n    s = ''\n    for x in xs:\n        s += (y := x)\n    return s\n",
        # the function reads its locals
        "def f(xs: list[str]):\n    s = ''\n    for x in xs:\n        s += x\n    return eval('s')\n",
        # bytes
        "def f(xs: list[bytes]):\n    s = b''\n    for x in xs:\n        s += x\n    return s\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def render(pairs):\n    out = ''  # the query\n    for k, v in pairs:\n        out += f'{k}={v};'\n"
            "    return out\n",
            "def render(pairs):\n    out = ''.join([f'{k}={v};' for k, v in pairs])  # the query\n    return out\n",
        ),
        (
            "def csv(rows: list[str], sep: str = ','):\n    text: str = \"\"\n    for row in rows:\n"
            "        if row:\n            text += row.strip() + sep\n    lines = \"\"\n"
            "    for line in \"a b\".split():\n        lines += str(len(line)) + \"\\n\"\n"
            "    counter = lambda: len(text)\n    return text, lines, counter\n",
            "def csv(rows: list[str], sep: str = ','):\n    text: str = \"\".join([row.strip() + sep for row in rows if row])\n"
            "    lines = \"\".join([str(len(line)) + \"\\n\" for line in \"a b\".split()])\n"
            "    counter = lambda: len(text)\n    return text, lines, counter\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            for k, loop in loops.function_loops(index, fn):
                candidate = _candidate(index, loop)
                if candidate is not None:
                    features = function_features(index, fn) | {
                        "site_loop_depth": loops.enclosing_loops(index, fn, loop)}
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
        small = loops.assigned_name(loops.only_small(loops.previous_statement(index, loop)))
        assert small is not None
        parts = comprehension(cst.ListComp, candidate.update.value, loop, candidate.body.condition)
        joined = cst.Call(cst.Attribute(small[1], cst.Name("join")), [cst.Arg(parts)])
        return replace_with_value(index, loop, joined)


def _candidate(index: ModuleIndex, loop: cst.For | cst.While) -> Candidate | None:
    """Only string building is a candidate: ``total += x`` with numbers is left out entirely."""
    body = loops.single_body(loop) if isinstance(loop, cst.For) else None
    if body is None or not isinstance(body.statement, cst.AugAssign):
        return None
    update = body.statement
    if not (isinstance(update.operator, cst.AddAssign) and isinstance(update.target, cst.Name)):
        return None
    assert isinstance(loop, cst.For)
    candidate = Candidate(loop, body, update, update.target)
    init = _init(index, candidate)
    stringy = isinstance(init, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
    kinds = Kinds(index)
    return candidate if stringy or kinds.is_str(update.target) or kinds.is_str(update.value) else None


def _init(index: ModuleIndex, candidate: Candidate) -> cst.BaseExpression | None:
    bound = loops.assigned_name(loops.only_small(loops.previous_statement(index, candidate.loop)))
    return bound[1] if bound is not None and bound[0].value == candidate.accumulator.value else None


def reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Candidate) -> list[str]:
    loop, s = candidate.loop, candidate.accumulator
    found = []
    if loop.asynchronous is not None:
        found.append("the loop is asynchronous")
    if loop.orelse is not None:
        found.append("the loop has an `else` clause")
    init = _init(index, candidate)
    if not (isinstance(init, cst.SimpleString) and init.evaluated_value == "" and "b" not in init.prefix.lower()):
        found.append(f"`{s.value}` is not bound to the empty string literal right before the loop")
    if not Kinds(index).is_str(candidate.update.value):
        found.append(f"the added value `{index.code(candidate.update.value)}` is not provably a str "
                     "(`+=` could mean something else)")
    if any(n.value == s.value for n in loops.target_names(loop.target) or ()):
        found.append(f"the loop rebinds `{s.value}`")
    found += loops.accumulator_reasons(index, fn, loop, s, candidate.update.target)
    found += loops.loop_variable_reasons(index, fn, loop)
    found += loops.handler_reasons(index, fn, loop, "string")
    found += loops.region_reasons(index, loop)
    return found + loops.frame_reasons(index, fn)
