"""The lattice of value kinds: what a value is known to be.

A ``Type`` is a set of ``Kind``s (``{int}``, ``{str, none}``, ``{list[str]}``); ``UNKNOWN`` (any
object, user classes included) absorbs everything, ``EMPTY`` is "no value yet" (the bottom a
fixpoint starts from). A ``Kind`` is *exact* when construction proves the value's type is the
builtin itself (a literal, a display, ``"".join``, ``len()``...): then every operation on it is the
builtin's. A kind read from an annotation or a declared return type is *declared*: "this type or a
subclass", and a subclass may override anything (``markupsafe.Markup`` overrides ``__add__``, a
``StrEnum`` ``__str__``, a ``defaultdict`` ``__missing__``), so declared kinds never give builtin
semantics. ``bool``, ``NoneType`` and ``range`` cannot be subclassed: declared is exact for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

MAX_UNION = 8
MAX_DEPTH = 3


@dataclass(frozen=True)
class Kind:
    """One builtin type. ``items``: what iterating it yields (a dict: its keys); ``values``: a
    dict's values; ``parts``: a tuple's items by position when its length is known."""

    base: str
    exact: bool = True
    items: Type | None = None
    values: Type | None = None
    parts: tuple[Type, ...] | None = None

    def __str__(self) -> str:
        inner = []
        if self.parts is not None:
            inner = [show(p) for p in self.parts]
        elif self.items is not None:
            inner = [show(self.items)] + ([show(self.values)] if self.values is not None else [])
        text = f"{self.base}[{', '.join(inner)}]" if inner else self.base
        return text if self.exact else f"{text}+"


Type = frozenset[Kind]
ANY = Kind("?", exact=False)
UNKNOWN: Type = frozenset({ANY})
EMPTY: Type = frozenset()

SCALARS = frozenset({"int", "bool", "float", "complex", "str", "bytes", "none"})
NUMBERS = frozenset({"int", "bool", "float"})
INTS = frozenset({"int", "bool"})
TEXT = frozenset({"str", "bytes"})
SEQUENCES = frozenset({"list", "tuple", "str", "bytes", "bytearray", "range"})  # indexable by int, reversible
CONTAINERS = frozenset({"list", "tuple", "set", "frozenset", "dict", "str", "bytes", "bytearray", "range",
                        "deque", "defaultdict"})  # sized, iterable builtins
MUTABLE = frozenset({"list", "set", "dict", "bytearray", "deque", "defaultdict"})
FINAL = frozenset({"bool", "none", "range", "pattern"})  # no subclass can exist: declared is exact (re.Pattern too)
HASHABLE_SCALARS = frozenset({"int", "bool", "float", "complex", "str", "bytes", "none"})


def of(base: str, exact: bool = True, items: Type | None = None, values: Type | None = None,
       parts: tuple[Type, ...] | None = None) -> Type:
    return _cap(frozenset({Kind(base, exact or base in FINAL, items, values, parts)}), MAX_DEPTH)


def declared(types: Type) -> Type:
    """The same kinds, no longer exact (what an annotation says: a subclass may stand in)."""
    if ANY in types:
        return UNKNOWN
    return frozenset(Kind(k.base, k.base in FINAL, _declared(k.items), _declared(k.values),
                          tuple(declared(p) for p in k.parts) if k.parts is not None else None) for k in types)


def _declared(types: Type | None) -> Type | None:
    return declared(types) if types is not None else None


def show(types: Type) -> str:
    if ANY in types:
        return "unknown"
    return " | ".join(sorted(str(k) for k in types)) or "nothing"


# --- combining ----------------------------------------------------------------------------------


def union(items: Iterable[Type]) -> Type:
    """Every kind of every type; kinds of one base merge (``list[int] | list[str]`` is
    ``list[int | str]``; exact only if both are), so a union stays small."""
    merged: dict[str, Kind] = {}
    for types in items:
        if ANY in types:
            return UNKNOWN
        for kind in types:
            seen = merged.get(kind.base)
            merged[kind.base] = kind if seen is None else _merge(seen, kind)
    return _cap(frozenset(merged.values()), MAX_DEPTH)


def _merge(a: Kind, b: Kind) -> Kind:
    parts = None
    if a.parts is not None and b.parts is not None and len(a.parts) == len(b.parts):
        parts = tuple(union([x, y]) for x, y in zip(a.parts, b.parts))
    items = _merge_opt(a.items, b.items) if parts is None else None
    if parts is None and (a.parts is not None or b.parts is not None):
        items = union([elements(frozenset({a})), elements(frozenset({b}))])
    return Kind(a.base, a.exact and b.exact, items, _merge_opt(a.values, b.values), parts)


def _merge_opt(a: Type | None, b: Type | None) -> Type | None:
    if a is None or b is None:
        return a if b is None else b
    return union([a, b])


def _cap(types: Type, depth: int) -> Type:
    if ANY in types or len(types) > MAX_UNION:
        return UNKNOWN if ANY in types or len(types) > MAX_UNION else types
    if not any(k.items is not None or k.values is not None or k.parts is not None for k in types):
        return types
    if depth <= 0:
        return frozenset(Kind(k.base, k.exact, UNKNOWN if k.items is not None or k.parts is not None else None,
                              UNKNOWN if k.values is not None else None) for k in types)
    return frozenset(Kind(k.base, k.exact, _cap_opt(k.items, depth - 1), _cap_opt(k.values, depth - 1),
                          tuple(_cap(p, depth - 1) for p in k.parts) if k.parts is not None else None)
                     for k in types)


def _cap_opt(types: Type | None, depth: int) -> Type | None:
    return _cap(types, depth) if types is not None else None


# --- questions ----------------------------------------------------------------------------------


def known(types: Type) -> bool:
    """At least one kind, and none unknown."""
    return bool(types) and ANY not in types


def is_(types: Type, bases: Iterable[str]) -> bool:
    """Every kind is one of ``bases`` (exact or declared)."""
    allowed = set(bases)
    return known(types) and all(k.base in allowed for k in types)


def exactly(types: Type, bases: Iterable[str]) -> bool:
    """Every kind is exactly one of ``bases``: the builtin type itself, no subclass."""
    allowed = set(bases)
    return known(types) and all(k.base in allowed and k.exact for k in types)


def exact(types: Type) -> bool:
    """Every kind is an exact builtin, and so is everything it holds (a list of exact strs)."""
    return known(types) and all(_exact(k) for k in types)


def _exact(kind: Kind) -> bool:
    if not kind.exact or kind.base in ("iterable", "mapping"):
        return False
    nested = [t for t in (kind.items, kind.values) if t is not None] + list(kind.parts or ())
    return all(exact(t) or not t for t in nested)


def bases(types: Type) -> set[str]:
    return {k.base for k in types}


def elements(types: Type) -> Type:
    """What iterating a value of these types yields (``UNKNOWN`` when that is not known)."""
    if not types:
        return EMPTY
    found = []
    for kind in types:
        if kind.base in ("str", "bytes", "bytearray", "range"):
            # a subclass may iterate as it likes: only an exact str is known to give exact strs
            found.append(of("str", exact=kind.exact) if kind.base == "str" else of("int", exact=kind.exact))
        elif kind.parts is not None:
            found.append(union(kind.parts))
        elif kind.items is not None:
            found.append(kind.items)
        else:
            return UNKNOWN
    return union(found)


def values_of(types: Type) -> Type:
    """A mapping's values (``UNKNOWN`` when not known)."""
    found = []
    for kind in types:
        if kind.values is None:
            return UNKNOWN
        found.append(kind.values)
    return union(found) if found else EMPTY


def hashable(types: Type, declared: bool = False) -> bool:
    """Every value is exactly a builtin whose hash agrees with ``==`` (a tuple or frozenset of such);
    with ``declared``, an instance of a subclass of one too (its ``__hash__`` may differ, but must
    still agree with its ``__eq__``: Python's own rule, assumption hash-agrees-with-eq)."""
    return known(types) and all(_hashable(k, declared) for k in types)


def _hashable(kind: Kind, declared: bool = False) -> bool:
    if not kind.exact and not declared:
        return False
    if kind.base in HASHABLE_SCALARS:
        return True
    if kind.base in ("tuple", "frozenset"):
        return _nested(kind, lambda t: hashable(t, declared))
    return False


def _nested(kind: Kind, test: Callable[[Type], bool]) -> bool:
    """What a tuple or frozenset holds passes ``test`` (nothing held passes)."""
    if kind.parts is not None:
        return all(not t or test(t) for t in kind.parts)
    return kind.items is not None and (not kind.items or test(kind.items))


def immutable(types: Type) -> bool:
    """Every value is exactly a builtin that cannot change, all the way down."""
    return known(types) and all(_immutable(k) for k in types)


def _immutable(kind: Kind) -> bool:
    if not kind.exact:
        return False
    if kind.base in SCALARS or kind.base in ("range", "pattern"):  # a compiled pattern never changes
        return True
    if kind.base in ("tuple", "frozenset"):
        return _nested(kind, immutable)
    return False


def ordered(types: Type) -> bool:
    """Exact values that ``<`` orders totally, without running user code (no float: NaN)."""
    if not types:
        return True
    if not known(types):
        return False
    found = bases(types)
    if found <= INTS or found == {"str"} or found == {"bytes"}:
        return all(k.exact for k in types)
    if found == {"tuple"}:
        return all(k.exact for k in types) and all(
            all(ordered(p) for p in k.parts) if k.parts is not None else k.items is not None and ordered(k.items)
            for k in types)
    return False


def interchangeable(types: Type) -> bool:
    """Equal values cannot be told apart (exact ints and bools excluded: ``1 == True``)."""
    if not types:
        return True
    if not known(types) or not all(k.exact for k in types):
        return False
    found = bases(types)
    if found == {"int"} or found == {"str"} or found == {"bytes"} or found == {"bool"}:
        return True
    if found == {"tuple"}:
        return all(all(interchangeable(p) for p in k.parts) if k.parts is not None
                   else k.items is not None and interchangeable(k.items) for k in types)
    return False


def quiet_iteration(types: Type) -> bool:
    """Iterating it runs no user code: an exact builtin container, range or builtin iterator over
    such (its items' own methods are not called by iterating)."""
    return known(types) and all(k.exact and (k.base in CONTAINERS or k.base == "iterator") for k in types)


def sized(types: Type) -> bool:
    """``len()`` of it runs no user code and cannot raise."""
    return exactly(types, CONTAINERS)


def truth_quiet(types: Type) -> bool:
    """Testing its truth runs no user code and cannot raise."""
    return exactly(types, SCALARS | CONTAINERS | {"iterator"}) or not types


# Common types
INT, BOOL, FLOAT, COMPLEX, STR, BYTES, NONE = (of(b) for b in ("int", "bool", "float", "complex", "str", "bytes",
                                                                  "none"))


def as_exact(types: Type) -> Type:
    """The same kinds, taken as exactly the builtins they name (all the way down)."""
    if not known(types):
        return types
    return frozenset(Kind(kind.base, kind.base not in ("iterable", "mapping"),
                            as_exact(kind.items) if kind.items is not None else None,
                            as_exact(kind.values) if kind.values is not None else None,
                            tuple(as_exact(p) for p in kind.parts) if kind.parts is not None else None)
                     for kind in types)


def forget_items(types: Type) -> Type:
    """The same containers, with whatever may have been added to the mutable ones unknown."""
    if not known(types):
        return types
    return frozenset(Kind(kind.base, kind.exact, UNKNOWN, UNKNOWN if kind.values is not None else None)
                     if kind.base in MUTABLE else kind for kind in types)


def unpack(value: Type, path: list[tuple[int, int]] | None) -> Type:
    """The part of ``value`` a target at ``path`` (positions in nested tuples; None: starred) gets."""
    if path is None:
        return UNKNOWN if not value else of("list", items=elements(value))
    for position, size in path:
        if not value or not known(value):
            return value
        value = union(kind.parts[position] if kind.parts is not None and len(kind.parts) == size
                        else elements(frozenset({kind})) for kind in value)
    return value


def sliced(kind: Kind) -> Type:
    """What slicing a value of this kind gives."""
    if kind.base == "range":
        return of("range")
    if kind.base in ("str", "bytes", "bytearray", "list", "tuple"):
        items = elements(frozenset({kind})) if kind.base in ("list", "tuple") else None
        return of(kind.base, exact=kind.exact, items=items)
    return UNKNOWN


def item_of(kind: Kind, position: int | None) -> Type:
    """What ``value[position]`` gives (``None``: an index not known)."""
    if kind.base == "tuple" and kind.parts is not None:
        if position is not None and -len(kind.parts) <= position < len(kind.parts):
            return kind.parts[position]
        return union(kind.parts)
    if kind.base in ("str",):  # a subclass's __getitem__ returns a str, maybe a subclass (annotations-hold)
        return STR if kind.exact else declared(STR)
    if kind.base in ("bytes", "bytearray", "range"):
        return INT if kind.exact else declared(INT)
    if kind.base in ("list", "tuple", "deque") and kind.items is not None:
        return kind.items
    if kind.base in ("dict", "defaultdict", "mapping") and kind.values is not None:
        return kind.values
    return UNKNOWN
