"""Facts about the loops of one function: a stable numbering, the shape of a loop body, what runs
repeatedly, and which names are surely bound when a loop starts.

The numbering counts loop-like statements (loops, and the statements the loop transforms leave in
a loop's place: a thread pool's ``with``, ``x = [...]``, ``x = "".join(...)``), so a site named
``#k`` keeps its number when another loop of the function is rewritten.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.scopes import BUILTINS
from evolver.analysis.tree import COMPREHENSIONS, all_params, flatten_targets

Loop = ast.For | ast.AsyncFor | ast.While
LOOPS = (ast.For, ast.AsyncFor, ast.While)
POOL_NAME = "_evolver_pool"  # thread_pool's ``with ... as _evolver_pool`` stands where a loop was
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass(frozen=True)
class Body:
    """The one simple statement a loop runs per item, and the ``if`` test guarding it (if any)."""

    statement: ast.stmt
    condition: ast.expr | None


# --- numbering -----------------------------------------------------------------------------------


def positions(index: ModuleIndex, fn: FunctionInfo) -> list[ast.stmt]:
    """Loop-like statements of the function in source order (see the module docstring)."""
    key = ("loop_positions", fn.node)
    if key not in index.cache:
        found: list[ast.stmt] = []
        pools: list[ast.With] = []
        for node in index.own_nodes(fn, lambdas=False):
            if not isinstance(node, ast.stmt) or any(any(s is node for s in p.body) for p in pools):
                continue
            if isinstance(node, ast.With) and is_pool(node):
                pools.append(node)
                found.append(node)
            elif isinstance(node, LOOPS) or loop_output(node):
                found.append(node)
        index.cache[key] = found
    return index.cache[key]


def is_pool(node: ast.With) -> bool:
    item = node.items[0]
    return len(node.items) == 1 and isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == POOL_NAME


def loop_output(statement: ast.stmt) -> bool:
    """``x = [...]``, ``return {...}``, ``x = list(xs)``, ``x = "".join(...)``: what a loop becomes."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        value: ast.expr | None = statement.value
    elif isinstance(statement, (ast.AnnAssign, ast.Return)):
        value = statement.value
    else:
        return False
    if isinstance(value, COMPREHENSIONS):
        return True
    if not isinstance(value, ast.Call) or len(value.args) != 1 or value.keywords:
        return False
    func = value.func
    return (isinstance(func, ast.Name) and func.id in ("list", "set")) or (
        isinstance(func, ast.Attribute) and func.attr == "join" and isinstance(func.value, ast.Constant))


def function_loops(index: ModuleIndex, fn: FunctionInfo) -> Iterator[tuple[int, Loop]]:
    """(position number, loop) for every loop of the function's own body."""
    for k, node in enumerate(positions(index, fn)):
        if isinstance(node, LOOPS):
            yield k, node


# --- shapes --------------------------------------------------------------------------------------


def single_body(loop: Loop) -> Body | None:
    """``for ...: stmt`` or ``for ...: if test: stmt`` (no elif/else), one simple statement."""
    if len(loop.body) != 1:
        return None
    only = loop.body[0]
    if isinstance(only, ast.If) and not only.orelse and len(only.body) == 1 and _simple(only.body[0]):
        return Body(only.body[0], only.test)
    return Body(only, None) if _simple(only) else None


def _simple(statement: ast.stmt) -> bool:
    return isinstance(statement, (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Pass, ast.Return,
                                  ast.Raise, ast.Delete, ast.Break, ast.Continue, ast.Global, ast.Nonlocal,
                                  ast.Assert, ast.Import, ast.ImportFrom))


def previous_statement(index: ModuleIndex, statement: ast.stmt) -> ast.stmt | None:
    """The statement right before ``statement`` in the same block."""
    block = _block_of(index, statement)
    if block is None:
        return None
    position = next(i for i, s in enumerate(block) if s is statement)
    return block[position - 1] if position > 0 else None


def next_statement(index: ModuleIndex, statement: ast.stmt) -> ast.stmt | None:
    """The statement right after ``statement`` in the same block."""
    block = _block_of(index, statement)
    if block is None:
        return None
    position = next(i for i, s in enumerate(block) if s is statement)
    return block[position + 1] if position + 1 < len(block) else None


def _block_of(index: ModuleIndex, statement: ast.stmt) -> list[ast.stmt] | None:
    parent = index.parent(statement)
    for field in ("body", "orelse", "finalbody", "handlers"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is statement for s in block):
            return block
    return None


def same_line(index: ModuleIndex, first: ast.stmt, second: ast.stmt) -> bool:
    """Two simple statements share a line (``a = 1; b = 2``)."""
    return first.end_lineno == second.lineno


def assigned_name(statement: ast.stmt | None) -> tuple[ast.Name, ast.expr] | None:
    """(name, value) of ``name = value`` or ``name: T = value``."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0], statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value is not None:
        return statement.target, statement.value
    return None


def target_names(target: ast.expr) -> list[ast.Name] | None:
    """The names a loop target binds, or None when it stores into attributes, items or starred."""
    names = []
    for part in flatten_targets(target):
        if not isinstance(part, ast.Name) or _starred(target):
            return None
        names.append(part)
    return names


def _starred(target: ast.expr) -> bool:
    return isinstance(target, (ast.Tuple, ast.List)) and any(
        isinstance(e, ast.Starred) or _starred(e) for e in target.elts)


# --- what runs repeatedly ---------------------------------------------------------------------------


def repeats(index: ModuleIndex, node: ast.AST) -> int:
    """How many enclosing loops and comprehension clauses re-evaluate ``node`` (up to the enclosing
    function or lambda). A ``for``'s iterable and a comprehension's first iterable run once."""
    count, child, parent = 0, node, index.parent(node)
    while parent is not None and not isinstance(parent, _SCOPES):
        count += _repeated_child(parent, child)
        child, parent = parent, index.parent(parent)
    return count


def _repeated_child(parent: ast.AST, child: ast.AST) -> int:
    if isinstance(parent, (ast.For, ast.AsyncFor)):
        return int(child in parent.body or child is parent.target)
    if isinstance(parent, ast.While):
        return int(child in parent.body or child is parent.test)
    if isinstance(parent, ast.comprehension):  # its iterable runs once per item of the clause before
        return int(child is not parent.iter)
    if isinstance(parent, COMPREHENSIONS) and child not in parent.generators:
        return len(parent.generators)
    if isinstance(parent, COMPREHENSIONS) and child in parent.generators:
        return parent.generators.index(child)
    return 0


def innermost_loop(index: ModuleIndex, node: ast.AST) -> Loop | None:
    """The innermost ``for``/``while`` whose body (or ``while`` test) contains ``node``, within the
    enclosing function; None inside a lambda or a generator expression (evaluated later)."""
    child, parent = node, index.parent(node)
    while parent is not None and not isinstance(parent, (*_SCOPES, ast.GeneratorExp)):
        if isinstance(parent, LOOPS) and _repeated_child(parent, child):
            return parent
        child, parent = parent, index.parent(parent)
    return None


def region(loop: Loop) -> list[ast.AST]:
    """What runs between the statement before the loop and its last iteration: a ``for``'s
    iterable (once), target and body; a ``while``'s test and body (``else`` runs after)."""
    if isinstance(loop, ast.While):
        return [loop.test, *loop.body]
    return [loop.iter, loop.target, *loop.body]


def repeated(loop: Loop) -> list[ast.AST]:
    """What runs on every pass: the body, and a ``while``'s test (a ``for``'s iterable runs once)."""
    return [loop.test, *loop.body] if isinstance(loop, ast.While) else [loop.target, *loop.body]


def in_region(index: ModuleIndex, node: ast.AST, roots: list[ast.AST]) -> bool:
    current: ast.AST | None = node
    while current is not None:
        if any(current is root for root in roots):
            return True
        current = index.parent(current)
    return False


# --- bindings -------------------------------------------------------------------------------------


def deleted_names(index: ModuleIndex, fn: FunctionInfo) -> set[str]:
    """Names a ``del`` anywhere in the function (nested code included) unbinds."""
    key = ("deleted_names", fn.node)
    if key not in index.cache:
        index.cache[key] = {b.name for scope in index.function_scopes(fn) for bindings in scope.bindings.values()
                            for b in bindings if b.kind == "del"}
    return index.cache[key]


def declared(index: ModuleIndex, fn: FunctionInfo) -> frozenset[str]:
    """Names the function declares ``global`` or ``nonlocal``: they live in another scope, where
    other functions can read and rebind them at any time."""
    scope = index.function_scope(fn)
    return frozenset(scope.declared_global | scope.declared_nonlocal)


def builtin_visible(index: ModuleIndex, fn: FunctionInfo, name: str) -> bool:
    """``name`` written in the function's body means the builtin."""
    scope = index.function_scope(fn)
    if index.star_import or name not in BUILTINS:
        return False
    current = scope
    while current is not None:
        if name in current.bindings and current.kind != "class":
            return False
        current = current.parent  # type: ignore[assignment]
    return True


def bound_before(index: ModuleIndex, fn: FunctionInfo, name: str, loop: ast.stmt) -> bool:
    """``name`` is surely bound when ``loop`` starts: a parameter of ``fn``, or a local bound by a
    plain statement that runs earlier in a block the loop is in, or by an enclosing ``for``/``with``
    (and never deleted)."""
    if name in deleted_names(index, fn):
        return False
    if any(p.arg == name for p in all_params(fn.node.args)):
        return True
    if any(_binds(s, name) for s in earlier_statements(index, fn, loop)):
        return True
    return name in _enclosing_targets(index, fn, loop)


def earlier_statements(index: ModuleIndex, fn: FunctionInfo, node: ast.AST) -> Iterator[ast.stmt]:
    """Statements that surely ran before ``node`` each time it runs: its earlier siblings, and those
    of every enclosing statement, up to the function's body."""
    current = node
    while current is not fn.node:
        parent = index.parent(current)
        if parent is None:
            return
        if isinstance(current, ast.stmt):
            block = _block_of(index, current)
            if block is not None and block is not getattr(parent, "handlers", None):
                for statement in block:
                    if statement is current:
                        break
                    yield statement
        current = parent


def _enclosing_targets(index: ModuleIndex, fn: FunctionInfo, node: ast.AST) -> set[str]:
    """Names bound by the ``for`` loops and ``with`` statements whose bodies contain ``node``."""
    found: set[str] = set()
    child, parent = node, index.parent(node)
    while parent is not None and parent is not fn.node:
        targets: list[ast.AST] = []
        if isinstance(parent, (ast.For, ast.AsyncFor)) and child in parent.body:
            targets = list(flatten_targets(parent.target))
        elif isinstance(parent, (ast.With, ast.AsyncWith)) and child in parent.body:
            targets = [t for item in parent.items if item.optional_vars is not None
                       for t in flatten_targets(item.optional_vars)]
        found |= {t.id for t in targets if isinstance(t, ast.Name)}
        child, parent = parent, index.parent(parent)
    return found


def _binds(statement: ast.stmt, name: str) -> bool:
    """Running ``statement`` to its end surely binds ``name`` (an ``if`` whose branches both do, a
    ``try`` whose body and every handler do)."""
    if isinstance(statement, ast.If):
        return _block_binds(statement.body, name) and _block_binds(statement.orelse, name)
    if isinstance(statement, (ast.Try, ast.TryStar)):  # the body (and else) ran, or a handler did
        done = _block_binds(statement.body, name) or _block_binds(statement.orelse, name)
        return _block_binds(statement.finalbody, name) or (
            done and all(_block_binds(handler.body, name) for handler in statement.handlers))
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return any((alias.asname or alias.name.split(".")[0]) == name for alias in statement.names)
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return statement.name == name
    targets: list[ast.AST] = []
    if isinstance(statement, ast.Assign):
        targets = [t for target in statement.targets for t in flatten_targets(target)]
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and (
            not isinstance(statement, ast.AnnAssign) or statement.value is not None):
        targets = [statement.target]
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)


def _block_binds(block: list[ast.stmt], name: str) -> bool:
    """Every way through ``block`` that reaches its end binds ``name`` (a block that always leaves
    with ``return``, ``raise``, ``break`` or ``continue`` never reaches what follows)."""
    return any(_binds(s, name) for s in block) or (
        bool(block) and isinstance(block[-1], (ast.Return, ast.Raise, ast.Break, ast.Continue)))
