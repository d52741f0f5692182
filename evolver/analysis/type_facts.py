"""The builtin types a function's expressions provably have: a small, flow-insensitive inference
over the type algebra of ``value_types``.

A local gets the union of everything bound to it anywhere in the function (a least fixpoint over
its assignments, so ``total = 0; total += x`` is typed); a parameter trusts its annotation (as
memoize does); an immutable module constant gets the type of its value; every other name is
unknown.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import Assignment, BaseAssignment

from evolver.analysis import legacy_purity as purity
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.analysis.value_types import (
    BOOL,
    BYTES,
    COMPLEX,
    EMPTY,
    FLOAT,
    INT,
    MATH_BOOL,
    MATH_FLOAT,
    MATH_INT,
    MODULE_CONSTANTS,
    NONE,
    NUMBERS,
    STR,
    STR_TO_BOOL,
    STR_TO_INT,
    STR_TO_STR,
    UNKNOWN,
    Kind,
    Types,
    annotation,
    binary,
    concrete,
    elements,
    empty,
    iterable_concrete,
    of_kind,
    op_name,
    union,
    within,
)

MAX_ROUNDS = 60


def facts(index: ModuleIndex, fn: FunctionInfo) -> TypeFacts:
    """The (cached) type facts of one function."""
    key = ("type_facts", fn.qualname)
    if key not in index.cache:
        index.cache[key] = TypeFacts(index, fn)
    return index.cache[key]


class TypeFacts:
    """The types of one function's locals (a least fixpoint) and of any expression in it."""

    def __init__(self, index: ModuleIndex, fn: FunctionInfo) -> None:
        self.index = index
        self.fn = fn
        self.assignments = [a for scope in index.function_scopes(fn) for a in scope.assignments]
        self.env: dict[int, Types] = {id(a): EMPTY for a in self.assignments}
        self._globals: dict[str, Types] = {}
        self._solve()

    def _solve(self) -> None:
        for _ in range(MAX_ROUNDS):
            changed = False
            for assignment in self.assignments:
                old = self.env[id(assignment)]
                new = union([old, self._bound(assignment)])
                if new != old:
                    self.env[id(assignment)] = new
                    changed = True
            if not changed:
                return
        self.env = dict.fromkeys(self.env, UNKNOWN)

    # --- names -----------------------------------------------------------------------------

    def name(self, name: cst.Name) -> Types:
        if name.value in ("True", "False"):
            return BOOL
        if name.value == "None":
            return NONE
        found = self.index.assignments(name)
        if not found:
            return UNKNOWN
        parts = []
        for assignment in found:
            if id(assignment) in self.env:
                parts.append(self.env[id(assignment)])
            elif self.index.binding(name) == "global":
                parts.append(self._global(name.value))
            else:
                return UNKNOWN
        return union(parts)

    def _global(self, name: str) -> Types:
        if name not in self._globals:
            self._globals[name] = UNKNOWN
            if purity.constant_reason(self.index, name) is None:
                value = purity.bound_value(self.index, self.index.global_assignments(name)[0])
                if value is not None:
                    self._globals[name] = self.of(value)
        return self._globals[name]

    def _bound(self, assignment: BaseAssignment) -> Types:
        """What one binding of a local can put into it."""
        node = getattr(assignment, "node", None)
        if not isinstance(assignment, Assignment):
            return UNKNOWN
        if isinstance(node, cst.Param):
            return self._param(node)
        if not isinstance(node, cst.Name):
            return UNKNOWN
        root, path = self._target_path(node)
        if path is None:
            return UNKNOWN
        value = self._target_value(root)
        for position, size in path:
            value = union(_unpack(kind, position, size) for kind in value)
        return value

    def _target_path(self, node: cst.Name) -> tuple[cst.CSTNode, list[tuple[int, int]] | None]:
        """The target that binds ``node`` and the positions to unpack on the way down."""
        path: list[tuple[int, int]] = []
        current: cst.CSTNode = node
        parent = self.index.parent(current)
        while isinstance(parent, cst.Element):
            container = self.index.parent(parent)
            if not isinstance(container, (cst.Tuple, cst.List)):
                return current, None
            if any(isinstance(e, cst.StarredElement) for e in container.elements):
                return current, None
            position = next(i for i, e in enumerate(container.elements) if e is parent)
            path.append((position, len(container.elements)))
            current, parent = container, self.index.parent(container)
        if isinstance(parent, cst.StarredElement):
            return current, None
        return current, path[::-1]

    def _target_value(self, target: cst.CSTNode) -> Types:
        parent = self.index.parent(target)
        if isinstance(parent, cst.AssignTarget):
            statement = self.index.parent(parent)
            return self.of(statement.value) if isinstance(statement, cst.Assign) else UNKNOWN
        if isinstance(parent, cst.AnnAssign) and parent.target is target:
            return self.of(parent.value) if parent.value is not None else EMPTY
        if isinstance(parent, cst.AugAssign) and isinstance(target, cst.Name):
            return self.augmented(parent, self.name(target))
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is target:
            return elements(self.of(parent.iter))
        if isinstance(parent, cst.NamedExpr) and parent.target is target:
            return self.of(parent.value)
        return UNKNOWN

    def augmented(self, node: cst.AugAssign, current: Types) -> Types:
        op = op_name(node.operator)
        value = self.of(node.value)
        if op == "Add" and within(current, ("list",)):
            return of_kind("list", union([elements(current), elements(value)]))
        return binary(op, current, value)

    def _param(self, param: cst.Param) -> Types:
        if param.annotation is None:
            found = UNKNOWN
        else:
            found = annotation(self.index, param.annotation.annotation)
        if param.star == "*":
            found = of_kind("tuple...", found)
        elif param.star == "**":
            found = of_kind("dict", STR, found)
        if param.default is not None:
            found = union([found, self.of(param.default)])
        return found

    # --- expressions -----------------------------------------------------------------------

    def of(self, expr: cst.BaseExpression) -> Types:
        """The types ``expr`` can evaluate to (when it does not raise)."""
        kind = type(expr)
        literal = LITERALS.get(kind)
        if literal is not None:
            return literal
        if kind is cst.SimpleString:
            return BYTES if "b" in expr.prefix.lower() else STR  # type: ignore[attr-defined]
        if kind is cst.ConcatenatedString:
            return self.of(expr.left)  # type: ignore[attr-defined]
        if kind is cst.Name:
            return self.name(expr)  # type: ignore[arg-type]
        handler = _HANDLERS.get(kind)
        return handler(self, expr) if handler is not None else UNKNOWN

    def _tuple(self, expr: cst.Tuple) -> Types:
        if any(not isinstance(e, cst.Element) for e in expr.elements):
            return of_kind("tuple...", UNKNOWN)
        return of_kind("tuple", *(self.of(e.value) for e in expr.elements))

    def _display(self, expr: cst.List | cst.Set) -> Types:
        tag = "list" if isinstance(expr, cst.List) else "set"
        if any(not isinstance(e, cst.Element) for e in expr.elements):
            return of_kind(tag, UNKNOWN)
        return of_kind(tag, union(self.of(e.value) for e in expr.elements))

    def _dict(self, expr: cst.Dict) -> Types:
        if any(not isinstance(e, cst.DictElement) for e in expr.elements):
            return of_kind("dict", UNKNOWN, UNKNOWN)
        keys = union(self.of(e.key) for e in expr.elements)  # type: ignore[union-attr]
        return of_kind("dict", keys, union(self.of(e.value) for e in expr.elements))

    def _comprehension(self, expr: cst.BaseExpression) -> Types:
        if isinstance(expr, cst.DictComp):
            return of_kind("dict", self.of(expr.key), self.of(expr.value))
        tag = {cst.ListComp: "list", cst.SetComp: "set", cst.GeneratorExp: "iterable"}[type(expr)]
        return of_kind(tag, self.of(expr.elt))  # type: ignore[attr-defined]

    def _binary(self, expr: cst.BinaryOperation) -> Types:
        return binary(op_name(expr.operator), self.of(expr.left), self.of(expr.right))

    def _unary(self, expr: cst.UnaryOperation) -> Types:
        operand = self.of(expr.expression)
        if isinstance(expr.operator, cst.Not):
            return BOOL
        if empty(operand):
            return EMPTY
        if isinstance(expr.operator, cst.BitInvert):
            return INT if within(operand, ("int", "bool")) else UNKNOWN
        if within(operand, ("int", "bool")):
            return INT
        return operand if within(operand, ("float", "complex")) else UNKNOWN

    def _comparison(self, expr: cst.Comparison) -> Types:
        operands = [expr.left, *(c.comparator for c in expr.comparisons)]
        plain = all(isinstance(c.operator, (cst.In, cst.NotIn, cst.Is, cst.IsNot)) for c in expr.comparisons)
        if plain:
            return BOOL
        types = [self.of(o) for o in operands]
        return EMPTY if empty(*types) else BOOL if all(concrete(t) for t in types) else UNKNOWN

    def _boolean(self, expr: cst.BooleanOperation) -> Types:
        return union([self.of(expr.left), self.of(expr.right)])

    def _if_exp(self, expr: cst.IfExp) -> Types:
        return union([self.of(expr.body), self.of(expr.orelse)])

    def _named(self, expr: cst.NamedExpr) -> Types:
        return self.of(expr.value)

    def _attribute(self, expr: cst.Attribute) -> Types:
        return MODULE_CONSTANTS.get(self.index.qualified_name(expr) or "", UNKNOWN)

    def _subscript(self, expr: cst.Subscript) -> Types:
        if len(expr.slice) != 1:
            return UNKNOWN
        part = expr.slice[0].slice
        receiver = self.of(expr.value)
        if isinstance(part, cst.Slice):
            return union(_slice(kind) for kind in receiver)
        position = _literal_int(part.value) if isinstance(part, cst.Index) else None
        return union(_item(kind, position) for kind in receiver)

    def _call(self, expr: cst.Call) -> Types:
        if any(a.star for a in expr.args):
            return UNKNOWN
        name = self.index.qualified_name(expr.func)
        positional = [self.of(a.value) for a in expr.args if a.keyword is None]
        if name is not None and name.startswith("builtins."):
            return self._builtin(name.removeprefix("builtins."), expr, positional)
        if name is not None and name.startswith("math."):
            return _math(name.removeprefix("math."))
        if name is None and isinstance(expr.func, cst.Attribute):
            return union(_method(kind, expr.func.attr.value, positional) for kind in self.of(expr.func.value))
        if isinstance(expr.func, cst.Name) and self.index.binding(expr.func) == "global":
            callee = self.index.module_function(expr.func.value)
            if callee is not None and callee.node.returns is not None:
                return annotation(self.index, callee.node.returns.annotation)
        return UNKNOWN

    def _builtin(self, name: str, call: cst.Call, args: list[Types]) -> Types:
        fixed = BUILTIN_RESULTS.get(name)
        if fixed is not None:
            return fixed
        first = args[0] if args else EMPTY
        if empty(*args):
            return EMPTY
        if name == "abs" and len(args) == 1:
            return INT if within(first, ("int", "bool")) else FLOAT if within(first, NUMBERS | {"complex"}) else UNKNOWN
        if name == "round" and args:
            return (INT if len(args) == 1 else first) if within(first, NUMBERS) else UNKNOWN
        if name in ("min", "max") and args:
            extra = [self.of(a.value) for a in call.args if a.keyword is not None and a.keyword.value == "default"]
            return union([*(args if len(args) > 1 else [elements(first)]), *extra])
        if name == "sum" and args:
            items = elements(first)
            return INT if within(items, ("int", "bool")) and len(args) == 1 else \
                union([INT, FLOAT]) if within(items, NUMBERS) and len(args) == 1 else UNKNOWN
        if name in ("list", "set", "frozenset", "sorted", "tuple"):
            tag = {"sorted": "list", "tuple": "tuple..."}.get(name, name)
            return of_kind(tag, elements(first) if args else EMPTY)
        if name == "dict" and not call.args:
            return of_kind("dict", EMPTY, EMPTY)
        if name in ("enumerate", "zip") and args and (name == "enumerate" or len(args) == len(call.args)):
            sources = args[:1] if name == "enumerate" else args
            items = [INT, elements(first)] if name == "enumerate" else [elements(a) for a in args]
            tag = name if all(iterable_concrete(a) for a in sources) else "iterable"
            return of_kind(tag, of_kind("tuple", *items))
        if name == "reversed" and len(args) == 1:
            return of_kind("iterable", elements(first))
        return UNKNOWN


_HANDLERS = {
    cst.Tuple: TypeFacts._tuple, cst.List: TypeFacts._display, cst.Set: TypeFacts._display,
    cst.Dict: TypeFacts._dict, cst.ListComp: TypeFacts._comprehension, cst.SetComp: TypeFacts._comprehension,
    cst.DictComp: TypeFacts._comprehension, cst.GeneratorExp: TypeFacts._comprehension,
    cst.BinaryOperation: TypeFacts._binary, cst.UnaryOperation: TypeFacts._unary,
    cst.Comparison: TypeFacts._comparison, cst.BooleanOperation: TypeFacts._boolean,
    cst.IfExp: TypeFacts._if_exp, cst.NamedExpr: TypeFacts._named, cst.Attribute: TypeFacts._attribute,
    cst.Subscript: TypeFacts._subscript, cst.Call: TypeFacts._call,
}
LITERALS: dict[type, Types] = {cst.Integer: INT, cst.Float: FLOAT, cst.Imaginary: COMPLEX, cst.FormattedString: STR}
BUILTIN_RESULTS: dict[str, Types] = {
    **dict.fromkeys(("len", "hash", "id", "ord", "int"), INT),
    **dict.fromkeys(("str", "repr", "ascii", "chr", "format", "hex", "oct", "bin"), STR),
    **dict.fromkeys(("bool", "isinstance", "issubclass", "callable", "all", "any", "hasattr"), BOOL),
    "float": FLOAT, "complex": COMPLEX, "bytes": BYTES, "bytearray": of_kind("bytearray"),
    "range": of_kind("range"),
}
def _math(name: str) -> Types:
    if name in MATH_INT:
        return INT
    if name in MATH_BOOL:
        return BOOL
    return FLOAT if name in MATH_FLOAT else UNKNOWN


def _method(kind: Kind, method: str, args: list[Types]) -> Types:
    tag = kind.tag
    if tag in ("str", "bytes"):
        if method in STR_TO_STR or (tag == "bytes" and method in ("upper", "lower", "strip", "replace", "join")):
            return STR if tag == "str" else BYTES
        if method in STR_TO_BOOL:
            return BOOL
        if method in STR_TO_INT:
            return INT
        if method in ("split", "rsplit", "splitlines"):
            return of_kind("list", STR if tag == "str" else BYTES)
        if method in ("partition", "rpartition"):
            part = STR if tag == "str" else BYTES
            return of_kind("tuple", part, part, part)
        if method == "encode" and tag == "str":
            return BYTES
        if method == "decode" and tag == "bytes":
            return STR
    if tag == "list" and method in ("index", "count"):
        return INT
    if tag in ("list", "set", "dict") and method == "copy":
        return of_kind(tag, *kind.args)
    if tag == "list" and method == "pop":
        return kind.args[0]
    if tag in ("dict", "mapping"):
        return _dict_method(kind, method, args)
    if tag in ("int", "bool") and method in ("bit_length", "bit_count"):
        return INT
    return UNKNOWN


def _dict_method(kind: Kind, method: str, args: list[Types]) -> Types:
    key, value = kind.args
    if method in ("keys", "values"):
        return of_kind(method, key if method == "keys" else value)
    if method == "items":
        return of_kind("items", key, value)
    if method in ("get", "pop") and args:
        return union([value, args[1] if len(args) > 1 else NONE if method == "get" else EMPTY])
    return UNKNOWN


def _slice(kind: Kind) -> Types:
    if kind.tag in ("str", "bytes", "bytearray", "list", "tuple...", "range"):
        return frozenset({kind})
    if kind.tag == "tuple":
        return of_kind("tuple...", union(kind.args))
    return UNKNOWN


def _item(kind: Kind, position: int | None) -> Types:
    tag = kind.tag
    if tag == "str":
        return STR
    if tag in ("bytes", "bytearray", "range"):
        return INT
    if tag in ("list", "tuple..."):
        return kind.args[0]
    if tag == "tuple":
        if position is not None and -len(kind.args) <= position < len(kind.args):
            return kind.args[position]
        return union(kind.args)
    if tag in ("dict", "mapping"):
        return kind.args[1]
    return UNKNOWN


def _unpack(kind: Kind, position: int, size: int) -> Types:
    if kind.tag == "tuple":
        return kind.args[position] if len(kind.args) == size else EMPTY  # a size mismatch raises
    return elements(frozenset({kind}))


def _literal_int(expr: cst.BaseExpression) -> int | None:
    if isinstance(expr, cst.Integer):
        return int(expr.evaluated_value)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = _literal_int(expr.expression)
        return -inner if inner is not None else None
    return None
