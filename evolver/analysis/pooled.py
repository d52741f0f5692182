"""Can one call of a loop be made ahead of time, on a worker thread?

thread-pool's prefetch form submits ``C`` -- one I/O-bound call of a loop's body (or of a
comprehension's element), written as a function of the loop variable -- for every item before the
loop runs; the body, otherwise unchanged, reads each call's result (or its exception) where ``C``
stood. Results, exceptions, and whatever the body does with them keep their order. What that needs:

* the loop never stops early (no ``break``, ``return``, ``yield``) and ``C`` runs on every pass
  (not under an ``if``, in a handler, a nested loop or a short-circuit, nor after a ``continue`` or
  a ``raise``): then the calls made are the original's, plus the few already running when a
  failure ends the loop (they are independent: nothing can see them);
* ``C`` writes nothing shared (``evolver.analysis.independence``), reads no thread-local state,
  and reads the same ahead of time: its names are the loop variable or are bound before the loop
  and never rebound in it, its arguments read no hidden input (the clock), and nothing the body
  does -- its stores and mutating calls, the module functions it calls, the files or network it
  writes -- can change what ``C`` reads. Code the analysis cannot see in the body (a parser from
  another package) is taken not to (assumption ``foreign-code-contained``);
* ``C``'s result holds no open resource (a file, a connection: one per item would be open at once),
  and the body does not space the calls out (``time.sleep``).
"""

from __future__ import annotations

import ast
from typing import Any

from evolver.analysis import catalogue, effects, types
from evolver.analysis import kinds as k
from evolver.analysis.callgraph import reachable, resolve_callee
from evolver.analysis.evidence import blocking_call, io_evidence
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import bound_before
from evolver.analysis.rebinding import region_reasons
from evolver.analysis.tree import COMPREHENSIONS, within
from evolver.analysis.uses import classify

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
RESOURCES = frozenset({"file", "socket", "connection", "response"})
CONFLICTS = {"files": "files", "network": "network", "process": None}  # a write the call could read (None: any)
FOREIGN = "foreign-code-contained"


# --- which call ---------------------------------------------------------------------------------


def io_calls(index: ModuleIndex, fn: FunctionInfo, roots: list[ast.AST]) -> list[ast.Call]:
    """The calls in ``roots`` (source order, nested functions and lambdas left out) that block on
    I/O: a blocking library call (``urlopen``, ``requests.get``, ``open``, a module-level alias of
    one) or a module function proven to make one."""
    found = []
    for root in roots:
        for node in _own_walk(root):
            if isinstance(node, ast.Call) and is_io(index, fn, node):
                found.append(node)
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def is_io(index: ModuleIndex, fn: FunctionInfo, call: ast.Call) -> bool:
    callee = resolve_callee(index, fn, call.func)
    if callee is not None:
        return callee.cls is None and bool(io_evidence(index, callee.qualname))
    return blocking_call(index, call, fn) is not None


def pooled_expression(index: ModuleIndex, fn: FunctionInfo, call: ast.Call) -> ast.expr:
    """The call, with the method calls made on its result that only read it (``urlopen(u).read()``,
    ``requests.get(u).json()``): they are made on the worker too."""
    expr: ast.expr = call
    while True:
        attribute, outer = index.parent(expr), index.parent(index.parent(expr) or expr)
        if not (isinstance(attribute, ast.Attribute) and attribute.value is expr and isinstance(outer, ast.Call)
                and outer.func is attribute):
            return expr
        kinds = types.facts(index, fn).of(expr)
        entries = [catalogue.method(kind.base, attribute.attr) for kind in kinds] if k.known(kinds) else []
        if not entries or any(e is None or e.writes or e.calls or e.special for e in entries):
            return expr
        expr = outer


def loop_variables(target: ast.AST) -> list[str] | None:
    """The names a loop target binds: one name, or a flat tuple of names (None for anything else)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)) and target.elts and all(isinstance(e, ast.Name) for e in target.elts):
        names = [e.id for e in target.elts]  # type: ignore[attr-defined]
        return names if len(set(names)) == len(names) else None
    return None


def uses_any(expr: ast.AST, names: list[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(expr))


# --- the loop never stops early, the call runs on every pass ----------------------------------------


def stop_reasons(body: list[ast.stmt]) -> list[str]:
    """``break``, ``return``, ``yield`` or ``await`` in a loop body: the loop may stop (or pause) at
    any item, and the calls made ahead for the items after it would be calls the loop never makes."""
    reasons = []
    for statement in body:
        for node, in_loop in _jumps(statement, False):
            if isinstance(node, ast.Return) or (isinstance(node, ast.Break) and not in_loop):
                word = "return" if isinstance(node, ast.Return) else "break"
                reasons.append(f"the loop body has a `{word}` (the loop can stop before the last item: calls made "
                               "ahead for the items after it would be calls the loop never makes)")
            elif isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)):
                word = "await" if isinstance(node, ast.Await) else "yield"
                reasons.append(f"the loop body has a `{word}` (the loop can be paused or stopped at any item)")
    return list(dict.fromkeys(reasons))


def _jumps(node: ast.AST, in_loop: bool) -> list[tuple[ast.AST, bool]]:
    found: list[tuple[ast.AST, bool]] = []
    if isinstance(node, (ast.Return, ast.Break, ast.Continue, ast.Raise, ast.Yield, ast.YieldFrom, ast.Await)):
        found.append((node, in_loop))
    for child in ast.iter_child_nodes(node):
        if isinstance(child, SCOPES):
            continue
        inner = in_loop or (isinstance(node, (ast.For, ast.AsyncFor, ast.While)) and child in node.body)
        found += _jumps(child, inner)
    return found


def every_pass_reasons(index: ModuleIndex, call: ast.AST, owner: ast.AST) -> list[str]:
    """Why ``call`` may not run on every pass of ``owner`` (a ``for`` loop or a comprehension)."""
    child, node = call, index.parent(call)
    while node is not None and node is not owner:
        if isinstance(node, (ast.With, ast.AsyncWith)) and child in node.body:
            items = ", ".join(index.code(i.context_expr) for i in node.items)
            return [f"the call is inside `with {items}`: made ahead of time, it would run outside that context "
                    "(a lock, a session, a timeout)"]
        where = _conditional(node, child)
        if where:
            return [f"the call runs only on some passes ({where}): the pool would make it for every item"]
        if _earlier_jump(node, child):
            return [f"the call runs only on some passes (it comes after a `{_earlier_jump(node, child)}`): the pool "
                    "would make it for every item"]
        child, node = node, index.parent(node)
    if node is not None and _earlier_jump(node, child):
        return [f"the call runs only on some passes (it comes after a `{_earlier_jump(node, child)}`): the pool "
                "would make it for every item"]
    return []


def _conditional(node: ast.AST, child: ast.AST) -> str:
    if isinstance(node, ast.BoolOp) and child is not node.values[0]:
        return "it is an operand of `and`/`or`"
    if isinstance(node, ast.IfExp) and child is not node.test:
        return "it is in a conditional expression"
    if isinstance(node, ast.If) and child is not node.test:
        return "it is under an `if`"
    if isinstance(node, (ast.For, ast.AsyncFor)) and child is not node.iter:
        return "it is inside a nested loop"
    if isinstance(node, ast.While):
        return "it is inside a nested `while` loop"
    if isinstance(node, (*COMPREHENSIONS, ast.comprehension)):
        return "it is inside a nested comprehension"
    if isinstance(node, SCOPES):
        return "it is inside a nested function or lambda"
    if isinstance(node, (ast.Try, ast.TryStar)) and child not in node.body:
        return "it is in an `except`, `else` or `finally` clause"
    if isinstance(node, ast.ExceptHandler):
        return "it is in an `except` clause"
    if isinstance(node, (ast.Match, ast.match_case)) and not (isinstance(node, ast.Match) and child is node.subject):
        return "it is under a `match`"
    if isinstance(node, ast.Assert) and child is node.msg:
        return "it is an assertion's message"
    return ""


def _earlier_jump(parent: ast.AST, child: ast.AST) -> str:
    """A ``continue`` or ``raise`` in a statement that runs before ``child`` in its block."""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is child for s in block):
            for statement in block[:next(i for i, s in enumerate(block) if s is child)]:
                for node, in_loop in _jumps(statement, False):
                    if isinstance(node, ast.Raise) or (isinstance(node, (ast.Continue, ast.Break)) and not in_loop):
                        return "raise" if isinstance(node, ast.Raise) else "continue"
    return ""


# --- what the call reads is the same ahead of time ----------------------------------------------------


def substitutions(index: ModuleIndex, fn: FunctionInfo, expr: ast.AST, variables: list[str], loop: ast.AST,
                  statement: ast.stmt, region: list[ast.AST]) -> dict[str, ast.expr]:
    """Locals the call reads that the loop body binds, on every pass and before the call, by one
    plain assignment of a pure expression of the loop variables and of names bound before the loop
    (``url = BASE + name``): the worker computes them itself, from the same values."""
    found: dict[str, ast.expr] = {}
    earlier = _earlier_on_path(index, expr, loop)
    free = _free_names(index, expr)
    for name in free:
        bound_inside = [n for n in ast.walk(expr) if (isinstance(n, ast.Name) and n.id == name.id and n not in free)
                        or (isinstance(n, ast.arg) and n.arg == name.id)]
        if bound_inside:
            continue
        resolved = index.resolve(name)
        if name.id in found or name.id in variables or resolved.kind != "local":
            continue
        inside = [b for b in resolved.bindings if within(index, b.node, loop)]
        binding = inside[0] if len(inside) == 1 else None
        assigned = binding.statement if binding is not None else None
        if binding is None or not (isinstance(assigned, ast.Assign) and len(assigned.targets) == 1
                                   and assigned.targets[0] is binding.node and any(assigned is s for s in earlier)):
            continue
        value = assigned.value
        pure = not effects.scan_nodes(index, fn, [value]) and not call_reasons(index, fn, value) and not any(
            resolve_callee(index, fn, n.func) is not None for n in ast.walk(value) if isinstance(n, ast.Call))
        if pure and not name_reasons(index, fn, value, variables, loop, statement, region):
            found[name.id] = value
    return found


def _earlier_on_path(index: ModuleIndex, node: ast.AST, loop: ast.AST) -> list[ast.stmt]:
    """The statements that run before ``node`` on each pass: its earlier siblings, and those of
    every block around it, up to the loop's body."""
    found: list[ast.stmt] = []
    child, parent = node, index.parent(node)
    while parent is not None:
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and any(s is child for s in block):
                found += block[:next(i for i, s in enumerate(block) if s is child)]
        if parent is loop:
            break
        child, parent = parent, index.parent(parent)
    return found


def name_reasons(index: ModuleIndex, fn: FunctionInfo, expr: ast.AST, variables: list[str], loop: ast.AST,
                 statement: ast.stmt, region: list[ast.AST], computed: frozenset[str] = frozenset()) -> list[str]:
    """The names ``expr`` reads hold, ahead of time on a worker thread, what they hold where it stands:
    the loop variables (passed to it), names bound before the loop and never rebound in it, module
    globals no code run by the loop rebinds, imports and builtins (``computed``: locals the worker
    computes itself, see ``substitutions``)."""
    reasons = []
    for name in _free_names(index, expr):
        found = index.resolve(name)
        if (name.id in variables and found.kind in ("local", "param")) or name.id in computed:
            continue
        if found.kind in ("local", "param"):
            inside = [b for b in found.bindings if within(index, b.node, loop) and b.node is not name]
            nested = [b for b in found.bindings if index.enclosing_function(b.node) not in (None, fn)
                      and b.kind not in ("param", "declare")]
            if nested:
                reasons.append(f"`{name.id}` is rebound by a nested function (the loop could call it): the call made "
                               "ahead of time would read another value")
            elif inside:
                reasons.append(f"`{name.id}` is rebound in the loop: the call made ahead of time would read "
                               "another value")
            elif found.scope is not index.function_scope(fn) or not bound_before(index, fn, name.id, statement):
                reasons.append(f"`{name.id}` is not provably bound when the loop starts")
        elif found.kind == "global":
            reasons += region_reasons(index, fn, region, name.id)
        elif found.kind == "enclosing":
            reasons.append(f"the call reads `{name.id}`, a variable of an enclosing function (its code could "
                           "rebind it while the loop runs)")
        elif found.kind not in ("import", "builtin"):
            reasons.append(f"the call reads `{name.id}`, which is not a variable of {fn.qualname}")
    for variable in variables:
        for binding in _bindings_named(index, fn, variable):
            if within(index, binding.node, loop) and not _is_target(index, binding.node, loop):
                reasons.append(f"the loop variable `{variable}` is rebound in the loop body")
                break
    return list(dict.fromkeys(reasons))


def _free_names(index: ModuleIndex, expr: ast.AST) -> list[ast.Name]:
    """Names ``expr`` reads from outside it (a lambda's or comprehension's own names left out)."""
    found = []
    for node in ast.walk(expr):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            scope = index.resolve(node).scope
            if scope is not None and scope.node is not None and scope.node is not expr and within(index, scope.node, expr):
                continue
            found.append(node)
    return found


def _bindings_named(index: ModuleIndex, fn: FunctionInfo, name: str) -> list[Any]:
    return [b for scope in index.function_scopes(fn) for b in scope.bindings.get(name, [])]


def _is_target(index: ModuleIndex, node: ast.AST, loop: ast.AST) -> bool:
    target = loop.target if isinstance(loop, (ast.For, ast.AsyncFor)) else None
    if isinstance(loop, COMPREHENSIONS):
        target = loop.generators[0].target
    return target is not None and within(index, node, target)


def call_reasons(index: ModuleIndex, fn: FunctionInfo, expr: ast.expr) -> list[str]:
    """Why the expression made on a worker thread is not independent, or reads differently there."""
    reasons = []
    for effect in effects.scan_nodes(index, fn, [expr]):
        if effect.kind in ("output", "mutation", "unknown", "declaration", "thread-local"):
            reasons.append(f"the call {effect.reason}")
    for argument in _arguments(expr):
        for effect in effects.scan_nodes(index, fn, [argument]):
            if effect.kind == "input":
                reasons.append(f"argument `{index.code(argument)}` {effect.reason}: evaluated ahead of time on a "
                               "worker thread, it could read another value")
    facts = types.facts(index, fn)
    for node in ast.walk(expr):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and not isinstance(
                index.parent(node), ast.Call) and index.binding(node.value) in ("local", "param") \
                and not k.known(facts.of(node.value)):
            reasons.append(f"the call reads `{index.code(node)}`, an attribute of an object of unknown type, on a "
                           "worker thread (a threading.local reads differently there)")
        elif isinstance(node, ast.Name) and node.id in ("super", "__class__"):
            reasons.append(f"the call uses `{node.id}` (its hidden arguments are the function's frame)")
        elif isinstance(node, (ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)):
            reasons.append("the call contains `:=`, `yield` or `await`")
    return list(dict.fromkeys(reasons))


def _arguments(expr: ast.AST) -> list[ast.expr]:
    """The argument expressions of the calls along the pooled expression's spine."""
    found: list[ast.expr] = []
    while isinstance(expr, ast.Call):
        found += [a.value if isinstance(a, ast.Starred) else a for a in expr.args]
        found += [w.value for w in expr.keywords]
        func = expr.func
        expr = func.value if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) else None  # type: ignore[assignment]
    return found


def resource_reasons(index: ModuleIndex, fn: FunctionInfo, expr: ast.expr) -> list[str]:
    """A result that holds an open file or connection: made ahead of time for every item, they would
    all be open at once (and the ones after a failure never closed)."""
    if isinstance(expr, ast.Call):
        qualified = index.qualified_name(expr.func)
        entry = catalogue.lookup(qualified) if qualified is not None else None
        if entry is not None:
            if not entry.opens or (entry.opens != "always" and not _given(expr, entry.opens)):
                return []
            return [f"its result ({qualified}) holds an open file or connection: made ahead of time, one per item "
                    "would be open at once"]
        callee = resolve_callee(index, fn, expr.func)
        if callee is not None and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in index.own_nodes(callee, lambdas=False)):
            return [f"{callee.name} is a generator (its code runs only when the loop iterates it)"]
    kinds = types.facts(index, fn).of(expr)
    held = sorted(k.bases(kinds) & RESOURCES) if k.known(kinds) else []
    if held:
        return [f"its result may hold an open {held[0]}: made ahead of time, one per item would be open at once"]
    if k.known(kinds) and k.bases(kinds) & {"iterator", "generator"}:
        return ["its result is an iterator: the work is done when the loop iterates it, not by the call"]
    return []


def _given(call: ast.Call, keyword: str) -> bool:
    value = next((w.value for w in call.keywords if w.arg == keyword), None)
    if any(w.arg is None for w in call.keywords):
        return True
    return value is not None and not (isinstance(value, ast.Constant) and not value.value)


def reads_of(index: ModuleIndex, fn: FunctionInfo, expr: ast.expr) -> set[str]:
    """The hidden state (files, network...) the expression and the module functions it calls read."""
    found = {e.state for e in effects.scan_nodes(index, fn, [expr]) if e.kind == "input"}
    for node in ast.walk(expr):
        callee = resolve_callee(index, fn, node.func) if isinstance(node, ast.Call) else None
        for function in reachable(index, callee) if callee is not None else []:
            found |= {e.state for e in effects.scan(index, function, exact=False) if e.kind == "input"}
    return found


def body_reasons(index: ModuleIndex, fn: FunctionInfo, roots: list[ast.AST], expr: ast.expr,
                 variables: list[str], iterable: ast.AST) -> tuple[list[str], list[str]]:
    """What the rest of the loop does that a call made ahead of time could see: (reasons, the
    assumptions relied on)."""
    reasons, assumed = [], []
    reads = reads_of(index, fn, expr)
    functions: dict[str, FunctionInfo] = {}
    for effect in effects.scan_nodes(index, fn, roots, skip=expr):
        reason = _conflict(effect, reads)
        if reason:
            reasons.append(f"the loop body {reason}")
        elif effect.kind == "unknown":
            assumed.append(FOREIGN)
    for root in roots:
        for node in _own_walk(root, skip=expr):
            if not isinstance(node, ast.Call):
                continue
            callee = resolve_callee(index, fn, node.func)
            for function in reachable(index, callee) if callee is not None else []:
                functions[function.qualname] = function
            entry = _entry(index, node)
            if entry is not None and entry.blocks and catalogue.CLOCK in entry.reads:
                reasons.append(f"the loop body waits ({index.code(node.func)}) between calls: made ahead of time, "
                               "the calls would no longer be spaced out")
    for function in functions.values():
        for effect in effects.scan(index, function, exact=False):
            reason = _conflict(effect, reads)
            if reason:
                reasons.append(f"the loop body calls {function.qualname}, which {reason}")
            elif effect.kind == "unknown":
                assumed.append(FOREIGN)
    reasons += _changed_names(index, fn, roots, expr, [*variables, *_local_names(index, expr)], iterable)
    for root in roots:
        for node in _own_walk(root, skip=expr):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) \
                    and index.resolve_store(node) is index.scopes.module:
                reasons.append(f"the loop body rebinds the module global `{node.id}`, which a call made ahead of time "
                               "could read")
    return list(dict.fromkeys(reasons)), list(dict.fromkeys(assumed))


def _conflict(effect: effects.Effect, reads: set[str]) -> str:
    if effect.kind == "mutation":
        return f"{effect.reason}: a call made ahead of time could read it"
    if effect.kind == "output" and effect.state in CONFLICTS and (CONFLICTS[effect.state] is None
                                                                  or effect.state in reads):
        return f"{effect.reason}, which a call made ahead of time could read"
    if effect.kind == "declaration":
        return f"{effect.reason}"
    return ""


def _entry(index: ModuleIndex, call: ast.Call) -> catalogue.Call | None:
    qualified = index.qualified_name(call.func)
    return catalogue.lookup(qualified) if qualified is not None else None


def _local_names(index: ModuleIndex, expr: ast.AST) -> list[str]:
    return [n.id for n in _free_names(index, expr) if index.binding(n) in ("local", "param")]


def _changed_names(index: ModuleIndex, fn: FunctionInfo, roots: list[ast.AST], expr: ast.AST, names: list[str],
                   iterable: ast.AST) -> list[str]:
    """The body changes an object the call reads (its loop variable, a local it passes) or the
    iterable (the pool takes every item before the loop starts)."""
    watched = dict.fromkeys(names, "which a call made ahead of time reads")
    for name in ast.walk(iterable):
        if isinstance(name, ast.Name) and index.binding(name) in ("local", "param"):
            watched.setdefault(name.id, "the iterable: the pool takes every item before the loop starts")
    reasons = []
    for root in roots:
        for node in _own_walk(root, skip=expr, scopes=True):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in watched:
                use, at = classify(index, fn, node)
                if use in ("mutate", "grow", "augment"):
                    reasons.append(f"the loop body changes `{node.id}` ({index.code(at)}), {watched[node.id]}")
    return reasons


def _own_walk(root: ast.AST, skip: ast.AST | None = None, scopes: bool = False) -> list[ast.AST]:
    """``root`` and what is inside it, leaving out ``skip`` and (unless ``scopes``) nested functions,
    lambdas and classes."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node is skip or (not scopes and node is not root and isinstance(node, SCOPES)):
            continue
        found.append(node)
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return found
