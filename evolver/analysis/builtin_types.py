"""Which builtin type a local expression provably evaluates to: ``str`` for an f-string,
``list`` for ``[]``, ``list`` of ``str`` for ``text.split()``, the type a parameter is annotated
with. The loop transforms use it to prove that ``+=`` concatenates strings, that ``list(xs)``
copies the same items, and that a bound method cannot change while a loop runs.

A ``Kind`` is ``exact`` when the value was built here (a display, a builtin constructor): its
type is then exactly the builtin, never a subclass. Annotations are trusted (as memoize does)
but only give a declared kind, which may be a subclass.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Assignment, BaseAssignment

from evolver.analysis.static import ModuleIndex

# Runtime types whose instances have no __dict__: none of their methods can be replaced.
RUNTIME: dict[str, type] = {
    "list": list, "dict": dict, "set": set, "frozenset": frozenset, "tuple": tuple, "str": str,
    "bytes": bytes, "bytearray": bytearray, "range": range, "deque": collections.deque,
    "defaultdict": collections.defaultdict, "Pattern": re.Pattern,
}
CONSTRUCTORS = {
    "builtins.list": "list", "builtins.dict": "dict", "builtins.set": "set", "builtins.frozenset": "frozenset",
    "builtins.tuple": "tuple", "builtins.str": "str", "builtins.bytes": "bytes", "builtins.bytearray": "bytearray",
    "builtins.range": "range", "builtins.sorted": "list", "builtins.repr": "str", "builtins.ascii": "str",
    "builtins.chr": "str", "builtins.format": "str", "builtins.hex": "str", "builtins.oct": "str",
    "builtins.bin": "str", "builtins.enumerate": "iterator", "builtins.zip": "iterator", "builtins.map": "iterator",
    "builtins.filter": "iterator", "collections.deque": "deque", "collections.defaultdict": "defaultdict",
    "re.compile": "Pattern",
}
ANNOTATIONS = {
    "builtins.list": "list", "builtins.dict": "dict", "builtins.set": "set", "builtins.frozenset": "frozenset",
    "builtins.tuple": "tuple", "builtins.str": "str", "builtins.bytes": "bytes", "builtins.bytearray": "bytearray",
    "builtins.range": "range", "typing.List": "list", "typing.Dict": "dict", "typing.Set": "set",
    "typing.FrozenSet": "frozenset", "typing.Tuple": "tuple", "collections.deque": "deque",
    "typing.Deque": "deque",
}
ABSTRACT = frozenset({  # annotations that say what iterating gives, not what the container is
    "typing.Iterable", "typing.Iterator", "typing.Sequence", "typing.Collection", "typing.AbstractSet",
    "typing.MutableSequence", "collections.abc.Iterable", "collections.abc.Iterator",
    "collections.abc.Sequence", "collections.abc.Collection", "collections.abc.Set",
    "collections.abc.MutableSequence",
})
STR_METHODS = frozenset({
    "upper", "lower", "strip", "lstrip", "rstrip", "replace", "format", "join", "title", "capitalize",
    "casefold", "center", "ljust", "rjust", "zfill", "removeprefix", "removesuffix", "swapcase",
    "expandtabs", "translate", "format_map",
})
SPLIT_METHODS = frozenset({"split", "rsplit", "splitlines"})


@dataclass(frozen=True)
class Kind:
    name: str | None  # "list", "str", ... ; None when only the items are known
    item: str | None = None  # what iterating it gives, when known
    exact: bool = True  # built here (not a possibly-subclassed annotated parameter)


STR = Kind("str", "str")
ITERATING = {"str": "str", "range": "int"}


class Kinds:
    """The kind of expressions of one module (co-inductive over assignments: a name assigned
    in a cycle is what its other assignments say)."""

    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        self.seen: set[int] = set()
        self._steps = 0  # expressions looked at for the current outermost question

    def of(self, expr: cst.BaseExpression) -> Kind | None:
        """The kind of ``expr``; None when unknown, or when proving it would look at more than
        ``STEP_BUDGET`` expressions (names reassigned from themselves many times over make the
        search exponential; unknown is the safe answer)."""
        if self._steps:
            return self._of_counted(expr)
        try:
            return self._of_counted(expr)
        except _OverBudget:
            return None
        finally:
            self._steps = 0
            self.seen.clear()

    def _of_counted(self, expr: cst.BaseExpression) -> Kind | None:
        self._steps += 1
        if self._steps > STEP_BUDGET:
            raise _OverBudget
        return self._of(expr)

    def _of(self, expr: cst.BaseExpression) -> Kind | None:
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            return Kind("bytes", "int") if _is_bytes(expr) else STR
        if isinstance(expr, cst.FormattedString):
            return STR
        if isinstance(expr, (cst.List, cst.ListComp)):
            return Kind("list", self._element(expr))
        if isinstance(expr, (cst.Set, cst.SetComp)):
            return Kind("set", self._element(expr))
        if isinstance(expr, (cst.Dict, cst.DictComp)):
            return Kind("dict")
        if isinstance(expr, cst.Tuple):
            return Kind("tuple", self._element(expr))
        if isinstance(expr, cst.GeneratorExp):
            return Kind("iterator", self._element(expr))
        if isinstance(expr, cst.Name):
            return self._name(expr)
        if isinstance(expr, cst.Call):
            return self._call(expr)
        if isinstance(expr, cst.BinaryOperation):
            return self._binary(expr)
        if isinstance(expr, cst.IfExp):
            return _merge([self.of(expr.body), self.of(expr.orelse)])
        if isinstance(expr, cst.Subscript):
            return STR if self.is_str(expr.value) else None
        return None

    def is_str(self, expr: cst.BaseExpression) -> bool:
        kind = self.of(expr)
        return kind is not None and kind.name == "str"

    def item_of(self, iterable: cst.BaseExpression) -> str | None:
        kind = self.of(iterable)
        return kind.item if kind is not None else None

    def _element(self, expr: cst.BaseExpression) -> str | None:
        if isinstance(expr, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            kind = self.of(expr.elt)
            return kind.name if kind is not None else None
        elements = [e.value for e in getattr(expr, "elements", ()) if isinstance(e, cst.Element)]
        kinds = {k.name if (k := self.of(e)) is not None else None for e in elements}
        return kinds.pop() if len(kinds) == 1 and len(elements) == len(getattr(expr, "elements", ())) else None

    def _binary(self, expr: cst.BinaryOperation) -> Kind | None:
        left, right = self.of(expr.left), self.of(expr.right)
        names = (left.name if left else None, right.name if right else None)
        if isinstance(expr.operator, cst.Add) and names[0] == names[1] and names[0] in ("str", "list"):
            return _merge([left, right])
        if isinstance(expr.operator, cst.Modulo) and names[0] == "str":
            return STR
        if isinstance(expr.operator, cst.Multiply) and "str" in names:
            return STR
        return None

    def _call(self, call: cst.Call) -> Kind | None:
        if any(a.star for a in call.args):
            return None
        name = self.index.qualified_name(call.func)
        if name is not None:
            kind = CONSTRUCTORS.get(name)
            if kind is None:
                return None
            return Kind(kind, ITERATING.get(kind) or (self.item_of(call.args[0].value)
                                                       if kind in ("list", "set", "tuple", "frozenset")
                                                       and len(call.args) == 1 else None))
        func = call.func
        if isinstance(func, cst.Attribute) and self.is_str(func.value):
            method = func.attr.value
            if method in STR_METHODS:
                return STR
            if method in SPLIT_METHODS:
                return Kind("list", "str")
            if method == "encode":
                return Kind("bytes", "int")
        return None

    def _name(self, name: cst.Name) -> Kind | None:
        if self.index.binding(name) not in ("local", "param"):
            return None
        return _merge([self._assignment(a) for a in self.index.assignments(name)])

    def _assignment(self, assignment: BaseAssignment) -> Kind | None:
        node = getattr(assignment, "node", None)
        if isinstance(node, cst.Param):
            return self.annotation(node.annotation.annotation) if node.annotation and not node.star else None
        if not isinstance(assignment, Assignment) or not isinstance(node, cst.Name):
            return None
        if id(node) in self.seen:
            return _CYCLE
        self.seen.add(id(node))
        try:
            return self._bound(node)
        finally:
            self.seen.discard(id(node))

    def _bound(self, node: cst.Name) -> Kind | None:
        parent = self.index.parent(node)
        if isinstance(parent, cst.AnnAssign) and parent.target is node:
            declared = self.annotation(parent.annotation.annotation)
            value = self.of(parent.value) if parent.value is not None else None
            if value is None or declared is None:
                return value or declared
            item = value.item or (declared.item if declared.name == value.name else None)
            return Kind(value.name, item, value.exact)
        if isinstance(parent, cst.AssignTarget):
            statement = self.index.parent(parent)
            return self.of(statement.value) if isinstance(statement, cst.Assign) else None
        if isinstance(parent, cst.AugAssign) and parent.target is node:
            return self._augmented(parent)
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is node:
            item = self.item_of(parent.iter)
            return Kind(item, ITERATING.get(item or ""), exact=False) if item is not None else None
        return None

    def _augmented(self, statement: cst.AugAssign) -> Kind | None:
        """``x += str`` keeps a str a str and a list the same list (anything else raises);
        ``x += [..]`` keeps a list a list. What the items are then depends on what was added."""
        added = self.of(statement.value)
        if not isinstance(statement.operator, cst.AddAssign) or added is None or added.name not in ("str", "list"):
            return None
        return Kind(_SAME, added.item)

    def annotation(self, expr: cst.BaseExpression) -> Kind | None:
        base = expr.value if isinstance(expr, cst.Subscript) else expr
        qualified = self.index.qualified_name(base)
        if qualified is None:
            return None
        kind = ANNOTATIONS.get(qualified)
        if kind is None and qualified not in ABSTRACT:
            return None
        item = ITERATING.get(kind or "")
        if isinstance(expr, cst.Subscript) and kind not in ("dict",) and expr.slice:
            first = expr.slice[0].slice
            if isinstance(first, cst.Index):
                inner = self.annotation(first.value)
                uniform = all(isinstance(s.slice, cst.Index) and (isinstance(s.slice.value, cst.Ellipsis) or (
                    (k := self.annotation(s.slice.value)) is not None and inner is not None and k.name == inner.name))
                    for s in expr.slice[1:])
                item = inner.name if inner is not None and uniform else None
        return Kind(kind, item, exact=False)


STEP_BUDGET = 5000


class _OverBudget(Exception):
    """Raised inside a question that has looked at too many expressions."""


_CYCLE = Kind("<cycle>")  # an assignment met again while proving itself: adds nothing
_SAME = "<same>"  # an augmented assignment: the kind the other assignments give


def _merge(kinds: list[Kind | None]) -> Kind | None:
    """The one kind all of ``kinds`` agree on (cycles add nothing; ``<same>`` adds only its items)."""
    known = [k for k in kinds if k is not _CYCLE]
    if not known or None in known:
        return None
    agreed = [k for k in known if k is not None]
    names = {k.name for k in agreed if k.name != _SAME}
    if len(names) != 1:
        return None
    items = {k.item for k in agreed}
    return Kind(names.pop(), items.pop() if len(items) == 1 else None, all(k.exact for k in agreed))


def _is_bytes(expr: cst.BaseExpression) -> bool:
    while isinstance(expr, cst.ConcatenatedString):
        expr = expr.left
    return isinstance(expr, cst.SimpleString) and "b" in expr.prefix.lower()


def has_method(kind: Kind | None, method: str) -> bool:
    """The kind is a builtin type without instance attributes and it has ``method``."""
    runtime = RUNTIME.get(kind.name or "") if kind is not None else None
    return runtime is not None and not method.startswith("__") and callable(getattr(runtime, method, None))
