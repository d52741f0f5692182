"""The checks that decide whether a loop can become an expression (comprehension, join-strings) or
gain locals (local-alias, hoist-invariant): its variables unused after it, its accumulator unseen
while it runs, no handler that could see a half-built result, nothing that reads the frame.

Each returns reasons; an empty list means proven.
"""

from __future__ import annotations

import ast

from evolver.analysis.callgraph import reachable, resolve_callee
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import Loop, bound_before, declared, target_names
from evolver.analysis.scopes import Scope
from evolver.analysis.tree import after, chain_top, within
from evolver.analysis.uses import INTROSPECTION, introspection

EAGER = (ast.ListComp, ast.SetComp, ast.DictComp)
QUIET_MANAGERS = frozenset({  # context managers whose __exit__ never swallows an exception
    "builtins.open", "io.open", "gzip.open", "bz2.open", "lzma.open", "tarfile.open", "zipfile.ZipFile",
    "os.scandir", "tempfile.TemporaryDirectory", "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile",
    "urllib.request.urlopen", "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
    "threading.Lock", "threading.RLock", "threading.Semaphore", "threading.BoundedSemaphore",
})
# Calls that read the frames of their callers: a frame put in between (a comprehension's) is seen.
FRAME_WALKERS = frozenset({"sys._getframe", "inspect.currentframe", "inspect.stack", "inspect.getouterframes",
                           "inspect.trace", "breakpoint"})
LOCK_MAKERS = frozenset({"threading.Lock", "threading.RLock", "threading.Semaphore", "threading.BoundedSemaphore",
                         "threading.Condition", "multiprocessing.Lock", "asyncio.Lock"})


def frame_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """The function reads its own frame's variables (``locals()``, ``eval``, ``sys._getframe``...):
    adding or removing a local changes what it sees."""
    key = ("frame-reasons", fn.node)
    if key not in index.cache:
        reasons = []
        for scope in index.function_scopes(fn):
            for name in scope.loads:
                qualified = index.qualified_name(_chain(index, name))
                bare = name.id in ("vars", "dir") and index.binding(name) == "builtin" and _no_args(index, name)
                if (qualified in INTROSPECTION and qualified != "builtins.vars") or bare:  # vars(obj) reads obj
                    reasons.append(f"{fn.qualname} reads its local variables ({index.code(_chain(index, name))})")
        index.cache[key] = list(dict.fromkeys(reasons))
    return index.cache[key]


def _chain(index: ModuleIndex, name: ast.Name) -> ast.AST:
    node: ast.AST = name
    parent = index.parent(node)
    while isinstance(parent, ast.Attribute) and parent.value is node:
        node, parent = parent, index.parent(parent)
    return node


def _no_args(index: ModuleIndex, name: ast.Name) -> bool:
    parent = index.parent(name)
    return isinstance(parent, ast.Call) and parent.func is name and not parent.args and not parent.keywords


def region_reasons(index: ModuleIndex, loop: Loop) -> list[str]:
    """Constructs a comprehension would change: ``:=`` (it binds in another scope), ``yield`` (not
    allowed there), ``await``, ``super()`` and ``__class__`` (their hidden arguments are the frame's)."""
    reasons = []
    for node in index.walk(loop):
        if isinstance(node, ast.NamedExpr):
            reasons.append("the loop uses `:=`")
        elif isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)):
            reasons.append(f"the loop uses `{'await' if isinstance(node, ast.Await) else 'yield'}`")
        elif isinstance(node, ast.Name) and node.id in ("super", "__class__"):
            reasons.append(f"the loop uses `{node.id}`")
    return list(dict.fromkeys(reasons))


def handler_reasons(index: ModuleIndex, fn: FunctionInfo, node: ast.AST, what: str,
                    accumulator: str | None = None) -> list[str]:
    """A ``try`` or a context manager around ``node`` could catch an exception raised halfway and
    let the function go on to read ``what`` (half-built before, unbound or old after). A lock, a
    file or a pool never swallows an exception: a ``with lock:`` block is no obstacle. Nor is a
    ``try`` whose handlers and ``finally`` never name ``accumulator`` (the variable holding ``what``)
    and whose every handler ends in ``raise`` or ``return``: nothing runs that could read it."""
    reasons = []
    child, current = node, index.parent(node)
    while current is not None and current is not fn.node:
        if isinstance(current, (ast.Try, ast.TryStar)) and child in current.body and not (
                accumulator is not None and _sealed(current, accumulator)):
            reasons.append(f"the loop is inside a `try` (a handler could see a half-built {what})")
        elif isinstance(current, (ast.With, ast.AsyncWith)) and not all(
                _quiet(index, fn, item.context_expr) for item in current.items):
            reasons.append(f"the loop is inside `with` (a context manager could swallow an exception and "
                           f"expose a half-built {what})")
        child, current = current, index.parent(current)
    return reasons


def _sealed(statement: ast.Try | ast.TryStar, name: str) -> bool:
    """No handler or ``finally`` of the ``try`` names ``name``, and every handler leaves the function
    or raises (so no code after the ``try`` runs once an exception was caught; a ``break`` or
    ``continue`` there would go on in an enclosing loop)."""
    if any((isinstance(n, ast.Name) and n.id == name) or isinstance(n, (ast.Break, ast.Continue))
           for part in [*statement.handlers, *statement.finalbody] for n in ast.walk(part)):
        return False
    return all(handler.body and isinstance(handler.body[-1], (ast.Raise, ast.Return)) for handler in statement.handlers)


def _quiet(index: ModuleIndex, fn: FunctionInfo, expr: ast.AST) -> bool:
    """The context manager is one whose ``__exit__`` returns a false value: a call of a known quiet
    manager, or a name bound only to a lock made in the module or the function."""
    if isinstance(expr, ast.Call):
        return index.qualified_name(expr.func) in QUIET_MANAGERS
    if isinstance(expr, ast.Name):
        found = index.resolve(expr)
        if found.kind not in ("global", "local") or not found.bindings:
            return False
        if found.kind == "global" and not index.bound_once(expr.id):
            return False
        values = [getattr(b.statement, "value", None) for b in found.bindings]
        return all(b.kind == "assign" for b in found.bindings) and all(
            isinstance(v, ast.Call) and index.qualified_name(v.func) in LOCK_MAKERS for v in values)
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
        return False
    return False


def loop_variable_reasons(index: ModuleIndex, fn: FunctionInfo, loop: ast.For | ast.AsyncFor) -> list[str]:
    """A comprehension binds its variables in its own scope: the function must never read them
    outside the loop (reads in the body of another loop binding the same name are that loop's)."""
    names = target_names(loop.target)
    if names is None:
        return [f"the loop target `{index.code(loop.target)}` is not a plain name or tuple of names"]
    own = index.function_scope(fn)
    reasons = []
    for name in names:
        found = index.resolve_store(name)
        if found is not own or name.id in declared(index, fn):
            reasons.append(f"the loop variable `{name.id}` is not a local")
            continue
        # ``del x`` and ``x += 1`` read the variable too
        implicit = [b.node for b in own.bindings.get(name.id, []) if b.kind in ("del", "augassign")
                    and isinstance(b.node, ast.Name)]
        for read in [*own.references.get(name.id, []), *implicit]:
            if index.scopes.name_scope.get(read) is not own and not _in_eager_inside(index, read, own, loop):
                continue  # captured: checked below
            if not (within(index, read, loop) or rebound_by_other_loop(index, loop, name.id, read)):
                reasons.append(f"the loop variable `{name.id}` is used outside the loop "
                               "(a comprehension would not bind it)")
                break
        reasons += _captured_reasons(index, fn, loop, name.id)
    return reasons


def rebound_by_other_loop(index: ModuleIndex, loop: ast.AST, name: str, node: ast.AST) -> bool:
    """``node`` is in the body of another ``for`` that binds ``name`` before its body runs."""
    current = index.parent(node)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if (isinstance(current, (ast.For, ast.AsyncFor)) and current is not loop
                and any(within(index, node, s) for s in current.body)
                and any(n.id == name for n in target_names(current.target) or ())):
            return True
        current = index.parent(current)
    return False


def _captured_reasons(index: ModuleIndex, fn: FunctionInfo, loop: ast.AST, name: str) -> list[str]:
    """Nested scopes that read the loop variable: only eager comprehensions inside the loop body see
    the same value before and after the rewrite."""
    own = index.function_scope(fn)
    for read in own.references.get(name, []):
        scope = index.scopes.name_scope.get(read)
        if scope is not own and not _in_eager_inside(index, read, own, loop):
            return [f"the loop variable `{name}` is captured by a nested function, lambda or generator"]
    return []


def _in_eager_inside(index: ModuleIndex, read: ast.AST, own: Scope, loop: ast.AST) -> bool:
    scope = index.scopes.name_scope.get(read)  # type: ignore[call-overload]
    while scope is not None and scope is not own:
        if not (scope.kind == "comprehension" and isinstance(scope.node, EAGER)
                and any(within(index, scope.node, s) for s in loop.body)):  # type: ignore[attr-defined]
            return False
        scope = scope.parent
    return scope is own


def accumulator_reasons(index: ModuleIndex, fn: FunctionInfo, loop: Loop, name: ast.Name,
                        allowed: ast.AST) -> list[str]:
    """The accumulator is a local that nothing but ``allowed`` (its one update) touches while the
    loop runs, so only its final value can be observed."""
    own = index.function_scope(fn)
    scope = index.resolve_store(name) if isinstance(name.ctx, ast.Store) else index.resolve(name).scope
    if scope is not own or name.id in declared(index, fn):
        return [f"`{name.id}` is not a local variable"]
    reasons = []
    reads = own.references.get(name.id, [])
    if any(within(index, r, loop) and not within(index, r, allowed) and index.scopes.name_scope.get(r) is own
           for r in reads):
        reasons.append(f"`{name.id}` is read inside the loop")
    for read in reads:
        scope = index.scopes.name_scope.get(read)
        if scope is own or scope is None or (scope.kind == "comprehension" and scope.owner is own
                                             and not within(index, scope.node, loop)):
            continue
        # a closure created after the loop cannot run during it, unless the loop runs again
        if not after(scope.node, loop) or _enclosing_loop(index, fn, loop):
            reasons.append(f"`{name.id}` is used by a nested function, lambda or comprehension that could run "
                           "during the loop")
            break
    return reasons


def _enclosing_loop(index: ModuleIndex, fn: FunctionInfo, node: ast.AST) -> bool:
    current = index.parent(node)
    while current is not None and current is not fn.node:
        if isinstance(current, (ast.For, ast.AsyncFor, ast.While)):
            return True
        current = index.parent(current)
    return False


def unbound_reasons(index: ModuleIndex, fn: FunctionInfo, loop: ast.For | ast.AsyncFor) -> list[str]:
    """A local the loop reads that may be unbound when it starts: the loop raises UnboundLocalError,
    a comprehension reading it as a free variable raises NameError instead. The loop's variables are
    bound by then, except in its iterable, which runs first, in the function's frame: there only a
    loop variable the rewrite stops binding changes meaning."""
    own = index.function_scope(fn)
    targets = {n.id for n in target_names(loop.target) or ()}
    reasons = []
    for node in index.walk(loop):
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)) or index.scopes.name_scope.get(node) is not own:
            continue
        in_iterable = within(index, node, loop.iter)
        if (node.id in targets) != in_iterable:
            continue  # the iterable runs in the function's own frame: only a loop variable read there moves
        if index.resolve(node).kind in ("local", "param") and not bound_before(index, fn, node.id, loop):
            reasons.append(f"`{node.id}` may be unbound when the loop starts: the loop would raise "
                           "UnboundLocalError, a comprehension NameError")
    return list(dict.fromkeys(reasons))


def new_frame_reasons(index: ModuleIndex, fn: FunctionInfo, loop: ast.For | ast.AsyncFor) -> list[str]:
    """A comprehension runs in a frame of its own (CPython 3.11): code the loop calls that calls
    ``fn`` again would use two frames per level of recursion instead of one (RecursionError at half
    the depth), and code that reads its callers' frames would see the comprehension's."""
    reasons = []
    for callee in _callees_in(index, fn, loop):
        for reached in reachable(index, callee):
            if reached.node is fn.node:
                via = "" if callee.node is fn.node else f" (through {callee.qualname})"
                reasons.append(f"the loop calls {fn.qualname} recursively{via}: a comprehension adds a frame per "
                               "level, halving the recursion depth it can reach")
            walkers = [w for w in introspection(index, reached) if w in FRAME_WALKERS]
            if walkers:
                reasons.append(f"the loop calls {reached.qualname}, which reads its callers' frames ({walkers[0]}): "
                               "it would see the comprehension's frame")
    return list(dict.fromkeys(reasons))


def _callees_in(index: ModuleIndex, fn: FunctionInfo, loop: ast.AST) -> list[FunctionInfo]:
    """Module functions and methods the loop calls or passes along (as ``callgraph.callees_of``)."""
    found: dict[str, FunctionInfo] = {}
    for node in index.walk(loop):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            top = chain_top(index, node)
            callee = resolve_callee(index, fn, top if isinstance(top, ast.Attribute) and top.value is node else node)
            if callee is not None:
                found[callee.qualname] = callee
    return list(found.values())
