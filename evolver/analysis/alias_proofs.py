"""Proofs for reading a name once before a loop instead of on every iteration.

* a module global is bound, unconditionally and once, whenever the function can run;
* a loop calls no code that could rebind module globals: only builtins, pure standard-library
  functions, module functions proven pure, and methods of builtin containers (implicit protocol
  methods such as ``__next__`` or ``__eq__`` are assumed not to rebind module globals);
* a local is surely bound when the loop starts and not rebound while it runs.

Each check returns reasons; an empty list means proven.
"""

from __future__ import annotations

import libcst as cst

from evolver.analysis import legacy_purity as purity
from evolver.analysis.builtin_types import Kinds, has_method
from evolver.analysis.loop_proofs import declared, own_scope, within
from evolver.analysis.static import FunctionInfo, ModuleIndex, flatten_targets

SAFE_BUILTINS = (purity.PURE_BUILTINS | purity.EXCEPTIONS | {"print", "id", "type", "getattr", "hasattr"}) - {
    "eval", "exec", "setattr", "delattr", "globals", "vars", "__import__", "compile", "breakpoint", "locals"}
HIGHER_ORDER = {"map": (0, "key"), "filter": (0, "key"), "sorted": (None, "key"), "min": (None, "key"),
                "max": (None, "key"), "sort": (None, "key")}  # which argument is called back
REBINDERS = frozenset({"globals", "__builtins__"})


# --- module globals -----------------------------------------------------------------------------


def module_rebinding_reasons(index: ModuleIndex) -> list[str]:
    """The module could change its own globals or builtins behind the scope analysis' back."""
    key = "module_rebinding"
    if key not in index.cache:
        reasons = ["the module has `from ... import *`"] if index.star_import else []
        for node in index.walk(index.tree):
            if isinstance(node, cst.Name) and node.value in REBINDERS and index.binding(node) == "builtin":
                reasons.append(f"the module uses `{node.value}`")
            elif isinstance(node, cst.Import) and any(
                    isinstance(a.name, cst.Name) and a.name.value == "builtins" for a in node.names):
                reasons.append("the module imports `builtins`")
        index.cache[key] = list(dict.fromkeys(reasons))
    return index.cache[key]


def global_binding_reasons(index: ModuleIndex, fn: FunctionInfo, name: str) -> list[str]:
    """``name`` is bound once, by a top-level statement, and bound before ``fn`` can first run:
    earlier in the module, or later with nothing in between that could call ``fn``."""
    if not index.bound_once(name):
        return [f"`{name}` is rebound or deleted in the module"]
    node = getattr(index.global_assignments(name)[0], "node", None)
    statement = top_statement(index, node) if node is not None else None
    if statement is None or not _unconditional(index, node, statement):
        return [f"`{name}` is bound conditionally"]
    start = top_statement(index, fn.node)
    if start is None or index.order(statement) < index.order(start):
        return []
    body = list(index.tree.body)
    between = body[body.index(start):body.index(statement) + 1]  # type: ignore[arg-type]
    if all(_inert(index, s) for s in between):
        return []
    return [f"`{name}` is bound later in the module, after code that could call {fn.qualname}"]


def top_statement(index: ModuleIndex, node: cst.CSTNode) -> cst.CSTNode | None:
    current: cst.CSTNode | None = node
    while current is not None and index.parent(current) is not index.tree:
        current = index.parent(current)
    return current


def _unconditional(index: ModuleIndex, node: cst.CSTNode, statement: cst.CSTNode) -> bool:
    if node is statement:
        return isinstance(node, (cst.FunctionDef, cst.ClassDef))
    return isinstance(statement, cst.SimpleStatementLine) and not any(
        isinstance(n, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) for n in _ancestors(index, node, statement))


def _ancestors(index: ModuleIndex, node: cst.CSTNode, stop: cst.CSTNode) -> list[cst.CSTNode]:
    found, current = [], index.parent(node)
    while current is not None and current is not stop:
        found.append(current)
        current = index.parent(current)
    return found


def _inert(index: ModuleIndex, statement: cst.CSTNode) -> bool:
    """Running the top-level statement cannot call anything: an undecorated ``def`` without calls
    in its header, a constant assignment, a docstring, ``pass``."""
    if isinstance(statement, cst.FunctionDef):
        header = [*statement.decorators, statement.params, *([statement.returns] if statement.returns else [])]
        return not statement.decorators and not any(isinstance(n, cst.Call) for h in header for n in index.walk(h))
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
            continue
        value = getattr(small, "value", None)
        if isinstance(small, cst.Pass) or (isinstance(small, (cst.Assign, cst.AnnAssign)) and value is not None
                                           and purity.is_constant(index, value)):
            continue
        return False
    return True


# --- calls a loop makes ---------------------------------------------------------------------------


def unknown_code_reasons(index: ModuleIndex, fn: FunctionInfo, region: list[cst.CSTNode]) -> list[str]:
    """Explicit calls in ``region`` (and suspension points) that could run code we cannot see."""
    kinds = Kinds(index)
    reasons = []
    for root in region:
        for node in index.walk(root):
            if isinstance(node, cst.Call):
                reason = _call_reason(index, fn, kinds, node)
                if reason is not None:
                    reasons.append(reason)
            elif isinstance(node, (cst.Yield, cst.Await)) or (isinstance(node, cst.For) and node.asynchronous):
                reasons.append("the loop can pause (`yield`/`await`) and let other code run")
            elif isinstance(node, (cst.Import, cst.ImportFrom)):
                reasons.append("the loop imports a module (its code could run)")
    return list(dict.fromkeys(reasons))


def _call_reason(index: ModuleIndex, fn: FunctionInfo, kinds: Kinds, call: cst.Call) -> str | None:
    func = call.func
    known = _known_callable(index, fn, kinds, func)
    if known is None:
        return f"calls `{index.code(func)}`, which could run unknown code"
    short = known.rsplit(".", 1)[-1]
    if short in HIGHER_ORDER:
        position, keyword = HIGHER_ORDER[short]
        called = [a.value for i, a in enumerate(call.args)
                  if (a.keyword is None and i == position) or (a.keyword is not None and a.keyword.value == keyword)]
        for value in called:
            if not isinstance(value, cst.Lambda) and _known_callable(index, fn, kinds, value) is None:
                return f"`{index.code(func)}` calls back `{index.code(value)}`, which could run unknown code"
    return None


def _known_callable(index: ModuleIndex, fn: FunctionInfo, kinds: Kinds, func: cst.BaseExpression,
                    seen: frozenset[int] = frozenset()) -> str | None:
    """A name for what ``func`` calls when it is known to run only code that cannot rebind module
    globals, else None."""
    qualified = index.qualified_name(func)
    if qualified is not None:
        short = qualified.removeprefix("builtins.")
        if qualified.startswith("builtins.") and short in SAFE_BUILTINS:
            return short
        return qualified if purity.pure_name(qualified) or qualified in purity.READ_CALLS else None
    if isinstance(func, cst.Name):
        binding = index.binding(func)
        if binding == "global":
            callee = index.module_function(func.value)
            pure = callee is not None and not purity.purity_reasons(index, callee.qualname)
            return func.value if pure or purity.plain_exception(index, func.value) else None
        if binding == "local" and id(func) not in seen:
            return _alias_of(index, fn, kinds, func, seen | {id(func)})
        return None
    if isinstance(func, cst.Attribute):
        receiver = kinds.of(func.value)
        if has_method(receiver, func.attr.value):
            return func.attr.value
    return None


def _alias_of(index: ModuleIndex, fn: FunctionInfo, kinds: Kinds, name: cst.Name, seen: frozenset[int]) -> str | None:
    """A local bound only to known callables (``_len = len``, ``_add = seen.add``)."""
    values = {purity.bound_value(index, a) for a in index.assignments(name)}
    if len(values) != 1 or None in values:
        return None
    value = values.pop()
    return _known_callable(index, fn, kinds, value, seen) if isinstance(value, (cst.Name, cst.Attribute)) else None


# --- locals ---------------------------------------------------------------------------------------


def local_reasons(index: ModuleIndex, fn: FunctionInfo, loop: cst.For | cst.While, name: cst.Name) -> list[str]:
    """The local is bound when the loop starts and nothing rebinds it while the loop runs."""
    if name.value in declared(index, fn):
        return [f"`{name.value}` is declared global or nonlocal"]
    reasons = []
    own = own_scope(index, fn)
    assignments = own.assignments[name.value]
    if any(within(index, a.node, loop) for a in assignments):
        reasons.append(f"`{name.value}` is rebound in the loop")
    if any(isinstance(getattr(a, "node", None), cst.CSTNode) and index.enclosing_function(a.node) is not fn
           for a in assignments):  # `nonlocal` bindings are recorded in the enclosing scope
        reasons.append(f"`{name.value}` is rebound by a nested function")
    if any(isinstance(index.parent(a.node), cst.Del) for a in own.accesses[name.value]):
        reasons.append(f"`{name.value}` is deleted in {fn.qualname}")
    if not _surely_bound(index, fn, loop, name.value):
        reasons.append(f"`{name.value}` may be unbound when the loop starts")
    return reasons


def _surely_bound(index: ModuleIndex, fn: FunctionInfo, loop: cst.CSTNode, name: str) -> bool:
    """A parameter, or bound by a plain assignment earlier in a block that encloses the loop."""
    params = fn.node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params,
             *[p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]]
    if any(p.name.value == name for p in every):
        return True
    statement: cst.CSTNode | None = loop
    while statement is not None and statement is not fn.node:
        block = index.parent(statement)
        body = getattr(block, "body", None)
        if (isinstance(body, (list, tuple)) and statement in body
                and any(_binds(s, name) for s in body[:body.index(statement)])):
                return True
        if isinstance(block, cst.For) and statement is block.body and any(
                isinstance(t, cst.Name) and t.value == name for t in flatten_targets(block.target)):
            return True
        statement = block
    return False


def _binds(statement: cst.CSTNode, name: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        targets = ([t.target for t in small.targets] if isinstance(small, cst.Assign)
                   else [small.target] if isinstance(small, cst.AnnAssign) and small.value is not None else [])
        if any(isinstance(t, cst.Name) and t.value == name for target in targets for t in flatten_targets(target)):
            return True
    return False
