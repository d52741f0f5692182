"""Builtin types as values: the algebra the type inference (``type_facts``) and the proofs built
on it share.

A type is a set of kinds: ``{int}``, ``{str, None}``, ``{list[str]}``. ``ANY`` in a set means
unknown (any object, user classes included), and absorbs everything else. Kinds with arguments:
``list``/``set``/``frozenset``/``tuple...`` (one element type), ``tuple`` (one type per position),
``dict`` (key, value), ``enumerate``/``zip``/``keys``/``values``/``items`` (what iterating
yields), and the abstract ``iterable``/``mapping`` (from ``Iterable[T]`` or ``Mapping[K, V]``
annotations: the element type is known, the concrete class is not). ``annotation`` reads the
types an annotation admits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst

from evolver.analysis import legacy_purity as purity
from evolver.analysis.static import ModuleIndex


@dataclass(frozen=True)
class Kind:
    tag: str
    args: tuple[frozenset[Kind], ...] = ()

    def __str__(self) -> str:
        if not self.args:
            return self.tag
        return f"{self.tag}[{', '.join(show(a) for a in self.args)}]"


Types = frozenset[Kind]
ANY = Kind("?")
UNKNOWN: Types = frozenset({ANY})
EMPTY: Types = frozenset()
MAX_DEPTH = 3
MAX_UNION = 8

SCALARS = frozenset({"int", "bool", "float", "complex", "str", "bytes", "None"})
NUMBERS = frozenset({"int", "bool", "float"})
CONCRETE = SCALARS | {"list", "set", "frozenset", "dict", "tuple", "tuple...", "range", "bytearray",
                      "enumerate", "zip", "keys", "values", "items"}
SIZED = frozenset({"str", "bytes", "bytearray", "list", "set", "frozenset", "dict", "tuple", "tuple..."})


def of_kind(tag: str, *args: Types) -> Types:
    return _cap(frozenset({Kind(tag, args)}), MAX_DEPTH)


def show(types: Types) -> str:
    if ANY in types:
        return "unknown"
    return " | ".join(sorted(str(k) for k in types)) or "nothing"


def known(types: Types) -> bool:
    """Every kind is known (no ``ANY``) and there is at least one."""
    return bool(types) and ANY not in types


def concrete(types: Types) -> bool:
    """Every kind is a builtin class whose own operations run no user code."""
    return known(types) and all(k.tag in CONCRETE for k in types)


def within(types: Types, tags: Iterable[str]) -> bool:
    allowed = set(tags)
    return known(types) and all(k.tag in allowed for k in types)


def hashable(types: Types) -> bool:
    """Every possible value is hashable, and its hash agrees with value equality."""
    return known(types) and all(_hashable(k) for k in types)


def _hashable(kind: Kind) -> bool:
    if kind.tag in SCALARS or kind.tag == "frozenset":
        return True
    if kind.tag in ("tuple", "tuple..."):
        return all(not a or hashable(a) for a in kind.args)
    return False


def elements(types: Types) -> Types:
    """What iterating a value of these types yields."""
    found: set[Kind] = set()
    for kind in types:
        found |= _elements(kind)
    return _cap(frozenset(found), MAX_DEPTH)


def _elements(kind: Kind) -> Types:
    tag = kind.tag
    if tag in ("list", "set", "frozenset", "tuple...", "keys", "values", "iterable", "enumerate", "zip"):
        return kind.args[0]
    if tag in ("dict", "mapping"):
        return kind.args[0]
    if tag == "tuple":
        return frozenset().union(*kind.args)
    if tag == "items":
        return of_kind("tuple", *kind.args)
    if tag == "str":
        return STR
    if tag in ("bytes", "bytearray", "range"):
        return INT
    return UNKNOWN


def iterable_concrete(types: Types) -> bool:
    """Iterating it runs no user code (a builtin container, range, or enumerate/zip over them)."""
    return concrete(types) and all(k.tag not in NUMBERS | {"complex", "None"} for k in types)


def _cap(types: Types, depth: int) -> Types:
    if ANY in types or len(types) > MAX_UNION:
        return UNKNOWN
    if not any(k.args for k in types):
        return types
    if depth <= 0:
        return UNKNOWN
    return frozenset(Kind(k.tag, tuple(_cap(a, depth - 1) for a in k.args)) for k in types)


def union(items: Iterable[Types]) -> Types:
    """All the kinds of all ``items``; kinds of one class merge (``list[int] | list[str]`` is
    ``list[int | str]``), so a union stays small."""
    merged: dict[tuple[str, int], Kind] = {}
    for types in items:
        if ANY in types:
            return UNKNOWN
        for kind in types:
            key = (kind.tag, len(kind.args))
            seen = merged.get(key)
            merged[key] = kind if seen is None else Kind(kind.tag, tuple(
                union([a, b]) for a, b in zip(seen.args, kind.args)))
    return _cap(frozenset(merged.values()), MAX_DEPTH)


def empty(*operands: Types) -> bool:
    """Some operand has no value yet (the fixpoint has not reached it): so has the result."""
    return any(not o for o in operands)


INT, BOOL, FLOAT, COMPLEX = of_kind("int"), of_kind("bool"), of_kind("float"), of_kind("complex")
STR, BYTES, NONE = of_kind("str"), of_kind("bytes"), of_kind("None")
MODULE_CONSTANTS: dict[str, Types] = {
    **{f"math.{n}": FLOAT for n in ("pi", "e", "tau", "inf", "nan")},
    **{f"string.{n}": STR for n in ("ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits",
                                    "hexdigits", "octdigits", "punctuation", "printable", "whitespace")},
    "sys.maxsize": INT,
}
MATH_INT = frozenset({"floor", "ceil", "trunc", "gcd", "lcm", "factorial", "comb", "perm", "isqrt"})
MATH_BOOL = frozenset({"isnan", "isinf", "isfinite", "isclose"})
MATH_FLOAT = frozenset(["sqrt", "exp", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "fabs", "hypot", "dist", "fsum", "pow", "copysign", "degrees", "radians", "fmod", "remainder", "ldexp", "erf", "erfc", "gamma", "lgamma", "cbrt", "exp2", "nextafter", "ulp"])
STR_TO_STR = frozenset(["lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title", "capitalize", "swapcase", "center", "ljust", "rjust", "zfill", "replace", "format", "format_map", "join", "expandtabs", "translate", "removeprefix", "removesuffix"])
STR_TO_BOOL = frozenset(["startswith", "endswith", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isidentifier", "isnumeric", "isdecimal", "isprintable", "isascii", "istitle"])
STR_TO_INT = frozenset({"find", "rfind", "count", "index", "rindex"})


def op_name(operator: cst.CSTNode) -> str:
    return type(operator).__name__.removesuffix("Assign")


def binary(op: str, left: Types, right: Types) -> Types:
    """The result types of ``left <op> right`` over every pair of kinds (unknown pairs: unknown)."""
    if ANY in left or ANY in right:
        return UNKNOWN
    return union(_binary_pair(op, a, b) for a in left for b in right)


_RANK = {"bool": 0, "int": 1, "float": 2, "complex": 3}


def _binary_pair(op: str, a: Kind, b: Kind) -> Types:
    if a.tag in _RANK and b.tag in _RANK:
        return _numeric(op, max(_RANK[a.tag], _RANK[b.tag]))
    if op == "Modulo" and a.tag in ("str", "bytes"):
        return frozenset({Kind(a.tag)})
    if op == "Add" and a.tag == b.tag and a.tag in ("str", "bytes", "list", "tuple...", "bytearray"):
        return union([frozenset({a}), frozenset({b})]) if a.tag != "list" else of_kind("list", union([*a.args, *b.args]))
    if op == "Add" and a.tag == "tuple" and b.tag == "tuple":
        return of_kind("tuple", *a.args, *b.args)
    if op == "Multiply" and {a.tag, b.tag} & {"int", "bool"}:
        other = a if b.tag in ("int", "bool") else b
        if other.tag in ("str", "bytes", "list", "tuple..."):
            return frozenset({other})
    return UNKNOWN


def _numeric(op: str, rank: int) -> Types:
    if op in ("BitAnd", "BitOr", "BitXor"):
        return BOOL if rank == 0 else INT if rank == 1 else UNKNOWN
    if op in ("LeftShift", "RightShift"):
        return INT if rank <= 1 else UNKNOWN
    if op == "Divide":
        return FLOAT if rank <= 2 else COMPLEX
    if op == "Power":
        return union([INT, FLOAT]) if rank <= 1 else union([FLOAT, COMPLEX]) if rank == 2 else COMPLEX
    if op in ("Add", "Subtract", "Multiply", "FloorDivide", "Modulo"):
        if rank == 3 and op in ("FloorDivide", "Modulo"):
            return UNKNOWN
        return (INT, INT, FLOAT, COMPLEX)[rank]
    return UNKNOWN


# --- annotations -----------------------------------------------------------------------------

ANNOTATION_SCALARS: dict[str, Types] = {
    "builtins.int": union([INT, BOOL]), "builtins.bool": BOOL, "builtins.str": STR,
    "builtins.float": union([FLOAT, INT, BOOL]), "builtins.complex": union([COMPLEX, FLOAT, INT, BOOL]),
    # PEP 484 lets bytearray and memoryview stand for bytes
    "builtins.bytes": UNKNOWN, "builtins.None": NONE,
}
SEQUENCES = {
    "builtins.list": "list", "typing.List": "list", "builtins.set": "set", "typing.Set": "set",
    "builtins.frozenset": "frozenset", "typing.FrozenSet": "frozenset",
}
ABSTRACT = frozenset({"Iterable", "Iterator", "Sequence", "Collection", "AbstractSet", "MutableSequence",
                      "MutableSet", "Reversible", "Container", "Generator"})
MAPPINGS = frozenset({"Mapping", "MutableMapping"})


def annotation(index: ModuleIndex, expr: cst.BaseExpression) -> Types:
    """The types an annotation admits (trusted: a caller may pass anything)."""
    if isinstance(expr, cst.Name) and expr.value == "None":
        return NONE
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
        return union([annotation(index, expr.left), annotation(index, expr.right)])
    if isinstance(expr, cst.SimpleString):
        text = expr.evaluated_value
        name = index.quoted_name(text.strip()) if isinstance(text, str) else None
        return ANNOTATION_SCALARS.get(name or "", UNKNOWN)
    if isinstance(expr, cst.Subscript):
        return _generic(index, expr)
    name = index.qualified_name(expr) or ""
    if name in SEQUENCES:
        return of_kind(SEQUENCES[name], UNKNOWN)
    if name in ("builtins.dict", "typing.Dict"):
        return of_kind("dict", UNKNOWN, UNKNOWN)
    return ANNOTATION_SCALARS.get(name, UNKNOWN)


def _generic(index: ModuleIndex, expr: cst.Subscript) -> Types:
    base = index.qualified_name(expr.value) or ""
    items = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
    if len(items) != len(expr.slice):
        return UNKNOWN
    short = base.rsplit(".", 1)[-1]
    if base in purity.UNION_TYPES:
        return union([annotation(index, i) for i in items] + ([NONE] if short == "Optional" else []))
    if base in purity.LITERAL_TYPES:
        return union(_literal_type(i) for i in items)
    if base in SEQUENCES and len(items) == 1:
        return of_kind(SEQUENCES[base], annotation(index, items[0]))
    if base in ("builtins.tuple", "typing.Tuple"):
        if len(items) == 2 and isinstance(items[1], cst.Ellipsis):
            return of_kind("tuple...", annotation(index, items[0]))
        return of_kind("tuple", *(annotation(index, i) for i in items))
    if base in ("builtins.dict", "typing.Dict") and len(items) == 2:
        return of_kind("dict", annotation(index, items[0]), annotation(index, items[1]))
    if base.startswith(("typing.", "collections.abc.")) and short in ABSTRACT and items:
        return of_kind("iterable", annotation(index, items[0]))
    if base.startswith(("typing.", "collections.abc.")) and short in MAPPINGS and len(items) == 2:
        return of_kind("mapping", annotation(index, items[0]), annotation(index, items[1]))
    return UNKNOWN


def _literal_type(expr: cst.BaseExpression) -> Types:
    if isinstance(expr, cst.Integer) or (isinstance(expr, cst.UnaryOperation) and isinstance(expr.expression, cst.Integer)):
        return INT
    if isinstance(expr, cst.SimpleString):
        return BYTES if "b" in expr.prefix.lower() else STR
    if isinstance(expr, cst.Name) and expr.value in ("True", "False"):
        return BOOL
    return NONE if isinstance(expr, cst.Name) and expr.value == "None" else UNKNOWN
