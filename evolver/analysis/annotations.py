"""The one reader of annotations: the kinds an annotation declares.

An annotation is the code's claim, never a proof: every kind read here is *declared* (a subclass
may stand in), except for ``bool``, ``None`` and ``range``, which have no subclasses. PEP 484's
promotions are honoured: ``float`` admits ``int``, ``complex`` admits ``float`` and ``int``,
``bytes`` admits ``bytearray`` and ``memoryview``. Anything not understood is ``UNKNOWN``.
"""

from __future__ import annotations

import ast

from evolver.analysis import kinds as k
from evolver.analysis.index import ModuleIndex

SCALARS = {
    "builtins.int": ("int",), "builtins.bool": ("bool",), "builtins.str": ("str",),
    "builtins.float": ("float", "int", "bool"), "builtins.complex": ("complex", "float", "int", "bool"),
    "builtins.bytes": ("bytes", "bytearray", "memoryview"), "builtins.bytearray": ("bytearray",),
    "builtins.range": ("range",),
}
CONTAINERS = {
    "builtins.list": "list", "typing.List": "list", "builtins.set": "set", "typing.Set": "set",
    "builtins.frozenset": "frozenset", "typing.FrozenSet": "frozenset", "collections.deque": "deque",
    "typing.Deque": "deque",
}
MAPPINGS = {"builtins.dict": "dict", "typing.Dict": "dict", "collections.defaultdict": "defaultdict",
            "typing.DefaultDict": "defaultdict"}
TUPLES = frozenset({"builtins.tuple", "typing.Tuple"})
UNIONS = frozenset({"typing.Optional", "typing.Union", "typing_extensions.Optional"})
LITERALS = frozenset({"typing.Literal", "typing_extensions.Literal"})
ABSTRACT = frozenset({"Iterable", "Iterator", "Sequence", "Collection", "AbstractSet", "MutableSequence",
                      "MutableSet", "Reversible", "Container", "Generator", "KeysView", "ValuesView"})
ABSTRACT_MAPPINGS = frozenset({"Mapping", "MutableMapping"})


def declared(index: ModuleIndex, expr: ast.AST | None) -> k.Type:
    """The kinds ``expr`` (an annotation) admits; ``UNKNOWN`` for what is not understood."""
    if expr is None:
        return k.UNKNOWN
    if isinstance(expr, ast.Constant):
        if expr.value is None:
            return k.NONE
        if isinstance(expr.value, str):
            return _quoted(index, expr.value)
        return k.UNKNOWN
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return k.union([declared(index, expr.left), declared(index, expr.right)])
    if isinstance(expr, ast.Subscript):
        return _generic(index, expr)
    name = index.qualified_name(expr) or ""
    supertype = newtype_base(index, expr)
    if supertype is not None:
        return declared(index, supertype)
    if name in SCALARS:
        return k.declared(k.union(k.of(b) for b in SCALARS[name]))
    if name in CONTAINERS:
        return k.of(CONTAINERS[name], exact=False, items=k.UNKNOWN)
    if name in MAPPINGS:
        return k.of(MAPPINGS[name], exact=False, items=k.UNKNOWN, values=k.UNKNOWN)
    if name in TUPLES:
        return k.of("tuple", exact=False, items=k.UNKNOWN)
    return k.UNKNOWN


def _quoted(index: ModuleIndex, text: str) -> k.Type:
    """A string annotation: only a plain builtin or imported name is read (a quoted expression
    would have to be resolved in the module's namespace at a time we cannot know)."""
    text = text.strip()
    if not text.isidentifier():
        return k.UNKNOWN
    qualified = index.scopes.global_target(text) or ""
    if qualified in SCALARS:
        return k.declared(k.union(k.of(b) for b in SCALARS[qualified]))
    return k.UNKNOWN


def _generic(index: ModuleIndex, expr: ast.Subscript) -> k.Type:
    base = index.qualified_name(expr.value) or ""
    items = list(expr.slice.elts) if isinstance(expr.slice, ast.Tuple) else [expr.slice]
    short = base.rsplit(".", 1)[-1]
    if base in UNIONS:
        return k.union([declared(index, i) for i in items] + ([k.NONE] if short == "Optional" else []))
    if base in LITERALS:
        return k.union(_literal(i) for i in items)
    if base in CONTAINERS and len(items) == 1:
        return k.of(CONTAINERS[base], exact=False, items=declared(index, items[0]))
    if base in MAPPINGS and len(items) == 2:
        return k.of(MAPPINGS[base], exact=False, items=declared(index, items[0]), values=declared(index, items[1]))
    if base in TUPLES:
        if len(items) == 2 and isinstance(items[1], ast.Constant) and items[1].value is Ellipsis:
            return k.of("tuple", exact=False, items=declared(index, items[0]))
        if len(items) == 1 and isinstance(items[0], ast.Tuple) and not items[0].elts:
            return k.of("tuple", exact=False, parts=())  # tuple[()]
        return k.of("tuple", exact=False, parts=tuple(declared(index, i) for i in items))
    if base.startswith(("typing.", "collections.abc.")) and short in ABSTRACT and items:
        return k.of("iterable", exact=False, items=declared(index, items[0]))
    if base.startswith(("typing.", "collections.abc.")) and short in ABSTRACT_MAPPINGS and len(items) == 2:
        return k.of("mapping", exact=False, items=declared(index, items[0]), values=declared(index, items[1]))
    return k.UNKNOWN


def _literal(expr: ast.AST) -> k.Type:
    """``Literal[...]``: the values' types (declared: an equal instance of a subclass may be passed)."""
    value = expr.operand if isinstance(expr, ast.UnaryOp) and isinstance(expr.operand, ast.Constant) else expr
    if isinstance(value, ast.Constant):
        kind = {bool: k.BOOL, int: k.INT, str: k.STR, bytes: k.BYTES, type(None): k.NONE}.get(type(value.value))
        if kind is not None:
            return k.declared(kind)
    return k.UNKNOWN



NEWTYPES = frozenset({"typing.NewType", "typing_extensions.NewType"})


def newtype_base(index: ModuleIndex, expr: ast.AST) -> ast.expr | None:
    """``NormalizedName`` bound once, at the top of the module, to ``NewType("NormalizedName", str)``:
    the supertype's annotation (``str``). A NewType is the identity function at run time: calling it
    returns its argument, and a value it "makes" is a value of the supertype."""
    if not (isinstance(expr, ast.Name) and index.binding(expr) == "global" and index.bound_once(expr.id)):
        return None
    statement = index.global_bindings(expr.id)[0].statement
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1 and index.parent(statement) is index.tree
            and isinstance(statement.value, ast.Call) and len(statement.value.args) == 2
            and not statement.value.keywords and index.qualified_name(statement.value.func) in NEWTYPES):
        return None
    return statement.value.args[1]
