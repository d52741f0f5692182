"""The kinds a function's expressions provably have: one flow-insensitive inference.

A local variable gets everything bound to it anywhere in the function, and a list, set or dict
local everything added to it (a least fixpoint from "no value yet", so ``total = 0; total += x``
is typed); a parameter gets what its annotation *declares* (a subclass may stand in: never exact)
and its default; a module global bound once gets the kind of its value (a mutable one's items are
unknown: any code may add to them). Literals, displays, comprehensions and the catalogue's
builtins give exact kinds (``evolver.analysis.operators``). Anything else is unknown.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from evolver.analysis import annotations as annotated
from evolver.analysis import attributes, catalogue, operators
from evolver.analysis import kinds as k
from evolver.analysis.fixpoint import MAX_ROUNDS, provisional, solve
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.operators import findall_result
from evolver.analysis.scopes import Binding, Scope
from evolver.analysis.tree import constant_int, default_of, may_fall_off
from evolver.analysis.uses import Ref, binding_refs, use_where_run

SELF_ENTERING = frozenset({"file", "response", "socket"})  # ``with x as y``: ``__enter__`` returns x itself
CASTS = frozenset({"typing.cast", "typing_extensions.cast"})
CONSTANTS: dict[type, k.Type] = {int: k.INT, float: k.FLOAT, complex: k.COMPLEX, str: k.STR, bytes: k.BYTES,
                                 bool: k.BOOL, type(None): k.NONE}


def facts(index: ModuleIndex, fn: FunctionInfo | None, exact_params: bool = False) -> TypeFacts:
    """The (cached) type facts of one function (``None``: module-level code). ``exact_params``:
    take the parameters as exactly the builtins they are annotated with (a rewrite that checks
    ``type(x) is ...`` before relying on it)."""
    key = ("types", fn.node if fn is not None else None, exact_params)
    found = index.cache.get(key)
    if found is None:
        reads = provisional(index)
        start = len(reads)
        found = TypeFacts(index, fn, exact_params)
        if len(reads) == start:  # nothing it found depends on a return type still being computed
            index.cache[key] = found
    return found


class TypeFacts:
    def __init__(self, index: ModuleIndex, fn: FunctionInfo | None, exact_params: bool) -> None:
        self.index = index
        self.fn = fn
        self.exact_params = exact_params
        scopes = index.function_scopes(fn) if fn is not None else [index.scopes.module]
        self.variables: list[tuple[Scope, str]] = [(s, n) for s in scopes for n in s.bindings
                                                   if fn is not None or s is index.scopes.module]
        self.env: dict[tuple[Scope, str], k.Type] = dict.fromkeys(self.variables, k.EMPTY)
        self._memo: dict[ast.AST, k.Type] = {}
        self._solve()

    def _solve(self) -> None:
        if self.fn is None:  # module level: only globals bound once are used (see ``_global``)
            return
        for _ in range(MAX_ROUNDS):
            self._memo = {}
            changed = False
            for variable in self.variables:
                old = self.env[variable]
                new = k.union([old, self._variable(*variable)])
                if new != old:
                    self.env[variable] = new
                    changed = True
            if not changed:
                break
        else:
            self.env = dict.fromkeys(self.env, k.UNKNOWN)
        self._memo = {}

    # --- questions --------------------------------------------------------------------------------

    def of(self, expr: ast.AST) -> k.Type:
        """The kinds ``expr`` can evaluate to (when it does not raise)."""
        found = self._memo.get(expr)
        if found is None:
            reads = provisional(self.index)
            start = len(reads)
            found = self._of(expr)
            if len(reads) == start:
                self._memo[expr] = found
        return found

    def variable(self, scope: Scope, name: str) -> k.Type:
        if (scope, name) in self.env:
            return self.env[(scope, name)]
        owner = scope.owner.node
        if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return facts(self.index, self.index.info(owner)).variable(scope, name)
        return k.UNKNOWN

    def returns(self) -> k.Type:
        """What the function returns (``None`` for a bare ``return`` or the end of the body)."""
        assert self.fn is not None
        found = [self.of(n.value) if n.value is not None else k.NONE
                 for n in self.index.own(self.fn, ast.Return, lambdas=False)]
        return k.union(found + ([k.NONE] if may_fall_off(self.fn.node.body) else []))

    # --- variables --------------------------------------------------------------------------------

    def _variable(self, scope: Scope, name: str) -> k.Type:
        bindings = scope.bindings[name]
        value = k.union(self._binding(b) for b in bindings)
        if any(kind.base in k.MUTABLE and kind.exact for kind in value) and self.fn is not None:
            value = self._grown(bindings, value)
        return value

    def _grown(self, bindings: list[Binding], value: k.Type) -> k.Type:
        """A local list, set or dict holds what is added to it; anything, once it escapes."""
        refs = binding_refs(self.index, self.fn, tuple(bindings)) if self.fn is not None else None
        if refs is not None and self.fn is not None:  # flow-insensitive: what deferred code does counts, whenever it runs
            refs = [r if r.use != "escape" or r.at is not r.node or not isinstance(r.node, ast.Name)
                    else Ref(r.node, *use_where_run(self.index, self.fn, r.node)) for r in refs]
        if refs is None or any(r.use == "escape" or (r.use == "mutate" and not isinstance(r.at, ast.Call)
                                                     and not _deletion(r.at)) for r in refs):
            return k.forget_items(value)
        added, keys = [], []
        for ref in refs:
            if ref.use == "grow" or _inserts_key(ref.use, ref.at, value):
                item, key = self._added(ref.at)
                added.append(item)
                keys.append(key)
        return _with_added(value, added, keys)

    def _added(self, site: ast.AST) -> tuple[k.Type, k.Type]:
        """(the value, the key) a grow use puts in."""
        if isinstance(site, ast.Subscript) and isinstance(site.ctx, ast.Load):
            return k.EMPTY, self.of(site.slice)  # a defaultdict's missing key: its factory's value is known
        if isinstance(site, ast.Subscript):
            statement = self.index.parent(site)
            value = self.of(statement.value) if isinstance(statement, (ast.Assign, ast.AnnAssign)) and \
                statement.value is not None else k.UNKNOWN
            return value, self.of(site.slice)
        if not (isinstance(site, ast.Call) and isinstance(site.func, ast.Attribute)) or site.keywords \
                or any(isinstance(a, ast.Starred) for a in site.args):
            return k.UNKNOWN, k.UNKNOWN
        method, args = site.func.attr, site.args
        if method in ("append", "add", "appendleft") and len(args) == 1:
            found = self.of(args[0])
            return found, found
        if method == "insert" and len(args) == 2:
            return self.of(args[1]), k.UNKNOWN
        if method in ("extend", "extendleft") and len(args) == 1:
            found = k.elements(self.of(args[0]))
            return found, found
        if method == "setdefault" and len(args) == 2:
            return self.of(args[1]), self.of(args[0])
        return k.UNKNOWN, k.UNKNOWN

    def _binding(self, binding: Binding) -> k.Type:
        kind, node, statement = binding.kind, binding.node, binding.statement
        if kind == "param":
            return self._param(node)  # type: ignore[arg-type]
        if kind in ("declare", "del"):
            return k.EMPTY
        if binding.scope is self.index.scopes.module and self.fn is not None:
            return k.UNKNOWN  # a ``global`` store: the module's own question
        if kind == "augassign" and isinstance(statement, ast.AugAssign):
            return operators.binary(statement.op, self.variable(binding.scope, binding.name), self.of(statement.value))
        if kind in ("assign", "annassign", "walrus") and isinstance(statement, (ast.Assign, ast.AnnAssign,
                                                                                ast.NamedExpr)):
            if statement.value is None:
                return k.EMPTY
            return k.unpack(self.of(statement.value), _path(self.index, node, statement))
        if kind in ("for", "comprehension") and isinstance(statement, (ast.For, ast.AsyncFor, ast.comprehension)):
            if isinstance(statement, ast.AsyncFor) or getattr(statement, "is_async", False):
                return k.UNKNOWN
            return k.unpack(k.elements(self.of(statement.iter)), _path(self.index, node, statement))
        if kind == "with" and isinstance(statement, ast.withitem) and statement.optional_vars is node:
            managed = self.of(statement.context_expr)
            return managed if k.exactly(managed, SELF_ENTERING) else k.UNKNOWN
        return k.UNKNOWN  # except, import, def, class, match, a with target that is not the object

    def _param(self, arg: ast.arg) -> k.Type:
        function = self.index.parent(self.index.parent(arg) or arg)
        args = function.args if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else None
        found = annotated.declared(self.index, annotation := self.index.annotation(arg))
        if self.exact_params and self.fn is not None and function is self.fn.node:
            found = k.as_exact(found)
        if args is not None and arg is args.vararg:
            return k.of("tuple", items=found if annotation is not None else k.UNKNOWN)
        if args is not None and arg is args.kwarg:
            return k.of("dict", items=k.STR, values=found if annotation is not None else k.UNKNOWN)
        default = default_of(args, arg) if args is not None else None
        return k.union([found, self.of(default)]) if default is not None else found

    # --- expressions ------------------------------------------------------------------------------

    def _of(self, expr: ast.AST) -> k.Type:
        kind = type(expr)
        if kind is ast.Constant:
            return CONSTANTS.get(type(expr.value), k.UNKNOWN)  # type: ignore[attr-defined]
        if kind is ast.Name:
            return self._name(expr)  # type: ignore[arg-type]
        handler: Callable[[TypeFacts, ast.AST], k.Type] | None = _HANDLERS.get(kind)  # type: ignore[assignment]
        return handler(self, expr) if handler is not None else k.UNKNOWN

    def _name(self, name: ast.Name) -> k.Type:
        found = self.index.resolve(name)
        if found.kind in ("local", "param", "enclosing") and found.scope is not None:
            return self.variable(found.scope, name.id)
        if found.kind == "global":
            return self.global_type(name.id)
        return k.UNKNOWN

    def global_type(self, name: str) -> k.Type:
        """A module global bound once by a plain assignment at module level: its value's kind (a
        mutable one holds what the module's functions add to it; anything, once it escapes)."""
        return global_type(self.index, name)

    def _tuple(self, expr: ast.Tuple) -> k.Type:
        if any(isinstance(e, ast.Starred) for e in expr.elts):
            return k.of("tuple", items=k.union(self._element(e) for e in expr.elts))
        return k.of("tuple", parts=tuple(self.of(e) for e in expr.elts))

    def _element(self, expr: ast.AST) -> k.Type:
        return k.elements(self.of(expr.value)) if isinstance(expr, ast.Starred) else self.of(expr)

    def _display(self, expr: ast.List | ast.Set) -> k.Type:
        base = "list" if isinstance(expr, ast.List) else "set"
        return k.of(base, items=k.union(self._element(e) for e in expr.elts))

    def _dict(self, expr: ast.Dict) -> k.Type:
        keys, values = [], []
        for key, value in zip(expr.keys, expr.values):
            if key is None:  # **mapping
                inner = self.of(value)
                keys.append(k.elements(inner))
                values.append(k.values_of(inner))
            else:
                keys.append(self.of(key))
                values.append(self.of(value))
        return k.of("dict", items=k.union(keys), values=k.union(values))

    def _comprehension(self, expr: ast.AST) -> k.Type:
        if isinstance(expr, ast.DictComp):
            return k.of("dict", items=self.of(expr.key), values=self.of(expr.value))
        base = {ast.ListComp: "list", ast.SetComp: "set", ast.GeneratorExp: "generator"}[type(expr)]  # type: ignore[index]
        return k.of(base, items=self.of(expr.elt))  # type: ignore[attr-defined]

    def _binop(self, expr: ast.BinOp) -> k.Type:
        return operators.binary(expr.op, self.of(expr.left), self.of(expr.right))

    def _unaryop(self, expr: ast.UnaryOp) -> k.Type:
        return operators.unary(expr.op, self.of(expr.operand))

    def _compare(self, expr: ast.Compare) -> k.Type:
        return operators.compare(expr.ops, [self.of(expr.left), *(self.of(c) for c in expr.comparators)])

    def _boolop(self, expr: ast.BoolOp) -> k.Type:
        """``a or b`` gives ``a`` only when it is true (never None), ``a and b`` only when false."""
        parts = [self.of(v) for v in expr.values]
        if isinstance(expr.op, ast.Or):
            parts[:-1] = [frozenset(kind for kind in p if kind.base != "none") if k.known(p) else p
                          for p in parts[:-1]]
        return k.union(parts)

    def _ifexp(self, expr: ast.IfExp) -> k.Type:
        return k.union([self.of(expr.body), self.of(expr.orelse)])

    def _named(self, expr: ast.NamedExpr) -> k.Type:
        return self.of(expr.value)

    def _joined(self, expr: ast.JoinedStr) -> k.Type:
        """An f-string joining parts builds a new exact str; one lone ``{x}`` is ``format(x)``, which
        returns what ``x.__format__`` returns (a str subclass, maybe)."""
        if len(expr.values) == 1 and isinstance(expr.values[0], ast.FormattedValue):
            lone = expr.values[0]
            return k.STR if k.exactly(self.of(lone.value), k.SCALARS) and lone.format_spec is None \
                else k.declared(k.STR)
        return k.STR

    def _attribute(self, expr: ast.Attribute) -> k.Type:
        name = self.index.qualified_name(expr)
        found = catalogue.lookup(name) if name is not None else None
        if found is not None and not found.raises and found.result in ("float", "str", "int"):
            return k.of(found.result)  # math.pi, string.digits, sys.maxsize
        owner = attributes.self_class(self.index, expr.value) if isinstance(expr.value, ast.Name) else None
        if owner is not None:
            held = attributes.attribute_kinds(self.index, owner[0], expr.attr)
            if k.known(held):
                attributes.note_reader(self.index, self.fn)
            return held
        return k.UNKNOWN

    def _subscript(self, expr: ast.Subscript) -> k.Type:
        receiver = self.of(expr.value)
        if not receiver:
            return k.EMPTY
        if not k.known(receiver):
            return k.UNKNOWN
        if isinstance(expr.slice, ast.Slice):
            return k.union(k.sliced(kind) for kind in receiver)
        position = constant_int(expr.slice)
        return k.union(k.item_of(kind, position) for kind in receiver)

    def _call(self, expr: ast.Call) -> k.Type:
        if any(isinstance(a, ast.Starred) for a in expr.args) or any(w.arg is None for w in expr.keywords):
            return k.UNKNOWN
        args = [self.of(a) for a in expr.args]
        keywords = {w.arg: self.of(w.value) for w in expr.keywords if w.arg is not None}
        func = expr.func
        name = self.index.qualified_name(func)
        if name is not None:
            result = self._library_call(name, expr, args, keywords)
            return operators.stepped(name[9:], args, result) if name.startswith("builtins.") else result
        if isinstance(func, ast.Attribute) and func.attr == "__wrapped__" and isinstance(func.value, ast.Name) \
                and self.index.binding(func.value) == "global":
            return self._module_call(func.value.id, expr, args, keywords)  # a cached function's original
        if isinstance(func, ast.Attribute):
            return self._method(func, args, keywords)
        if isinstance(func, ast.Name) and self.index.binding(func) == "global":
            if len(args) == 1 and not keywords and annotated.newtype_base(self.index, func) is not None:
                from evolver.analysis.rebinding import rebinders  # rebinding reads types (through quiet)

                if not rebinders(self.index).of(func.id):
                    return args[0]  # a NewType returns its argument
            return self._module_call(func.id, expr, args, keywords)
        return k.UNKNOWN

    def _library_call(self, name: str, expr: ast.Call, args: list[k.Type], keywords: dict[str, k.Type]) -> k.Type:
        """What calling the function named ``name`` (a builtin or a stdlib function) gives."""
        if name in CASTS and len(expr.args) == 2 and not expr.keywords:
            return args[1]  # cast(T, v) returns v itself
        if name in ("builtins.enumerate", "builtins.zip"):
            return operators.enumerate_or_zip(name[9:], args)
        if name == "builtins.filter" and len(args) == 2:
            return k.of("iterator", items=k.elements(args[1]))
        if name == "builtins.str" and not args:
            return k.STR
        if name == "re.findall" and expr.args:
            return findall_result(expr.args[0], len(expr.args) > 2 or bool(keywords.get("flags")))
        if name == "collections.defaultdict" and len(expr.args) == 1 and not keywords:
            return k.of("defaultdict", items=k.EMPTY, values=self._made_by(expr.args[0]))
        found = catalogue.lookup(name)
        return operators.call_result(found.result, args, None, keywords) if found is not None else k.UNKNOWN

    def _made_by(self, factory: ast.AST) -> k.Type:
        """What calling a defaultdict's factory with no argument gives."""
        if isinstance(factory, ast.Lambda) and not factory.args.args:
            return self.of(factory.body)
        name = self.index.qualified_name(factory)
        found = catalogue.lookup(name) if name is not None and name.startswith("builtins.") else None
        return operators.call_result(found.result, [], None, {}) if found is not None else k.UNKNOWN

    def _method(self, func: ast.Attribute, args: list[k.Type], keywords: dict[str, k.Type]) -> k.Type:
        receiver = self.of(func.value)
        if not receiver:
            return k.EMPTY
        if not k.known(receiver):
            return k.UNKNOWN
        having = [kind for kind in receiver if not (kind.exact and catalogue.missing(kind.base, func.attr))]
        found = [catalogue.method(kind.base, func.attr) for kind in having]  # the others raise AttributeError
        if any(f is None for f in found):
            return k.UNKNOWN
        results = []
        for entry, kind in zip(found, having):
            result = operators.call_result(entry.result, args, frozenset({kind}), keywords)  # type: ignore[union-attr]
            # a subclass's method returns the builtin's kind or a subclass of it: declared, never exact
            results.append(result if kind.exact else k.declared(result))
        return k.union(results)

    def _module_call(self, name: str, call: ast.Call, args: list[k.Type], keywords: dict[str, k.Type]) -> k.Type:
        """A module function's result: what its body returns (never its annotation, a claim); for
        its annotated parameters exactly, when every argument is exactly what is annotated."""
        callee = self.index.module_function(name)
        if callee is None or callee.is_async or _generator(self.index, callee):
            return k.UNKNOWN
        if not args and not keywords:
            return returns(self.index, callee, exact=True)
        return returns(self.index, callee, exact=_exact_arguments(self.index, callee, args, keywords))


def _exact_arguments(index: ModuleIndex, fn: FunctionInfo, args: list[k.Type], keywords: dict[str, k.Type]) -> bool:
    """Every argument is exactly a builtin its parameter's annotation admits."""
    params = fn.node.args
    positional = [*params.posonlyargs, *params.args]
    if len(args) > len(positional) or params.vararg or params.kwarg:
        return False
    by_name = {p.arg: p for p in [*params.args, *params.kwonlyargs]}
    pairs = list(zip(positional, args)) + [(by_name.get(n), t) for n, t in keywords.items()]
    for param, given in pairs:
        if param is None or index.annotation(param) is None or not k.exact(given):
            return False
        if not k.bases(given) <= k.bases(annotated.declared(index, index.annotation(param))):
            return False
    return True


def returns(index: ModuleIndex, fn: FunctionInfo, exact: bool = False) -> k.Type:
    """What a function returns: a least fixpoint from "nothing yet", so a recursion (``fib`` adding
    two calls of itself, ``is_even`` and ``is_odd`` calling each other) gets its kind."""
    return solve(index, ("returns", fn.node, exact), lambda _: TypeFacts(index, fn, exact).returns())


def global_type(index: ModuleIndex, name: str) -> k.Type:
    """See ``TypeFacts.global_type``."""
    found = index.global_bindings(name)
    if not (index.bound_once(name) and found[0].kind in ("assign", "annassign")
            and index.enclosing_function(found[0].node) is None):
        return k.UNKNOWN
    statement = found[0].statement
    computing = index.cache.setdefault("global-values-in-progress", set())
    if name in computing:
        return k.UNKNOWN  # a cycle through module globals (`dict = dict`, `A = B; B = A`): unknown
    computing.add(name)
    try:
        value = k.unpack(facts(index, None).of(statement.value), _path(index, found[0].node, statement))  # type: ignore[attr-defined]
    finally:
        computing.discard(name)
    if not any(kind.base in k.MUTABLE for kind in value):
        return value
    return solve(index, ("global-type", name), lambda current: _global_contents(index, found[0], value, current))


def _global_contents(index: ModuleIndex, binding: Binding, value: k.Type, current: k.Type) -> k.Type:
    """A module's list, set or dict with what the module's functions add to it."""
    added, keys = [], []
    for read in binding.references:
        fn = index.enclosing_function(read)
        if fn is None:
            return k.forget_items(value)  # used at module level: not followed
        use, at = use_where_run(index, fn, read)
        if use == "escape" or (use == "mutate" and not isinstance(at, ast.Call) and not _deletion(at)):
            return k.forget_items(value)
        if use == "grow" or _inserts_key(use, at, value):
            item, key = facts(index, fn)._added(at)
            added.append(item)
            keys.append(key)
    return k.union([current, _with_added(value, added, keys)])


def _deletion(at: ast.AST) -> bool:
    """``del x[i]``: takes out, puts nothing in."""
    return isinstance(at, ast.Subscript) and isinstance(at.ctx, ast.Del)


def _inserts_key(use: str, at: ast.AST, value: k.Type) -> bool:
    """``d[key]`` read on a defaultdict inserts the key (with a value its factory makes)."""
    return use == "read" and isinstance(at, ast.Subscript) and isinstance(at.ctx, ast.Load) and any(
        kind.base == "defaultdict" for kind in value)


def _with_added(value: k.Type, added: list[k.Type], keys: list[k.Type]) -> k.Type:
    if not added:
        return value
    return frozenset(
        k.Kind(kind.base, kind.exact,
               k.union([kind.items or k.EMPTY, *(keys if kind.base in ("dict", "defaultdict") else added)]),
               k.union([kind.values or k.EMPTY, *added]) if kind.values is not None else None, None)
        if kind.base in k.MUTABLE else kind for kind in value)


_HANDLERS = {
    ast.Tuple: TypeFacts._tuple, ast.List: TypeFacts._display, ast.Set: TypeFacts._display,
    ast.Dict: TypeFacts._dict, ast.ListComp: TypeFacts._comprehension, ast.SetComp: TypeFacts._comprehension,
    ast.DictComp: TypeFacts._comprehension, ast.GeneratorExp: TypeFacts._comprehension,
    ast.BinOp: TypeFacts._binop, ast.UnaryOp: TypeFacts._unaryop, ast.Compare: TypeFacts._compare,
    ast.BoolOp: TypeFacts._boolop, ast.IfExp: TypeFacts._ifexp, ast.NamedExpr: TypeFacts._named,
    ast.JoinedStr: TypeFacts._joined, ast.Attribute: TypeFacts._attribute, ast.Subscript: TypeFacts._subscript,
    ast.Call: TypeFacts._call,
}




def _generator(index: ModuleIndex, fn: FunctionInfo) -> bool:
    return bool(index.own(fn, (ast.Yield, ast.YieldFrom), lambdas=False))






def _path(index: ModuleIndex, node: ast.AST, statement: ast.AST) -> list[tuple[int, int]] | None:
    """The positions to unpack on the way from ``statement``'s value to the target ``node`` (None:
    a starred target, whose part is a list)."""
    path: list[tuple[int, int]] = []
    current, parent = node, index.parent(node)
    while isinstance(parent, (ast.Tuple, ast.List)) and parent is not statement:
        if any(isinstance(e, ast.Starred) for e in parent.elts):
            return None
        path.append((parent.elts.index(current), len(parent.elts)))  # type: ignore[arg-type]
        current, parent = parent, index.parent(parent)
    if isinstance(parent, ast.Starred):
        return None
    return path[::-1]







