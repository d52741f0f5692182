"""What builtin operators and calls give, kind by kind: the algebra ``evolver.analysis.types`` applies.

Exactness follows CPython's dispatch: ``a + b`` calls ``type(b).__radd__`` first when ``b``'s type
is a proper subclass of ``a``'s, so a result is exact only when both operands are exact builtins
(or the right one cannot be a subclass of the left one's type). A declared operand (``x: str``)
may be a subclass whose methods do anything: the result is then unknown.
"""

from __future__ import annotations

import ast
import re

from evolver.analysis import kinds as k

_RANK = {"bool": 0, "int": 1, "float": 2, "complex": 3}
SEQUENCE_ADD = frozenset({"str", "bytes", "list", "tuple", "bytearray"})


def binary(op: ast.operator, left: k.Type, right: k.Type) -> k.Type:
    """The kinds of ``left op right``."""
    if not left or not right:
        return k.EMPTY  # no value yet (a fixpoint still growing)
    if not (k.known(left) and k.known(right)):
        return k.UNKNOWN
    return k.union(_pair(op, a, b) for a in left for b in right)


def _pair(op: ast.operator, a: k.Kind, b: k.Kind) -> k.Type:
    if not (a.exact and b.exact):
        # a subclass's operator may return anything of the builtin's kind, or a subclass of it
        # (assumption annotations-hold: a subclass substitutes for its base): declared, never exact
        found = _pair(op, k.Kind(a.base, True, a.items, a.values, a.parts), k.Kind(b.base, True, b.items, b.values,
                                                                                   b.parts))
        return k.declared(found)
    name = type(op).__name__
    if a.base in _RANK and b.base in _RANK:
        return _numeric(name, max(_RANK[a.base], _RANK[b.base]))
    if name == "Mod" and a.base in k.TEXT:
        return k.of(a.base)  # exact % exact: the exact builtin's __mod__ (it runs the arguments' __str__)
    if name == "Add" and a.base == b.base and a.base in SEQUENCE_ADD:
        if a.base == "tuple" and a.parts is not None and b.parts is not None:
            return k.of("tuple", parts=a.parts + b.parts)
        if a.base in ("list", "tuple"):
            return k.of(a.base, items=k.union([k.elements(frozenset({a})), k.elements(frozenset({b}))]))
        return k.of(a.base)
    if name == "Mult" and (a.base in k.INTS) != (b.base in k.INTS):
        sequence = b if a.base in k.INTS else a
        if sequence.base in SEQUENCE_ADD:
            items = k.elements(frozenset({sequence}))
            return k.of(sequence.base, items=items if sequence.base in ("list", "tuple") else None)
    if name in ("BitAnd", "BitOr", "BitXor", "Sub") and a.base in ("set", "frozenset") and b.base in ("set", "frozenset"):
        return k.of(a.base, items=k.union([k.elements(frozenset({a})), k.elements(frozenset({b}))]))
    return k.UNKNOWN


def _numeric(op: str, rank: int) -> k.Type:
    if op in ("BitAnd", "BitOr", "BitXor"):
        return k.BOOL if rank == 0 else k.INT if rank == 1 else k.UNKNOWN
    if op in ("LShift", "RShift"):
        return k.INT if rank <= 1 else k.UNKNOWN
    if op == "Div":
        return k.FLOAT if rank <= 2 else k.COMPLEX
    if op == "Pow":
        return k.union([k.INT, k.FLOAT]) if rank <= 1 else k.union([k.FLOAT, k.COMPLEX]) if rank == 2 else k.COMPLEX
    if op in ("Add", "Sub", "Mult", "FloorDiv", "Mod"):
        if rank == 3 and op in ("FloorDiv", "Mod"):
            return k.UNKNOWN
        return (k.INT, k.INT, k.FLOAT, k.COMPLEX)[rank]
    return k.UNKNOWN


def unary(op: ast.unaryop, operand: k.Type) -> k.Type:
    if isinstance(op, ast.Not):
        return k.BOOL
    if not operand:
        return k.EMPTY
    if k.exactly(operand, k.INTS):
        return k.INT
    if k.exactly(operand, ("float", "complex")) and not isinstance(op, ast.Invert):
        return operand
    if k.exactly(operand, ("float", "int", "bool")) and not isinstance(op, ast.Invert):
        return k.union([k.INT, k.FLOAT])
    return k.UNKNOWN


def compare(ops: list[ast.cmpop], operands: list[k.Type]) -> k.Type:
    """``in``, ``not in``, ``is`` and ``is not`` always give a bool; ``==``, ``<``... give whatever
    the operands' methods return, a bool only for exact builtins."""
    if all(isinstance(o, (ast.In, ast.NotIn, ast.Is, ast.IsNot)) for o in ops):
        return k.BOOL
    if any(not t for t in operands):
        return k.EMPTY
    if all(k.exactly(t, k.SCALARS | k.CONTAINERS) for t in operands):
        return k.BOOL
    return k.UNKNOWN


# --- calls -------------------------------------------------------------------------------------------


def call_result(spec: str, args: list[k.Type], receiver: k.Type | None, keywords: dict[str, k.Type]) -> k.Type:
    """The kinds a catalogue result spec (``evolver.analysis.catalogue.Call.result``) stands for."""
    first = args[0] if args else (receiver if receiver is not None else k.EMPTY)
    if spec in ("int", "float", "complex", "bool", "str", "bytes", "bytearray", "none", "range", "dict", "pattern",
                "file", "response", "socket", "path", "connection"):
        return k.of(spec, items=k.EMPTY if spec == "dict" else None, values=k.EMPTY if spec == "dict" else None)
    if spec == "str?":  # str()/repr()/format(): __str__ may return a str subclass, unless the argument is exact
        return k.STR if all(k.exact(a) for a in args) else k.declared(k.STR)
    if spec == "self" and receiver is not None:
        return frozenset(k.Kind(kind.base, True, kind.items, kind.values, kind.parts) for kind in receiver) \
            if k.known(receiver) else k.UNKNOWN
    if spec in ("list[item]", "set[item]", "frozenset[item]", "tuple[item]", "iterator[item]"):
        items = k.elements(first) if args else k.EMPTY
        return k.of(spec.split("[", 1)[0], items=items)
    if spec == "list[item1]":
        return k.of("list", items=k.elements(args[1]) if len(args) > 1 else k.UNKNOWN)
    if spec == "item":
        found = k.elements(first) if len(args) == 1 else k.union(args)
        return k.union([found, keywords["default"]]) if "default" in keywords else found
    if spec == "value?" and receiver is not None:
        return k.union([k.values_of(receiver), args[1] if len(args) > 1 else k.NONE])
    if spec == "number":
        return _number(args)
    if spec == "sum":
        items = k.elements(first) if args else k.UNKNOWN
        if len(args) == 1 and (items == k.EMPTY or k.exactly(items, k.INTS)):
            return k.INT  # nothing to add (or nothing known yet, in a least fixpoint): 0
        return k.union([k.INT, k.FLOAT]) if len(args) == 1 and k.exactly(items, k.NUMBERS) else k.UNKNOWN
    if spec == "iterator":
        return k.of("iterator", items=k.UNKNOWN)
    if spec == "match?":
        return k.union([k.of("match"), k.NONE])
    if spec.startswith("view[") and receiver is not None:
        part = spec[5:-1]
        items = k.elements(receiver) if part == "keys" else k.values_of(receiver) if part == "values" else \
            k.of("tuple", parts=(k.elements(receiver), k.values_of(receiver)))
        return k.of("view", items=items)
    if spec.startswith(("list[", "tuple[")):
        base, inner = spec[:-1].split("[", 1)
        parts = tuple(k.of(p) for p in inner.split(","))
        return k.of(base, items=parts[0]) if base == "list" else k.of(base, parts=parts)
    return k.UNKNOWN


def _number(args: list[k.Type]) -> k.Type:
    if not args or not all(k.exactly(a, k.NUMBERS | {"complex"}) for a in args):
        return k.UNKNOWN
    first = args[0]
    if k.exactly(first, k.INTS):
        return k.INT
    return k.union([k.INT, k.FLOAT, *([k.COMPLEX] if "complex" in k.bases(first) else [])])


# The builtins that return an iterator stepping other iterators: which arguments each one iterates
# ("*": every one from that position on) and which one it calls back on every step.
STEPPING: dict[str, tuple[tuple[int, ...] | str, int | None]] = {
    "iter": ((0,), None), "reversed": ((0,), None), "enumerate": ((0,), None), "zip": ("*0", None),
    "map": ("*1", 0), "filter": ((1,), 0)}


def stepped(name: str, args: list[k.Type], result: k.Type) -> k.Type:
    """``result`` (what the builtin ``name`` returns) as an exact iterator only when every step runs
    builtin code alone: each input it iterates is an exact builtin container or iterator and it
    calls nothing back. ``iter(xs)`` of a list subclass is whatever its ``__iter__`` returns, and
    ``enumerate(xs)``, ``zip(xs)``, ``reversed(xs)`` step xs's own iterator: declared, never exact."""
    shape = STEPPING.get(name)
    if shape is None or not k.known(result):
        return result
    positions, callback = shape
    if name == "iter" and len(args) != 1:
        callback = 0  # iter(f, sentinel) calls f on every step
    taken = args[int(positions[1:]):] if isinstance(positions, str) else [args[p] for p in positions if p < len(args)]
    called = callback is not None and callback < len(args) and args[callback] != k.NONE
    if not called and taken and all(k.quiet_iteration(a) for a in taken):
        return result
    return frozenset(k.Kind(kind.base, False, kind.items, kind.values, kind.parts) for kind in result)


def enumerate_or_zip(name: str, args: list[k.Type]) -> k.Type:
    if name == "enumerate" and args:
        return k.of("iterator", items=k.of("tuple", parts=(k.INT, k.elements(args[0]))))
    if name == "zip" and args:
        return k.of("iterator", items=k.of("tuple", parts=tuple(k.elements(a) for a in args)))
    return k.of("iterator", items=k.UNKNOWN)


def findall_result(pattern: ast.AST, flagged: bool) -> k.Type:
    """``re.findall(PATTERN, s)`` with a literal pattern: a list of exact strs (or bytes), or of
    tuples of them when the pattern has two groups or more."""
    if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, (str, bytes))) or flagged:
        return k.of("list", items=k.UNKNOWN)
    try:
        groups = re.compile(pattern.value).groups
    except re.error:
        return k.UNKNOWN
    text = k.STR if isinstance(pattern.value, str) else k.BYTES
    return k.of("list", items=text if groups <= 1 else k.of("tuple", parts=(text,) * groups))
