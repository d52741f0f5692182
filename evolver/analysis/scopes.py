"""Name resolution on the ``ast``: every scope of a module, what each binds, and what each name that
is read refers to, by Python's rules (class bodies are skipped by the functions nested in them, a
comprehension's first iterable runs in the enclosing scope, ``global``/``nonlocal`` redirect
stores, ``:=`` in a comprehension binds in the enclosing function).
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Literal

from evolver.analysis.tree import all_params, children

ScopeKind = Literal["module", "class", "function", "lambda", "comprehension"]
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# Names every module has (set by the import system): reading one reads a constant.
MODULE_DUNDERS = frozenset({"__name__", "__file__", "__doc__", "__package__", "__spec__", "__loader__",
                            "__builtins__", "__path__", "__cached__", "__annotations__"})
BUILTINS = frozenset(dir(builtins))


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    node: ast.AST
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)
    children: list[Scope] = field(default_factory=list)
    loads: list[ast.Name] = field(default_factory=list)  # names read here (they may live elsewhere)
    references: dict[str, list[ast.Name]] = field(default_factory=dict)  # reads resolved to a name of this scope

    @property
    def owner(self) -> Scope:
        """The nearest scope that is not a comprehension (a comprehension runs inside it)."""
        scope = self
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        return scope

    def within(self, outer: Scope) -> bool:
        scope: Scope | None = self
        while scope is not None:
            if scope is outer:
                return True
            scope = scope.parent
        return False


@dataclass(eq=False)
class Binding:
    """One place that binds (or deletes, or declares) a name in a scope."""

    name: str
    scope: Scope
    node: ast.AST  # Name, arg, FunctionDef, ClassDef, alias, ExceptHandler or a match pattern
    kind: str  # param, assign, augassign, annassign, declare, for, with, except, import, def, class,
    # walrus, del, comprehension, match
    statement: ast.AST  # the statement or clause that binds (for a parameter: its function)

    @property
    def references(self) -> list[ast.Name]:
        return self.scope.references.get(self.name, [])


@dataclass(frozen=True)
class Resolution:
    """What a name that is read refers to: ``kind`` is relative to the function (or lambda) it is
    read in, comprehensions counting as part of it: "local", "param", "enclosing" (a variable of an
    enclosing function), "global", "import", "class" (a class body reading its own name),
    "builtin" or "unresolved"."""

    kind: str
    scope: Scope | None
    bindings: tuple[Binding, ...]


_STATEMENT_KINDS: dict[type, str] = {
    ast.Assign: "assign", ast.AugAssign: "augassign", ast.AnnAssign: "annassign", ast.For: "for",
    ast.AsyncFor: "for", ast.comprehension: "comprehension", ast.withitem: "with", ast.NamedExpr: "walrus",
    ast.Delete: "del",
}


class Scopes:
    """The scopes of one module (built in one walk, which also fills the shared parent table)."""

    def __init__(self, tree: ast.Module, parents: dict[ast.AST, ast.AST]) -> None:
        self.module = Scope("module", tree, None)
        self.of_node: dict[ast.AST, Scope] = {tree: self.module}
        self.name_scope: dict[ast.Name, Scope] = {}  # the scope every Name is evaluated in
        self.star_import = False
        self.parents = parents
        self.kids: dict[ast.AST, list[ast.AST]] = {}  # every node's children, in source order
        self.store_scope: dict[ast.AST, Scope] = {}  # the scope each binding node binds in
        self._stores: list[tuple[str, Scope, ast.AST, str, ast.AST]] = []
        self._resolved: dict[ast.Name, Resolution] = {}
        self._walk(tree)
        # stores through ``nonlocal`` last: the enclosing function's own bindings must be known
        for store in sorted(self._stores, key=lambda s: s[0] in s[1].declared_nonlocal):
            self._bind(*store)
        for scope in self.of_node.values():
            for name in scope.loads:
                found = self._lookup(name.id, scope)
                if found is not None:
                    found.references.setdefault(name.id, []).append(name)

    # --- queries ------------------------------------------------------------------------------

    def resolve(self, name: ast.Name) -> Resolution:
        found = self._resolved.get(name)
        if found is None:
            found = self._resolved[name] = self._resolution(name)
        return found

    def import_target(self, name: ast.Name) -> str | None:
        """What an import binds ``name`` to ("os" for ``import os.path``, "a.b" for ``import a.b as
        name``, "pkg.f" for ``from pkg import f``), "builtins.<name>" for a builtin; else None."""
        found = self.resolve(name)
        if found.kind == "builtin":
            return f"builtins.{name.id}"
        if not found.bindings or any(b.kind != "import" for b in found.bindings):
            return None
        targets = {_import_target(b) for b in found.bindings}
        return targets.pop() if len(targets) == 1 else None

    def global_target(self, name: str) -> str | None:
        """``import_target`` for a name read at module level (a quoted annotation, say)."""
        found = self.module.bindings.get(name)
        if not found:
            return None if self.star_import or name not in BUILTINS else f"builtins.{name}"
        targets = {_import_target(b) if b.kind == "import" else None for b in found}
        return targets.pop() if len(targets) == 1 else None

    def _resolution(self, name: ast.Name) -> Resolution:
        use = self.name_scope.get(name, self.module)
        scope = self._lookup(name.id, use)
        if scope is None:
            if self.star_import:
                return Resolution("unresolved", None, ())
            kind = "builtin" if name.id in BUILTINS or name.id in MODULE_DUNDERS else "unresolved"
            return Resolution(kind, None, ())
        found = tuple(scope.bindings[name.id])
        if scope is self.module:
            kind = "import" if all(b.kind == "import" for b in found) else "global"
        elif scope.kind == "class":
            kind = "class"
        elif scope.owner is use.owner or (scope.kind == "comprehension" and scope.within(use.owner)):
            kind = "param" if any(b.kind == "param" for b in found) else "local"
        else:
            kind = "enclosing"
        return Resolution(kind, scope, found)

    def lookup(self, name: str, use: Scope) -> Scope | None:
        """The scope whose binding of ``name`` a read in ``use`` sees (None: a builtin or unbound)."""
        return self._lookup(name, use)

    def _lookup(self, name: str, use: Scope) -> Scope | None:
        """The scope whose binding of ``name`` a read in ``use`` sees (None: a builtin or unbound)."""
        scope: Scope | None = use
        while scope is not None:
            if name in scope.declared_global:
                return self.module if name in self.module.bindings else None
            skipped = scope.kind == "class" and scope is not use
            if not skipped and name not in scope.declared_nonlocal and name in scope.bindings:
                return scope
            scope = scope.parent
        return None

    # --- building -----------------------------------------------------------------------------

    def _bind(self, name: str, scope: Scope, node: ast.AST, kind: str, statement: ast.AST) -> None:
        target = scope.owner if kind == "walrus" else scope
        while True:
            if name in target.declared_global:
                target = self.module
                break
            if name in target.declared_nonlocal and target.parent is not None:
                target = _enclosing_function(target.parent, name, self.module)
                continue
            break
        target.bindings.setdefault(name, []).append(Binding(name, target, node, kind, statement))
        self.store_scope[node] = target

    def _walk(self, tree: ast.Module) -> None:
        parents, kids = self.parents, self.kids
        stack: list[tuple[ast.AST, Scope]] = [(tree, self.module)]
        while stack:
            node, scope = stack.pop()
            pushed = self._visit(node, scope)
            if pushed:
                kids[node] = [child for child, _ in pushed]
            for child, child_scope in reversed(pushed):
                parents[child] = node
                stack.append((child, child_scope))

    def _visit(self, node: ast.AST, scope: Scope) -> list[tuple[ast.AST, Scope]]:
        """Record what ``node`` binds or reads; its children, each with the scope it runs in."""
        if isinstance(node, ast.Name):
            self.name_scope[node] = scope
            if isinstance(node.ctx, ast.Load):
                scope.loads.append(node)
            else:
                self._store(node.id, scope, node)
            return []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return self._function(node, scope)
        if isinstance(node, ast.ClassDef):
            self._stores.append((node.name, scope, node, "class", node))
            inner = self._new_scope("class", node, scope)
            outside = [*node.decorator_list, *node.bases, *node.keywords]
            return [(c, scope) for c in outside] + [(s, inner) for s in node.body]
        if isinstance(node, COMPREHENSIONS):
            inner = self._new_scope("comprehension", node, scope)
            first, *rest = node.generators
            parts: list[tuple[ast.AST, Scope]] = [(first, inner)]
            parts += [(g, inner) for g in rest]
            elements = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            return [(e, inner) for e in elements] + parts
        if isinstance(node, ast.comprehension):
            first_iter = self._first_iter(node)
            return [(node.target, scope), (node.iter, scope.parent if first_iter and scope.parent else scope),
                    *((i, scope) for i in node.ifs)]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._imports(node, scope)
            return []
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            (scope.declared_global if isinstance(node, ast.Global) else scope.declared_nonlocal).update(node.names)
            return []
        if isinstance(node, ast.ExceptHandler) and node.name:
            self._stores.append((node.name, scope, node, "except", node))
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            self._stores.append((node.name, scope, node, "match", node))
        elif isinstance(node, ast.MatchMapping) and node.rest:
            self._stores.append((node.rest, scope, node, "match", node))
        return [(c, scope) for c in children(node)]

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda,
                  scope: Scope) -> list[tuple[ast.AST, Scope]]:
        # defaults and annotations (under ``arguments``) run in the enclosing scope
        outside: list[ast.AST] = [node.args]
        if isinstance(node, ast.Lambda):
            inner = self._new_scope("lambda", node, scope)
            body: list[ast.AST] = [node.body]
        else:
            self._stores.append((node.name, scope, node, "def", node))
            inner = self._new_scope("function", node, scope)
            outside = [*node.decorator_list, *outside, *([node.returns] if node.returns is not None else [])]
            body = list(node.body)
        for arg in all_params(node.args):
            inner.bindings.setdefault(arg.arg, []).append(Binding(arg.arg, inner, arg, "param", node))
        return [(c, scope) for c in outside] + [(s, inner) for s in body]

    def _first_iter(self, node: ast.comprehension) -> bool:
        owner = self.parents.get(node)
        return isinstance(owner, COMPREHENSIONS) and owner.generators[0] is node

    def _new_scope(self, kind: ScopeKind, node: ast.AST, parent: Scope) -> Scope:
        scope = Scope(kind, node, parent)
        parent.children.append(scope)
        self.of_node[node] = scope
        return scope

    def _store(self, name: str, scope: Scope, node: ast.Name) -> None:
        parent = self.parents.get(node)
        while parent is not None and type(parent) not in _STATEMENT_KINDS:
            parent = self.parents.get(parent)
        kind = _STATEMENT_KINDS.get(type(parent), "assign") if parent is not None else "assign"
        if isinstance(node.ctx, ast.Del):
            kind = "del"
        elif isinstance(parent, ast.AnnAssign) and parent.value is None:
            kind = "declare"
        self._stores.append((name, scope, node, kind, parent if parent is not None else node))

    def _imports(self, node: ast.Import | ast.ImportFrom, scope: Scope) -> None:
        for alias in node.names:
            if alias.name == "*":
                self.star_import = True
                continue
            bound = alias.asname or (alias.name.split(".")[0] if isinstance(node, ast.Import) else alias.name)
            self.parents[alias] = node
            self._stores.append((bound, scope, alias, "import", node))


def _enclosing_function(scope: Scope, name: str, module: Scope) -> Scope:
    """The scope a ``nonlocal name`` refers to: the nearest enclosing function that has it."""
    current: Scope | None = scope
    fallback = None
    while current is not None and current is not module:
        if current.kind != "class":
            if name in current.bindings or name in current.declared_nonlocal:
                return current
            fallback = fallback or current
        current = current.parent
    return fallback or scope


def _import_target(binding: Binding) -> str | None:
    alias, statement = binding.node, binding.statement
    if not isinstance(alias, ast.alias):
        return None
    if isinstance(statement, ast.Import):
        return alias.name if alias.asname is not None else alias.name.split(".")[0]
    if isinstance(statement, ast.ImportFrom):
        module = "." * statement.level + (statement.module or "")
        return f"{module}.{alias.name}" if not module.endswith(".") else module + alias.name
    return None
