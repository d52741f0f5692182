"""Proofs about the loops of one function, shared by the loop transforms (comprehension,
join-strings, local-alias).

* a stable numbering of loop-like statements, so a site named ``#k`` keeps its number when
  another loop of the function is rewritten into an expression or a thread pool;
* the shape of a loop body that runs one statement per item, maybe under one ``if``;
* the checks that decide whether a loop can become an expression: its variables unused after
  it, its accumulator fresh and unseen while it runs, no handler that could see a half-built
  result, nothing that reads the frame's local variables.

Each check returns reasons; an empty list means proven.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import BuiltinAssignment, ComprehensionScope, Scope

from evolver.analysis.static import FunctionInfo, ModuleIndex, flatten_targets

POOL_NAME = "_evolver_pool"  # thread_pool.POOL: its `with` statement stands where a loop was
EAGER_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp)
FRAME_READERS = frozenset({"locals", "eval", "exec", "breakpoint"})
FRAME_READERS_WITHOUT_ARGS = frozenset({"vars", "dir"})
FRAME_CALLS = frozenset({"sys._getframe", "inspect.currentframe", "inspect.stack", "inspect.getouterframes"})
QUIET_MANAGERS = frozenset({  # context managers whose __exit__ never swallows an exception
    "builtins.open", "io.open", "gzip.open", "bz2.open", "lzma.open", "tarfile.open", "zipfile.ZipFile",
    "os.scandir", "tempfile.TemporaryDirectory", "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile",
    "urllib.request.urlopen", "concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor",
})


@dataclass(frozen=True)
class Body:
    """The one small statement a loop runs per item, and the ``if`` test guarding it (if any)."""

    statement: cst.BaseSmallStatement
    condition: cst.BaseExpression | None


# --- numbering ----------------------------------------------------------------------------------


def positions(index: ModuleIndex, fn: FunctionInfo) -> list[cst.CSTNode]:
    """Loop-like statements of the function in source order: loops, and the statements the loop
    transforms leave in a loop's place (a thread pool, ``x = [...]``, ``x = "".join(...)``)."""
    key = ("loop_positions", fn.qualname)
    if key not in index.cache:
        found: list[cst.CSTNode] = []
        inside_pool: set[int] = set()
        for node in index.own_nodes(fn.node, lambdas=False):
            if id(node) in inside_pool:
                continue
            if isinstance(node, cst.With) and is_pool(node):
                inside_pool.update(id(n) for n in index.walk(node))
                found.append(node)
            elif isinstance(node, (cst.For, cst.While)) or (
                    isinstance(node, cst.SimpleStatementLine) and _loop_output(node)):
                found.append(node)
        index.cache[key] = found
    return index.cache[key]


def is_pool(node: cst.With) -> bool:
    item = node.items[0]
    return (len(node.items) == 1 and item.asname is not None and isinstance(item.asname.name, cst.Name)
            and item.asname.name.value == POOL_NAME)


def _loop_output(line: cst.SimpleStatementLine) -> bool:
    if len(line.body) != 1:
        return False
    small = line.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        value: cst.BaseExpression | None = small.value
    elif isinstance(small, (cst.AnnAssign, cst.Return)):
        value = small.value
    else:
        return False
    if isinstance(value, (*EAGER_COMPREHENSIONS, cst.GeneratorExp)):
        return True
    if not isinstance(value, cst.Call) or len(value.args) != 1:
        return False
    func = value.func
    return ((isinstance(func, cst.Name) and func.value in ("list", "set"))
            or (isinstance(func, cst.Attribute) and func.attr.value == "join"
                and isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString))))


def function_loops(index: ModuleIndex, fn: FunctionInfo) -> Iterator[tuple[int, cst.For | cst.While]]:
    """(position number, loop) for every loop of the function's own body."""
    for k, node in enumerate(positions(index, fn)):
        if isinstance(node, (cst.For, cst.While)):
            yield k, node


# --- shapes -------------------------------------------------------------------------------------


def single_body(loop: cst.For | cst.While) -> Body | None:
    """``for ...: stmt`` or ``for ...: if test: stmt`` (no elif/else), one small statement."""
    statements = _statements(loop.body)
    if statements is None:
        return None
    if len(statements) == 1 and isinstance(statements[0], cst.BaseSmallStatement):
        return Body(statements[0], None)
    if len(statements) == 1 and isinstance(statements[0], cst.If) and statements[0].orelse is None:
        inner = _statements(statements[0].body)
        if inner is not None and len(inner) == 1 and isinstance(inner[0], cst.BaseSmallStatement):
            return Body(inner[0], statements[0].test)
    return None


def _statements(block: cst.BaseSuite) -> list[cst.CSTNode] | None:
    if isinstance(block, cst.SimpleStatementSuite):
        return list(block.body)
    assert isinstance(block, cst.IndentedBlock)
    if len(block.body) != 1:
        return None
    only = block.body[0]
    return list(only.body) if isinstance(only, cst.SimpleStatementLine) else [only]


def previous_statement(index: ModuleIndex, statement: cst.CSTNode) -> cst.CSTNode | None:
    """The statement right before ``statement`` in the same block."""
    body = getattr(index.parent(statement), "body", ())
    if not isinstance(body, Sequence):
        return None
    for before, current in itertools.pairwise(body):
        if current is statement:
            return before
    return None


def only_small(line: cst.CSTNode | None) -> cst.BaseSmallStatement | None:
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
        return line.body[0]
    return None


def assigned_name(small: cst.BaseSmallStatement | None) -> tuple[cst.Name, cst.BaseExpression] | None:
    """(name, value) of ``name = value`` or ``name: T = value``."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target, small.value
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
        return small.target, small.value
    return None


def target_names(target: cst.BaseExpression) -> list[cst.Name] | None:
    """The names a loop target binds, or None when it stores into attributes, items or starred."""
    if _starred(target):
        return None
    names = []
    for part in flatten_targets(target):
        if not isinstance(part, cst.Name):
            return None
        names.append(part)
    return names


def _starred(target: cst.BaseExpression) -> bool:
    return isinstance(target, (cst.Tuple, cst.List)) and any(
        isinstance(e, cst.StarredElement) or _starred(e.value) for e in target.elements)


# --- tree helpers -------------------------------------------------------------------------------


def within(index: ModuleIndex, node: cst.CSTNode, outer: cst.CSTNode | None) -> bool:
    current: cst.CSTNode | None = node
    while current is not None:
        if current is outer:
            return True
        current = index.parent(current)
    return False


def enclosing_loops(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> int:
    count, current = 0, index.parent(node)
    while current is not None and current is not fn.node:
        count += isinstance(current, (cst.For, cst.While))
        current = index.parent(current)
    return count


def own_scope(index: ModuleIndex, fn: FunctionInfo) -> Scope:
    scope = index.scope(fn.node.body)
    assert scope is not None
    return scope


def declared(index: ModuleIndex, fn: FunctionInfo) -> frozenset[str]:
    """Names the function declares ``global`` or ``nonlocal``: they live in another scope, where
    other functions can read and rebind them at any time."""
    key = ("declared", fn.qualname)
    if key not in index.cache:
        index.cache[key] = frozenset(n.name.value for node in index.own_nodes(fn.node, lambdas=False)
                                     if isinstance(node, (cst.Global, cst.Nonlocal)) for n in node.names)
    return index.cache[key]


def builtin_visible(index: ModuleIndex, fn: FunctionInfo, name: str) -> bool:
    """Whether ``name`` written in the function's body means the builtin."""
    found = own_scope(index, fn)[name]
    return bool(found) and all(isinstance(a, BuiltinAssignment) for a in found) and not index.star_import


def region_reasons(index: ModuleIndex, node: cst.CSTNode) -> list[str]:
    """Constructs a comprehension would change: walrus (it binds in another scope), ``yield``
    (not allowed there), ``await``, zero-argument ``super()`` and ``__class__`` (their hidden
    arguments are the frame's)."""
    reasons = []
    for part in index.walk(node):
        if isinstance(part, cst.NamedExpr):
            reasons.append("the loop uses `:=`")
        elif isinstance(part, (cst.Yield, cst.Await)):
            reasons.append(f"the loop uses `{'yield' if isinstance(part, cst.Yield) else 'await'}`")
        elif isinstance(part, cst.Name) and part.value in ("super", "__class__"):
            reasons.append(f"the loop uses `{part.value}`")
    return reasons


# --- proofs -------------------------------------------------------------------------------------


def frame_reasons(index: ModuleIndex, fn: FunctionInfo) -> list[str]:
    """The function reads its own frame's variables (``locals()``, ``eval``, ...): adding or
    removing a local would change what it sees."""
    reasons = []
    for name, binding in index.scan(fn).accesses:
        top = index.chain_top(name)
        bare = binding == "builtin" and (name.value in FRAME_READERS or (
            name.value in FRAME_READERS_WITHOUT_ARGS and _called_without_args(index, name)))
        if bare or index.qualified_name(top) in FRAME_CALLS:
            reasons.append(f"{fn.qualname} reads its local variables ({index.code(top)})")
    return reasons


def _called_without_args(index: ModuleIndex, name: cst.Name) -> bool:
    parent = index.parent(name)
    return isinstance(parent, cst.Call) and parent.func is name and not parent.args


def handler_reasons(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode, what: str) -> list[str]:
    """A ``try`` or a context manager around ``node`` could catch an exception raised halfway
    and let the function go on to read ``what`` (half-built before, unbound or old after)."""
    reasons = []
    current = index.parent(node)
    while current is not None and current is not fn.node:
        if isinstance(current, (cst.Try, cst.TryStar)):
            reasons.append(f"the loop is inside a `try` (a handler could see a half-built {what})")
        elif isinstance(current, cst.With) and not all(_quiet(index, item.item) for item in current.items):
            reasons.append(f"the loop is inside `with` (a context manager could swallow an exception "
                           f"and expose a half-built {what})")
        current = index.parent(current)
    return reasons


def _quiet(index: ModuleIndex, expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Call) and index.qualified_name(expr.func) in QUIET_MANAGERS


def loop_variable_reasons(index: ModuleIndex, fn: FunctionInfo, loop: cst.For) -> list[str]:
    """A comprehension binds its variables in its own scope: the function must never read them
    outside the loop (reads in the body of another loop binding the same name are that loop's)."""
    names = target_names(loop.target)
    if names is None:
        return [f"the loop target `{index.code(loop.target)}` is not a plain name or tuple of names"]
    own = own_scope(index, fn)
    reasons = []
    for name in names:
        if index.binding(name) != "local" or name.value in declared(index, fn):
            reasons.append(f"the loop variable `{name.value}` is not a local")
            continue
        for access in sorted(own.accesses[name.value], key=lambda a: index.order(a.node)):
            if not (within(index, access.node, loop.body) or _rebound_by_other_loop(index, loop, name.value,
                                                                                     access.node)):
                reasons.append(f"the loop variable `{name.value}` is used outside the loop "
                               "(a comprehension would not bind it)")
                break
        reasons += _captured_reasons(index, fn, loop, name.value)
    return reasons


def _rebound_by_other_loop(index: ModuleIndex, loop: cst.For, name: str, node: cst.CSTNode) -> bool:
    """``node`` is in the body of another ``for`` that binds ``name`` each time before its body runs."""
    current = index.parent(node)
    while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda)):
        if (isinstance(current, cst.For) and current is not loop and within(index, node, current.body)
                and any(n.value == name for n in target_names(current.target) or ())):
            return True
        current = index.parent(current)
    return False


def _captured_reasons(index: ModuleIndex, fn: FunctionInfo, loop: cst.For, name: str) -> list[str]:
    """Nested scopes that read the loop variable: only eager comprehensions inside the loop body
    see the same value before and after the rewrite."""
    own = own_scope(index, fn)
    for scope in index.function_scopes(fn):
        if scope is own:
            continue
        for access in scope.accesses[name]:
            if any(a.scope is own for a in access.referents) and not _eager_inside(index, access.scope, own,
                                                                                  loop.body):
                return [f"the loop variable `{name}` is captured by a nested function, lambda or generator"]
    return []


def _eager_inside(index: ModuleIndex, scope: Scope | None, own: Scope, region: cst.CSTNode) -> bool:
    while scope is not None and scope is not own:
        node = getattr(scope, "node", None)
        if not (isinstance(scope, ComprehensionScope) and isinstance(node, EAGER_COMPREHENSIONS)
                and within(index, node, region)):
            return False
        scope = scope.parent
    return scope is own


def accumulator_reasons(index: ModuleIndex, fn: FunctionInfo, loop: cst.For, name: cst.Name,
                        allowed: cst.CSTNode) -> list[str]:
    """The accumulator is a local that nothing but ``allowed`` (its one update) touches while the
    loop runs, so only its final value can be observed."""
    if index.binding(name) not in ("local", "param") or name.value in declared(index, fn):
        return [f"`{name.value}` is not a local variable"]
    own = own_scope(index, fn)
    reasons = []
    if any(within(index, a.node, loop) and not within(index, a.node, allowed) for a in own.accesses[name.value]):
        reasons.append(f"`{name.value}` is read inside the loop")
    for scope in index.function_scopes(fn):
        node = getattr(scope, "node", None)
        if scope is own or node is None or not any(
                any(a.scope is own for a in access.referents) for access in scope.accesses[name.value]):
            continue
        # a closure created after the loop cannot run during it, unless the loop runs again
        if not index.after(node, loop) or enclosing_loops(index, fn, loop):
            reasons.append(f"`{name.value}` is used by a nested function, lambda or comprehension that "
                           "could run during the loop")
            break
    return reasons
