"""precompile-regex's cached form, for a pattern that is not a literal (a rule table's, a built one).

The call ``re.search(rule, word)`` becomes ``_evolver_re_search(rule, word)``: the same arguments,
evaluated in the same order, handed to a module-level helper with ``re.search``'s own signature that
keeps the compiled patterns in a dict keyed like ``re``'s own cache, by ``(type(pattern), pattern,
flags)``. A hit skips ``re``'s wrapper call, its ``RegexFlag`` check and its lookup; a miss calls
``re._compile``, the very function ``re.search`` calls, at the same stack depth, so what a pattern
raises (``re.error``, ``TypeError``) or warns (``FutureWarning``, attributed to the caller's line)
is unchanged. The key is the pattern's value, so a rule table mutated between calls stays right. Only
what ``re`` keeps is kept: never a compiled pattern given as the pattern (it is returned as
itself), never a ``re.DEBUG`` compile (it prints, and ``re`` does not cache it either); a str subclass
pattern is kept under its own type, as ``re`` keeps it; the dict is emptied when it reaches 512 entries (``re``'s own bound),
so a pattern built from every input cannot grow it without end.
"""

from __future__ import annotations

import ast
import re
import sys

import libcst as cst

from evolver.analysis.index import ModuleIndex

CACHE = "_EVOLVER_RE_CACHE"
PREFIX = "_evolver_re_"
HELPER = re.compile(rf"{PREFIX}(\w+)")
BOUND = 512
# builtins the helpers read by name: the module must leave them alone
READS = ("type", "len", "KeyError")


def helper_name(function: str) -> str:
    return PREFIX + function


def helper_function(name: str) -> str | None:
    """The re function a generated helper stands for (``_evolver_re_sub`` -> ``sub``)."""
    found = HELPER.fullmatch(name)
    return found.group(1) if found else None


def helper_source(function: str, parameters: tuple[str, ...], required: int) -> str:
    """The helper for ``re.<function>``: re's signature, the cache in front of ``re._compile``."""
    signature = ", ".join(p if i < required else f"{p}=0" for i, p in enumerate(parameters))
    passed = ", ".join(p for p in parameters if p not in ("pattern", "flags"))
    result = "compiled" if function == "compile" else f"compiled.{function}({passed})"
    return (
        f"def {helper_name(function)}({signature}):\n"
        f'    """re.{function}, with the compiled pattern kept per (pattern, flags) (written by evolver)."""\n'
        "    key = type(pattern), pattern, flags\n"
        "    try:\n"
        f"        compiled = {CACHE}[key]\n"
        "    except KeyError:\n"
        "        # what re itself calls: its errors, warnings and own cache, at the same stack depth\n"
        "        compiled = re._compile(pattern, flags)\n"
        "        if compiled is not pattern and not flags & re.DEBUG:  # what re keeps\n"
        f"            if len({CACHE}) >= {BOUND}:\n"
        f"                {CACHE}.clear()\n"
        f"            {CACHE}[key] = compiled\n"
        f"    return {result}\n")


def reasons(index: ModuleIndex, function: str, call: ast.Call, parameters: tuple[str, ...],
            required: int) -> list[str]:
    """Why the call cannot go through the cached helper (empty: it can)."""
    found = []
    if not callable(getattr(re, "_compile", None)):
        found.append("this Python's re has no _compile (the helper compiles through it)")
    if sys.version_info >= (3, 13) and function in ("sub", "subn", "split") and len(call.args) > 3 - (function == "split"):
        found.append(f"passes re.{function}'s count/maxsplit/flags by position (deprecated since 3.13: the "
                     "warning would be lost)")
    for name in (CACHE, helper_name(function)):
        if not _ours(index, name, helper_source(function, parameters, required)):
            found.append(f"the name {name} is taken in the module")
    for name in READS:
        if index.global_bindings(name):
            found.append(f"the module binds `{name}`, which the cache helper reads as the builtin")
    return found


def _ours(index: ModuleIndex, name: str, helper: str) -> bool:
    """``name`` is free, or bound once by what this transform writes (the cache dict, ``helper``)."""
    bindings = index.global_bindings(name)
    if not bindings:
        return not any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(index.tree))
    if len(bindings) != 1 or index.enclosing_function(bindings[0].node) is not None:
        return False
    statement = bindings[0].statement
    if name == CACHE:
        return isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Dict) \
            and not statement.value.keys
    return isinstance(statement, ast.FunctionDef) and ast.dump(statement) == ast.dump(ast.parse(helper).body[0])


def add_helpers(tree: cst.Module, function: str, parameters: tuple[str, ...], required: int, at: int) -> cst.Module:
    """The cache dict and the helper for ``function``, at module level from statement ``at`` on
    (after the imports and the precompiled patterns), unless they are there already."""
    body = list(tree.body)
    have = {_defined(s) for s in body}
    added: list[cst.BaseStatement] = []
    if CACHE not in have:
        line = cst.parse_statement(f"{CACHE} = {{}}  # compiled patterns by (type, pattern, flags), written by "
                                   "evolver\n", config=tree.config_for_parsing)
        added.append(line.with_changes(leading_lines=[cst.EmptyLine()] if at else []))
    else:
        at = next(i for i, s in enumerate(body) if _defined(s) == CACHE) + 1
        while at < len(body) and (_defined(body[at]) or "").startswith(PREFIX):
            at += 1
    if helper_name(function) not in have:
        definition = cst.parse_statement(helper_source(function, parameters, required), config=tree.config_for_parsing)
        added.append(definition.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()]))
    if not added:
        return tree
    follow = body[at:]
    blank = sum(1 for line in follow[0].leading_lines if line.comment is None) if follow else 2
    if follow and blank < 2:  # two blank lines after a def
        follow[0] = follow[0].with_changes(leading_lines=[cst.EmptyLine()] * (2 - blank) + list(follow[0].leading_lines))
    return tree.with_changes(body=[*body[:at], *added, *follow])


def _defined(statement: cst.BaseStatement) -> str | None:
    """The name a module-level statement written by this transform defines."""
    if isinstance(statement, cst.FunctionDef):
        return statement.name.value
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            return small.targets[0].target.value
    return None
