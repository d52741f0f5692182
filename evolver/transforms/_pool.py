"""thread-pool's two forms, apart from the transform's checks: the candidate, the map form's shape
checks, and both rewrites on the libcst side.

The map form puts ``out.extend(_evolver_pool.map(f, xs))`` (or ``list(...)``) in a ``with``
``ThreadPoolExecutor``. The prefetch form puts the loop (or the statement holding the comprehension)
inside ``with _evolver_prefetch(lambda x: C, xs) as _evolver_pool:``, iterates the ``(x, future)``
pairs it gives, and reads ``_evolver_call.result()`` where ``C`` stood; the helper is written once
per module, after its imports.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import libcst as cst

from evolver.analysis import annotations as annotated
from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.constants import is_constant
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loop_checks import handler_reasons, rebound_by_other_loop
from evolver.analysis.tree import after, enclosing_loops, within
from evolver.transforms._cst import CstView, add_import, insert_after_imports
from evolver.transforms._guards import Guard, guard_for
from evolver.transforms._memo_guard import exact_test
from evolver.transforms.base import Candidate

POOL = "_evolver_pool"
FUTURE = "_evolver_call"
PREFETCH = "_evolver_prefetch"
WORKERS = 16
EXECUTOR = "concurrent.futures.ThreadPoolExecutor"
LAZY = frozenset({"iterator", "generator", "view", "file", "response", "socket"})
HELPER = '''@contextlib.contextmanager
def {name}(call, items, unpack=False):
    """(item, future of call(item), or of call(*item) when ``unpack``) for every item, in order: all
    submitted at once, {workers} run at a time. Leaving the with-block cancels the calls not yet started and waits for the running ones."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers={workers})
    try:
        yield [(item, pool.submit(call, *item) if unpack else pool.submit(call, item)) for item in items]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
'''


@dataclass(frozen=True)
class Pooled(Candidate):
    """``for x in xs: out.append(f(x, c...))``, ``out = [f(x) for x in xs]``, ``return [...]`` (form
    "map"), any other loop or list/set/dict comprehension with an I/O call (form "prefetch"), or an
    already rewritten pool (``kind`` "pool")."""

    kind: str  # "loop", "assign", "return", "pool"
    call: ast.expr | None = None  # map: f(x, c...); prefetch: the call made ahead of time
    target: ast.expr | None = None  # the loop variable
    iterable: ast.expr | None = None
    out: ast.expr | None = None  # the list appended to (map form of a loop)
    form: str = "map"
    owner: ast.AST | None = None  # prefetch: the ``for`` loop or the comprehension



# --- the map form's shape -----------------------------------------------------------------------

def shape_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled) -> list[str]:
    call, target = candidate.call, candidate.target
    assert call is not None
    reasons = []
    if candidate.kind != "loop":
        comprehension = candidate.node.value  # type: ignore[attr-defined]
        if len(comprehension.generators) > 1 or comprehension.generators[0].ifs:
            reasons.append("the comprehension has an `if` or a second `for`")
        if comprehension.generators[0].is_async:
            reasons.append("the comprehension is asynchronous")
    if not isinstance(target, ast.Name):
        return reasons + ["the loop target is not a simple name"]
    assert isinstance(call, ast.Call)
    if call.keywords:
        reasons.append("passes keyword arguments")
    if any(isinstance(a, ast.Starred) for a in call.args):
        reasons.append("passes starred arguments")
    uses = [a for a in call.args if isinstance(a, ast.Name) and a.id == target.id]
    if len(uses) != 1 or len(_names_in(call, target.id)) != 1:
        reasons.append(f"the loop variable `{target.id}` is not passed exactly once as a plain argument")
    for arg in call.args:
        if arg not in uses and not _invariant(index, fn, arg):
            reasons.append(f"argument `{index.code(arg)}` is not provably bound and loop-invariant")
    if candidate.kind == "loop" and _names_in(candidate.iterable, target.id):
        reasons.append(f"the iterable uses the loop variable `{target.id}`")
    return reasons


def loop_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled) -> list[str]:
    loop = candidate.node
    assert isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(candidate.target, ast.Name)
    reasons = []
    if loop.orelse:
        reasons.append("the loop has an `else` clause")
    if isinstance(loop, ast.AsyncFor):
        reasons.append("the loop is asynchronous")
    if any(r.startswith("the loop is inside a `try`") for r in handler_reasons(index, fn, loop, "result")):
        reasons.append("the loop is inside a `try` (partial results on failure could differ)")
    variable = candidate.target
    reads = index.function_scope(fn).references.get(variable.id, [])
    if any(not within(index, r, candidate.call) and not rebound_by_other_loop(index, loop, variable.id, r)
           for r in reads):
        reasons.append(f"the loop variable `{variable.id}` is used outside the call (e.g. after the loop)")
    return reasons + _out_reasons(index, fn, candidate)


def _out_reasons(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled) -> list[str]:
    out, loop, call = candidate.out, candidate.node, candidate.call
    assert call is not None
    if not isinstance(out, ast.Name) or index.binding(out) != "local":
        return [f"appends to `{index.code(out) if out is not None else '?'}`, which is not a local list"]
    reasons = []
    bindings = index.bindings(out)
    if not all(_fresh_list(index, b.statement) for b in bindings):
        reasons.append(f"`{out.id}` is not always bound to a fresh list")
    if _names_in(call, out.id) or _names_in(candidate.iterable, out.id):
        reasons.append(f"the call or the iterable uses `{out.id}`")
    outer = [n for n in enclosing_loops(index, loop, fn.node) if isinstance(n, (ast.For, ast.AsyncFor, ast.While))]
    for read in bindings[0].references:
        if read is out or _method_receiver(index, read):
            continue
        if not after(read, loop) or outer:
            reasons.append(f"`{out.id}` is used before the loop or in an enclosing loop (it could be shared)")
            break
    return reasons


def _invariant(index: ModuleIndex, fn: FunctionInfo, expr: ast.AST) -> bool:
    """Bound whenever the loop runs and not rebound by it: a constant, a parameter of the enclosing
    function, or a module name bound once."""
    if isinstance(expr, ast.Constant):
        return True
    if not isinstance(expr, ast.Name):
        return False
    binding = index.binding(expr)
    if binding == "param":
        return all(b.kind == "param" for b in index.bindings(expr))
    if binding == "global":
        return is_constant(index, expr) or index.module_function(expr.id) is not None
    return binding == "import" and index.bound_once(expr.id)


def _fresh_list(index: ModuleIndex, statement: ast.AST) -> bool:
    value = getattr(statement, "value", None)
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or value is None:
        return False
    if isinstance(value, (ast.List, ast.ListComp)):
        return True
    return isinstance(value, ast.Call) and index.qualified_name(value.func) == "builtins.list"


def _method_receiver(index: ModuleIndex, node: ast.AST) -> bool:
    parent = index.parent(node)
    return isinstance(parent, ast.Attribute) and parent.value is node and isinstance(index.parent(parent), ast.Call)


def _names_in(node: ast.AST | None, name: str) -> list[ast.Name]:
    return [] if node is None else [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == name]




# --- the map form's run-time guard --------------------------------------------------------------------


def exact_guard(index: ModuleIndex, fn: FunctionInfo, candidate: Pooled,
                callee: FunctionInfo) -> tuple[str, list[str]] | None:
    """The test under which every argument of the mapped calls is exactly the builtin its parameter is
    annotated with: the iterable an exact list or tuple whose items are exactly the loop parameter's
    type (``type(xs) is list and {*map(type, xs)} <= {str}``), each annotated extra argument tested
    too. Then the callee may be checked with its parameters taken exactly (a ``str`` subclass's
    ``encode`` cannot run). None when some argument cannot be tested so, or a parameter is left to
    its default (every parameter must be passed, by position). With the test, the builtins it reads."""
    call, target, args = candidate.call, candidate.target, callee.node.args
    params = [*args.posonlyargs, *args.args]
    if not isinstance(call, ast.Call) or not isinstance(target, ast.Name) or candidate.iterable is None \
            or args.vararg or args.kwarg or args.kwonlyargs or call.keywords or len(call.args) != len(params):
        return None
    loop_param = next((p for a, p in zip(call.args, params) if isinstance(a, ast.Name) and a.id == target.id),
                      None)  # None: the loop variable is not an argument itself (the shape's reasons say so)
    items = guard_for(index, fn, candidate.iterable) or (
        _unknown_items(index, fn, candidate.iterable, loop_param) if loop_param is not None else None)
    if items is None:
        return None
    tests, read, elements = [items.code()], items.builtins(), set(items.elements)
    counter = itertools.count()
    for arg, param in zip(call.args, params):
        if param.annotation is None:  # not taken exactly: what it may be is what it was
            continue
        declared = annotated.declared(index, param.annotation)
        if isinstance(arg, ast.Name) and arg.id == target.id:
            bases = k.bases(declared) if k.known(declared) else set()
            allowed = bases | ({"bool"} if "int" in bases else set())  # a bool runs int's own methods
            if not elements <= allowed or any(kind.items is not None or kind.parts is not None
                                              for kind in declared):
                return None
            continue
        tested = exact_test(index.code(arg), declared, counter)
        if tested is None:
            return None
        tests.append(f"({tested})" if " or " in tested else tested)
        own = {n.id for n in ast.walk(arg) if isinstance(n, ast.Name)}
        read += [n.id for n in ast.walk(ast.parse(tested, mode="eval")) if isinstance(n, ast.Name)
                 and n.id not in own and not n.id.startswith("_e")]
    return " and ".join(tests), read


def _unknown_items(index: ModuleIndex, fn: FunctionInfo, iterable: ast.expr, param: ast.arg) -> Guard | None:
    """``(type(xs) is list or type(xs) is tuple) and {*map(type, xs)} <= {str}`` for a local name of
    unknown type (the type test comes first: a generator stays untouched), when ``param`` is annotated
    with one exact-testable scalar."""
    if not isinstance(iterable, ast.Name) or index.binding(iterable) not in ("local", "param") \
            or k.known(types.facts(index, fn).of(iterable)) or param.annotation is None:
        return None
    declared = annotated.declared(index, param.annotation)
    if not k.known(declared) or len(declared) != 1:
        return None
    (kind,) = declared
    if kind.base not in ("int", "str", "bytes") or kind.items is not None or kind.parts is not None:
        return None
    return Guard(iterable.id, "list|tuple", (kind.base,))


def guarded(view: CstView, statement: cst.CSTNode, fast: cst.With, guard: str) -> cst.If:
    """``if guard: <fast> else: <statement>``, the original statement kept as it was."""
    assert isinstance(statement, (cst.For, cst.SimpleStatementLine))
    moved = statement.with_changes(leading_lines=[])
    return cst.If(view.parse_expression(guard), cst.IndentedBlock([fast.with_changes(leading_lines=[])]),
                  cst.Else(cst.IndentedBlock([moved])), leading_lines=statement.leading_lines)


def is_guarded_original(index: ModuleIndex, node: ast.stmt) -> bool:
    """``node`` is the original code kept behind a guard this transform wrote (its ``else``)."""
    parent = index.parent(node)
    return isinstance(parent, ast.If) and any(s is node for s in parent.orelse) and len(parent.body) == 1 \
        and isinstance(parent.body[0], ast.With) and is_pool_with(index, parent.body[0])


def is_pool_with(index: ModuleIndex, node: ast.With) -> bool:
    item = node.items[0]
    if not (len(node.items) == 1 and isinstance(item.context_expr, ast.Call) and isinstance(item.optional_vars, ast.Name)
            and item.optional_vars.id == POOL):
        return False
    func = item.context_expr.func
    return index.qualified_name(func) == EXECUTOR or (
        isinstance(func, ast.Name) and func.id == PREFETCH and index.binding(func) == "global")


# --- rewriting --------------------------------------------------------------------------------------


def mapped(view: CstView, candidate: Pooled, guard: str | None = None) -> cst.Module:
    """The module with the map form's statement inside a ``with`` pool (behind ``guard``, when given,
    the original statement in its ``else``)."""
    statement, replacement = _map_statement(view, candidate)
    chosen: cst.CSTNode = replacement if guard is None else guarded(view, statement, replacement, guard)
    tree = add_import(view.replace({id(statement): chosen}), "concurrent.futures")
    return add_import(tree, "itertools") if candidate.call and len(candidate.call.args) > 1 else tree  # type: ignore[attr-defined]


def _map_statement(view: CstView, candidate: Pooled) -> tuple[cst.CSTNode, cst.With]:
    config = view.module.config_for_parsing
    newline = config.default_newline
    code = f"with {EXECUTOR}(max_workers={WORKERS}) as {POOL}:{newline}{config.default_indent}pass{newline}"
    template = cst.parse_statement(code, config=config)
    assert isinstance(template, cst.With) and candidate.call is not None
    if candidate.kind == "loop":
        loop = view.node(candidate.node, cst.For)
        line = loop.body.body[0] if isinstance(loop.body, cst.IndentedBlock) else loop.body
        small = line.body[0] if isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else None
        assert isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)
        append = small.value
        assert isinstance(append.func, cst.Attribute)
        mapped = _mapped(append.args[0].value, loop.target, loop.iter)
        inner = cst.Expr(cst.Call(cst.Attribute(append.func.value, cst.Name("extend")), [cst.Arg(mapped)]))
        body = cst.SimpleStatementLine([inner], trailing_whitespace=line.trailing_whitespace
                                       if isinstance(line, cst.SimpleStatementLine) else cst.TrailingWhitespace())
        header = loop.body.header if isinstance(loop.body, cst.IndentedBlock) else cst.TrailingWhitespace()
        indent = loop.body.indent if isinstance(loop.body, cst.IndentedBlock) else None
        return loop, template.with_changes(leading_lines=loop.leading_lines,
                                           body=cst.IndentedBlock([body], header=header, indent=indent))
    small_kind = cst.Assign if candidate.kind == "assign" else cst.Return
    small = view.node(candidate.node, small_kind)
    statement = view.line(small)
    comprehension = small.value  # type: ignore[attr-defined]
    assert isinstance(comprehension, cst.ListComp)
    mapped = _mapped(comprehension.elt, comprehension.for_in.target, comprehension.for_in.iter)
    listed = small.with_changes(value=cst.Call(cst.Name("list"), [cst.Arg(mapped)]))
    body = statement.with_changes(body=[listed], leading_lines=[])
    return statement, template.with_changes(leading_lines=statement.leading_lines,
                                            body=template.body.with_changes(body=[body]))


def _mapped(call: cst.BaseExpression, target: cst.BaseExpression, iterable: cst.BaseExpression) -> cst.Call:
    assert isinstance(call, cst.Call) and isinstance(target, cst.Name)
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    values = [iterable if isinstance(a.value, cst.Name) and a.value.value == target.value else
              cst.Call(cst.Attribute(cst.Name("itertools"), cst.Name("repeat")), [cst.Arg(a.value)]) for a in call.args]
    args = [cst.Arg(call.func, comma=comma)] + [
        cst.Arg(v, comma=comma if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT) for i, v in enumerate(values)]
    return cst.Call(cst.Attribute(cst.Name(POOL), cst.Name("map")), args)



# --- the prefetch form -------------------------------------------------------------------------------


def prefetched(view: CstView, statement: ast.stmt, owner: ast.AST | None, call: ast.expr, variables: list[str],
               computed: dict[str, ast.expr], helper: bool) -> cst.Module:
    """The module with ``statement`` (the ``for`` loop ``owner``, or the statement holding the
    comprehension ``owner``) reading ``call`` from calls made ahead of time (the locals in ``computed``
    are computed again on the worker, from their expressions)."""
    c_call = view.node(call, cst.BaseExpression)  # type: ignore[type-abstract]
    values = {name: view.node(value, cst.BaseExpression) for name, value in computed.items()}  # type: ignore[type-abstract]
    worked: Any = c_call.visit(_Computed(values)) if values else c_call
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    target: cst.BaseExpression = cst.Name(variables[0])
    if len(variables) > 1:
        target = cst.Tuple([cst.Element(cst.Name(v), comma=comma if i < len(variables) - 1 else cst.MaybeSentinel.DEFAULT)
                            for i, v in enumerate(variables)])
    pairs = cst.Tuple([cst.Element(target, comma=comma), cst.Element(cst.Name(FUTURE))], lpar=[], rpar=[])
    made = cst.Lambda(cst.Parameters([cst.Param(cst.Name(v), star="", comma=comma if i < len(variables) - 1
                                                else cst.MaybeSentinel.DEFAULT) for i, v in enumerate(variables)]),
                      worked)
    unpack = len(variables) > 1
    edits: dict[int, Callable[[Any], Any]] = {
        id(c_call): lambda _: cst.Call(cst.Attribute(cst.Name(FUTURE), cst.Name("result")))}
    if isinstance(owner, ast.For):
        c_loop = view.node(owner, cst.For)
        iterable, c_statement = c_loop.iter, c_loop
        edits[id(c_loop)] = lambda loop: _wrapped(loop.with_changes(target=pairs, iter=cst.Name(POOL), leading_lines=()),
                                                  made, iterable, c_loop.leading_lines, unpack)
    else:
        kind = {ast.ListComp: cst.ListComp, ast.SetComp: cst.SetComp, ast.DictComp: cst.DictComp}[type(owner)]
        c_comp: Any = view.node(owner, kind)  # type: ignore[arg-type]
        small: Any = view.node(statement, (cst.Assign, cst.AnnAssign, cst.Return))  # type: ignore[arg-type]
        c_line: Any = view.line(small)
        iterable, c_statement = c_comp.for_in.iter, c_line
        edits[id(c_comp)] = lambda comp: comp.with_changes(
            for_in=comp.for_in.with_changes(target=pairs, iter=cst.Name(POOL)))
        edits[id(c_line)] = lambda line: _wrapped(line.with_changes(leading_lines=()), made, iterable,
                                                  c_line.leading_lines, unpack)
    del c_statement
    tree = add_import(add_import(view.module.visit(_Edits(edits)), "contextlib"), "concurrent.futures")
    return insert_after_imports(tree, HELPER.format(name=PREFETCH, workers=WORKERS)) if helper else tree


def _wrapped(statement: cst.BaseStatement, made: cst.Lambda, iterable: cst.BaseExpression, leading: Any,
             unpack: bool) -> cst.With:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args = [cst.Arg(made, comma=comma), cst.Arg(iterable, comma=comma if unpack else cst.MaybeSentinel.DEFAULT)]
    if unpack:
        args.append(cst.Arg(cst.Name("True"), keyword=cst.Name("unpack"),
                            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
    opened = cst.Call(cst.Name(PREFETCH), args)
    return cst.With([cst.WithItem(opened, asname=cst.AsName(cst.Name(POOL)))], cst.IndentedBlock([statement]),
                    leading_lines=leading)


class _Edits(cst.CSTTransformer):
    """Rebuild nodes by identity of the original (``id(original) -> f(updated)``)."""

    def __init__(self, edits: dict[int, Callable[[Any], Any]]) -> None:
        super().__init__()
        self.edits = edits

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        edit = self.edits.get(id(original_node))
        return edit(updated_node) if edit is not None else updated_node


class _Computed(cst.CSTTransformer):
    """Names replaced by the (parenthesized) expressions they were bound to."""

    def __init__(self, values: dict[str, cst.BaseExpression]) -> None:
        super().__init__()
        self.values = values

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        value = self.values.get(original_node.value)
        if value is None:
            return updated_node
        return value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)  # ``x.url``: an attribute, not the name

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)  # ``f(url=url)``: the keyword stays
