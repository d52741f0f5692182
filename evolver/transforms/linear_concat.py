"""linear-concat: replace quadratic list concatenation with linear forms."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from evolver.analysis.legacy_kinds import Kind, items_of
from evolver.analysis.legacy_uses import Ref, builtin_free, enclosing_loops, statement_of, variable_refs, within
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

FORMS = ("sum-list", "sum-tuple", "append", "extend")
CHAIN = "itertools.chain.from_iterable"


class LinearConcat(LegacyTransform):
    """Build lists by extending one list instead of concatenating copies.

    What it rewrites: inside a function, ``sum(lists, [])`` becomes
    ``list(itertools.chain.from_iterable(lists))`` (``sum(tuples, ())`` likewise with ``tuple``),
    and in a loop ``acc = acc + [x]`` becomes ``acc.append(x)`` and ``acc = acc + more`` becomes
    ``acc += more``.

    Why it is faster: ``sum`` and ``acc = acc + ...`` copy everything gathered so far at every
    step: O(n^2) element copies for n elements; chaining or extending in place copies each once.

    Example::

        for row in rows:                         for row in rows:
            cells = cells + [row.strip()]   ->       cells.append(row.strip())

    Safety preconditions: ``list + x`` raises unless ``x`` is a list while ``chain`` and ``+=``
    accept any iterable, so what is added must be provably a list (a tuple for ``()``): the summed
    items, the right operand. ``acc = acc + more`` makes a new list while ``+=`` changes the old
    one, so ``acc`` is a local (not a parameter) only ever bound to fresh lists, and no one else can
    see the old list: it is never aliased, stored, passed on, captured or iterated lazily, and the
    loop does not iterate it. Tuples are immutable, so ``t = t + (x,)`` has no linear in-place form:
    refused. Annotations are trusted (``xs: list[list[int]]`` holds lists).
    """

    name: ClassVar[str] = "linear-concat"
    description: ClassVar[str] = "build lists linearly: chain sum(lists, []), extend instead of acc = acc + [...]"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `sum(xs, [])` / `sum(xs, ())` or, in a loop, `acc = acc + more`, inside a function; "
        "sum, list, tuple are the builtins and `itertools` is free",
        "what is added is provably a list (a tuple for `sum(xs, ())`): `+` raises where `+=` and chain do not",
        "acc is a local variable (not a parameter), always bound to a fresh list",
        "acc is never aliased, stored, passed on, captured or iterated lazily (the old list stays invisible)",
        "the loop does not iterate over acc itself",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # sum with a non-empty start; a module-level loop
        "def flat(rows: list[list[int]]):\n    return sum(rows, [0])\n",
        "acc = []\nfor x in range(3):\n    acc = acc + [x]\n",
        # summed items and added values not provably lists
        "def flat(rows):\n    return sum(rows, [])\n",
        "def gather(parts: list[tuple[int, ...]]):\n    acc = []\n    for p in parts:\n        acc = acc + p\n"
        "    return acc\n",
        # a parameter, a tuple accumulator
        "def gather(acc: list[int], n: int):\n    for i in range(n):\n        acc = acc + [i]\n    return acc\n",
        "def gather(n: int):\n    t = ()\n    for i in range(n):\n        t = t + (i,)\n    return t\n",
        # an alias kept, a list stored on each step, lazily iterated
        "def gather(n: int):\n    acc = []\n    first = acc\n    for i in range(n):\n        acc = acc + [i]\n"
        "    return first, acc\n",
        "def history(n: int):\n    acc = []\n    steps = []\n    for i in range(n):\n        steps.append(acc)\n"
        "        acc = acc + [i]\n    return steps\n",
        "def lazy(n: int):\n    acc = []\n    it = iter(acc)\n    for i in range(n):\n        acc = acc + [i]\n"
        "    return list(it)\n",
        # the loop iterates acc itself
        "def double():\n    acc = [1, 2]\n    for x in acc:\n        acc = acc + [x]\n    return acc\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            "def flatten(rows: list[list[int]]) -> list[int]:\n    return sum(rows, [])  # all cells\n",
            "import itertools\n\ndef flatten(rows: list[list[int]]) -> list[int]:\n"
            "    return list(itertools.chain.from_iterable(rows))  # all cells\n",
        ),
        (
            "import itertools\n\n\ndef pairs(n: int):\n    return sum(((i, i * i) for i in range(n)), ())\n",
            "import itertools\n\n\ndef pairs(n: int):\n"
            "    return tuple(itertools.chain.from_iterable(((i, i * i) for i in range(n))))\n",
        ),
        (
            "def cells(rows: list[str]) -> list[str]:\n    out = []\n    for row in rows:\n"
            "        out = out + [row.strip()]  # one cell\n        if len(out) > 10:\n"
            "            out = out + out[:2]\n    return out\n",
            "def cells(rows: list[str]) -> list[str]:\n    out = []\n    for row in rows:\n"
            "        out.append(row.strip())  # one cell\n        if len(out) > 10:\n"
            "            out += out[:2]\n    return out\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            for k, node in enumerate(candidates(index, fn)):
                form = _form(index, fn, node)
                if form is None:
                    continue
                reasons = self.reasons(index, fn, node)
                features = function_features(index, fn) | {
                    "form": FORMS.index(form), "site_loop_depth": len(enclosing_loops(index, fn, node))}
                found.append(self.site(f"{ctx.module}:{fn.qualname}#{k}", reasons, features))
        return found

    @staticmethod
    def reasons(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> list[str]:
        if isinstance(node, cst.Call):
            return _sum_reasons(index, fn, node)
        assert isinstance(node, cst.Assign)
        return _loop_reasons(index, fn, node)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        node = candidates(index, fn)[int(k)]
        form = _form(index, fn, node)
        if isinstance(node, cst.Call):
            maker = "list" if form == "sum-list" else "tuple"
            chained = cst.Call(cst.parse_expression(CHAIN), [cst.Arg(node.args[0].value)])
            new = cst.Call(cst.Name(maker), [cst.Arg(chained)], lpar=node.lpar, rpar=node.rpar)
            return add_import(replace_nodes(index.tree, {id(node): new}), "itertools")
        assert isinstance(node, cst.Assign)
        return replace_nodes(index.tree, {id(node): _in_place(node, form)})


# --- candidates ------------------------------------------------------------------------------


def candidates(index: ModuleIndex, fn: FunctionInfo) -> list[cst.CSTNode]:
    """``sum(xs, start)`` calls and ``list/tuple(chain.from_iterable(...))`` (what they become);
    in loops, ``acc = acc + ...`` and ``acc.append(...)`` / ``acc += ...`` (what they become):
    site numbers stay put when a site is rewritten."""
    found: list[cst.CSTNode] = []
    for node in index.own_nodes(fn.node):
        if (isinstance(node, cst.Call) and (_is_sum(index, node) or _is_chained(index, node))) or (isinstance(node, (cst.Assign, cst.AugAssign, cst.Expr)) and _in_loop(index, fn, node) \
                and (_is_concat(node) or _is_in_place(node))):
            found.append(node)
    return found


def _form(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> str | None:
    """The rewrite a candidate gets (None: not a site: already rewritten, or no list in sight)."""
    if isinstance(node, cst.Call) and _is_sum(index, node):
        return "sum-list" if isinstance(_start(node), cst.List) else "sum-tuple"
    if not (isinstance(node, cst.Assign) and _is_concat(node)):
        return None
    added = node.value.right  # type: ignore[attr-defined]
    if not isinstance(added, (cst.List, cst.ListComp, cst.Tuple)):
        kind = Typer.of(index, fn).kind(added)
        if kind is not None and kind.base not in ("list", "tuple", "bottom"):
            return None
        if not _sequence_variable(index, fn, node):
            return None
    single = isinstance(added, cst.List) and len(added.elements) == 1 and isinstance(added.elements[0], cst.Element)
    return "append" if single else "extend"


def _sequence_variable(index: ModuleIndex, fn: FunctionInfo, node: cst.Assign) -> bool:
    """Whether the accumulator is bound to a list or a tuple elsewhere (``acc = []``)."""
    typer = Typer.of(index, fn)
    refs = variable_refs(index, fn, node.value.left) or []  # type: ignore[attr-defined]
    values = [r.at.value for r in refs if r.use == "bind" and isinstance(r.at, cst.Assign) and r.at is not node]
    return any((kind := typer.kind(v)) is not None and kind.base in ("list", "tuple") for v in values)


def _is_sum(index: ModuleIndex, call: cst.Call) -> bool:
    if not (isinstance(call.func, cst.Name) and call.func.value == "sum"
            and index.qualified_name(call.func) == "builtins.sum" and len(call.args) == 2):
        return False
    first, second = call.args
    start = _start(call)
    return (first.keyword is None and not first.star and not second.star
            and (second.keyword is None or second.keyword.value == "start")
            and isinstance(start, (cst.List, cst.Tuple)) and not start.elements)


def _start(call: cst.Call) -> cst.BaseExpression:
    return call.args[1].value


def _is_chained(index: ModuleIndex, call: cst.Call) -> bool:
    return (index.qualified_name(call.func) in ("builtins.list", "builtins.tuple") and len(call.args) == 1
            and isinstance(call.args[0].value, cst.Call) and index.qualified_name(call.args[0].value.func) == CHAIN)


def _is_concat(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.Assign):
        return False
    value = node.value
    return (len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name)
            and isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add)
            and isinstance(value.left, cst.Name) and value.left.value == node.targets[0].target.value)


def _is_in_place(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.AugAssign):
        return isinstance(node.target, cst.Name) and isinstance(node.operator, cst.AddAssign)
    if not isinstance(node, cst.Expr) or not isinstance(node.value, cst.Call):
        return False
    func = node.value.func
    return isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value == "append"


def _in_loop(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> bool:
    return any(isinstance(loop, (cst.For, cst.While)) for loop in enclosing_loops(index, fn, node))


# --- checks ------------------------------------------------------------------------------------


def _sum_reasons(index: ModuleIndex, fn: FunctionInfo, call: cst.Call) -> list[str]:
    start = _start(call)
    base = "list" if isinstance(start, cst.List) else "tuple"
    items = items_of(Typer.of(index, fn).kind(call.args[0].value))
    reasons = []
    if items is None or items.base not in (base, "bottom"):
        reasons.append(f"the summed items are not provably {base}s (`{base} + x` raises for other x)")
    if not builtin_free(index, call, base):
        reasons.append(f"`{base}` is not the builtin here")
    blocked = import_name_reason(index, fn, "itertools")
    return reasons + ([blocked] if blocked else [])


def _loop_reasons(index: ModuleIndex, fn: FunctionInfo, node: cst.Assign) -> list[str]:
    value = node.value
    assert isinstance(value, cst.BinaryOperation) and isinstance(value.left, cst.Name)
    acc, added = value.left, value.right
    typer = Typer.of(index, fn)
    kind = typer.kind(acc)
    if kind is not None and kind.base == "tuple":
        return [f"`{acc.value}` holds tuples: they are immutable, so `+=` copies them too"]
    if not _is_list(typer.kind(added)):
        return [f"`{index.code(added)}` is not provably a list (`list + x` raises for other x, `+=` does not)"]
    refs = variable_refs(index, fn, acc)
    if refs is None:
        return [f"`{acc.value}` is not a local variable"]
    reasons = _private_reasons(index, typer, acc.value, refs, node)
    return reasons or ([] if _is_list(kind) else [f"`{acc.value}` is not provably a list"])


def _private_reasons(index: ModuleIndex, typer: Typer, name: str, refs: list[Ref], site: cst.Assign) -> list[str]:
    reasons = []
    for ref in refs:
        if ref.at is site or ref.at is site.value:
            continue
        if isinstance(ref.at, cst.Param):
            reasons.append(f"`{name}` is a parameter: the caller's list would change")
        elif ref.use == "bind" and not typer.fresh_binding(ref):
            reasons.append(f"`{name}` is not always bound to a fresh list ({index.code(ref.at, 40)})")
        elif ref.use in ("escape", "view") or (ref.use == "operand" and not _is_list(typer.other_operand(ref))):
            shown = index.code(statement_of(index, ref.node), 40)
            reasons.append(f"`{name}` may be seen elsewhere ({shown}): it would see the list change")
        elif ref.use == "iterate" and isinstance(ref.at, cst.For) and within(index, site, ref.at):
            reasons.append(f"the loop iterates `{name}` itself: it would see the added elements")
    return reasons


def _is_list(kind: Kind | None) -> bool:
    return kind is not None and kind.base == "list"


# --- rewriting ---------------------------------------------------------------------------------


def _in_place(node: cst.Assign, form: str | None) -> cst.BaseSmallStatement:
    value = node.value
    assert isinstance(value, cst.BinaryOperation)
    target = node.targets[0].target
    if form == "append":
        assert isinstance(value.right, cst.List)
        element = value.right.elements[0].value
        call = cst.Call(cst.Attribute(target, cst.Name("append")), [cst.Arg(element)])
        return cst.Expr(call, semicolon=node.semicolon)
    return cst.AugAssign(target=target, operator=cst.AddAssign(), value=value.right, semicolon=node.semicolon)
