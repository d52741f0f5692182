"""Is an expression in a function worth the same objects when evaluated once, before the function's
``def`` runs, as each time the function runs it?

It is when it is made only of constants, tuple and container displays of such, builtin names that
nothing in the module can shadow or rebind, module constants bound earlier by a plain assignment
(``evolver.analysis.constants``), and a few builtin calls whose result is a function of their
arguments' values (``type(None)``, ``len("ab")``). Evaluating it then runs no user code and cannot
raise. Builtins rest on the assumption ``builtins-unchanged``, module constants on
``module-globals-private``.

A nested list, dict or set display is a fresh mutable object on every call: evaluated once, every
call would share it, so it is refused here (the one container hoist-constant hoists is checked by
its own uses, not by this module).
"""

from __future__ import annotations

import ast

from evolver.analysis.constants import constant_reason
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import builtin_visible
from evolver.analysis.rebinding import ANYTHING, rebinders

# Builtin calls whose result depends only on their arguments' values (for arguments that are fixed
# values themselves, they run no user code and cannot raise). Not ``id``/``hash`` (an object's
# identity is not its value: a constant of the module's code is another object than the function's),
# nor ``object()`` (a fresh sentinel on every call).
VALUE_CALLS = frozenset({"builtins.type", "builtins.len", "builtins.bool", "builtins.isinstance",
                         "builtins.issubclass", "builtins.callable"})
MUTABLE_DISPLAYS = {ast.List: "list", ast.Dict: "dict", ast.Set: "set", ast.ListComp: "list",
                    ast.DictComp: "dict", ast.SetComp: "set"}
NAMES_USED = ("names-used",)


def fixed_reasons(index: ModuleIndex, fn: FunctionInfo, expr: ast.AST, before: ast.stmt) -> list[str]:
    """Why ``expr`` (read in ``fn``) may not give the same objects when evaluated once at the module
    statement ``before`` as each time ``fn`` runs it (empty: it gives the same ones)."""
    if isinstance(expr, ast.Constant):
        return []
    if isinstance(expr, ast.Tuple):
        return [r for element in expr.elts for r in fixed_reasons(index, fn, element, before)]
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.operand, ast.Constant) and isinstance(
            expr.operand.value, (int, float, complex)) and not isinstance(expr.operand.value, bool):
        return []
    if type(expr) in MUTABLE_DISPLAYS:
        kind = MUTABLE_DISPLAYS[type(expr)]
        return [f"holds `{index.code(expr)}`, a {kind} built anew on every call: hoisted, every call would "
                f"share one (and could change it)"]
    if isinstance(expr, ast.Name) and isinstance(expr.ctx, ast.Load):
        return name_reasons(index, fn, expr, before)
    if isinstance(expr, ast.Call):
        return _call_reasons(index, fn, expr, before)
    return [f"`{index.code(expr)}` is not a constant, a builtin or a module constant: it is evaluated on every call"]


def name_reasons(index: ModuleIndex, fn: FunctionInfo, name: ast.Name, before: ast.stmt) -> list[str]:
    """Why the name read in ``fn`` may mean another object at ``before`` than when ``fn`` runs."""
    kind = index.binding(name)
    if kind == "builtin":
        return builtin_reasons(index, fn, name.id)
    if kind == "global":
        reason = constant_reason(index, name.id)
        if reason is not None:
            return [reason]
        statement = index.global_bindings(name.id)[0].statement
        body = index.tree.body
        if statement not in body or before not in body or body.index(statement) >= body.index(before):
            return [f"module constant {name.id} is not bound by a module statement before {fn.qualname} is defined"]
        return []
    if kind in ("local", "param"):
        return [f"`{name.id}` is a variable of {fn.qualname}: its value is known only when the function runs"]
    if kind == "unresolved" and index.star_import:
        return [f"`{name.id}` may be bound by the module's `from ... import *`"]
    if kind == "enclosing":
        return [f"`{name.id}` is a variable of an enclosing function"]
    return [f"`{name.id}` is not a builtin or a module constant bound by a plain assignment ({kind})"]


def builtin_reasons(index: ModuleIndex, fn: FunctionInfo, name: str) -> list[str]:
    """Why the builtin ``name`` may be rebound or shadowed between the module's import and a call."""
    if not builtin_visible(index, fn, name):
        return [f"`{name}` may not be the builtin (the module has `from ... import *`)" if index.star_import
                else f"`{name}` is bound by the module too"]
    table = rebinders(index)
    reasons = [f"`{name}` may be rebound: {why}" for why in table.builtins]
    for culprit in table.by_name.get(name, []) + table.by_name.get(ANYTHING, []):
        how = f" ({table.how[culprit]})" if culprit in table.how else ""
        reasons.append(f"{culprit} can rebind `{name}`{how}")
    return reasons


def _call_reasons(index: ModuleIndex, fn: FunctionInfo, call: ast.Call, before: ast.stmt) -> list[str]:
    name = index.qualified_name(call.func)
    if name not in VALUE_CALLS or call.keywords or any(isinstance(a, ast.Starred) for a in call.args) \
            or not isinstance(call.func, ast.Name):
        return [f"calls `{index.code(call.func)}`: its result is known only when the function runs"]
    reasons = builtin_reasons(index, fn, call.func.id)
    return reasons + [r for a in call.args for r in fixed_reasons(index, fn, a, before)]


def fresh_name(index: ModuleIndex, base: str, taken: set[str] | frozenset[str] = frozenset(), *,
               numbered: bool = False) -> str:
    """``base``, or ``base_2``, ``base_3``... (``numbered``: ``base0``, ``base1``...): a name nothing
    in the module uses (no name, attribute, argument, import or definition spells it), nor one of
    ``taken``. A parameter or an import that nothing reads still counts: a new global of its name
    would be shadowed by the one, or rebind the other."""
    if NAMES_USED not in index.cache:
        used: set[str] = set()
        for node in ast.walk(index.tree):
            if isinstance(node, ast.Name):
                used.add(node.id)
            elif isinstance(node, ast.arg):
                used.add(node.arg)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                used.add(node.name)
            elif isinstance(node, ast.alias):
                used.add((node.asname or node.name).split(".")[0])
            elif isinstance(node, ast.Attribute):
                used.add(node.attr)
        index.cache[NAMES_USED] = used
    used = index.cache[NAMES_USED]
    n = 0 if numbered else 1
    name = f"{base}0" if numbered else base
    while name in used or name in taken:
        n += 1
        name = f"{base}{n}" if numbered else f"{base}_{n}"
    return name
