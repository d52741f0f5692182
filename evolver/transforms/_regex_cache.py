"""precompile-regex's cached form, for a pattern that is not a literal (a rule table's, a built one).

The call ``re.search(rule, word)`` becomes ``_evolver_re_search(rule, word)``: the same arguments,
evaluated in the same order, handed to a module-level helper with ``re.search``'s own signature that
keeps the compiled patterns in a dict keyed like ``re``'s own cache, by ``(type(pattern), pattern,
flags)`` (an exact str pattern without flags by the str itself: no tuple to build and hash, and a str
never equals a tuple key). A hit skips ``re``'s wrapper call, its ``RegexFlag`` check and its lookup; a miss calls
``re._compile``, the very function ``re.search`` calls, at the same stack depth, so what a pattern
raises (``re.error``, ``TypeError``) or warns (``FutureWarning``, attributed to the caller's line)
is unchanged. The key is the pattern's value, so a rule table mutated between calls stays right. A
compiled pattern given without flags (``re.compile(rule)`` over a table that mixes strings and compiled
patterns) is returned as itself at once, as ``re._compile`` returns it, but without hashing it first
(a ``Pattern``'s hash walks its whole code, and ``re`` looks it up in its cache before giving it back);
``re.Pattern`` cannot be subclassed, and only an exact ``int`` 0 is taken for "no flags" (a flag
object goes the long way, where ``re`` hashes and tests it). Only what ``re`` keeps is kept: never a
compiled pattern given as the pattern, never a ``re.DEBUG`` compile (it prints, and ``re`` does not cache it either); a str subclass
pattern is kept under its own type, as ``re`` keeps it; the dict is emptied when it reaches 512 entries (``re``'s own bound),
so a pattern built from every input cannot grow it without end.
"""

from __future__ import annotations

import ast
import re
import sys

import libcst as cst

from evolver.analysis.generated import BOUND, CACHE, PREFIX, helper_name, helper_of, helper_source

__all__ = ["BOUND", "CACHE", "PREFIX", "add_helpers", "helper_function", "helper_name", "helper_source", "reasons"]
from evolver.analysis.index import ModuleIndex

# builtins the helpers read by name: the module must leave them alone
READS = ("type", "int", "len", "KeyError")


def helper_function(name: str) -> str | None:
    """The re function a generated helper stands for (``_evolver_re_sub`` and ``_evolver_re_sub_noflags`` -> ``sub``)."""
    found = helper_of(name)
    return found[0] if found else None


def reasons(index: ModuleIndex, function: str, call: ast.Call, flags: bool = True) -> list[str]:
    """Why the call cannot go through the cached helper (empty: it can); ``flags``: the call passes flags."""
    found = []
    if not callable(getattr(re, "_compile", None)):
        found.append("this Python's re has no _compile (the helper compiles through it)")
    if sys.version_info >= (3, 13) and function in ("sub", "subn", "split") and len(call.args) > 3 - (function == "split"):
        found.append(f"passes re.{function}'s count/maxsplit/flags by position (deprecated since 3.13: the "
                     "warning would be lost)")
    for name in (CACHE, helper_name(function, flags)):
        if not _ours(index, name, helper_source(function, flags)):
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


def add_helpers(tree: cst.Module, function: str, at: int, flags: bool = True) -> cst.Module:
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
    if helper_name(function, flags) not in have:
        definition = cst.parse_statement(helper_source(function, flags), config=tree.config_for_parsing)
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
