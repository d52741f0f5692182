"""precompile-regex: compile a constant regular expression once, at import, not on every call."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from evolver.analysis.loop_facts import repeats
from evolver.analysis.static import FunctionInfo, ModuleIndex
from evolver.model import Site
from evolver.transforms._legacy import (
    Context,
    LegacyTransform,
    add_import,
    function_features,
    import_name_reason,
    replace_nodes,
)

PREFIX = "_EVOLVER_RE_"
NAME = re.compile(rf"{PREFIX}\d+")
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
FLAGS = frozenset({"A", "ASCII", "I", "IGNORECASE", "L", "LOCALE", "M", "MULTILINE", "S", "DOTALL", "X",
                   "VERBOSE", "U", "UNICODE", "NOFLAG"})


@dataclass(frozen=True)
class Candidate:
    """A call of a ``re`` function, or a use of a pattern this transform compiled (its place is
    kept so that site ids do not shift)."""

    node: cst.Call | cst.Name
    function: str
    compiled: bool


@dataclass(frozen=True)
class Pattern:
    """A constant pattern and flags, as code for the module-level ``re.compile`` and as values."""

    code: str
    flags_code: str
    value: str | bytes
    flags: int


class PrecompileRegex(LegacyTransform):
    """Compile a regular expression with a constant pattern once, at import.

    What it rewrites: ``re.match(PATTERN, s)`` (also ``search``, ``fullmatch``, ``findall``,
    ``finditer``, ``split``, ``sub``, ``subn`` and ``compile``) inside a function, with a literal
    pattern and constant flags, becomes ``_EVOLVER_RE_<n>.match(s)``; the pattern is compiled
    once after the module's imports (``_EVOLVER_RE_<n> = re.compile(PATTERN, FLAGS)``), shared by
    every call with the same pattern and flags. ``re.compile(PATTERN)`` becomes the name itself.

    Why it is faster: each ``re.match(...)`` call looks the pattern up in ``re``'s cache (type and
    flag checks, a dict lookup, a wrapper call); a compiled pattern's method skips all of it.
    Patterns beyond the cache's 512 entries are recompiled on every call.

    Example::

        def words(text):                              _EVOLVER_RE_0 = re.compile(r"\\w+")
            return re.findall(r"\\w+", text)    ->     def words(text):
                                                          return _EVOLVER_RE_0.findall(text)

    Safety preconditions: the pattern is a literal str or bytes (a name or an f-string could
    change: a keyed cache would be needed; refused), the flags are ``re`` flags combined with
    ``|`` or an integer literal (not ``re.DEBUG``, which prints when compiling); the pattern
    compiles with those flags without an error or a warning (an error would otherwise move from
    the call to the import of the module); the arguments map onto the compiled pattern's
    method: ``flags`` is dropped wherever it sits (the third argument of ``re.match`` is ``pos``
    for ``Pattern.match``), the others keep their order and keywords; no ``*args``/``**kwargs``;
    the module binds ``re`` only to the re module, and imports it (if it does) in its first
    import block, where the compiled patterns go. A test that patches ``re.match`` itself no
    longer sees these calls.
    """

    name: ClassVar[str] = "precompile-regex"
    description: ClassVar[str] = "compile constant regular expressions once, at import"
    preconditions: ClassVar[tuple[str, ...]] = (
        "a call of re.match/search/fullmatch/findall/finditer/split/sub/subn/compile inside a function",
        "the pattern is a str or bytes literal (not a name, not an f-string)",
        "flags are re flags joined with `|` or an integer literal; not re.DEBUG",
        "the pattern compiles with its flags without an error or a warning",
        "no *args/**kwargs; every argument maps onto the compiled pattern's method",
        "module-level `re` is the re module, imported (if at all) in the first import block",
    )
    examples_unchanged: ClassVar[tuple[str, ...]] = (
        # module-level calls are not in a function; a pattern from a parameter is not constant
        "import re\n\nWORDS = re.findall(r'\\w+', 'a b')\n\n\ndef match(p, s):\n    return re.match(p, s)\n",
        "import re\n\n\ndef f(word, s):\n    return re.search(f'{word}+', s)\n",
        "import re\n\nPATTERN = r'\\d+'\n\n\ndef f(s):\n    return re.findall(PATTERN, s)\n",
        "import re\n\n\ndef f(s, flags):\n    return re.match(r'a+', s, flags)\n",
        "import re\n\n\ndef f(s):\n    return re.match(r'a+', s, re.DEBUG)\n",
        "import re\n\n\ndef f(s):\n    return re.match(r'(a', s)\n",
        "import re\n\n\ndef f(s):\n    return re.match('[[a]', s)\n",
        "import re\n\n\ndef f(args):\n    return re.match(r'a', *args)\n",
        "import re as regex\n\nre = 'not the module'\n\n\ndef f(s):\n    return regex.match(r'a', s)\n",
        "def f(s):\n    return re.match(r'a', s)\n\n\nimport re\n",
        "import re\n\n\ndef f(s):\n    return re.match(r'a', s, pos=1)\n",
    )
    examples_rewritten: ClassVar[tuple[tuple[str, str], ...]] = (
        (
            'import re\n\n\ndef words(text):\n    return re.findall(r"\\w+", text.lower())\n',
            'import re\n\n_EVOLVER_RE_0 = re.compile(r"\\w+")\n\n\n'
            'def words(text):\n    return _EVOLVER_RE_0.findall(text.lower())\n',
        ),
        (
            '"""Log lines."""\nfrom re import IGNORECASE, sub\nimport re\n\nLEVELS = ("INFO", "WARN")\n\n\n'
            "def clean(line):\n    line = sub(r'\\s+', ' ', line, count=2, flags=IGNORECASE)\n"
            "    return re.split(r'\\s+', line, 1, re.IGNORECASE)  # two fields\n",
            '"""Log lines."""\nfrom re import IGNORECASE, sub\nimport re\n\n'
            "_EVOLVER_RE_0 = re.compile(r'\\s+', re.IGNORECASE)\n\n"
            'LEVELS = ("INFO", "WARN")\n\n\n'
            "def clean(line):\n    line = _EVOLVER_RE_0.sub(' ', line, count=2)\n"
            "    return _EVOLVER_RE_0.split(line, 1)  # two fields\n",
        ),
        (
            "import re as regex\n\n\ndef valid(names):\n    pattern = regex.compile('[a-z_][a-z0-9_]*', regex.I | regex.A)\n"
            "    return [n for n in names if pattern.fullmatch(n) or regex.match(b'x', n.encode(), 0)]\n",
            "import re as regex\nimport re\n\n_EVOLVER_RE_0 = re.compile('[a-z_][a-z0-9_]*', re.I | re.A)\n"
            "_EVOLVER_RE_1 = re.compile(b'x')\n\n\n"
            "def valid(names):\n    pattern = _EVOLVER_RE_0\n"
            "    return [n for n in names if pattern.fullmatch(n) or _EVOLVER_RE_1.match(n.encode())]\n",
        ),
    )

    def sites(self, index: ModuleIndex, ctx: Context) -> list[Site]:
        found = []
        for fn in index.functions:
            for k, candidate in enumerate(candidates(index, fn)):
                features = function_features(index, fn) | {
                    "site_loop_depth": repeats(index, candidate.node),
                    "form": tuple(PARAMETERS).index(candidate.function),
                }
                found.append(self.site(f"{ctx.module}:{fn.qualname}#{k}", reasons(index, candidate), features))
        return found

    def rewrite(self, index: ModuleIndex, site: Site, ctx: Context) -> cst.Module:
        qualname, k = site.target.split(":", 1)[1].rsplit("#", 1)
        fn = index.function(qualname)
        assert fn is not None
        candidate = candidates(index, fn)[int(k)]
        assert isinstance(candidate.node, cst.Call)
        arguments = bind(candidate)
        assert arguments is not None
        pattern = constant_pattern(index, arguments)
        assert isinstance(pattern, Pattern)
        known = compiled_patterns(index)
        name = known.get((type(pattern.value), pattern.value, pattern.flags)) or _fresh_name(index)
        tree = replace_nodes(index.tree, {id(candidate.node): _replacement(candidate, arguments, name)})
        if name in known.values():
            return tree
        flags = f", {pattern.flags_code}" if pattern.flags else ""
        definition = cst.parse_statement(f"{name} = re.compile({pattern.code}{flags})\n",
                                         config=tree.config_for_parsing)
        return _insert(add_import(tree, "re"), definition)


# --- candidates ----------------------------------------------------------------------------------


def candidates(index: ModuleIndex, fn: FunctionInfo) -> list[Candidate]:
    found = []
    for node in index.own_nodes(fn.node):
        if isinstance(node, cst.Call):
            name = index.qualified_name(node.func) or ""
            if name.startswith("re.") and name[3:] in PARAMETERS:
                found.append(Candidate(node, name[3:], False))
        elif isinstance(node, cst.Name) and NAME.fullmatch(node.value) and index.binding(node) == "global":
            parent = index.parent(node)
            method = parent.attr.value if isinstance(parent, cst.Attribute) and parent.value is node else "compile"
            found.append(Candidate(node, method if method in PARAMETERS else "compile", True))
    return found


def bind(candidate: Candidate) -> dict[str, cst.Arg] | None:
    """The call's arguments by parameter name; None when they do not bind (star, unknown keyword,
    too many, a repeat)."""
    assert isinstance(candidate.node, cst.Call)
    names = PARAMETERS[candidate.function]
    bound: dict[str, cst.Arg] = {}
    for position, arg in enumerate(candidate.node.args):
        if arg.star:
            return None
        name = arg.keyword.value if arg.keyword is not None else names[position] if position < len(names) else None
        if name is None or name not in names or name in bound:
            return None
        bound[name] = arg
    return bound


def reasons(index: ModuleIndex, candidate: Candidate) -> list[str]:
    if candidate.compiled:
        return ["already precompiled"]
    arguments = bind(candidate)
    if arguments is None:
        return [f"its arguments do not map onto re.{candidate.function}'s parameters (star, unknown or extra)"]
    missing = [p for p in PARAMETERS[candidate.function][:REQUIRED.get(candidate.function, 2)] if p not in arguments]
    if missing:
        return [f"re.{candidate.function} is called without `{missing[0]}`"]
    pattern = constant_pattern(index, arguments)
    found = [pattern] if isinstance(pattern, str) else []
    blocked = import_name_reason(index, None, "re")
    return found + ([blocked] if blocked else []) + _late_import_reasons(index)


def constant_pattern(index: ModuleIndex, arguments: dict[str, cst.Arg]) -> Pattern | str:
    """The pattern and flags, or why they are not constants that compile cleanly."""
    if "pattern" not in arguments:
        return "no pattern argument"
    node = arguments["pattern"].value
    value = _literal(node)
    if value is None:
        return f"the pattern `{index.code(node)}` is not a str or bytes literal"
    flags = _flags(index, arguments["flags"].value) if "flags" in arguments else ("0", 0)
    if flags is None or flags[1] & re.DEBUG:
        return f"the flags `{index.code(arguments['flags'].value)}` are not constant re flags (or include DEBUG)"
    problem = _compile_problem(value, flags[1])
    if problem is not None:
        return problem
    return Pattern(index.tree.code_for_node(node), flags[0], value, flags[1])


def _literal(node: cst.BaseExpression) -> str | bytes | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, (str, bytes)) else None
    return None


def _flags(index: ModuleIndex, node: cst.BaseExpression) -> tuple[str, int] | None:
    """Canonical code (``re.I | re.M``) and value of constant flags."""
    if isinstance(node, cst.Integer):
        return node.value, int(node.evaluated_value)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left, right = _flags(index, node.left), _flags(index, node.right)
        if left is None or right is None:
            return None
        return f"{left[0]} | {right[0]}", left[1] | right[1]
    name = index.qualified_name(node) or ""
    flag = name.removeprefix("re.").removeprefix("RegexFlag.")
    if name.startswith("re.") and flag in FLAGS and isinstance(getattr(re, flag, None), int):
        return f"re.{flag}", int(getattr(re, flag))
    return None


def _compile_problem(value: str | bytes, flags: int) -> str | None:
    """Why compiling at import would differ from compiling at the call: an error or a warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            re.compile(value, flags)
        except Exception as exc:
            return f"the pattern does not compile ({type(exc).__name__}: {exc}): the error would move to import time"
    if caught:
        return f"compiling the pattern warns ({caught[0].message}): the warning would move to import time"
    return None


def _late_import_reasons(index: ModuleIndex) -> list[str]:
    """The compiled patterns go after the first import block: ``re`` must be bound by then."""
    first = _after_imports(list(index.tree.body))
    statements = {id(s): i for i, s in enumerate(index.tree.body)}
    for assignment in index.global_assignments("re"):
        node = getattr(assignment, "node", None)
        if not isinstance(node, (cst.Import, cst.ImportFrom)):
            continue  # import_name_reason names it
        if statements.get(id(index.parent(node)), first) >= first:
            return ["the module imports `re` after its first import block"]
    return []


# --- rewriting ----------------------------------------------------------------------------------


def compiled_patterns(index: ModuleIndex) -> dict[tuple[type, str | bytes, int], str]:
    """``_EVOLVER_RE_<n> = re.compile(...)`` statements already in the module, by pattern and flags."""
    found = {}
    for statement in index.tree.body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.value, cst.Call)):
            continue
        target = small.targets[0].target
        if isinstance(target, cst.Name) and NAME.fullmatch(target.value) and index.bound_once(target.value):
            arguments = bind(Candidate(small.value, "compile", False))
            pattern = constant_pattern(index, arguments) if arguments is not None else None
            if isinstance(pattern, Pattern) and index.qualified_name(small.value.func) == "re.compile":
                found[(type(pattern.value), pattern.value, pattern.flags)] = target.value
    return found


def _fresh_name(index: ModuleIndex) -> str:
    if "names" not in index.cache:
        index.cache["names"] = {n.value for n in index.walk(index.tree) if isinstance(n, cst.Name)}
    n = 0
    while f"{PREFIX}{n}" in index.cache["names"]:
        n += 1
    return f"{PREFIX}{n}"


def _replacement(candidate: Candidate, arguments: dict[str, cst.Arg], name: str) -> cst.BaseExpression:
    call = candidate.node
    assert isinstance(call, cst.Call)
    if candidate.function == "compile":
        return cst.Name(name, lpar=call.lpar, rpar=call.rpar)
    dropped = {id(arguments[p]) for p in ("pattern", "flags") if p in arguments}
    kept = [a for a in call.args if id(a) not in dropped]
    if kept:
        kept[-1] = kept[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(func=cst.Attribute(cst.Name(name), cst.Name(candidate.function)), args=kept)


def _insert(tree: cst.Module, definition: cst.BaseStatement) -> cst.Module:
    """After the docstring and first import block, and after the patterns already compiled there."""
    body = list(tree.body)
    at = _after_imports(body)
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


def _after_imports(body: list[cst.BaseStatement]) -> int:
    at = 0
    if body and isinstance(body[0], cst.SimpleStatementLine) and len(body[0].body) == 1 and isinstance(
            body[0].body[0], cst.Expr) and isinstance(body[0].body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
        at = 1
    while at < len(body) and isinstance(body[at], cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in body[at].body):  # type: ignore[attr-defined]
        at += 1
    return at
