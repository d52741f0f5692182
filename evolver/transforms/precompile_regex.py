"""precompile-regex: compile a regular expression once, not on every call: a constant one at import,
any other through a cache keyed by (pattern, flags)."""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis.generated import PARAMETERS, REQUIRED
from evolver.analysis.import_time import fresh_name
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loops import repeats
from evolver.model import Site
from evolver.transforms import _regex_cache as cache
from evolver.transforms._cst import CstView, add_import
from evolver.transforms.base import (
    NO_SITE,
    Candidate,
    Context,
    Example,
    Transform,
    Verdict,
    import_name_reason,
    leave,
    rewrite,
)

PREFIX = "_EVOLVER_RE_"
NAME = re.compile(rf"{PREFIX}\d+")
FLAGS = frozenset({"A", "ASCII", "I", "IGNORECASE", "L", "LOCALE", "M", "MULTILINE", "S", "DOTALL", "X",
                   "VERBOSE", "U", "UNICODE", "NOFLAG"})


@dataclass(frozen=True)
class Call(Candidate):
    """A call of a ``re`` function, or a use of a pattern this transform compiled (its place is kept
    so that site ids do not shift)."""

    function: str
    compiled: bool


@dataclass(frozen=True)
class Pattern:
    """A constant pattern and flags, as code for the module-level ``re.compile`` and as values."""

    code: str
    flags_code: str
    value: str | bytes
    flags: int


class PrecompileRegex(Transform):
    """Compile a regular expression once: a constant pattern at import, any other through a cache.

    What it rewrites: ``re.match(PATTERN, s)`` (also ``search``, ``fullmatch``, ``findall``,
    ``finditer``, ``split``, ``sub``, ``subn`` and ``compile``) inside a function, with a literal
    pattern and constant flags, becomes ``_EVOLVER_RE_<n>.match(s)``; the pattern is compiled once
    after the module's imports (``_EVOLVER_RE_<n> = re.compile(PATTERN, FLAGS)``), shared by every
    call with the same pattern and flags. ``re.compile(PATTERN)`` becomes the name itself.

    Why it is faster: each ``re.match(...)`` call looks the pattern up in ``re``'s cache (type and
    flag checks, a dict lookup, a wrapper call); a compiled pattern's method skips all of it.
    Patterns beyond the cache's 512 entries are recompiled on every call.

    A pattern that is not a literal (a rule table's, one built per call, or a literal with flags
    that are not constant) goes through a cache instead: ``re.search(rule, word)`` becomes
    ``_evolver_re_search_noflags(rule, word)``, a module-level helper with ``re.search``'s signature
    (without ``flags`` when the call passes none: ``_evolver_re_search`` takes them) that keeps the
    compiled patterns per ``(type(pattern), pattern, flags)`` (``evolver.transforms._regex_cache``).

    Example::

        def words(text):                              _EVOLVER_RE_0 = re.compile(r"\\w+")
            return re.findall(r"\\w+", text)    ->     def words(text):
                                                          return _EVOLVER_RE_0.findall(text)

    Rewrite safety: the pattern is a literal str or bytes (a name or an f-string could change: a
    keyed cache would be needed; refused); the flags are ``re`` flags combined with ``|`` or an
    integer literal (not ``re.DEBUG``, which prints when compiling); the pattern compiles with those
    flags without an error or a warning (an error would otherwise move from the call to the import
    of the module), checked by compiling it afresh, never through ``re``'s cache (which would hide a
    warning the second time); the arguments map onto the compiled pattern's method: ``flags`` is
    dropped wherever it sits (the third argument of ``re.match`` is ``pos`` for ``Pattern.match``),
    the others keep their order and keywords; no ``*args``/``**kwargs``; the module binds ``re``
    only to the re module, imports it (if it does) in its first import block, where the compiled
    patterns go, and no scope around the call rebinds the name; a compiled pattern's name is one
    nothing in the module spells (no name, parameter, import, definition or attribute: an unread
    parameter of that name would shadow it, an unread import would be rebound). Relies on: stdlib-as-documented
    (``re`` is not patched: a test that patches ``re.match`` itself no longer sees these calls),
    identity-not-observed (``re.compile`` returned a cached object before, a module constant now).

    The cached form keeps the call's arguments as they are (same order of evaluation) and compiles a
    missing pattern with ``re._compile``, what ``re`` itself calls, at the same stack depth: a bad
    pattern raises the same error at the same call, a warning is attributed to the same line. The key
    is ``re``'s own, the pattern's value: a rule table changed between calls is seen. What ``re``
    keeps is kept (never a compiled pattern given as the pattern, never a ``re.DEBUG`` compile, which
    prints); the cache is emptied at 512 entries. The helpers' names are free in the module, and the module leaves the builtins they
    read alone. Relies on quiet-special-methods too (a pattern is hashed once more on a miss).
    """

    name: ClassVar[str] = "precompile-regex"
    description: ClassVar[str] = ("compile regular expressions once: constant ones at import, others through a "
                                  "cache keyed by (pattern, flags)")
    preconditions: ClassVar[tuple[str, ...]] = (
        "a call of re.match/search/fullmatch/findall/finditer/split/sub/subn/compile inside a function",
        "a literal pattern: flags are re flags joined with `|` or an integer literal; not re.DEBUG",
        "the pattern compiles with its flags without an error or a warning (compiled afresh, not from re's cache)",
        "no *args/**kwargs; every argument maps onto the compiled pattern's method",
        "module-level `re` is the re module, imported (if at all) in the first import block",
        "any other pattern goes through a cache: its helper names are free and the module does not rebind the "
        "builtins it reads; no re.DEBUG flags",
    )
    assumptions: ClassVar[tuple[str, ...]] = ("stdlib-as-documented", "identity-not-observed")
    examples: ClassVar[tuple[Example, ...]] = (
        leave("import re\n\n_EVOLVER_RE_CACHE = []\n\n\ndef match(p, s):\n    return re.match(p, s)\n",
              "_EVOLVER_RE_CACHE is taken"),
        leave("import re\n\n\ndef f(word, s):\n    return re.search(f'{word}+', s, re.DEBUG)\n", "include re.DEBUG"),
        leave("import re\n\ntype = 'kind'\n\n\ndef f(p, s):\n    return re.findall(p, s)\n", "binds `type`"),
        leave("import re\n\n\ndef f(s):\n    return re.match(r'a+', s, re.DEBUG)\n", "DEBUG"),
        leave("import re\n\n\ndef f(s):\n    return re.match(r'(a', s)\n", "does not compile"),
        leave("import re\n\n\ndef f(s):\n    return re.match('[[a]', s)\n", "warns"),
        leave("import re\n\n\ndef f(args):\n    return re.match(r'a', *args)\n", "do not map onto"),
        leave("import re as regex\n\nre = 'not the module'\n\n\ndef f(s):\n    return regex.match(r'a', s)\n",
              "binds `re` to something other"),
        leave("def f(s):\n    return re.match(r'a', s)\n\n\nimport re\n", "after its first import block"),
        leave("import re\n\n\ndef f(s):\n    return re.match(r'a', s, pos=1)\n", "do not map onto"),
        # `re` here is a variable of the enclosing function: not a call of the re module at all
        leave("import re\n\n\ndef outer(re_):\n    re = re_\n\n    def f(s):\n        return re.match(r'a', s)\n"
              "    return f\n", NO_SITE),
    )
    examples += (
        rewrite('import re\n\n\ndef words(text):\n    return re.findall(r"\\w+", text.lower())\n',
                'import re\n\n_EVOLVER_RE_0 = re.compile(r"\\w+")\n\n\n'
                'def words(text):\n    return _EVOLVER_RE_0.findall(text.lower())\n'),
        rewrite('"""Log lines."""\nfrom re import IGNORECASE, sub\nimport re\n\nLEVELS = ("INFO", "WARN")\n\n\n'
                "def clean(line):\n    line = sub(r'\\s+', ' ', line, count=2, flags=IGNORECASE)\n"
                "    return re.split(r'\\s+', line, 1, re.IGNORECASE)  # two fields\n",
                '"""Log lines."""\nfrom re import IGNORECASE, sub\nimport re\n\n'
                "_EVOLVER_RE_0 = re.compile(r'\\s+', re.IGNORECASE)\n\n"
                'LEVELS = ("INFO", "WARN")\n\n\n'
                "def clean(line):\n    line = _EVOLVER_RE_0.sub(' ', line, count=2)\n"
                "    return _EVOLVER_RE_0.split(line, 1)  # two fields\n"),
        rewrite("import re as regex\n\n\ndef valid(names):\n"
                "    pattern = regex.compile('[a-z_][a-z0-9_]*', regex.I | regex.A)\n"
                "    return [n for n in names if pattern.fullmatch(n) or regex.match(b'x', n.encode(), 0)]\n",
                "import re as regex\nimport re\n\n_EVOLVER_RE_0 = re.compile('[a-z_][a-z0-9_]*', re.I | re.A)\n"
                "_EVOLVER_RE_1 = re.compile(b'x')\n\n\n"
                "def valid(names):\n    pattern = _EVOLVER_RE_0\n"
                "    return [n for n in names if pattern.fullmatch(n) or _EVOLVER_RE_1.match(n.encode())]\n"),
        rewrite('"""Rules."""\nimport re\n\nRULES = [("(x)$", r"\\1es"), ("$", "s")]\n\n\n'
                "def plural(word):\n    for rule, repl in RULES:\n        if re.search(rule, word):\n"
                "            return re.sub(rule, repl, word)\n    return word\n",
                '"""Rules."""\nimport re\n\n'
                "_EVOLVER_RE_CACHE = {}  # compiled patterns by (type, pattern, flags), written by evolver\n\n\n"
                + cache.helper_source("search", False) + "\n\n"  # the calls pass no flags
                + cache.helper_source("sub", False) + "\n\n"
                'RULES = [("(x)$", r"\\1es"), ("$", "s")]\n\n\n'
                "def plural(word):\n    for rule, repl in RULES:\n        if _evolver_re_search_noflags(rule, word):\n"
                "            return _evolver_re_sub_noflags(rule, repl, word)\n    return word\n"),
    )

    def candidates(self, index: ModuleIndex, fn: FunctionInfo, ctx: Context) -> list[Call]:
        found: list[Call] = []
        for node in index.own_nodes(fn):
            if isinstance(node, ast.Call):
                name = index.qualified_name(node.func) or ""
                if isinstance(node.func, ast.Name) and index.binding(node.func) == "global" \
                        and cache.helper_function(node.func.id) in PARAMETERS:
                    found.append(Call(node, len(found), cache.helper_function(node.func.id), True))  # type: ignore[arg-type]
                elif name.startswith("re.") and name[3:] in PARAMETERS:
                    found.append(Call(node, len(found), name[3:], False))
            elif isinstance(node, ast.Name) and NAME.fullmatch(node.id) and index.binding(node) == "global":
                parent = index.parent(node)
                method = parent.attr if isinstance(parent, ast.Attribute) and parent.value is node else "compile"
                found.append(Call(node, len(found), method if method in PARAMETERS else "compile", True))
        return found

    def check(self, index: ModuleIndex, fn: FunctionInfo, candidate: Call, ctx: Context) -> Verdict:
        features = {"site_loop_depth": repeats(index, candidate.node),
                    "form": tuple(PARAMETERS).index(candidate.function)}
        if candidate.compiled:
            return Verdict(["already precompiled"], features=features)
        assert isinstance(candidate.node, ast.Call)
        arguments = bind(candidate.node, candidate.function)
        if arguments is None:
            return Verdict([f"its arguments do not map onto re.{candidate.function}'s parameters (star, unknown "
                            "or extra)"], features=features)
        missing = [p for p in PARAMETERS[candidate.function][:REQUIRED.get(candidate.function, 2)] if p not in arguments]
        if missing:
            return Verdict([f"re.{candidate.function} is called without `{missing[0]}`"], features=features)
        pattern = constant_pattern(index, arguments) if not _cached(index, arguments) else None
        if pattern is None:
            reasons = _cache_reasons(index, candidate.node, candidate.function, arguments)
            notes = ["the pattern is not a literal: compiled once per (pattern, flags) through a module-level cache "
                     f"of at most {cache.BOUND} entries, right when the pattern changes"]
            features["cached"] = 1
        else:
            reasons, notes = [pattern] if isinstance(pattern, str) else [], []
            features["cached"] = 0
        blocked = import_name_reason(index, fn, "re")
        reasons += ([blocked] if blocked else []) + _late_import_reasons(index)
        return Verdict(reasons, notes, ["quiet-special-methods"] if pattern is None else [], features=features)

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> str:
        _, candidate = self.find(index, site, ctx)
        arguments = bind(candidate.node, candidate.function)
        assert arguments is not None
        view = CstView.of(index)
        if _cached(index, arguments):
            call = view.node(candidate.node, cst.Call)
            passed = "flags" in arguments  # a call without flags goes to the helper without them
            tree = view.replace({id(call): call.with_changes(func=cst.Name(cache.helper_name(candidate.function, passed)))})
            tree = add_import(tree, "re")
            return cache.add_helpers(tree, candidate.function, _definitions_end(tree), passed).code
        pattern = constant_pattern(index, arguments)
        assert isinstance(pattern, Pattern)
        known = compiled_patterns(index)
        name = known.get((type(pattern.value), pattern.value, pattern.flags)) or fresh_name(index, PREFIX, numbered=True)
        call = view.node(candidate.node, cst.Call)
        tree = view.replace({id(call): _replacement(call, candidate.function, name)})
        if name in known.values():
            return tree.code
        flags = f", {pattern.flags_code}" if pattern.flags else ""
        definition = cst.parse_statement(f"{name} = re.compile({pattern.code}{flags})\n", config=tree.config_for_parsing)
        return _insert(add_import(tree, "re"), definition).code


def _cached(index: ModuleIndex, arguments: dict[str, ast.AST]) -> bool:
    """The call goes through the cache: its pattern is not a literal, or its flags are not constant."""
    node = arguments.get("pattern")
    if not (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))):
        return node is not None
    return "flags" in arguments and _flags(index, arguments["flags"]) is None and not _debug(index, arguments["flags"])


def _debug(index: ModuleIndex, flags: ast.AST) -> bool:
    """The flags expression names re.DEBUG (or is an integer with its bit)."""
    for node in ast.walk(flags):
        if isinstance(node, ast.Constant) and type(node.value) is int and node.value & re.DEBUG:
            return True
        if isinstance(node, (ast.Name, ast.Attribute)) and (index.qualified_name(node) or "").endswith(".DEBUG"):
            return True
    return False


def _cache_reasons(index: ModuleIndex, call: ast.Call, function: str, arguments: dict[str, ast.AST]) -> list[str]:
    reasons = cache.reasons(index, function, call, "flags" in arguments)
    if "flags" in arguments and _debug(index, arguments["flags"]):
        reasons.append(f"the flags `{index.code(arguments['flags'])}` include re.DEBUG: such a compile prints and "
                       "is never cached, nothing to save")
    return reasons


def _definitions_end(tree: cst.Module) -> int:
    """Where module-level helpers go: after the first import block and the precompiled patterns."""
    body = list(tree.body)
    at = _cst_after_imports(body)
    while at < len(body) and _is_definition(body[at]):
        at += 1
    return at


def bind(call: ast.Call, function: str) -> dict[str, ast.AST] | None:
    """The call's arguments by parameter name; None when they do not bind (star, unknown keyword, too
    many, a repeat)."""
    names = PARAMETERS[function]
    bound: dict[str, ast.AST] = {}
    if any(isinstance(a, ast.Starred) for a in call.args) or any(w.arg is None for w in call.keywords):
        return None
    for position, arg in enumerate(call.args):
        if position >= len(names):
            return None
        bound[names[position]] = arg
    for keyword in call.keywords:
        if keyword.arg not in names or keyword.arg in bound:
            return None
        bound[keyword.arg] = keyword.value
    return bound


def constant_pattern(index: ModuleIndex, arguments: dict[str, ast.AST]) -> Pattern | str:
    """The pattern and flags, or why they are not constants that compile cleanly."""
    if "pattern" not in arguments:
        return "no pattern argument"
    node = arguments["pattern"]
    if not (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))):
        return f"the pattern `{index.code(node)}` is not a str or bytes literal"
    flags = _flags(index, arguments["flags"]) if "flags" in arguments else ("0", 0)
    if flags is None or flags[1] & re.DEBUG:
        return f"the flags `{index.code(arguments['flags'])}` are not constant re flags (or include DEBUG)"
    problem = compile_problem(node.value, flags[1])
    if problem is not None:
        return problem
    return Pattern(index.segment(node) or repr(node.value), flags[0], node.value, flags[1])


def _flags(index: ModuleIndex, node: ast.AST) -> tuple[str, int] | None:
    """Canonical code (``re.I | re.M``) and value of constant flags."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return str(node.value), node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _flags(index, node.left), _flags(index, node.right)
        if left is None or right is None:
            return None
        return f"{left[0]} | {right[0]}", left[1] | right[1]
    name = index.qualified_name(node) or ""
    flag = name.removeprefix("re.").removeprefix("RegexFlag.")
    if name.startswith("re.") and flag in FLAGS and isinstance(getattr(re, flag, None), int):
        return f"re.{flag}", int(getattr(re, flag))
    return None


def compile_problem(value: str | bytes, flags: int) -> str | None:
    """Why compiling at import would differ from compiling at the call: an error or a warning. The
    pattern is compiled afresh (``re._compiler``), never looked up in ``re``'s cache: a cached
    pattern compiles without warning the second time it is asked for."""
    compiler = getattr(re, "_compiler", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if compiler is not None:
                compiler.compile(value, flags)
            else:
                re.purge()
                re.compile(value, flags)
        except Exception as exc:
            return f"the pattern does not compile ({type(exc).__name__}: {exc}): the error would move to import time"
    if caught:
        return f"compiling the pattern warns ({caught[0].message}): the warning would move to import time"
    return None


def _late_import_reasons(index: ModuleIndex) -> list[str]:
    """The compiled patterns go after the first import block: ``re`` must be bound by then."""
    first = _after_imports(index.tree.body)
    positions = {id(s): i for i, s in enumerate(index.tree.body)}
    for binding in index.global_bindings("re"):
        if binding.kind == "import" and positions.get(id(binding.statement), first) >= first:
            return ["the module imports `re` after its first import block"]
    return []


def compiled_patterns(index: ModuleIndex) -> dict[tuple[type, str | bytes, int], str]:
    """``_EVOLVER_RE_<n> = re.compile(...)`` statements already in the module, by pattern and flags."""
    found = {}
    for statement in index.tree.body:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.value, ast.Call)):
            continue
        target = statement.targets[0]
        if isinstance(target, ast.Name) and NAME.fullmatch(target.id) and index.bound_once(target.id) \
                and index.qualified_name(statement.value.func) == "re.compile":
            arguments = bind(statement.value, "compile")
            pattern = constant_pattern(index, arguments) if arguments is not None else None
            if isinstance(pattern, Pattern):
                found[(type(pattern.value), pattern.value, pattern.flags)] = target.id
    return found


def _replacement(call: cst.Call, function: str, name: str) -> cst.BaseExpression:
    if function == "compile":
        return cst.Name(name, lpar=call.lpar, rpar=call.rpar)
    names = PARAMETERS[function]
    dropped = []
    for position, arg in enumerate(call.args):
        key = arg.keyword.value if arg.keyword is not None else names[position]
        if key in ("pattern", "flags"):
            dropped.append(id(arg))
    kept = [a for a in call.args if id(a) not in dropped]
    if kept:
        kept[-1] = kept[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(func=cst.Attribute(cst.Name(name), cst.Name(function)), args=kept)


def _insert(tree: cst.Module, definition: cst.BaseStatement) -> cst.Module:
    """After the docstring and first import block, and after the patterns already compiled there."""
    body = list(tree.body)
    at = _cst_after_imports(body)
    while at < len(body) and _is_definition(body[at]):
        at += 1
    follows_definition = at > 0 and _is_definition(body[at - 1])
    definition = definition.with_changes(leading_lines=[] if follows_definition or at == 0 else [cst.EmptyLine()])
    return tree.with_changes(body=[*body[:at], definition, *body[at:]])


def _is_definition(statement: cst.BaseStatement) -> bool:
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return False
    small = statement.body[0]
    return (isinstance(small, cst.Assign) and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name) and bool(NAME.fullmatch(small.targets[0].target.value)))


def _after_imports(body: list[ast.stmt]) -> int:
    at = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str) else 0
    while at < len(body) and isinstance(body[at], (ast.Import, ast.ImportFrom)):
        at += 1
    return at


def _cst_after_imports(body: Sequence[cst.BaseStatement]) -> int:
    at = 0
    if body and isinstance(body[0], cst.SimpleStatementLine) and len(body[0].body) == 1 and isinstance(
            body[0].body[0], cst.Expr) and isinstance(body[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
        at = 1
    while at < len(body) and isinstance(body[at], cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in body[at].body):  # type: ignore[attr-defined]
        at += 1
    return at
