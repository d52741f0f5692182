"""Static facts about one module: its functions, name bindings and blocking calls (libcst), and
complexity, maintainability and line counts (radon).

``ModuleIndex`` is the parsed module with its libcst scopes and a parent table; the proofs in
``purity`` and the transforms read it. ``analyze_module`` turns it into the plain ``ModuleFacts`` the pipeline keeps.
"""

from __future__ import annotations

import ast
import builtins
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import libcst as cst
from libcst.metadata import (
    BaseAssignment,
    BuiltinAssignment,
    GlobalScope,
    ImportAssignment,
    MetadataWrapper,
    Scope,
    ScopeProvider,
)
from radon.complexity import cc_visit
from radon.metrics import h_visit_ast, mi_compute
from radon.raw import analyze
from radon.visitors import ComplexityVisitor

from evolver.deep import deep
from evolver.errors import EvolverError
from evolver.model import FunctionFacts, ModuleFacts

Binding = Literal["local", "param", "import", "builtin", "global", "unresolved"]

# Calls that block the calling thread on I/O (qualified names; a prefix ends with a dot).
BLOCKING_CALLS = frozenset({
    "builtins.open", "builtins.input", "io.open", "time.sleep", "os.read", "os.write",
    "select.select", "subprocess.run", "subprocess.check_output", "subprocess.call",
    "subprocess.check_call", "shutil.copyfile", "shutil.copy", "shutil.copytree",
})
NETWORK_PREFIXES = ("socket.", "ssl.", "urllib.request.", "http.client.", "requests.", "httpx.",
                    "ftplib.", "smtplib.", "xmlrpc.client.")
BLOCKING_PREFIXES = NETWORK_PREFIXES
BLOCKING_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes"})

# Module attributes every module has; reading them is reading a constant.
MODULE_DUNDERS = frozenset({"__name__", "__file__", "__doc__", "__package__", "__spec__"})

_OPAQUE = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})  # exact types: isinstance on ABCs is slow


@dataclass(frozen=True, eq=False)
class FunctionInfo:
    """One ``def`` of the module. ``qualname`` is "func", "Class.method" or "outer.inner"; a name
    defined again in the same place gets "~2", "~3" so that every qualname is unique."""

    qualname: str
    node: cst.FunctionDef
    cls: cst.ClassDef | None  # the class whose body defines it (then it is a method)
    top_level: bool  # a statement of the module body itself (not nested, not conditional)
    nested: bool  # defined inside another function

    @property
    def name(self) -> str:
        return self.node.name.value

    @property
    def is_async(self) -> bool:
        return self.node.asynchronous is not None


@dataclass
class FunctionScan:
    """What one function's code does, nested functions, lambdas and comprehensions included."""

    accesses: list[tuple[cst.Name, Binding]] = field(default_factory=list)
    calls: list[cst.Call] = field(default_factory=list)
    stores: list[cst.BaseExpression] = field(default_factory=list)  # attribute/subscript targets
    declarations: list[cst.Global | cst.Nonlocal] = field(default_factory=list)
    raises: list[cst.Raise] = field(default_factory=list)
    yields: int = 0  # in the function's own body (nested functions excluded)
    awaits: int = 0


class ModuleIndex:
    """A parsed module, its libcst scopes, a parent table and a table of its functions.

    Build it with ``ModuleIndex.of``: the last few are kept, so analysis, proposal and every
    ``apply`` on the same source share one parse. It is never changed once built (rewrites make
    new trees); ``cache`` only memoizes what is derived from it.
    """

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
            tree = cst.parse_module(source)
            syntax = ast.parse(source)
        except (cst.ParserSyntaxError, SyntaxError, ValueError) as exc:
            raise EvolverError(f"{module}: not valid Python: {_first_line(exc)}") from exc
        self.module = module
        self.source = source
        self.cache: dict[Any, Any] = {}  # derived facts and proofs, keyed by their kind
        wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
        self.tree: cst.Module = wrapper.module
        self._scopes = wrapper.resolve(ScopeProvider)
        table = _ParentTable()
        self.tree.visit(table)
        self._parents, self._children = table.parents, table.children
        self.global_scope = self._scopes[self.tree]
        self.functions = _collect_functions(self.tree, self.children)
        self._def_lines = _def_lines(syntax, self.functions)
        self._by_qualname = {fn.qualname: fn for fn in self.functions}
        self._by_node = {id(fn.node): fn for fn in self.functions}
        self._all_scopes = list({id(s): s for s in self._scopes.values() if s is not None}.values())
        self.star_import = any(isinstance(n, cst.ImportFrom) and isinstance(n.names, cst.ImportStar)
                               for n in self.walk(self.tree))
        self.deleted = frozenset(self._deleted_globals())

    # --- lookups -------------------------------------------------------------------------

    def function(self, qualname: str) -> FunctionInfo | None:
        return self._by_qualname.get(qualname)

    def info(self, node: cst.FunctionDef) -> FunctionInfo:
        return self._by_node[id(node)]

    def qualify(self, fn: FunctionInfo) -> str:
        return f"{self.module}:{fn.qualname}"

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._parents.get(node)

    def lines(self, fn: FunctionInfo) -> tuple[int, int]:
        """The line of the ``def`` keyword and the function's last line."""
        return self._def_lines[id(fn.node)]

    def order(self, node: cst.CSTNode) -> int:
        """The node's position in a pre-order walk of the module (source order)."""
        if "order" not in self.cache:
            self.cache["order"] = {id(n): i for i, n in enumerate(self.walk(self.tree))}
        return self.cache["order"][id(node)]

    def after(self, node: cst.CSTNode, region: cst.CSTNode) -> bool:
        """Whether ``node`` comes after everything in ``region``."""
        last = region
        while self.children(last):
            last = self.children(last)[-1]
        return self.order(node) > self.order(last)

    def scope(self, node: cst.CSTNode) -> Scope | None:
        return self._scopes.get(node)

    def code(self, node: cst.CSTNode, limit: int = 60) -> str:
        text = " ".join(self.tree.code_for_node(node).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def enclosing_function(self, node: cst.CSTNode) -> FunctionInfo | None:
        current = self.parent(node)
        while current is not None:
            if isinstance(current, cst.FunctionDef):
                return self.info(current)
            current = self.parent(current)
        return None

    def function_scopes(self, fn: FunctionInfo) -> list[Scope]:
        """The function's own scope and every scope nested in it."""
        key = ("scopes", id(fn.node))
        if key not in self.cache:
            own = self._scopes[fn.node.body]
            self.cache[key] = [s for s in self._all_scopes if _within(s, own)]
        return self.cache[key]

    # --- bindings -------------------------------------------------------------------------

    def assignments(self, name: cst.Name) -> tuple[BaseAssignment, ...]:
        scope = self.scope(name)
        if scope is None:
            return ()
        return tuple(scope[name.value])

    def binding(self, name: cst.Name) -> Binding:
        found = self.assignments(name)
        if not found:
            return "builtin" if name.value in MODULE_DUNDERS else "unresolved"
        if any(isinstance(a, BuiltinAssignment) for a in found):
            return "builtin"
        if any(isinstance(a, ImportAssignment) for a in found):
            return "import"
        if all(isinstance(a.scope, GlobalScope) for a in found):
            return "global"
        if any(isinstance(getattr(a, "node", None), cst.Param) for a in found):
            return "param"
        return "local"

    def global_assignments(self, name: str) -> tuple[BaseAssignment, ...]:
        return tuple(self.global_scope.assignments[name])

    def bound_once(self, name: str) -> bool:
        return len(self.global_assignments(name)) == 1 and name not in self.deleted and not self.star_import

    def module_function(self, name: str) -> FunctionInfo | None:
        """The function a module-level name is bound to, when it is bound exactly once to a def."""
        if not self.bound_once(name):
            return None
        node = getattr(self.global_assignments(name)[0], "node", None)
        if isinstance(node, cst.FunctionDef):
            return self.info(node)
        return None

    def module_class(self, name: str) -> cst.ClassDef | None:
        if not self.bound_once(name):
            return None
        node = getattr(self.global_assignments(name)[0], "node", None)
        return node if isinstance(node, cst.ClassDef) else None

    def method(self, cls: cst.ClassDef, name: str) -> FunctionInfo | None:
        """A method defined once, directly in ``cls`` (inherited methods are not followed)."""
        found = [fn for fn in self.functions if fn.cls is cls and fn.name == name]
        return found[0] if len(found) == 1 else None

    def qualified_name(self, expr: cst.BaseExpression) -> str | None:
        """"math.sqrt", "builtins.print", ... for a name or attribute chain rooted at an import or
        a builtin; None for anything else or when the import is ambiguous."""
        attrs = []
        while isinstance(expr, cst.Attribute):
            attrs.append(expr.attr.value)
            expr = expr.value
        if not isinstance(expr, cst.Name):
            return None
        binding = self.binding(expr)
        if binding == "builtin":
            base = f"builtins.{expr.value}"
        elif binding == "import":
            targets = {_import_target(a, expr.value) for a in self.assignments(expr)}
            if len(targets) != 1 or None in targets:
                return None
            base = str(targets.pop())
        else:
            return None
        return ".".join([base, *reversed(attrs)])

    def quoted_name(self, text: str) -> str | None:
        """The qualified name of a quoted annotation naming a builtin or an imported name."""
        if not text.isidentifier():
            return None
        found = self.global_assignments(text)
        if not found:
            return f"builtins.{text}" if hasattr(builtins, text) else None
        targets = {_import_target(a, text) for a in found}
        return targets.pop() if len(targets) == 1 else None

    def chain_top(self, name: cst.Name) -> cst.BaseExpression:
        """The longest attribute chain ``name.a.b`` that starts at ``name``."""
        node: cst.BaseExpression = name
        parent = self.parent(node)
        while isinstance(parent, cst.Attribute) and parent.value is node:
            node = parent
            parent = self.parent(node)
        return node

    def is_called(self, expr: cst.BaseExpression) -> bool:
        parent = self.parent(expr)
        return isinstance(parent, cst.Call) and parent.func is expr

    # --- traversal (libcst's ``children`` re-visits the node; this uses the parent table) ------

    def children(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        return self._children.get(id(node), [])

    def walk(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        """Every node under ``node`` (itself included), in source order."""
        stack = [node]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(self.children(current)))

    def own_nodes(self, fn: cst.FunctionDef, lambdas: bool = True) -> Iterator[cst.CSTNode]:
        """The nodes of a function's body, without the bodies of functions and classes nested in
        it (nor of lambdas, unless ``lambdas``)."""
        key = ("own", id(fn), lambdas)
        if key not in self.cache:
            self.cache[key] = list(self._own_nodes(fn, lambdas))
        return iter(self.cache[key])

    def _own_nodes(self, fn: cst.FunctionDef, lambdas: bool) -> Iterator[cst.CSTNode]:
        stack: list[cst.CSTNode] = [fn.body]
        while stack:
            current = stack.pop()
            yield current
            kind = type(current)
            if kind is cst.FunctionDef or kind is cst.ClassDef or (not lambdas and kind is cst.Lambda):
                continue
            stack.extend(reversed(self.children(current)))

    # --- scans ----------------------------------------------------------------------------

    def scan(self, fn: FunctionInfo) -> FunctionScan:
        key = ("scan", fn.qualname)
        if key not in self.cache:
            self.cache[key] = self._scan(fn)
        return self.cache[key]

    def _scan(self, fn: FunctionInfo) -> FunctionScan:
        scan = FunctionScan()
        for scope in self.function_scopes(fn):
            for access in scope.accesses:
                if isinstance(access.node, cst.Name) and not (access.is_annotation or access.is_type_hint):
                    scan.accesses.append((access.node, self.binding(access.node)))
        for node in self.walk(fn.node.body):
            _record(node, scan)
        own = [type(n) for n in self.own_nodes(fn.node, lambdas=False)]
        scan.yields = own.count(cst.Yield)
        scan.awaits = own.count(cst.Await)
        return scan

    def _deleted_globals(self) -> Iterator[str]:
        for node in self.walk(self.tree):
            if isinstance(node, cst.Del):
                for target in flatten_targets(node.target):
                    if isinstance(target, cst.Name) and any(
                        isinstance(a.scope, GlobalScope) for a in self.assignments(target)
                    ):
                        yield target.value


class _ParentTable(cst.CSTVisitor):
    """Parent and ordered children of every node, in one walk (libcst's ``children`` property
    re-visits a node each time it is read)."""

    def __init__(self) -> None:
        super().__init__()
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.children: dict[int, list[cst.CSTNode]] = {}
        self._stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self._stack:
            parent = self._stack[-1]
            self.parents[node] = parent
            self.children.setdefault(id(parent), []).append(node)
        self._stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self._stack.pop()


def _import_target(assignment: BaseAssignment, name: str) -> str | None:
    """What an import binds ``name`` to: "os" for ``import os.path``, "a.b" for ``import a.b as
    name``, ".pkg.f" for ``from .pkg import f``."""
    node = getattr(assignment, "node", None)
    if isinstance(node, cst.Import):
        for alias in node.names:
            dotted = _dotted(alias.name)
            if alias.asname is not None and _dotted(alias.asname.name) == name:
                return dotted
            if alias.asname is None and dotted.split(".")[0] == name:
                return name
    elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
        module = "." * len(node.relative) + (_dotted(node.module) if node.module is not None else "")
        for alias in node.names:
            bound = _dotted(alias.asname.name) if alias.asname is not None else _dotted(alias.name)
            if bound == name:
                return f"{module}.{_dotted(alias.name)}" if not module.endswith(".") else module + _dotted(alias.name)
    return None


def _dotted(expr: cst.BaseExpression) -> str:
    if isinstance(expr, cst.Attribute):
        return f"{_dotted(expr.value)}.{expr.attr.value}"
    return expr.value if isinstance(expr, cst.Name) else ""


def _first_line(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    line = getattr(exc, "raw_line", None) or getattr(exc, "lineno", None)
    return f"{str(message).splitlines()[0]}" + (f" (line {line})" if line else "")


def _def_lines(syntax: ast.Module, functions: tuple[FunctionInfo, ...]) -> dict[int, tuple[int, int]]:
    """``def`` and last lines from ``ast`` (libcst's position metadata costs a full code
    generation); both list functions in the same pre-order."""
    found: list[tuple[int, int]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((child.lineno, child.end_lineno or child.lineno))
            visit(child)

    visit(syntax)
    if len(found) != len(functions):
        raise EvolverError("libcst and ast disagree on the module's functions")
    return {id(fn.node): lines for fn, lines in zip(functions, found)}


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` (itself included), in source order; for small nodes outside an
    index (``ModuleIndex.walk`` is the fast way)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def chain_root(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``a`` for ``a.b.c``, ``a[i].b`` and ``a.b(...)``'s func: the object the chain starts from."""
    while isinstance(expr, (cst.Attribute, cst.Subscript)):
        expr = expr.value
    return expr


def flatten_targets(target: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    if isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from flatten_targets(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from flatten_targets(target.value)
    else:
        yield target


def store_targets(node: cst.CSTNode) -> Iterator[cst.BaseExpression]:
    """The expressions a statement or clause binds, stores into or deletes."""
    if isinstance(node, cst.Assign):
        for target in node.targets:
            yield from flatten_targets(target.target)
    elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.Del, cst.For, cst.CompFor, cst.NamedExpr)):
        yield from flatten_targets(node.target)
    elif isinstance(node, cst.WithItem) and node.asname is not None:
        yield from flatten_targets(node.asname.name)


_BINDERS = frozenset({cst.Assign, cst.AugAssign, cst.AnnAssign, cst.Del, cst.For, cst.CompFor, cst.NamedExpr,
                      cst.WithItem})


def _record(node: cst.CSTNode, scan: FunctionScan) -> None:
    kind = type(node)
    if kind is cst.Call:
        scan.calls.append(node)  # type: ignore[arg-type]
    elif kind is cst.Global or kind is cst.Nonlocal:
        scan.declarations.append(node)  # type: ignore[arg-type]
    elif kind is cst.Raise:
        scan.raises.append(node)  # type: ignore[arg-type]
    elif kind in _BINDERS:
        scan.stores.extend(t for t in store_targets(node) if isinstance(t, (cst.Attribute, cst.Subscript)))


def _within(scope: Scope, outer: Scope) -> bool:
    current: Scope | None = scope
    while current is not None and not isinstance(current, GlobalScope):
        if current is outer:
            return True
        current = current.parent
    return False


def _collect_functions(tree: cst.Module, children: Callable[[cst.CSTNode], list[cst.CSTNode]]) -> tuple[FunctionInfo, ...]:
    found: list[FunctionInfo] = []
    seen: dict[str, int] = {}

    def visit(node: cst.CSTNode, prefix: str, cls: cst.ClassDef | None, nested: bool) -> None:
        for child in children(node):
            if isinstance(child, cst.FunctionDef):
                name = prefix + child.name.value
                seen[name] = seen.get(name, 0) + 1
                qualname = name if seen[name] == 1 else f"{name}~{seen[name]}"
                found.append(FunctionInfo(qualname, child, cls, node is tree, nested))
                visit(child.body, qualname + ".", None, True)
            elif isinstance(child, cst.ClassDef):
                visit(child.body, prefix + child.name.value + ".", child, nested)
            else:
                visit(child, prefix, cls, nested)

    visit(tree, "", None, False)
    return tuple(found)


# --- facts -------------------------------------------------------------------------------


def blocking_call(index: ModuleIndex, call: cst.Call) -> str | None:
    """The qualified name of a blocking I/O call, or None."""
    name = index.qualified_name(call.func)
    if name is not None and (name in BLOCKING_CALLS or name.startswith(BLOCKING_PREFIXES)):
        return name
    if isinstance(call.func, cst.Attribute) and call.func.attr.value in BLOCKING_METHODS:
        return f"pathlib.Path.{call.func.attr.value}"
    return None


def loop_depth(index: ModuleIndex, fn: cst.FunctionDef) -> int:
    """The deepest nesting of loops (for, while, comprehension clauses) in the function's own body."""

    def depth(node: cst.CSTNode) -> int:
        kind = type(node)
        if kind in _OPAQUE:
            return 0
        inner = max((depth(c) for c in index.children(node)), default=0)
        return inner + (1 if kind is cst.For or kind is cst.While else _comp_loops(node))

    key = ("loop_depth", id(fn))
    if key not in index.cache:
        index.cache[key] = max((depth(c) for c in index.children(fn.body)), default=0)
    return index.cache[key]


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _comp_loops(node: cst.CSTNode) -> int:
    if type(node) not in _COMPREHENSIONS:
        return 0
    count, clause = 0, node.for_in
    while clause is not None:
        count, clause = count + 1, clause.inner_for_in
    return count


def is_recursive(index: ModuleIndex, fn: FunctionInfo) -> bool:
    """Whether the function calls itself by name (``f(...)``, or ``self.f(...)`` in a method)."""
    key = ("recursive", fn.qualname)
    if key not in index.cache:
        index.cache[key] = _calls_itself(index, fn)
    return index.cache[key]


def _calls_itself(index: ModuleIndex, fn: FunctionInfo) -> bool:
    for node in index.own_nodes(fn.node):
        if not isinstance(node, cst.Call):
            continue
        func = node.func
        if isinstance(func, cst.Name) and any(getattr(a, "node", None) is fn.node for a in index.assignments(func)):
            return True
        if (fn.cls is not None and isinstance(func, cst.Attribute) and func.attr.value == fn.name
                and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls")):
            return True
    return False


def _radon_complexity(source: str, module: str) -> dict[int, int]:
    try:
        blocks = cc_visit(source)
    except SyntaxError as exc:
        raise EvolverError(f"{module}: radon cannot parse it: {exc}") from exc
    found: dict[int, int] = {}
    pending: list[Any] = list(blocks)
    while pending:
        block = pending.pop()
        if hasattr(block, "methods"):  # a class
            pending.extend(block.methods)
            pending.extend(getattr(block, "inner_classes", []))
        else:
            found[block.lineno] = block.complexity
            pending.extend(getattr(block, "closures", []))
    return found


def complexity_by_line(index: ModuleIndex) -> dict[int, int]:
    """Radon's cyclomatic complexity of every function, by the line of its ``def``."""
    if "complexity" not in index.cache:
        index.cache["complexity"] = _radon_complexity(index.source, index.module)
    return index.cache["complexity"]


def function_facts(index: ModuleIndex, fn: FunctionInfo, complexity: dict[int, int]) -> FunctionFacts:
    start, end = index.lines(fn)
    io_calls = sorted({name for node in index.own_nodes(fn.node) if isinstance(node, cst.Call)
                       if (name := blocking_call(index, node)) is not None})
    return FunctionFacts(
        qualname=index.qualify(fn), lineno=start, end_lineno=end,
        complexity=complexity.get(start, 1), loc=end - start + 1, loop_depth=loop_depth(index, fn.node),
        is_recursive=is_recursive(index, fn), io_calls=tuple(io_calls),
    )


@deep
def analyze_module(source: str, module: str) -> ModuleFacts:
    """Radon's complexity, maintainability and line counts plus libcst facts for every function."""
    index = ModuleIndex.of(source, module)
    complexity = complexity_by_line(index)
    raw = analyze(source)  # quadratic in long implicit string concatenations: run it once
    functions = tuple(function_facts(index, fn, complexity) for fn in index.functions)
    return ModuleFacts(module=module, loc=raw.loc, sloc=raw.sloc,
                       maintainability=maintainability(source, raw), functions=functions)


def maintainability(source: str, raw: Any) -> float:
    """radon's maintainability index (``mi_visit(source, multi=True)``) from raw metrics already
    computed: radon's own ``mi_visit`` would analyse the raw metrics a second time."""
    tree = ast.parse(source)
    comments = (raw.comments + raw.multi) / float(raw.sloc) * 100 if raw.sloc else 0
    return float(mi_compute(h_visit_ast(tree).total.volume, ComplexityVisitor.from_ast(tree).total_complexity,
                            raw.lloc, comments))
