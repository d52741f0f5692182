"""Facts about loops inside one function: what runs repeatedly, what a loop rebinds, which names
are surely bound when it starts."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from evolver.analysis.static import FunctionInfo, ModuleIndex, flatten_targets

Loop = cst.For | cst.While
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def repeats(index: ModuleIndex, node: cst.CSTNode) -> int:
    """How many enclosing loops and comprehension clauses re-evaluate ``node`` (up to the
    enclosing function or lambda). A ``for``'s iterable and a comprehension's first iterable
    are evaluated once, so they do not count."""
    count, child, parent = 0, node, index.parent(node)
    while parent is not None and not isinstance(parent, _SCOPES):
        count += _repeated_child(index, parent, child)
        child, parent = parent, index.parent(parent)
    return count


def _repeated_child(index: ModuleIndex, parent: cst.CSTNode, child: cst.CSTNode) -> int:
    """How many loop levels of ``parent`` re-evaluate its part ``child``."""
    if isinstance(parent, cst.For):
        return int(child is parent.body or child is parent.target)
    if isinstance(parent, cst.While):
        return int(child is parent.body or child is parent.test)
    if isinstance(parent, cst.CompFor):  # its iterable runs once per iteration of the enclosing clause
        return int(child is not parent.iter)
    if isinstance(parent, COMPREHENSIONS) and child is not parent.for_in:
        levels, clause = 0, parent.for_in
        while clause is not None:
            levels, clause = levels + 1, clause.inner_for_in
        return levels
    return 0


def innermost_loop(index: ModuleIndex, node: cst.CSTNode) -> Loop | None:
    """The innermost ``for``/``while`` whose body (or ``while`` test) contains ``node``, within
    the enclosing function; None inside a lambda or a generator expression (evaluated later)."""
    child, parent = node, index.parent(node)
    while parent is not None and not isinstance(parent, _SCOPES + (cst.GeneratorExp,)):
        if isinstance(parent, (cst.For, cst.While)) and _repeated_child(index, parent, child):
            return parent
        child, parent = parent, index.parent(parent)
    return None


def region(loop: Loop) -> tuple[cst.CSTNode, ...]:
    """The parts of a loop statement that run between the statement before it and the last
    iteration: for a ``for``, its iterable (once), target and body; for a ``while``, its test and
    body (the ``else`` runs after the last iteration)."""
    return (loop.iter, loop.target, loop.body) if isinstance(loop, cst.For) else (loop.test, loop.body)


def inside(index: ModuleIndex, node: cst.CSTNode, roots: tuple[cst.CSTNode, ...]) -> bool:
    current: cst.CSTNode | None = node
    while current is not None:
        if any(current is root for root in roots):
            return True
        current = index.parent(current)
    return False


def deleted_names(index: ModuleIndex, fn: FunctionInfo) -> set[str]:
    """Names a ``del`` statement anywhere in the function (nested code included) unbinds."""
    key = ("deleted_names", fn.qualname)
    if key not in index.cache:
        index.cache[key] = {t.value for node in index.walk(fn.node.body) if isinstance(node, cst.Del)
                            for t in flatten_targets(node.target) if isinstance(t, cst.Name)}
    return index.cache[key]


def bound_before(index: ModuleIndex, fn: FunctionInfo, name: cst.Name, loop: Loop) -> bool:
    """``name`` is surely bound when ``loop`` starts: a parameter of ``fn``, or a local assigned
    by a plain statement that runs earlier in a block the loop is in (never deleted)."""
    if name.value in deleted_names(index, fn):
        return False
    params = fn.node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params,
             *(p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param))]
    if any(p.name.value == name.value for p in every):
        return True
    if any(_binds(line, name.value) for line in earlier_statements(index, fn, loop)):
        return True
    return name.value in _enclosing_targets(index, fn, loop)


def _enclosing_targets(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> set[str]:
    """Names bound by the ``for`` loops and ``with`` statements whose bodies contain ``node``."""
    found: set[str] = set()
    child, parent = node, index.parent(node)
    while parent is not None and parent is not fn.node:
        targets: list[cst.BaseExpression] = []
        if isinstance(parent, cst.For) and child is parent.body:
            targets = list(flatten_targets(parent.target))
        elif isinstance(parent, cst.With) and child is parent.body:
            targets = [t for item in parent.items if item.asname is not None for t in flatten_targets(item.asname.name)]
        found |= {t.value for t in targets if isinstance(t, cst.Name)}
        child, parent = parent, index.parent(parent)
    return found


def earlier_statements(index: ModuleIndex, fn: FunctionInfo, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Statements that surely ran before ``node`` each time it runs: its earlier siblings, and
    those of every enclosing statement, up to the function's body."""
    current = node
    while current is not fn.node:
        parent = index.parent(current)
        if parent is None:
            return
        if isinstance(parent, (cst.IndentedBlock, cst.Module)):
            for statement in parent.body:
                if statement is current:
                    break
                yield statement
        current = parent


def _binds(statement: cst.CSTNode, name: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        targets: list[cst.BaseExpression] = []
        if isinstance(small, cst.Assign):
            targets = [t for target in small.targets for t in flatten_targets(target.target)]
        elif isinstance(small, (cst.AnnAssign, cst.AugAssign)) and (not isinstance(small, cst.AnnAssign)
                                                                   or small.value is not None):
            targets = [small.target]
        if any(isinstance(t, cst.Name) and t.value == name for t in targets):
            return True
    return False
