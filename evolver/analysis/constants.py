"""Module constants: is reading a module global the same as reading one immutable value?

It is when the name is bound once, by a plain assignment among the module's own statements (not
by a function through ``global``, never deleted, no star import, and no function of the module can
rebind any global: ``globals()[...] =``, ``setattr`` on the module, ``exec``...), to a value that is exactly an
immutable builtin (a number, a str, a tuple or frozenset of such). Leans on the assumption
``module-globals-private``: nothing outside the module rebinds its globals.
"""

from __future__ import annotations

import ast

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import ModuleIndex
from evolver.analysis.rebinding import rebinders


def constant_reason(index: ModuleIndex, name: str) -> str | None:
    """Why reading the module global ``name`` is not reading an immutable constant (None: it is)."""
    key = ("constant", name)
    if key not in index.cache:
        index.cache[key] = _reason(index, name)
    return index.cache[key]


def _reason(index: ModuleIndex, name: str) -> str | None:
    if not index.bound_once(name):
        return f"reads module global {name} (rebound in the module)"
    binding = index.global_bindings(name)[0]
    if binding.kind not in ("assign", "annassign") or index.enclosing_function(binding.node) is not None:
        return f"reads module global {name} (not bound by a plain assignment)"
    table = rebinders(index)
    if table.of(name):
        culprit = table.of(name)[0]
        how = f" ({table.how[culprit]})" if culprit in table.how else ""
        return f"reads module global {name} (rebound at run time: {culprit}{how} can rebind any global)"
    value = getattr(binding.statement, "value", None)
    found = types.facts(index, None).global_type(name)
    if k.immutable(found):
        return None
    return f"reads module global {name} (bound to {describe(index, value, found)})"


def describe(index: ModuleIndex, value: ast.AST | None, found: k.Type) -> str:
    """A short description of a value that is not proven immutable."""
    shown = {ast.List: "a mutable list", ast.ListComp: "a mutable list", ast.Dict: "a mutable dict",
             ast.DictComp: "a mutable dict", ast.Set: "a mutable set", ast.SetComp: "a mutable set"}
    if value is not None and type(value) in shown:
        return shown[type(value)]
    if value is not None and isinstance(value, ast.Call):
        return f"the result of {index.code(value.func)}(...)"
    if k.known(found):
        return f"a value of kind {k.show(found)}"
    return "a value not proven immutable"


def is_constant(index: ModuleIndex, name: ast.Name) -> bool:
    """``name`` (read somewhere in the module) is an immutable module constant."""
    return index.binding(name) == "global" and constant_reason(index, name.id) is None
