"""One parsed module: its ``ast`` tree, a parent table, its functions and its scopes.

``ModuleIndex`` is what every analysis reads. It is built once per source (``ModuleIndex.of``
keeps the last few, so analysis, proposal and every ``apply`` on one source share one parse) and
never changed afterwards; ``cache`` memoizes facts derived from it. The analysis runs on ``ast``
(parsing and walking it costs a fraction of libcst's); rewrites run on libcst, whose nodes
``evolver.analysis.locate`` finds from the ``ast`` nodes' positions.
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from evolver.analysis import generated
from evolver.analysis.scopes import Binding, Resolution, Scope, Scopes
from evolver.analysis.tree import children as tree_children
from evolver.deep import deep
from evolver.errors import EvolverError

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
T = TypeVar("T", bound=ast.AST)
SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass(frozen=True, eq=False)
class FunctionInfo:
    """One ``def`` of the module. ``qualname`` is "func", "Class.method" or "outer.inner"; a name
    defined again in the same place gets "~2", "~3" so that every qualname is unique."""

    qualname: str
    node: FunctionNode
    cls: ast.ClassDef | None  # the class whose body defines it (then it is a method)
    top_level: bool  # a statement of the module body itself (not nested, not conditional)
    nested: bool  # defined inside another function

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef)


class ModuleIndex:
    """A parsed module with its parent table, functions and scopes (see the module docstring)."""

    _recent: ClassVar[OrderedDict[tuple[str, str], ModuleIndex]] = OrderedDict()

    @classmethod
    def of(cls, source: str, module: str) -> ModuleIndex:
        key = (module, source)
        if key in cls._recent:
            cls._recent.move_to_end(key)
            return cls._recent[key]
        index = cls(source, module)
        cls._recent[key] = index
        while len(cls._recent) > 4:
            cls._recent.popitem(last=False)
        return index

    @deep
    def __init__(self, source: str, module: str) -> None:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            raise EvolverError(f"{module}: not valid Python: {_first_line(exc)}") from exc
        self.module = module
        self.source = source
        self.tree = tree
        self.cache: dict[Any, Any] = {}  # derived facts and proofs, keyed by their kind
        # facts read from the syntax and the names alone (no annotation, no type), shared with the
        # indexes ``supposing`` other annotations: computed once per module, not once per supposition
        self.syntax: dict[Any, Any] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        self.scopes = Scopes(tree, self.parents)
        self.functions = _collect_functions(tree)
        self._by_qualname = {fn.qualname: fn for fn in self.functions}
        self._by_node = {fn.node: fn for fn in self.functions}
        self.star_import = self.scopes.star_import
        self._kids = self.scopes.kids

    # --- lookups ---------------------------------------------------------------------------

    def function(self, qualname: str) -> FunctionInfo | None:
        return self._by_qualname.get(qualname)

    def info(self, node: ast.AST) -> FunctionInfo:
        return self._by_node[node]  # type: ignore[index]

    def qualify(self, fn: FunctionInfo) -> str:
        return f"{self.module}:{fn.qualname}"

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def lines(self, fn: FunctionInfo) -> tuple[int, int]:
        """The line of the ``def`` keyword and the function's last line."""
        return fn.node.lineno, fn.node.end_lineno or fn.node.lineno

    def code(self, node: ast.AST, limit: int = 60) -> str:
        """The node's source text on one line, cut at ``limit`` characters."""
        text = self.segment(node) if hasattr(node, "end_lineno") else None
        text = " ".join((text if text is not None else ast.unparse(node)).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def segment(self, node: ast.AST) -> str | None:
        """The node's exact source text (``ast.get_source_segment``, without splitting the whole
        source again for every node)."""
        if "lines" not in self.cache:
            self.cache["lines"] = [line.encode("utf-8") for line in self.source.splitlines(keepends=True)]
        lines = self.cache["lines"]
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1  # type: ignore[attr-defined]
        start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        if end is None or not 0 <= first <= last < len(lines):
            return None
        if first == last:
            return lines[first][start:end].decode("utf-8", errors="replace")
        parts = [lines[first][start:], *lines[first + 1:last], lines[last][:end]]
        return b"".join(parts).decode("utf-8", errors="replace")

    def annotation(self, param: ast.arg) -> ast.expr | None:
        """The parameter's annotation (in an index ``supposing`` other annotations: the supposed one)."""
        return param.annotation

    def supposing(self, fn: FunctionInfo, types: dict[str, str]) -> ModuleIndex | None:
        """This module as if the parameters of ``fn`` named in ``types`` were annotated so (``{"n":
        "int"}``): the same parse, scopes and functions, with every fact derived afresh (its own
        ``cache``), so the cost is what the analysis of ``fn`` derives, not a new parse of the
        module. None when a name the annotations read is bound where the ``def`` stands (or a ``*``
        import may bind it): only the builtins are read the same without a parse of the annotated
        source (which would also count the annotation among that binding's uses)."""
        annotations = {}
        for param in [*fn.node.args.posonlyargs, *fn.node.args.args, *fn.node.args.kwonlyargs]:
            if param.arg in types:
                annotations[param] = _placed(ast.parse(types[param.arg], mode="eval").body, param)
        read = {n.id for expr in annotations.values() for n in ast.walk(expr) if isinstance(n, ast.Name)}
        outside = self.function_scope(fn).parent  # where the def evaluates its annotations
        if self.star_import or outside is None or any(self.scopes.lookup(name, outside) for name in read):
            return None
        return _Supposing(self, annotations)

    def names(self) -> frozenset[str]:
        """Every identifier a name of the module's code spells (read, stored or deleted)."""
        if "names" not in self.cache:
            self.cache["names"] = frozenset(n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name))
        return self.cache["names"]

    def enclosing_function(self, node: ast.AST) -> FunctionInfo | None:
        current = self.parent(node)
        while current is not None:
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return self.info(current)
            current = self.parent(current)
        return None

    # --- names -------------------------------------------------------------------------------

    def resolve(self, name: ast.Name) -> Resolution:
        return self.scopes.resolve(name)

    def resolve_store(self, node: ast.AST) -> Scope | None:
        """The scope a binding node (a stored Name, a def, an import alias...) binds in."""
        return self.scopes.store_scope.get(node)

    def binding(self, name: ast.Name) -> str:
        """"local", "param", "enclosing", "global", "import", "builtin", "class" or "unresolved"."""
        return self.scopes.resolve(name).kind

    def bindings(self, name: ast.Name) -> tuple[Binding, ...]:
        return self.scopes.resolve(name).bindings

    def global_bindings(self, name: str) -> tuple[Binding, ...]:
        """The module-level bindings of ``name`` (a bare ``X: int`` binds nothing: left out)."""
        return tuple(b for b in self.scopes.module.bindings.get(name, ()) if b.kind != "declare")

    def bound_once(self, name: str) -> bool:
        """Bound by exactly one statement of the module (or a ``global`` store), never deleted."""
        found = self.global_bindings(name)
        return len(found) == 1 and found[0].kind != "del" and not self.star_import

    def module_function(self, name: str) -> FunctionInfo | None:
        """The function a module-level name is bound to, when it is bound exactly once to a def."""
        if not self.bound_once(name):
            return None
        node = self.global_bindings(name)[0].node
        return self._by_node.get(node) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None

    def module_class(self, name: str) -> ast.ClassDef | None:
        if not self.bound_once(name):
            return None
        node = self.global_bindings(name)[0].node
        return node if isinstance(node, ast.ClassDef) else None

    def method(self, cls: ast.ClassDef, name: str) -> FunctionInfo | None:
        """A method defined once, directly in ``cls`` (inherited methods are not followed)."""
        found = [fn for fn in self.functions if fn.cls is cls and fn.name == name]
        return found[0] if len(found) == 1 else None

    def qualified_name(self, expr: ast.AST) -> str | None:
        """"math.sqrt", "builtins.print", ... for a name or attribute chain rooted at an import or
        a builtin; None for anything else or when the import is ambiguous."""
        attrs = []
        while isinstance(expr, ast.Attribute):
            attrs.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        base = self.scopes.import_target(expr)
        if base is None:
            base = self._alias(expr, frozenset())
        if base is None:
            return None
        return ".".join([base, *reversed(attrs)])

    def _alias(self, name: ast.Name, seen: frozenset[str]) -> str | None:
        """A module global bound once, by a plain top-level statement, to a library name
        (``get = urllib.request.urlopen``): under module-globals-private it is that name."""
        found = self.scopes.resolve(name)
        if found.kind != "global" or name.id in seen or not self.bound_once(name.id):
            return None
        statement = found.bindings[0].statement
        stands_for = generated.regex_helper(self, statement)  # evolver's own regex cache helper: re.<function>
        if stands_for is not None:
            return f"re.{stands_for}"
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and self.parent(statement) is self.tree):
            return None
        value, attrs = statement.value, []
        while isinstance(value, ast.Attribute):
            attrs.append(value.attr)
            value = value.value
        if not isinstance(value, ast.Name):
            return None
        base = self.scopes.import_target(value) or self._alias(value, seen | {name.id})
        return ".".join([base, *reversed(attrs)]) if base is not None else None

    def function_scope(self, fn: FunctionInfo) -> Scope:
        return self.scopes.of_node[fn.node]

    def function_scopes(self, fn: FunctionInfo) -> list[Scope]:
        """The function's own scope and every scope nested in it."""
        own = self.function_scope(fn)
        found, pending = [], [own]
        while pending:
            scope = pending.pop()
            found.append(scope)
            pending.extend(scope.children)
        return found

    # --- traversal --------------------------------------------------------------------------

    def children(self, node: ast.AST) -> list[ast.AST]:
        return self._kids.get(node, [])

    def walk(self, node: ast.AST) -> Iterator[ast.AST]:
        """``node`` and every node under it, in source order."""
        kids = self._kids
        stack = [node]
        while stack:
            current = stack.pop()
            yield current
            found = kids.get(current)
            if found:
                stack.extend(reversed(found))

    def own_nodes(self, fn: FunctionInfo | ast.AST, lambdas: bool = True) -> list[ast.AST]:
        """The nodes the function's body runs itself, in source order: not the bodies of functions
        and classes nested in it (their decorators, defaults and bases do run), nor of lambdas
        unless ``lambdas``."""
        node = fn.node if isinstance(fn, FunctionInfo) else fn
        key = ("own", node, lambdas)
        if key not in self.cache:
            kids = self._kids
            found: list[ast.AST] = []
            stack = list(reversed(node.body))  # type: ignore[attr-defined]
            while stack:
                current = stack.pop()
                found.append(current)
                if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    stack.extend(reversed([*current.decorator_list, current.args,
                                           *([current.returns] if current.returns else [])]))
                elif isinstance(current, ast.ClassDef):
                    stack.extend(reversed([*current.decorator_list, *current.bases, *current.keywords]))
                elif isinstance(current, ast.Lambda) and not lambdas:
                    stack.append(current.args)
                else:
                    stack.extend(reversed(kids.get(current, ())))
            self.cache[key] = found
        return self.cache[key]

    def own(self, fn: FunctionInfo, kind: type[T] | tuple[type[T], ...], lambdas: bool = True) -> list[T]:
        """The function's own nodes of one kind (see ``own_nodes``)."""
        key = ("own-kinds", fn.node, lambdas)
        if key not in self.cache:
            table: dict[type, list[ast.AST]] = {}
            for node in self.own_nodes(fn, lambdas):
                table.setdefault(type(node), []).append(node)
            self.cache[key] = table
        table = self.cache[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        return [n for k in kinds for n in table.get(k, ())]  # type: ignore[misc]


class _Supposing(ModuleIndex):
    """``ModuleIndex.supposing``: the module of ``base`` with other annotations on some parameters.
    It shares ``base``'s tree, scopes and functions (nothing of them is changed) and has its own
    cache, parent and children tables: the supposed annotations hang under their parameters there,
    where a parse of the annotated source would put them."""

    def __init__(self, base: ModuleIndex, annotations: dict[ast.arg, ast.expr]) -> None:
        vars(self).update(vars(base))
        self.cache = {}
        self._supposed = annotations
        self._new_nodes: set[ast.AST] = set()
        kids, parents = dict(base._kids), dict(base.parents)
        for param, expr in annotations.items():
            kids[param], parents[expr] = [expr], param
            pending: list[ast.AST] = [expr]
            while pending:
                node = pending.pop()
                self._new_nodes.add(node)
                found = [] if isinstance(node, ast.Name) else tree_children(node)
                if found:
                    kids[node] = found
                for child in found:
                    parents[child] = node
                    pending.append(child)
        self._kids, self.parents = kids, parents

    def annotation(self, param: ast.arg) -> ast.expr | None:
        return self._supposed.get(param, param.annotation)

    def segment(self, node: ast.AST) -> str | None:
        return ast.unparse(node) if node in self._new_nodes else super().segment(node)


def _placed(expr: ast.expr, param: ast.arg) -> ast.expr:
    """``expr`` (parsed alone) at the position it would have as ``param``'s annotation: over its
    annotation, or right after its name and ``": "``."""
    spot = param.annotation
    line, column = (spot.lineno, spot.col_offset) if spot is not None else (param.lineno, param.end_col_offset + 2)  # type: ignore[operator]
    for node in ast.walk(expr):
        if isinstance(node, ast.expr):
            node.lineno, node.end_lineno = node.lineno + line - 1, (node.end_lineno or node.lineno) + line - 1
            node.col_offset, node.end_col_offset = node.col_offset + column, (node.end_col_offset or 0) + column
    return expr


def _collect_functions(tree: ast.Module) -> tuple[FunctionInfo, ...]:
    found: list[FunctionInfo] = []
    seen: dict[str, int] = {}
    # (node, prefix, enclosing class, inside a function, a statement of the module body)
    stack: list[tuple[ast.AST, str, ast.ClassDef | None, bool, bool]] = [
        (statement, "", None, False, True) for statement in reversed(tree.body)]
    while stack:
        node, prefix, cls, nested, top = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + node.name
            seen[name] = seen.get(name, 0) + 1
            qualname = name if seen[name] == 1 else f"{name}~{seen[name]}"
            found.append(FunctionInfo(qualname, node, cls, top, nested))
            stack.extend((c, qualname + ".", None, True, False) for c in reversed(node.body))
        elif isinstance(node, ast.ClassDef):
            stack.extend((c, prefix + node.name + ".", node, nested, False) for c in reversed(node.body))
        elif isinstance(node, ast.stmt):
            stack.extend((c, prefix, cls, nested, False) for c in reversed(list(ast.iter_child_nodes(node)))
                         if isinstance(c, (ast.stmt, ast.excepthandler, ast.match_case)))
        elif isinstance(node, (ast.excepthandler, ast.match_case)):
            stack.extend((c, prefix, cls, nested, False) for c in reversed(node.body))  # type: ignore[union-attr]
    return tuple(found)


def _first_line(exc: BaseException) -> str:
    message = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
    line = getattr(exc, "lineno", None)
    return f"{str(message).splitlines()[0]}" + (f" (line {line})" if line else "")
