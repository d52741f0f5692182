"""What an expression of a function provably evaluates to (its kind), whether evaluating it runs no
user code and changes nothing (pure), and whether it can raise (safe).

Kinds come from literals, displays, comprehensions, a few builtins and str methods, arithmetic, the
bindings of local variables (with everything added to them: a least fixpoint from "no value yet")
and annotations (see ``evolver.analysis.legacy_kinds``). Anything else is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import libcst as cst

from evolver.analysis import legacy_purity as purity
from evolver.analysis.legacy_kinds import (
    BOTTOM,
    DICT_MAKERS,
    FRESH_CALLS,
    MUTABLE,
    SCALARS,
    UNKNOWN,
    Fact,
    Kind,
    all_pure,
    annotation_kind,
    binary_fact,
    builtin_fact,
    constant_int,
    family,
    hashable,
    is_bytes,
    items_of,
    iterable,
    merge,
    merge_all,
    merge_items,
    method_fact,
    plain_operator,
    tested,
)
from evolver.analysis.legacy_uses import Ref, builtin_free, variable_refs, within
from evolver.analysis.static import FunctionInfo, ModuleIndex

BUDGET = 4000  # steps per question; past it, unknown


class Typer:
    """Facts about the expressions of one function (or of module level, ``fn`` None)."""

    def __init__(self, index: ModuleIndex, fn: FunctionInfo | None) -> None:
        self.index = index
        self.fn = fn
        self._assumed: dict[str, Kind | None] = {}
        self._done: dict[str, Kind | None] = {}
        self._globals: set[str] = set()
        self._steps = 0
        self._depth = 0

    @classmethod
    def of(cls, index: ModuleIndex, fn: FunctionInfo | None) -> Typer:
        key = ("typer", fn.qualname if fn is not None else None)
        if key not in index.cache:
            index.cache[key] = cls(index, fn)
        return index.cache[key]

    def kind(self, expr: cst.BaseExpression, env: Mapping[str, Kind | None] | None = None) -> Kind | None:
        return self.fact(expr, env or {}).kind

    def fact(self, expr: cst.BaseExpression, env: Mapping[str, Kind | None] | None = None) -> Fact:
        """What ``expr`` evaluates to; ``env`` gives the kinds of names bound outside the function
        (a lambda's parameters). Each question gets a fixed budget of steps: past it, unknown."""
        if self._depth == 0:
            self._steps = 0
        self._steps += 1
        if self._steps > BUDGET:
            return UNKNOWN
        self._depth += 1
        try:
            return self._fact(expr, env or {})
        finally:
            self._depth -= 1

    def _fact(self, expr: cst.BaseExpression, env: Mapping[str, Kind | None]) -> Fact:
        if isinstance(expr, cst.Integer):
            return Fact(Kind("int"), True, True)
        if isinstance(expr, cst.Float):
            return Fact(Kind("float"), True, True)
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            return Fact(Kind("bytes" if is_bytes(expr) else "str"), True, True)
        if isinstance(expr, cst.FormattedString):
            return self._fstring(expr, env)
        if isinstance(expr, cst.Name):
            return self._name(expr, env)
        if isinstance(expr, (cst.List, cst.Set, cst.Tuple)):
            return self._display(expr, env)
        if isinstance(expr, cst.Dict):
            return self._dict(expr, env)
        if isinstance(expr, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            return self._comprehension(expr, env)
        if isinstance(expr, cst.Call):
            return self._call(expr, env)
        if isinstance(expr, cst.Subscript):
            return self._subscript(expr, env)
        if isinstance(expr, cst.BinaryOperation):
            return binary_fact(self.fact(expr.left, env), expr.operator, self.fact(expr.right, env))
        if isinstance(expr, cst.UnaryOperation):
            return self._unary(expr, env)
        if isinstance(expr, cst.Comparison):
            return self._comparison(expr, env)
        if isinstance(expr, (cst.BooleanOperation, cst.IfExp)):
            return self._choice(expr, env)
        if isinstance(expr, cst.Lambda):
            return Fact(None, True, True)
        return UNKNOWN

    def _dict(self, expr: cst.Dict, env: Mapping[str, Kind | None]) -> Fact:
        keys = [self.fact(e.key, env) for e in expr.elements if isinstance(e, cst.DictElement)]
        values = [self.fact(e.value, env) for e in expr.elements if isinstance(e, cst.DictElement)]
        whole = len(keys) == len(expr.elements)
        return Fact(Kind("dict", items=merge_all(f.kind for f in keys) if whole else None),
                    whole and all_pure(keys + values) and all(hashable(f.kind) for f in keys), False)

    def _choice(self, expr: cst.BooleanOperation | cst.IfExp, env: Mapping[str, Kind | None]) -> Fact:
        """``a and b`` / ``a or b`` / ``b if t else c``: one of the values, after a truth test."""
        if isinstance(expr, cst.BooleanOperation):
            test, values = self.fact(expr.left, env), [self.fact(expr.left, env), self.fact(expr.right, env)]
        else:
            test, values = self.fact(expr.test, env), [self.fact(expr.body, env), self.fact(expr.orelse, env)]
        truth = tested(test.kind)
        return Fact(merge(values[0].kind, values[1].kind), truth and test.pure and all_pure(values),
                    truth and test.safe and all(v.safe for v in values))

    # --- names ------------------------------------------------------------------------------

    def _name(self, name: cst.Name, env: Mapping[str, Kind | None]) -> Fact:
        if name.value in env:
            return Fact(env[name.value], True, True)
        if name.value in ("True", "False"):
            return Fact(Kind("bool"), True, True)
        if name.value == "None":
            return Fact(Kind("none"), True, True)
        binding = self.index.binding(name)
        if binding == "global":
            return Fact(self._global(name.value), True, False)
        if binding not in ("local", "param") or self.fn is None:
            return Fact(None, binding in ("builtin", "import"), False)
        refs = variable_refs(self.index, self.fn, name)
        if refs is None:
            return Fact(self._comprehension_variable(name), True, False)
        return Fact(self.variable(refs), True, binding == "param")

    def _global(self, name: str) -> Kind | None:
        """A module global bound once: the kind of its value (a mutable one's items are unknown:
        any code may add to it)."""
        module = Typer.of(self.index, None)
        if not self.index.bound_once(name) or name in module._globals:
            return None
        value = purity.bound_value(self.index, self.index.global_assignments(name)[0])
        module._globals.add(name)
        try:
            kind = module.kind(value) if value is not None else None
        finally:
            module._globals.discard(name)
        return replace(kind, items=None) if kind is not None and kind.base in MUTABLE else kind

    def _comprehension_variable(self, name: cst.Name) -> Kind | None:
        assignments = self.index.assignments(name)
        nodes = [getattr(a, "node", None) for a in assignments]
        parents = [self.index.parent(n) for n in nodes if isinstance(n, cst.Name)]
        if len(parents) != 1 or not isinstance(parents[0], cst.CompFor) or parents[0].target is not nodes[0]:
            return None
        return items_of(self.kind(parents[0].iter))

    def variable(self, refs: list[Ref]) -> Kind | None:
        """The kind of a local variable or parameter: every value bound to it, and for a list, set
        or dict everything added to it (anything that escapes may get anything added)."""
        key = f"{refs[0].node.value}@{self.index.order(refs[0].node)}"
        if key in self._done:
            return self._done[key]
        if key in self._assumed:
            return self._assumed[key]
        current: Kind | None = BOTTOM
        for _ in range(6):
            self._assumed[key] = current
            found = self._variable_once(refs, current)
            if found == current:
                break
            current = found
        else:
            current = None
        del self._assumed[key]
        if not self._assumed and self._steps <= BUDGET:
            self._done[key] = current
        return current

    def _variable_once(self, refs: list[Ref], assumed: Kind | None) -> Kind | None:
        kind: Kind | None = BOTTOM
        for ref in refs:
            if ref.use in ("bind", "augment"):
                kind = merge(kind, self._bound(ref, assumed))
        for ref in refs:
            if kind is None or kind.base not in MUTABLE:
                break
            if ref.use == "escape" or (ref.use == "mutate" and not isinstance(ref.at, cst.Call)) \
                    or (ref.use == "operand" and self.other_operand(ref) is None):
                kind = replace(kind, items=None)  # anything may be added (a slice store, a callee)
            elif ref.use == "grow":
                kind = replace(kind, items=merge_items(kind.items, self._added(ref, kind)))
        return kind

    def fresh(self, value: cst.BaseExpression) -> bool:
        """``value`` evaluates to a new list, set or dict that nobody else holds."""
        if isinstance(value, (cst.List, cst.Set, cst.Dict, cst.ListComp, cst.SetComp, cst.DictComp)):
            return True
        kind = self.kind(value)
        if kind is None or kind.base not in MUTABLE:
            return False
        if isinstance(value, cst.BinaryOperation):
            return isinstance(value.operator, (cst.Add, cst.Multiply))  # list + list, [x] * n: new lists
        if isinstance(value, cst.Subscript):
            return len(value.slice) == 1 and isinstance(value.slice[0].slice, cst.Slice)  # xs[:] copies
        if not isinstance(value, cst.Call):
            return False
        name = self.index.qualified_name(value.func) or ""
        if name in FRESH_CALLS and (not name.startswith("builtins.") or builtin_free(self.index, value, name[9:])):
            return True
        return isinstance(value.func, cst.Attribute) and value.func.attr.value in ("copy", "split", "rsplit",
                                                                                  "splitlines")

    def fresh_binding(self, ref: Ref) -> bool:
        """``name = <fresh list, set or dict>`` with one target (``a = b = []`` binds two aliases)."""
        site = ref.at
        if isinstance(site, cst.Assign):
            return len(site.targets) == 1 and site.targets[0].target is ref.node and self.fresh(site.value)
        return isinstance(site, cst.AnnAssign) and site.value is not None and self.fresh(site.value)

    def other_operand(self, ref: Ref) -> Kind | None:
        """The kind of the other operand of a binary operation (unknown: its ``__radd__`` may run)."""
        operation = ref.at
        assert isinstance(operation, cst.BinaryOperation)
        other = operation.right if within(self.index, ref.node, operation.left) else operation.left
        return self.kind(other)

    def _bound(self, ref: Ref, assumed: Kind | None) -> Kind | None:
        node, site = ref.node, ref.at
        parent = self.index.parent(node)
        if isinstance(parent, cst.Param):
            return self._param(parent)
        if isinstance(site, cst.AugAssign) and site.target is node:
            return binary_fact(Fact(assumed, True, True), plain_operator(site.operator),
                                self.fact(site.value)).kind
        if isinstance(site, (cst.For, cst.CompFor)) and site.target is node:
            return items_of(self.kind(site.iter))
        if isinstance(site, cst.Assign) and isinstance(parent, cst.AssignTarget):
            return self.kind(site.value)
        if isinstance(site, (cst.AnnAssign, cst.NamedExpr)) and site.target is node and site.value is not None:
            return self.kind(site.value)
        if isinstance(site, cst.AnnAssign) and site.value is None:
            return BOTTOM  # a declaration binds nothing
        return None

    def _param(self, param: cst.Param) -> Kind | None:
        if param.star or param.annotation is None:
            return None
        kind = annotation_kind(self.index, param.annotation.annotation)
        if param.default is not None:
            kind = merge(kind, self.kind(param.default))
        return kind

    def _added(self, ref: Ref, kind: Kind) -> Kind | None:
        """What a grow use puts into the container (for a dict: the keys)."""
        site = ref.at
        if isinstance(site, cst.Subscript):
            element = site.slice[0].slice
            if kind.base == "dict" and isinstance(element, cst.Index):
                return self.kind(element.value)
            statement = self.index.parent(self.index.parent(site))
            return self.kind(statement.value) if isinstance(statement, cst.Assign) else None
        if not isinstance(site, cst.Call) or not isinstance(site.func, cst.Attribute):
            return None
        args = [a.value for a in site.args if not a.star and a.keyword is None]
        method = site.func.attr.value
        if len(args) != len(site.args):
            return None
        if method in ("append", "add") and len(args) == 1:
            return self.kind(args[0])
        if method == "insert" and len(args) == 2:
            return self.kind(args[1])
        if method in ("extend", "update") and len(args) == 1 and kind.base != "dict":
            return items_of(self.kind(args[0]))
        if method == "setdefault" and args:
            return self.kind(args[0])
        return None

    # --- displays, comprehensions, calls --------------------------------------------------------

    def _display(self, expr: cst.List | cst.Set | cst.Tuple, env: Mapping[str, Kind | None]) -> Fact:
        facts, starred = [], False
        for element in expr.elements:
            if isinstance(element, cst.StarredElement):
                inner = self.fact(element.value, env)
                starred = True
                facts.append(Fact(items_of(inner.kind), inner.pure and iterable(inner.kind), False))
            else:
                facts.append(self.fact(element.value, env))
        items = merge_all(f.kind for f in facts)
        pure, safe = all_pure(facts), all(f.safe for f in facts)
        if isinstance(expr, cst.Tuple):
            parts = None if starred else tuple(f.kind for f in facts)
            return Fact(Kind("tuple", items=items, parts=parts), pure, safe)
        if isinstance(expr, cst.Set):
            hashes = all(hashable(f.kind) for f in facts)
            return Fact(Kind("set", items=items), pure and hashes, safe and hashes)
        return Fact(Kind("list", items=items), pure, safe)

    def _comprehension(self, expr: cst.BaseComp | cst.DictComp, env: Mapping[str, Kind | None]) -> Fact:
        inner, pure = dict(env), True
        clause: cst.CompFor | None = expr.for_in
        while clause is not None:
            source = self.fact(clause.iter, inner)
            pure = pure and source.pure and iterable(source.kind) and clause.asynchronous is None
            if not isinstance(clause.target, cst.Name):
                return Fact(None, False, False)
            inner[clause.target.value] = items_of(source.kind)
            for condition in clause.ifs:
                test = self.fact(condition.test, inner)
                pure = pure and test.pure and tested(test.kind)
            clause = clause.inner_for_in
        if isinstance(expr, cst.DictComp):
            key, value = self.fact(expr.key, inner), self.fact(expr.value, inner)
            return Fact(Kind("dict", items=key.kind), pure and key.pure and value.pure and hashable(key.kind))
        element = self.fact(expr.elt, inner)
        base = {cst.ListComp: "list", cst.SetComp: "set"}.get(type(expr), "iterator")
        hashes = base != "set" or hashable(element.kind)
        return Fact(Kind(base, items=element.kind), pure and element.pure and hashes, False)

    def _call(self, call: cst.Call, env: Mapping[str, Kind | None]) -> Fact:
        name = self.index.qualified_name(call.func)
        if name in DICT_MAKERS and (name != "builtins.dict" or call.args):
            return Fact(Kind("dict", exact=False))
        args = [self.fact(a.value, env) for a in call.args if a.keyword is None and not a.star]
        if len(args) != len(call.args):
            return UNKNOWN
        if isinstance(call.func, cst.Attribute):
            return method_fact(self.fact(call.func.value, env), call.func.attr.value, args)
        if name is not None and name.startswith("builtins.") and builtin_free(self.index, call.func, name[9:]):
            return builtin_fact(name[9:], args)
        if isinstance(call.func, cst.Name) and self.index.binding(call.func) == "global":
            return self._module_call(call.func.value, args)
        return UNKNOWN

    def _module_call(self, name: str, args: list[Fact]) -> Fact:
        callee = self.index.module_function(name)
        if callee is None:
            return UNKNOWN
        returns = callee.node.returns
        kind = annotation_kind(self.index, returns.annotation) if returns is not None else None
        pure = not purity.purity_reasons(self.index, callee.qualname) and all_pure(args)
        return Fact(kind, pure, False)

    # --- operators --------------------------------------------------------------------------

    def _subscript(self, expr: cst.Subscript, env: Mapping[str, Kind | None]) -> Fact:
        value = self.fact(expr.value, env)
        kind = value.kind
        if len(expr.slice) != 1 or kind is None:
            return UNKNOWN
        if kind.base == "bottom":
            return Fact(BOTTOM, value.pure, False)
        element = expr.slice[0].slice
        if isinstance(element, cst.Slice):
            bounds = [self.fact(b, env) for b in (element.lower, element.upper, element.step) if b is not None]
            ints = all(b.kind is not None and family(b.kind) == "int" for b in bounds)
            sliceable = kind.base in ("list", "tuple", "str", "bytes")
            return Fact(replace(kind, parts=None) if sliceable else None, value.pure and ints and sliceable
                        and all_pure(bounds), False)
        if element.star is not None:
            return UNKNOWN
        index = self.fact(element.value, env)
        position = constant_int(element.value)
        if kind.base == "tuple" and kind.parts is not None and position is not None \
                and -len(kind.parts) <= position < len(kind.parts):
            return Fact(kind.parts[position], value.pure, value.safe)
        int_index = index.kind is not None and family(index.kind) == "int"
        if kind.base in ("list", "tuple", "str", "bytes", "range") and int_index:
            return Fact(items_of(kind), value.pure and index.pure, False)
        if kind.base == "dict" and hashable(index.kind):
            return Fact(None, value.pure and index.pure, False)
        return UNKNOWN

    def _unary(self, expr: cst.UnaryOperation, env: Mapping[str, Kind | None]) -> Fact:
        inner = self.fact(expr.expression, env)
        kind = inner.kind
        if kind is not None and kind.base == "bottom":
            return Fact(BOTTOM, inner.pure, False)
        if isinstance(expr.operator, cst.Not):
            return Fact(Kind("bool"), inner.pure and tested(kind), inner.safe and tested(kind))
        if kind is not None and family(kind) == "int":
            return Fact(Kind("int"), inner.pure, inner.safe)
        if kind is not None and kind.base == "float" and not isinstance(expr.operator, cst.BitInvert):
            return Fact(kind, inner.pure, inner.safe)
        return UNKNOWN

    def _comparison(self, expr: cst.Comparison, env: Mapping[str, Kind | None]) -> Fact:
        facts = [self.fact(expr.left, env)] + [self.fact(c.comparator, env) for c in expr.comparisons]
        pure = all_pure(facts) and all(f.kind is not None and f.kind.base in SCALARS for f in facts)
        return Fact(Kind("bool"), pure, False)

    def _fstring(self, expr: cst.FormattedString, env: Mapping[str, Kind | None]) -> Fact:
        parts = [p for p in expr.parts if isinstance(p, cst.FormattedStringExpression)]
        facts = [self.fact(p.expression, env) for p in parts]
        plain = all(f.kind is not None and f.kind.base in SCALARS for f in facts)
        return Fact(Kind("str"), plain and all_pure(facts),
                    plain and all(f.safe for f in facts) and all(p.format_spec is None for p in parts))
