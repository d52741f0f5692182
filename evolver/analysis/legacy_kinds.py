"""Kinds: the builtin type a value provably has (int, str, list of str, ...), and the rules that
combine them (operators, builtins, str methods). ``evolver.analysis.typer`` applies them to code.

Annotations are trusted as the code's own contract (``xs: list[int]`` holds ints), but a kind read
from one is never *exact*: a subclass (``bool`` for ``int``, a ``str`` enum) may stand in.
Unknown is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from evolver.analysis.static import ModuleIndex


@dataclass(frozen=True)
class Kind:
    """A builtin type. ``items``: what iterating it yields (a dict: its keys); ``parts``: a tuple's
    items by position when its length is known. ``exact``: the builtin type itself, no subclass."""

    base: str
    exact: bool = True
    items: Kind | None = None
    parts: tuple[Kind | None, ...] | None = None


@dataclass(frozen=True)
class Fact:
    """``pure``: evaluating it runs no user code and changes nothing; ``safe``: it cannot raise."""

    kind: Kind | None
    pure: bool = False
    safe: bool = False


BOTTOM = Kind("bottom")  # no value at all yet (the items of an empty display)
UNKNOWN = Fact(None)
CONTAINERS = frozenset({"list", "tuple", "set", "frozenset", "dict", "range", "str", "bytes"})
SEQUENCES = frozenset({"list", "tuple", "range", "str", "bytes", "dict"})  # reversed() accepts them
IMMUTABLE = frozenset({"tuple", "frozenset", "range", "str", "bytes", "int", "bool", "float", "none"})
MUTABLE = frozenset({"list", "set", "dict"})
SCALARS = frozenset({"int", "bool", "float", "str", "bytes", "none"})
ORDERED = frozenset({"int", "str", "bytes"})
ANNOTATIONS = {
    "builtins.int": "int", "builtins.bool": "bool", "builtins.float": "float", "builtins.str": "str",
    "builtins.bytes": "bytes", "builtins.list": "list", "typing.List": "list", "builtins.tuple": "tuple",
    "typing.Tuple": "tuple", "builtins.set": "set", "typing.Set": "set", "builtins.frozenset": "frozenset",
    "typing.FrozenSet": "frozenset", "builtins.dict": "dict", "typing.Dict": "dict",
}
DICT_MAKERS = frozenset({"builtins.dict", "collections.defaultdict", "collections.OrderedDict",
                         "collections.Counter"})
FRESH_CALLS = DICT_MAKERS | {"builtins.list", "builtins.set", "builtins.sorted"}
STR_TO_STR = frozenset({"lower", "upper", "casefold", "strip", "lstrip", "rstrip", "title", "capitalize",
                        "swapcase"})
STR_TO_LIST = frozenset({"split", "rsplit", "splitlines"})
STR_TO_BOOL = frozenset({"startswith", "endswith", "isdigit", "isalpha", "isalnum", "isspace", "isupper",
                         "islower", "isidentifier", "isdecimal", "isnumeric"})
INT_OPS = {cst.Add: True, cst.Subtract: True, cst.Multiply: True, cst.FloorDivide: False, cst.Modulo: False,
           cst.BitAnd: True, cst.BitOr: True, cst.BitXor: True}  # op -> cannot raise


def family(kind: Kind) -> str:
    return "int" if kind.base == "bool" else kind.base


def merge(a: Kind | None, b: Kind | None) -> Kind | None:
    """The least kind both fit in (None when they share none)."""
    if a is None or b is None:
        return None
    if a.base == "bottom":
        return b
    if b.base == "bottom":
        return a
    if a.base != b.base:
        return Kind("int", exact=False) if {a.base, b.base} == {"int", "bool"} else None
    parts = None
    if a.parts is not None and b.parts is not None and len(a.parts) == len(b.parts):
        parts = tuple(merge(x, y) for x, y in zip(a.parts, b.parts))
    return Kind(a.base, a.exact and b.exact, merge_items(a.items, b.items), parts)


def merge_items(a: Kind | None, b: Kind | None) -> Kind | None:
    return merge(a, b) if a is not None and b is not None else None


def ordered(kind: Kind | None) -> bool:
    """Values of this kind are totally ordered: ``<`` and ``>`` agree, never raise, run no user code
    (no floats: NaN breaks the order sorted() and min() rely on)."""
    if kind is None:
        return False
    if kind.base == "bottom" or family(kind) in ORDERED:
        return True
    if kind.base != "tuple":
        return False
    if kind.parts is not None:
        return all(ordered(p) for p in kind.parts)
    return ordered(kind.items)


def interchangeable(kind: Kind | None) -> bool:
    """Equal values of this kind cannot be told apart (so which of two ties is returned is invisible)."""
    if kind is None:
        return False
    if kind.base == "bottom":
        return True
    if kind.base in ("int", "bool", "str", "bytes"):
        return kind.exact
    if kind.base == "tuple" and kind.exact:
        return all(interchangeable(p) for p in kind.parts) if kind.parts is not None else interchangeable(kind.items)
    return False


def items_of(kind: Kind | None) -> Kind | None:
    if kind is None or kind.base == "bottom":
        return kind
    if kind.base in ("str", "bytes"):
        return Kind("str" if kind.base == "str" else "int", exact=True)
    if kind.base == "tuple" and kind.items is None and kind.parts is not None:
        found: Kind | None = BOTTOM
        for part in kind.parts:
            found = merge(found, part)
        return found
    return kind.items


def annotation_kind(index: ModuleIndex, expr: cst.BaseExpression) -> Kind | None:
    """The kind an annotation declares (never exact), or None for anything but plain builtin types."""
    if isinstance(expr, cst.Name) and expr.value == "None":
        return Kind("none", exact=False)
    if isinstance(expr, cst.SimpleString):
        text = expr.evaluated_value
        name = index.quoted_name(text.strip()) if isinstance(text, str) else None
        base = ANNOTATIONS.get(name or "")
        return Kind(base, exact=False) if base in SCALARS else None
    if not isinstance(expr, cst.Subscript):
        base = ANNOTATIONS.get(index.qualified_name(expr) or "")
        return Kind(base, exact=False) if base is not None else None
    base = ANNOTATIONS.get(index.qualified_name(expr.value) or "")
    args = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
    if base is None or len(args) != len(expr.slice) or not args:
        return None
    if base == "tuple":
        if len(args) == 2 and isinstance(args[1], cst.Ellipsis):
            return Kind("tuple", exact=False, items=annotation_kind(index, args[0]))
        parts = tuple(annotation_kind(index, a) for a in args)
        return Kind("tuple", exact=False, parts=parts, items=items_of(Kind("tuple", parts=parts)))
    return Kind(base, exact=False, items=annotation_kind(index, args[0]))


def method_fact(receiver: Fact, method: str, args: list[Fact]) -> Fact:
    """A str, list or dict method called on ``receiver``."""
    kind, pure = receiver.kind, receiver.pure and all_pure(args)
    if kind is None:
        return UNKNOWN
    if kind.base == "bottom":
        return Fact(BOTTOM, pure, False)
    scalar_args = all(a.kind is not None and a.kind.base in ("str", "int") for a in args)
    if kind.base == "str":
        if method in STR_TO_STR:
            return Fact(Kind("str"), pure and scalar_args, receiver.safe and not args)
        if method in STR_TO_LIST:
            return Fact(Kind("list", items=Kind("str")), pure and scalar_args, False)
        if method in STR_TO_BOOL:
            return Fact(Kind("bool"), pure and scalar_args, False)
    if kind.base == "list" and method == "copy" and not args:
        return Fact(Kind("list", items=kind.items), pure, receiver.safe)
    if kind.base == "dict" and method == "copy" and not args:
        return Fact(Kind("dict", items=kind.items), pure, receiver.safe)
    return UNKNOWN


def binary_fact(left: Fact, operator: cst.BaseBinaryOp, right: Fact) -> Fact:
    """``left operator right`` on builtin kinds."""
    a, b = left.kind, right.kind
    both = left.pure and right.pure
    if (a is not None and a.base == "bottom") or (b is not None and b.base == "bottom"):
        return Fact(BOTTOM, both, False)  # no value yet: nothing to combine
    if a is None or b is None:
        return UNKNOWN
    if family(a) == "int" and family(b) == "int" and type(operator) in INT_OPS:
        bits = isinstance(operator, (cst.BitAnd, cst.BitOr, cst.BitXor))
        kind = Kind("bool") if bits and a.base == b.base == "bool" else Kind("int")
        return Fact(kind, both, left.safe and right.safe and INT_OPS[type(operator)])
    repeated = _repeated(a, operator, b)
    if repeated is not None:
        return Fact(repeated, both, False)
    if not isinstance(operator, cst.Add) or a.base != b.base:
        return Fact(None, both and a.base in SCALARS and b.base in SCALARS, False)
    if a.base in ("str", "bytes"):
        return Fact(Kind(a.base), both, left.safe and right.safe)
    if a.base in ("list", "tuple"):
        parts = a.parts + b.parts if a.parts is not None and b.parts is not None else None
        items = merge_items(items_of(a), items_of(b))
        return Fact(Kind(a.base, items=items, parts=parts), both, left.safe and right.safe)
    return UNKNOWN


def builtin_fact(name: str, args: list[Fact]) -> Fact:
    """A call of the builtin ``name``."""
    pure = all_pure(args)
    first = args[0].kind if args else None
    if name == "len" and len(args) == 1:
        sized = first is not None and first.base in CONTAINERS
        return Fact(Kind("int"), pure and sized, args[0].safe and sized)
    if name == "abs" and len(args) == 1 and first is not None and family(first) in ("int", "float"):
        return Fact(Kind("int") if family(first) == "int" else first, pure, args[0].safe)
    if name == "str" and len(args) == 1 and first is not None and first.base in SCALARS:
        return Fact(Kind("str"), pure, args[0].safe and first.base != "int")
    if name in ("list", "tuple", "sorted", "set", "frozenset") and len(args) <= 1:
        items = items_of(first) if args else BOTTOM
        consumable = not args or iterable(first)
        hashes = name not in ("set", "frozenset") or hashable(items)
        comparable = name != "sorted" or ordered(items)
        return Fact(Kind(name if name != "sorted" else "list", items=items),
                    pure and consumable and hashes and comparable, False)
    if name == "reversed" and len(args) == 1 and first is not None and first.base in SEQUENCES:
        return Fact(Kind("iterator", items=items_of(first)), pure, False)
    if name == "range" and 1 <= len(args) <= 3 and all(a.kind is not None and family(a.kind) == "int" for a in args):
        return Fact(Kind("range", items=Kind("int")), pure, False)
    if name == "dict" and not args:
        return Fact(Kind("dict", items=BOTTOM), True, True)
    return UNKNOWN


def _repeated(a: Kind, operator: cst.BaseBinaryOp, b: Kind) -> Kind | None:
    """``[x] * n`` / ``n * "ab"``: a new sequence of the same kind."""
    if not isinstance(operator, cst.Multiply):
        return None
    for sequence, count in ((a, b), (b, a)):
        if sequence.base in ("list", "tuple", "str", "bytes") and family(count) == "int":
            return Kind(sequence.base, items=items_of(sequence))
    return None


def merge_all(kinds: object) -> Kind | None:
    found: Kind | None = BOTTOM
    for kind in kinds:  # type: ignore[attr-defined]
        found = merge(found, kind)
    return found


def all_pure(facts: list[Fact]) -> bool:
    return all(f.pure for f in facts)


def tested(kind: Kind | None) -> bool:
    """Truth-testing, iterating, hashing or comparing it runs no user code."""
    return kind is not None and kind.base not in ("iterator",)


def iterable(kind: Kind | None) -> bool:
    return kind is not None and (kind.base in CONTAINERS or kind.base == "iterator")


def hashable(kind: Kind | None) -> bool:
    if kind is None:
        return False
    if kind.base == "tuple":
        return all(hashable(p) for p in kind.parts) if kind.parts is not None else hashable(kind.items)
    return kind.base in SCALARS or kind.base in ("frozenset", "bottom")


def is_bytes(expr: cst.SimpleString | cst.ConcatenatedString) -> bool:
    while isinstance(expr, cst.ConcatenatedString):
        expr = expr.left  # type: ignore[assignment]
    return isinstance(expr, cst.SimpleString) and "b" in expr.prefix.lower()


def constant_int(expr: cst.BaseExpression) -> int | None:
    """The value of an integer literal, or of ``-`` an integer literal."""
    if isinstance(expr, cst.Integer):
        return int(expr.evaluated_value)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus) \
            and isinstance(expr.expression, cst.Integer):
        return -int(expr.expression.evaluated_value)
    return None


def plain_operator(operator: cst.BaseAugOp) -> cst.BaseBinaryOp:
    name = type(operator).__name__.removesuffix("Assign")
    return getattr(cst, name)()
