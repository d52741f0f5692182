"""hoist-constant: a container display of fixed values built on every call and only read becomes a
module-level constant built once, before the function's ``def``."""

from __future__ import annotations

from ..case import apply, refuse

T = "hoist-constant"
FIXED = "every key and element a constant"
BUILTIN = "no builtin it names"
CONSTANT = "a module constant it names"
READ = "the container is only read"
LOCAL = "a local holding it"

CASES = (
    # --- every key and element fixed before the def runs ----------------------------------------------
    refuse(
        "hoist-constant-nested-list-value", T, "a dict whose value is a list display: each call returned a "
        "fresh list, the caller appends to one",
        """
        def defaults(key):
            table = {"tags": [], "size": 0}
            return table[key]
        """,
        "defaults('tags').append('x')",
        probes=("defaults('tags')",),
        reason=r"a list built anew on every call", covers=FIXED,
    ),
    refuse(
        "hoist-constant-attribute-of-settings", T, "a value read from an attribute of a module-level object "
        "that a function changes",
        """
        class Settings:
            mode = "fast"


        SETTINGS = Settings()


        def configure(mode):
            SETTINGS.mode = mode


        def label(kind):
            names = {"a": "alpha", "m": SETTINGS.mode}
            return names.get(kind, "?")
        """,
        "configure('slow')",
        probes=("label('m')",),
        reason=r"`SETTINGS.mode` is not a constant", covers=FIXED,
    ),
    refuse(
        "hoist-constant-fresh-sentinel", T, "object() makes a new sentinel on every call: shared, two calls "
        "would give the same one",
        """
        def marker(kind):
            marks = {"start": object(), "end": object()}
            return marks[kind]
        """,
        "marker('start') is marker('start')",
        reason=r"calls `object`", covers=FIXED,
    ),
    refuse(
        "hoist-constant-call-with-effect", T, "a value computed by a module function that prints: hoisted, it "
        "would print once at import instead of on every call",
        """
        def width():
            print("measuring")
            return 80


        def layout(kind):
            sizes = {"wide": width(), "narrow": 40}
            return sizes[kind]
        """,
        "[layout('narrow'), layout('wide')]",
        reason=r"calls `width`", covers=FIXED,
    ),
    # --- builtins it names are the builtins, at import and at every call --------------------------------
    refuse(
        "hoist-constant-builtin-rebound-through-globals", T, "a function rebinds the builtin `int` as a module "
        "global through globals(): later calls see the new object",
        """
        def patch():
            globals()["int"] = float


        def rank(t):
            return {int: 1, str: 2}.get(t, 0)
        """,
        "patch()",
        probes=("rank(float)",),
        reason=r"patch can rebind `int`", covers=BUILTIN,
    ),
    refuse(
        "hoist-constant-builtin-patched-by-module", T, "the module itself patches builtins.abs: later calls see "
        "the patched one",
        """
        import builtins


        def patch():
            builtins.abs = round


        def describe(fn):
            return {abs: "abs", len: "len"}.get(fn, "?")
        """,
        "patch()",
        probes=("describe(round)",),
        reason=r"imports `builtins`", covers=BUILTIN,
    ),
    refuse(
        "hoist-constant-builtin-shadowed-by-late-star-import", T, "a star import after the def shadows `open`: "
        "at import the display would hold the builtin",
        """
        def which(fn):
            return {open: "open", len: "len"}.get(fn, "?")


        from os import *
        """,
        "which(open)",
        reason=r"from \.\.\. import \*", covers=BUILTIN,
    ),
    refuse(
        "hoist-constant-builtin-rebound-by-global-statement", T, "a function declares `abs` global and binds it",
        """
        def patch():
            global abs
            abs = round


        def describe(fn):
            return {abs: "abs"}.get(fn, "?")
        """,
        "patch()",
        probes=("describe(round)",),
        reason=r"module global abs", covers=BUILTIN,
    ),
    # --- module constants -------------------------------------------------------------------------------
    refuse(
        "hoist-constant-module-constant-rebound", T, "a function rebinds the module constant the display names",
        """
        LIMIT = 10


        def grow():
            global LIMIT
            LIMIT = 20


        def limits(kind):
            return {"soft": LIMIT, "hard": 100}[kind]
        """,
        "grow()",
        probes=("limits('soft')",),
        reason=r"module global LIMIT", covers=CONSTANT,
    ),
    refuse(
        "hoist-constant-module-constant-bound-later", T, "the constant is bound after the def: hoisted before "
        "the def, the import would fail",
        """
        def unit(kind):
            return {"k": KILO, "b": 1}[kind]


        KILO = 1024
        """,
        "unit('k')",
        reason=r"not bound by a module statement before", covers=CONSTANT,
    ),
    refuse(
        "hoist-constant-module-constant-set-through-globals", T, "a function can rebind any global through "
        "globals()",
        """
        SCALE = 2


        def configure(**names):
            globals().update(names)


        def factor(kind):
            return {"x": SCALE, "y": 1}[kind]
        """,
        "configure(SCALE=5)",
        probes=("factor('x')",),
        reason=r"SCALE.*(rebound|configure)", covers=CONSTANT,
    ),
    # --- the container is only read ---------------------------------------------------------------------
    refuse(
        "hoist-constant-returned", T, "the dict is returned: the caller changes it, the next call would see it",
        """
        def defaults():
            settings = {"color": "red", "size": 3}
            return settings
        """,
        "defaults()['color'] = 'blue'",
        probes=("defaults()",),
        reason=r"used other than by reading", covers=READ,
    ),
    refuse(
        "hoist-constant-stored-into", T, "the function stores into its dict before reading it",
        """
        def count(key):
            seen = {"a": 1, "b": 2}
            seen[key] = 0
            return len(seen)
        """,
        "count('x')",
        probes=("count('y')",),
        reason=r"used other than by reading", covers=READ,
    ),
    refuse(
        "hoist-constant-passed-on", T, "the dict is handed to a callback that adds a key",
        """
        def total(note):
            parts = {"a": 1}
            note(parts)
            return len(parts)
        """,
        "total(lambda d: d.setdefault(len(d), 0))",
        probes=("total(lambda d: d.setdefault(len(d), 0))",),
        reason=r"used other than by reading", covers=READ,
    ),
    refuse(
        "hoist-constant-in-chain", T, "`k in table in keeper` hands the table to keeper's __contains__, which keeps it",
        """
        KEPT = []


        class Keeper:
            def __contains__(self, other):
                KEPT.append(other)
                return True


        def check(key):
            return key in {"a": 1} in Keeper()
        """,
        "check('a')",
        probes=("KEPT[0]['b'] = 2", "check('a')", "[len(d) for d in KEPT]"),
        reason=r"used other than by reading", covers=READ,
    ),
    # --- a local holding it -----------------------------------------------------------------------------
    refuse(
        "hoist-constant-augmented-assignment", T, "`d |= {...}` updates the dict in place (and rebinds the name)",
        """
        def merged(extra):
            options = {"a": 1}
            options |= extra
            return sorted(options)
        """,
        "merged({'b': 2})",
        probes=("merged({})",),
        reason=r"bound more than once", covers=(READ, LOCAL),
    ),
    refuse(
        "hoist-constant-list-augmented", T, "`names += [...]` extends the list in place",
        """
        def listed(extra):
            names = [str, int]
            names += [extra]
            return len(names)
        """,
        "listed(float)",
        probes=("listed(float)",),
        reason=r"bound more than once", covers=(READ, LOCAL),
    ),
    refuse(
        "hoist-constant-global-target", T, "the function binds a module global: it outlives the call and other "
        "code changes it",
        """
        TABLE = None


        def lookup(key):
            global TABLE
            TABLE = {"a": 1}
            return TABLE[key]
        """,
        "lookup('a'); TABLE_ = mod.TABLE; TABLE_['a'] = 9",
        probes=("lookup('a')",),
        reason=r"not a local variable", covers=LOCAL,
    ),
    refuse(
        "hoist-constant-captured-and-changed", T, "a returned lambda captures the dict and adds keys to it",
        """
        def getter():
            table = {"a": 1}
            return lambda key: table.setdefault(key, len(table))
        """,
        "getter()('b')",
        probes=("getter()('c')",),
        reason=r"used other than by reading", covers=READ,
    ),
    refuse(
        "hoist-constant-locals", T, "locals() hands the dict out",
        """
        def frame_vars():
            table = {"a": 1}
            return table["a"], locals()
        """,
        "frame_vars()[1]['table']['b'] = 2",
        probes=("len(frame_vars()[1]['table'])",),
        reason=r"reads its local variables", covers=LOCAL,
    ),
    refuse(
        "hoist-constant-frame-read", T, "sys._getframe().f_locals hands the list out",
        """
        import sys


        def order():
            names = ["int", "str"]
            return sys._getframe().f_locals["names"]
        """,
        "order().append('float')",
        probes=("len(order())",),
        reason=r"reads its local variables", covers=LOCAL,
    ),
    # --- sound edges: must apply ------------------------------------------------------------------------
    apply(
        "hoist-constant-type-rank-dicts", T, "two dicts keyed and valued by builtin types (type(None) too), "
        "read with get and subscripts",
        """
        def more_generic(type1, type2):
            types = {type(None): 0, bool: 1, int: 2, float: 3, bytes: 4, str: 5}
            invtypes = {5: str, 4: bytes, 3: float, 2: int, 1: bool, 0: type(None)}
            return invtypes[max(types.get(type1, 5), types.get(type2, 5))]
        """,
        "[more_generic(int, float), more_generic(bool, type(None)), more_generic(list, int)]",
        probes=("more_generic(int, bytes).__name__", "more_generic('x', int)"),
    ),
    apply(
        "hoist-constant-inline-with-constant", T, "an inline dict naming a module constant bound before the def, "
        "missing key raises KeyError as before",
        """
        KILO = 1024


        def unit(kind):
            return {"k": KILO, "m": (KILO, 2), "b": 1}[kind]
        """,
        "[unit('k'), unit('m'), unit('b')]",
        probes=("unit('x')",),
    ),
    apply(
        "hoist-constant-set-in-loop", T, "a local set of builtin types tested in a loop; an unhashable value "
        "raises TypeError as before",
        """
        def scalars(values):
            plain = {int, float, str, type(None)}
            return [v for v in values if type(v) in plain]
        """,
        "scalars([1, 'a', 2.0, [], None, True])",
        probes=("scalars([{}])",),
    ),
    apply(
        "hoist-constant-method-list-iterated", T, "a method iterates a list of builtin types and indexes it",
        """
        class Parser:
            def kinds(self, value):
                order = [int, float, str]
                found = [t.__name__ for t in order if isinstance(value, t)]
                return found, order[0], order.index(str), len(order), order.count(int)
        """,
        "Parser().kinds(3)",
        probes=("Parser().kinds('x')",),
    ),
    apply(
        "hoist-constant-read-by-generator", T, "a generator expression reads the dict lazily, after the call "
        "returned",
        """
        def cells(aligns):
            marks = {"left": "<", "right": ">"}
            return (marks.get(a, "") for a in aligns)
        """,
        "g = cells(['left', 'x']); list(g)",
        probes=("list(cells(['right']))",),
    ),
)
