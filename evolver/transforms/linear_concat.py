"""linear-concat: replace quadratic list concatenation with linear forms."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.nonempty import fresh_binding
from evolver.analysis.tree import enclosing_loops, statement_of, within
from evolver.analysis.uses import Ref, variable_refs
from evolver.model import Site
from evolver.transforms._cst import CstView, add_import
from evolver.transforms._guards import Guard, builtin_reasons, guard_for
from evolver.transforms.base import (
    NO_SITE,
    Candidate,
    Context,
    Example,
    Transform,
    Verdict,
    import_name_reason,
    leave,
    not_applicable,
    rewrite,
)

FORMS = ("sum-list", "sum-tuple", "append", "extend")
CHAIN = "itertools.chain.from_iterable"


@dataclass(frozen=True)
class Concat(Candidate):
    """``sum(xs, [])`` / ``sum(xs, ())`` (``form`` "sum-list"/"sum-tuple"), ``acc = acc + more`` in a
    loop ("append"/"extend"), or what they become (``form`` "": counted, so that site numbers stay
    put, but not a site)."""

    form: str


class LinearConcat(Transform):
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

    Rewrite safety: ``list + x`` raises unless ``x`` is a list while ``chain`` and ``+=`` accept any
    iterable, and a list *subclass* on the right of ``+`` (or ``+=``) gets its ``__radd__`` called
    first, while ``chain`` and ``list.__iadd__`` iterate it with its own ``__iter__``: so what is added
    must be provably *exactly* a list (a tuple for ``()``), by construction. Summed items only
    declared lists (a ``list[list[int]]`` parameter) are rewritten behind a run-time guard
    (``type(rows) is list and {*map(type, rows)} <= {list}``), the ``sum`` kept for anything else.
    ``acc = acc + more`` has no such guard: a subclass's ``__radd__`` may bind acc to a list someone
    else holds, which every later ``+=`` would change in place, so no check of ``more`` alone helps.
    ``acc = acc + more`` makes a new list while ``+=`` changes the old one, so ``acc`` is a local
    (not a parameter) only ever bound to fresh lists, and no one else can see the old list: it is
    never aliased, stored, passed on, captured, shared with a nested function or iterated lazily,
    and the loop does not iterate it. Tuples are immutable, so ``t = t + (x,)`` has no linear
    in-place form: refused. ``list``, ``tuple`` and ``itertools`` mean what they say where the rewrite
    writes them. Relies on: builtins-unchanged, stdlib-as-documented, frames-not-inspected.
    """

    name: ClassVar[str] = "linear-concat"
    description: ClassVar[str] = "build lists linearly: chain sum(lists, []), extend instead of acc = acc + [...]"
    preconditions: ClassVar[tuple[str, ...]] = (
        "shape: `sum(xs, [])` / `sum(xs, ())` or, in a loop, `acc = acc + more`, inside a function; "
        "sum, list, tuple are the builtins and `itertools` is free",
        "what is added is provably a list (a tuple for `sum(xs, ())`), exactly: `+` raises where `+=` and chain "
        "do not, and a subclass's __radd__ or __iter__ would run",
        "acc is a local variable (not a parameter), always bound to a fresh list",
        "acc is never aliased, stored, passed on, captured or iterated lazily (the old list stays invisible)",
        "the loop does not iterate over acc itself",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("builtins-unchanged", "stdlib-as-documented", "frames-not-inspected")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("def flat(rows: list[list[int]]):\n    return sum(rows, [0])\n", NO_SITE),
        leave("def flat(rows):\n    return sum(rows, [])\n", "not provably lists"),
        leave("def gather(parts: list[tuple[int, ...]]):\n    acc = []\n    for p in parts:\n        acc = acc + p\n"
              "    return acc\n", "not provably a list, exactly"),
        leave("def gather(acc: list[int], n: int):\n    for i in range(n):\n        acc = acc + [i]\n    return acc\n",
              "is a parameter"),
        leave("def gather(n: int):\n    t = ()\n    for i in range(n):\n        t = t + (i,)\n    return t\n",
              "holds tuples"),
        leave("def gather(n: int):\n    acc = []\n    first = acc\n    for i in range(n):\n        acc = acc + [i]\n"
              "    return first, acc\n", "may be seen elsewhere"),
        leave("def lazy(n: int):\n    acc = []\n    it = iter(acc)\n    for i in range(n):\n        acc = acc + [i]\n"
              "    return list(it)\n", "may be seen elsewhere"),
        leave("def double():\n    acc = [1, 2]\n    for x in acc:\n        acc = acc + [x]\n    return acc\n",
              "iterates `acc` itself"),
        leave("def gather(n: int, seed):\n    acc = seed\n    for i in range(n):\n        acc = acc + [i]\n"
              "    return acc\n", "not always bound to a fresh list"),
    )
    examples += (
        rewrite("def flatten(rows: list[list[int]]) -> list[int]:\n    return sum(rows, [])  # all cells\n",
                "import itertools\n\ndef flatten(rows: list[list[int]]) -> list[int]:\n"
                "    return (list(itertools.chain.from_iterable(rows)) if type(rows) is list and "
                "{*map(type, rows)} <= {list} else sum(rows, []))  # all cells\n"),
        rewrite("import itertools\n\n\ndef pairs(n: int):\n    return sum(((i, i * i) for i in range(n)), ())\n",
                "import itertools\n\n\ndef pairs(n: int):\n"
                "    return tuple(itertools.chain.from_iterable(((i, i * i) for i in range(n))))\n"),
        rewrite("def cells(rows: list[str]) -> list[str]:\n    out = []\n    for row in rows:\n"
                "        out = out + [row.strip()]  # one cell\n        if len(out) > 10:\n"
                "            out = out + out[:2]\n    return out\n",
                "def cells(rows: list[str]) -> list[str]:\n    out = []\n    for row in rows:\n"
                "        out.append(row.strip())  # one cell\n        if len(out) > 10:\n"
                "            out += out[:2]\n    return out\n"),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        return [site for site in super().sites(index, ctx) if site.reasons != ("already linear",)]

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Concat]:
        """``sum(xs, start)`` calls and ``list/tuple(chain.from_iterable(...))`` (what they become);
        in loops, ``acc = acc + ...`` and ``acc.append(...)`` / ``acc += ...`` (what they become)."""
        found: list[Concat] = []
        nodes = index.own_nodes(fn)
        fallbacks = {id(n.orelse) for n in nodes if isinstance(n, ast.IfExp) and isinstance(n.body, ast.Call)
                     and _is_chained(index, n.body)}
        for node in nodes:
            form = None
            if id(node) in fallbacks:
                continue  # the sum a guarded rewrite keeps for other values: part of that site
            if isinstance(node, ast.Call):
                form = _sum_form(index, node) or ("" if _is_chained(index, node) else None)
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr)) and _in_loop(index, fn, node):
                form = _concat_form(index, fn, node) if isinstance(node, ast.Assign) else \
                    ("" if _is_in_place(node) else None)
            if form is not None:
                found.append(Concat(node, len(found), form))
        return found

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Concat, ctx: Context) -> Verdict:
        return self._check(index, fn, candidate)[0]

    def _check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Concat) -> tuple[Verdict, Guard | None]:
        features = {"form": FORMS.index(candidate.form) if candidate.form else -1,
                    "site_loop_depth": len(enclosing_loops(index, candidate.node, fn.node))}
        if not candidate.form:
            return Verdict(["already linear"], features=features), None
        if isinstance(candidate.node, ast.Assign):
            return Verdict(_loop_reasons(index, fn, candidate.node), features=features), None
        call = candidate.node
        assert isinstance(call, ast.Call)
        reasons, guard = _sum_reasons(index, fn, call, candidate.form), None
        if reasons and reasons[0].startswith("the summed items"):
            guard = guard_for(index, fn, call.args[0], flat=False)
            if guard is not None and guard.elements == (_base(candidate.form),):
                rest = reasons[1:] + builtin_reasons(index, fn, guard.builtins())
                if not rest:
                    note = f"behind a run-time guard ({guard.code()}): other values keep the sum ({reasons[0]})"
                    return Verdict(notes=[note], features=features), guard
        return Verdict(reasons, features=features), None

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        fn, candidate = self.find(index, site, ctx)
        verdict, guard = self._check(index, fn, candidate)
        if verdict.reasons:
            raise not_applicable(site, verdict)
        view = CstView.of(index)
        if isinstance(candidate.node, ast.Call):
            call = view.node(candidate.node, cst.Call)
            chained = cst.Call(view.parse_expression(CHAIN), [cst.Arg(call.args[0].value)])
            new: cst.BaseExpression = cst.Call(cst.Name(_base(candidate.form)), [cst.Arg(chained)],
                                               lpar=call.lpar, rpar=call.rpar)
            if guard is not None:
                new = guard.wrap(view, new, call)
            return add_import(view.replace({id(call): new}), "itertools").code
        assign = view.node(candidate.node, cst.Assign)
        return view.replace({id(assign): _in_place(assign, candidate.form)}).code


def _base(form: str) -> str:
    return "list" if form == "sum-list" else "tuple"


# --- candidates ------------------------------------------------------------------------------


def _sum_form(index: ModuleIndex, call: ast.Call) -> str | None:
    if index.qualified_name(call.func) != "builtins.sum" or not isinstance(call.func, ast.Name):
        return None
    start = call.args[1] if len(call.args) == 2 and not call.keywords else \
        call.keywords[0].value if len(call.args) == 1 and len(call.keywords) == 1 and call.keywords[0].arg == "start" \
        else None
    if start is None or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    if isinstance(start, ast.List) and not start.elts:
        return "sum-list"
    if isinstance(start, ast.Tuple) and not start.elts:
        return "sum-tuple"
    return None


def _is_chained(index: ModuleIndex, call: ast.Call) -> bool:
    return (index.qualified_name(call.func) in ("builtins.list", "builtins.tuple") and len(call.args) == 1
            and isinstance(call.args[0], ast.Call) and index.qualified_name(call.args[0].func) == CHAIN)


def _concat_form(index: ModuleIndex, fn: FunctionInfo, node: ast.Assign) -> str | None:
    """``acc = acc + more`` where a list is in sight (``more`` or ``acc`` a list or tuple)."""
    value = node.value
    if not (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and isinstance(value, ast.BinOp)
            and isinstance(value.op, ast.Add) and isinstance(value.left, ast.Name)
            and value.left.id == node.targets[0].id):
        return None
    facts = types.facts(index, fn)
    added = value.right
    sequences = ("list", "tuple")
    if not isinstance(added, (ast.List, ast.ListComp, ast.Tuple)) and not k.is_(facts.of(added), sequences) \
            and not _sequence_variable(index, fn, facts, node):
        return None
    single = isinstance(added, ast.List) and len(added.elts) == 1 and not isinstance(added.elts[0], ast.Starred)
    return "append" if single else "extend"


def _sequence_variable(index: ModuleIndex, fn: FunctionInfo, facts: types.TypeFacts, node: ast.Assign) -> bool:
    """The accumulator is bound to a list or a tuple elsewhere (``acc = []``)."""
    refs = variable_refs(index, fn, node.targets[0]) or []  # type: ignore[arg-type]
    values = [r.at.value for r in refs if r.use == "bind" and isinstance(r.at, ast.Assign) and r.at is not node]
    return any(k.is_(facts.of(v), ("list", "tuple")) for v in values)


def _is_in_place(node: ast.AST) -> bool:
    if isinstance(node, ast.AugAssign):
        return isinstance(node.target, ast.Name) and isinstance(node.op, ast.Add)
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    func = node.value.func
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr == "append"


def _in_loop(index: ModuleIndex, fn: FunctionInfo, node: ast.AST) -> bool:
    return any(isinstance(loop, (ast.For, ast.While)) for loop in enclosing_loops(index, node, fn.node))


# --- checks ------------------------------------------------------------------------------------


def _sum_reasons(index: ModuleIndex, fn: FunctionInfo, call: ast.Call, form: str) -> list[str]:
    base = _base(form)
    items = k.elements(types.facts(index, fn).of(call.args[0]))
    reasons = []
    if items and not k.exactly(items, (base,)):
        reasons.append(f"the summed items are not provably {base}s, exactly ({k.show(items)}): `{base} + x` raises "
                       f"for other x, and a {base} subclass's __radd__ would run")
    reasons += builtin_reasons(index, fn, [base])
    blocked = import_name_reason(index, fn, "itertools")
    return reasons + ([blocked] if blocked else [])


def _loop_reasons(index: ModuleIndex, fn: FunctionInfo, node: ast.Assign) -> list[str]:
    value = node.value
    assert isinstance(value, ast.BinOp) and isinstance(value.left, ast.Name)
    acc, added = value.left, value.right
    facts = types.facts(index, fn)
    kind = facts.of(acc)
    if k.known(kind) and "tuple" in k.bases(kind):
        return [f"`{acc.id}` holds tuples: they are immutable, so `+=` copies them too"]
    if not k.exactly(facts.of(added), ("list",)):
        return [f"`{index.code(added)}` is not provably a list, exactly ({k.show(facts.of(added))}): `list + x` "
                "raises for other x where `+=` does not, a list subclass's __radd__ (which both call first) may "
                "return a list someone else holds, which a later `+=` would change in place (no run-time check of "
                "`more` alone keeps acc private), and `+=` iterates a list subclass with its own __iter__"]
    refs = variable_refs(index, fn, acc)
    if refs is None:
        return [f"`{acc.id}` is not a local variable"]
    reasons = _private_reasons(index, fn, facts, acc.id, refs, node)
    return reasons or ([] if k.exactly(kind, ("list",)) else [f"`{acc.id}` is not provably a list"])


def _private_reasons(index: ModuleIndex, fn: FunctionInfo, facts: types.TypeFacts, name: str, refs: list[Ref],
                     site: ast.Assign) -> list[str]:
    reasons = []
    for ref in refs:
        if ref.at is site or ref.at is site.value or ref.node is site.value.left:  # type: ignore[attr-defined]
            continue
        owner = index.enclosing_function(ref.node)
        if isinstance(ref.node, ast.arg):
            reasons.append(f"`{name}` is a parameter: the caller's list would change")
        elif owner is not None and owner.node is not fn.node:
            reasons.append(f"`{name}` is shared with the nested function {owner.qualname}: it would see the list change")
        elif _identity(index, ref.node):
            reasons.append(f"the identity of `{name}` is observed ({index.code(index.parent(ref.node) or ref.node, 40)}): "
                           "+= keeps the same list where + made a new one")
        elif ref.use == "bind" and not fresh_binding(index, facts, ref):
            reasons.append(f"`{name}` is not always bound to a fresh list ({index.code(ref.at, 40)})")
        elif ref.use in ("escape", "view", "recurse") or (
                ref.use == "operand" and not k.exactly(_other_operand(facts, ref), ("list",))):
            shown = index.code(statement_of(index, ref.node), 40)
            reasons.append(f"`{name}` may be seen elsewhere ({shown}): it would see the list change")
        elif ref.use == "iterate" and isinstance(ref.at, ast.For) and within(index, site, ref.at):
            reasons.append(f"the loop iterates `{name}` itself: it would see the added elements")
    return list(dict.fromkeys(reasons))


def _identity(index: ModuleIndex, node: ast.AST) -> bool:
    """``id(acc)`` or ``acc is ...``."""
    parent = index.parent(node)
    if isinstance(parent, ast.Call) and node in parent.args:
        return index.qualified_name(parent.func) == "builtins.id"
    return isinstance(parent, ast.Compare) and any(isinstance(op, (ast.Is, ast.IsNot)) for op in parent.ops)


def _other_operand(facts: types.TypeFacts, ref: Ref) -> k.Type:
    operation = ref.at
    assert isinstance(operation, ast.BinOp)
    return facts.of(operation.right if operation.left is ref.node else operation.left)


# --- rewriting ---------------------------------------------------------------------------------


def _in_place(node: cst.Assign, form: str) -> cst.BaseSmallStatement:
    value = node.value
    assert isinstance(value, cst.BinaryOperation)
    target = node.targets[0].target
    if form == "append":
        assert isinstance(value.right, cst.List)
        element = value.right.elements[0].value
        call = cst.Call(cst.Attribute(target, cst.Name("append")), [cst.Arg(element)])
        return cst.Expr(call, semicolon=node.semicolon)
    return cst.AugAssign(target=target, operator=cst.AddAssign(), value=value.right, semicolon=node.semicolon)
