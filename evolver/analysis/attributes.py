"""What an attribute of ``self`` holds: the kinds of every value the module stores into it.

``self.data`` read in a method of ``C`` holds one of the values the module's code stores into
``.data`` of a ``C`` instance: ``self.data = {...}`` in ``__init__``, ``self.data = ...`` in any other
method. The module's stores are the only ones (assumption attributes-private: no code outside the
module, and no subclass defined elsewhere, stores into the attribute). Anything the module does not
let us see refuses the question (unknown): a store into ``.data`` of another receiver, ``setattr``
with a name not spelt out, ``__dict__``/``vars``, a class with bases, a property or method of that
name, ``__getattr__``/``__getattribute__``/``__setattr__``. The contents of a mutable value are
forgotten (any method may add to them).
"""

from __future__ import annotations

import ast
from collections import defaultdict

from evolver.analysis import fixpoint, operators
from evolver.analysis import kinds as k
from evolver.analysis.index import FunctionInfo, ModuleIndex

SPECIAL = frozenset({"__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__dict__", "__slots__"})


def relied_on(index: ModuleIndex, fn: FunctionInfo) -> bool:
    """Whether what the analysis proved about ``fn`` (or a function it calls) used the kinds of an
    attribute of ``self`` (then it relies on assumption attributes-private)."""
    readers = index.cache.get("attribute-readers")
    if not readers:
        return False
    from evolver.analysis.callgraph import reachable

    return any(f.node in readers for f in reachable(index, fn))


def note_reader(index: ModuleIndex, fn: FunctionInfo | None) -> None:
    if fn is not None:
        index.cache.setdefault("attribute-readers", set()).add(fn.node)


def self_class(index: ModuleIndex, name: ast.Name) -> tuple[ast.ClassDef, FunctionInfo] | None:
    """The class and method when ``name`` is the unannotated first parameter of a plain method."""
    bindings = index.bindings(name)
    if index.binding(name) != "param" or len(bindings) != 1:
        return None
    param = bindings[0].node
    owner = index.parent(index.parent(param) or param)
    if not isinstance(param, ast.arg) or index.annotation(param) is not None or not isinstance(
            owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    info = index.info(owner)
    positional = [*owner.args.posonlyargs, *owner.args.args]
    if info.cls is None or not positional or positional[0] is not param or owner.decorator_list:
        return None
    return info.cls, info


def attribute_kinds(index: ModuleIndex, cls: ast.ClassDef, attr: str) -> k.Type:
    """The kinds ``self.<attr>`` may hold in a method of ``cls`` (UNKNOWN when not provable)."""
    from evolver.analysis import types  # types asks this module about ``self.x``

    stores = _stores(index)
    if stores.wild or attr in SPECIAL or not _plain_class(index, cls, attr):
        return k.UNKNOWN
    sites = []
    for target in stores.by_name.get(attr, []):
        owner = self_class(index, target.value) if isinstance(target.value, ast.Name) else None
        if owner is None or owner[0] is not cls:
            return k.UNKNOWN  # stored into some other object's attribute of that name: cannot tell them apart
        sites.append((target, owner[1]))
    if not sites:
        return k.UNKNOWN

    def step(current: k.Type) -> k.Type:
        values = [_stored(index, types.facts(index, fn), target, current) for target, fn in sites]
        return k.forget_items(k.union([current, *values]))

    return fixpoint.solve(index, ("attribute-kinds", cls, attr), step)


def _stored(index: ModuleIndex, facts: object, target: ast.Attribute, current: k.Type) -> k.Type:
    statement = index.parent(target)
    of = facts.of  # type: ignore[attr-defined]
    if isinstance(statement, ast.Assign) and target in statement.targets:
        return of(statement.value)
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return of(statement.value)
    if isinstance(statement, ast.AugAssign):
        return operators.binary(statement.op, current, of(statement.value))
    if isinstance(statement, ast.Delete):
        return k.EMPTY
    return k.UNKNOWN  # a tuple target, a for or with target: not followed


class _Stores:
    def __init__(self) -> None:
        self.by_name: dict[str, list[ast.Attribute]] = defaultdict(list)
        self.wild = False  # setattr with a computed name, __dict__, vars(): any attribute may change


def _stores(index: ModuleIndex) -> _Stores:
    found = index.cache.get("attribute-stores")
    if found is None:
        found = _Stores()
        for node in ast.walk(index.tree):
            if isinstance(node, ast.Attribute):
                if node.attr == "__dict__":
                    found.wild = True
                elif not isinstance(node.ctx, ast.Load):
                    found.by_name[node.attr].append(node)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
                    "setattr", "delattr", "vars"):
                name = node.args[1] if len(node.args) > 1 else None
                if node.func.id == "vars" or not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                    found.wild = True
                elif node.func.id == "setattr":
                    found.by_name[name.value].append(ast.Attribute(ast.Constant(None), name.value, ast.Store()))
        index.cache["attribute-stores"] = found
    return found


def _plain_class(index: ModuleIndex, cls: ast.ClassDef, attr: str) -> bool:
    """No base class (a base could define the attribute as a property), no decorator, and the
    class body neither defines ``attr`` as a method or property nor customizes attribute access."""
    if cls.bases or cls.keywords or cls.decorator_list:
        return False
    for statement in cls.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name in SPECIAL | {attr}:
            return False
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if any(isinstance(t, ast.Name) and t.id in (attr, "__slots__") for t in targets):
                return False  # a class attribute: a descriptor, or a shared default
    return True
