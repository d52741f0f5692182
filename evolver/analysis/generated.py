"""Code evolver itself writes, read back by the analysis as what it stands for.

precompile-regex's cached form writes ``_evolver_re_search`` & co. and their cache ``_EVOLVER_RE_CACHE``
(``evolver.transforms._regex_cache``). A later analysis of the rewritten module (the next generation)
must not take them for user code: a call of such a helper *is* a call of ``re.search`` with the same
arguments, so the caller stays as pure as it was. The proof, given the helper's exact text (checked
here, byte for byte against the template): it returns ``re._compile(pattern, flags).<function>(...)``,
either through ``re._compile`` itself (what ``re.search`` calls, at the same depth) or through a
compiled pattern that ``re._compile`` returned earlier for an equal key ``(type, pattern, flags)``
(an exact str pattern without flags is keyed by itself: only such calls store under a str key, and a
str never equals a tuple key);
compiled patterns are immutable and behave alike when their keys are equal (identity aside:
``identity-not-observed``, as with ``re``'s own cache). Its only write is to the cache dict, which no
other code of the module names (checked here), so no result of any function can depend on it. The
name ``re`` in the helper must be the ``re`` module, imported plainly at module level.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evolver.analysis.index import ModuleIndex

CACHE = "_EVOLVER_RE_CACHE"
PREFIX = "_evolver_re_"
BOUND = 512
# The parameters of the ``re`` functions, in order: ``flags`` sits at a different position in
# each, and the compiled pattern's methods take neither ``pattern`` nor ``flags``.
PARAMETERS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("match", "search", "fullmatch", "findall", "finditer"), ("pattern", "string", "flags")),
    "split": ("pattern", "string", "maxsplit", "flags"),
    "sub": ("pattern", "repl", "string", "count", "flags"),
    "subn": ("pattern", "repl", "string", "count", "flags"),
    "compile": ("pattern", "flags"),
}
REQUIRED: dict[str, int] = {"sub": 3, "subn": 3, "compile": 1}  # leading parameters a call must give (else 2)


NOFLAGS = "_noflags"  # the helper for calls that pass no flags: re's signature without them


def helper_name(function: str, flags: bool = True) -> str:
    return PREFIX + function + ("" if flags else NOFLAGS)


def helper_of(name: str) -> tuple[str, bool] | None:
    """The ``re`` function a helper's name stands for, and whether it takes flags (None: not a helper name)."""
    if not name.startswith(PREFIX):
        return None
    function = name[len(PREFIX):]
    flags = not function.endswith(NOFLAGS)
    function = function if flags else function[:-len(NOFLAGS)]
    return (function, flags) if function in PARAMETERS else None


def helper_source(function: str, flags: bool = True) -> str:
    """The helper for ``re.<function>``: re's signature (without ``flags`` when ``flags`` is false: the
    call passes none, so they are 0), the cache in front of ``re._compile``."""
    parameters, required = [p for p in PARAMETERS[function] if flags or p != "flags"], REQUIRED.get(function, 2)
    signature = ", ".join(p if i < required else f"{p}=0" for i, p in enumerate(parameters))
    passed = ", ".join(p for p in parameters if p not in ("pattern", "flags"))

    def result(compiled: str) -> str:
        return compiled if function == "compile" else f"{compiled}.{function}({passed})"

    head = (f"def {helper_name(function, flags)}({signature}):\n"
            f'    """re.{function}, with the compiled pattern kept per (pattern, flags) (written by evolver)."""\n')
    if not flags:
        return (
            head
            + "    if type(pattern) is str:\n"
            "        key = pattern  # an exact str without flags is its own key (a str never equals a tuple)\n"
            "    elif type(pattern) is re.Pattern:\n"
            f"        return {result('pattern')}  # what re gives for a compiled pattern without flags, unhashed\n"
            "    else:\n"
            "        key = type(pattern), pattern, 0\n"
            "    try:\n"
            f"        compiled = {CACHE}[key]\n"
            "    except KeyError:\n"
            "        # what re itself calls: its errors, warnings and own cache, at the same stack depth\n"
            "        compiled = re._compile(pattern, 0)\n"
            "        if compiled is not pattern:  # what re keeps\n"
            f"            if len({CACHE}) >= {BOUND}:\n"
            f"                {CACHE}.clear()\n"
            f"            {CACHE}[key] = compiled\n"
            f"    return {result('compiled')}\n")
    return (
        head
        + "    if type(pattern) is str and type(flags) is int and not flags:\n"
        "        key = pattern  # an exact str without flags is its own key (a str never equals a tuple)\n"
        "    elif type(pattern) is re.Pattern and type(flags) is int and not flags:\n"
        f"        return {result('pattern')}  # what re gives for a compiled pattern without flags, unhashed\n"
        "    elif type(flags) is int or type(flags) is re.RegexFlag:\n"
        "        key = type(pattern), pattern, flags\n"
        "    else:  # flags of another type (0.0, True): what re does, uncached (its DEBUG test may raise)\n"
        f"        return {result('re._compile(pattern, flags)')}\n"
        "    try:\n"
        f"        compiled = {CACHE}[key]\n"
        "    except KeyError:\n"
        "        # what re itself calls: its errors, warnings and own cache, at the same stack depth\n"
        "        compiled = re._compile(pattern, flags)\n"
        "        if compiled is not pattern and not flags & re.DEBUG:  # what re keeps\n"
        f"            if len({CACHE}) >= {BOUND}:\n"
        f"                {CACHE}.clear()\n"
        f"            {CACHE}[key] = compiled\n"
        f"    return {result('compiled')}\n")


def regex_helper(index: ModuleIndex, statement: ast.AST) -> str | None:
    """The ``re`` function a module-level def stands for, when it is evolver's helper, unchanged, with
    its cache private to the helpers and ``re`` the re module (None otherwise)."""
    if not isinstance(statement, ast.FunctionDef):
        return None
    found = helper_of(statement.name)
    if found is None or index.parent(statement) is not index.tree:
        return None
    key = ("generated-regex", id(statement))
    if key not in index.cache:
        index.cache[key] = _unchanged(index, statement, *found)
    return found[0] if index.cache[key] else None


def _is_template(statement: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    found = helper_of(statement.name)
    return found is not None and ast.dump(statement) == ast.dump(ast.parse(helper_source(*found)).body[0])


def _unchanged(index: ModuleIndex, statement: ast.FunctionDef, function: str, flags: bool) -> bool:
    if not _is_template(statement):
        return False
    imports = index.global_bindings("re")
    if len(imports) != 1 or not (isinstance(imports[0].statement, ast.Import) and isinstance(imports[0].node, ast.alias)
                                 and imports[0].node.name == "re" and imports[0].node.asname is None):
        return False
    cache = index.global_bindings(CACHE)
    if len(cache) != 1 or not (isinstance(cache[0].statement, ast.Assign) and isinstance(cache[0].statement.value, ast.Dict)
                               and not cache[0].statement.value.keys):
        return False
    for node in ast.walk(index.tree):  # only the helpers name the cache
        if isinstance(node, ast.Name) and node.id == CACHE and node is not cache[0].node:
            owner = index.enclosing_function(node)
            if owner is None or not _is_template(owner.node):
                return False
    return True
