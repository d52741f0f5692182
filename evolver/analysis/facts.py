"""Static facts about one module for the pipeline: radon's complexity, maintainability and line
counts, and per function its loops, recursion and blocking calls (``ModuleFacts``), plus the
numeric features a site's function contributes to ranking.
"""

from __future__ import annotations

import ast
import io
import tokenize
from typing import Any

from radon.metrics import h_visit_ast, mi_compute
from radon.raw import Module as RawMetrics
from radon.raw import _logical, analyze, is_single_token
from radon.visitors import ComplexityVisitor

from evolver.analysis.evidence import blocking_call
from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.tree import COMPREHENSIONS, LOOPS
from evolver.deep import deep
from evolver.errors import EvolverError
from evolver.model import FunctionFacts, ModuleFacts


@deep
def analyze_module(source: str, module: str) -> ModuleFacts:
    """Radon's complexity, maintainability and line counts plus facts about every function."""
    index = ModuleIndex.of(source, module)
    raw = raw_metrics(source)
    functions = tuple(function_facts(index, fn) for fn in index.functions)
    return ModuleFacts(module=module, loc=raw.loc, sloc=raw.sloc,
                       maintainability=maintainability(index, raw), functions=functions)


# Characters str.splitlines() breaks lines at but the tokenizer does not: radon's own count differs there.
_ODD_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def raw_metrics(source: str) -> RawMetrics:
    """radon's raw metrics (``radon.raw.analyze``: loc, lloc, sloc, comments, multi, blank,
    single_comments), counted from one tokenization of the source.

    radon finds each statement's lines by tokenizing a growing buffer until it parses, which is
    quadratic in a statement's length (21 s for ``_sysconfigdata``'s one dict literal); here the
    statements are the tokenizer's own logical lines, and each is counted by radon's own rules
    (``is_single_token``, ``_logical``) on the same tokens. Equal to radon's figures (a test compares
    them on the standard library); a source with a line break only ``str.splitlines`` knows goes to
    radon itself."""
    if not _ODD_BREAKS.isdisjoint(source):
        return analyze(source)
    lines = [line.strip() for line in source.splitlines()]
    lloc = comments = single_comments = multi = blank = sloc = 0
    for group in _statements(source):
        first, last = group[0].start[0], group[-1].end[0]
        parsed = lines[first - 1:last]
        tokens = [*group, tokenize.TokenInfo(tokenize.ENDMARKER, "", (last + 1, 0), (last + 1, 0), "")]
        comments += sum(1 for t in tokens if t.type == tokenize.COMMENT)
        if is_single_token(tokenize.COMMENT, tokens):
            single_comments += 1
        elif is_single_token(tokenize.STRING, tokens):
            if tokens[0].start[0] == tokens[0].end[0]:
                single_comments += 1
            else:
                multi += sum(1 for line in parsed if line)
                blank += sum(1 for line in parsed if not line)
        else:
            sloc += sum(1 for line in parsed if line)
            blank += sum(1 for line in parsed if not line)
        lloc += _logical(tokens)
    return RawMetrics(sloc + blank + multi + single_comments, lloc, sloc, comments, multi, blank, single_comments)


def _statements(source: str) -> list[list[tokenize.TokenInfo]]:
    """The source's tokens by logical line: a statement up to its NEWLINE, or a blank or comment-only
    line (INDENT and DEDENT left out, as radon tokenizes stripped lines)."""
    found: list[list[tokenize.TokenInfo]] = []
    group: list[tokenize.TokenInfo] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.INDENT, tokenize.DEDENT):
            continue
        if token.type == tokenize.ENDMARKER:
            break
        group.append(token)
        if token.type == tokenize.NEWLINE or (token.type == tokenize.NL and all(
                t.type in (tokenize.COMMENT, tokenize.NL) for t in group)):
            found.append(group)
            group = []
    if group:
        found.append(group)
    return found


def function_facts(index: ModuleIndex, fn: FunctionInfo) -> FunctionFacts:
    start, end = index.lines(fn)
    io_calls = sorted({name for node in index.own(fn, ast.Call) if (name := blocking_call(index, node)) is not None})
    return FunctionFacts(
        qualname=index.qualify(fn), lineno=start, end_lineno=end, complexity=complexity(index).get(start, 1),
        loc=end - start + 1, loop_depth=loop_depth(index, fn), is_recursive=is_recursive(index, fn),
        io_calls=tuple(io_calls))


def features(index: ModuleIndex, fn: FunctionInfo) -> dict[str, Any]:
    """Numeric facts about the function a site lives in, for ranking (cached per function)."""
    key = ("features", fn.node)
    if key not in index.cache:
        start, end = index.lines(fn)
        args = fn.node.args
        index.cache[key] = {
            "loc": end - start + 1,
            "complexity": complexity(index).get(start, 1),
            "io_calls": sum(1 for n in index.own(fn, ast.Call) if blocking_call(index, n)),
            "loop_depth": loop_depth(index, fn),
            "recursive": int(is_recursive(index, fn)),
            "call_sites": _call_counts(index).get(fn.name, 0),
            "n_params": len(args.args) + len(args.posonlyargs) + len(args.kwonlyargs),
            "is_method": int(fn.cls is not None),
        }
    return dict(index.cache[key])


def complexity(index: ModuleIndex) -> dict[int, int]:
    """Radon's cyclomatic complexity of every function, by the line of its ``def``."""
    if "complexity" not in index.cache:
        found: dict[int, int] = {}
        pending: list[Any] = list(_visitor(index).blocks)
        while pending:
            block = pending.pop()
            if hasattr(block, "methods"):  # a class
                pending.extend(block.methods)
                pending.extend(getattr(block, "inner_classes", []))
            else:
                found[block.lineno] = block.complexity
                pending.extend(getattr(block, "closures", []))
        index.cache["complexity"] = found
    return index.cache["complexity"]


def _visitor(index: ModuleIndex) -> ComplexityVisitor:
    """radon's complexity visitor over the module's ``ast`` (built once per index)."""
    if "radon-complexity" not in index.cache:
        try:
            index.cache["radon-complexity"] = ComplexityVisitor.from_ast(index.tree)
        except (SyntaxError, RecursionError) as exc:
            raise EvolverError(f"{index.module}: radon cannot analyse it: {exc}") from exc
    return index.cache["radon-complexity"]


def maintainability(index: ModuleIndex, raw: Any) -> float:
    """radon's maintainability index (``mi_visit(source, multi=True)``) from raw metrics already
    computed and the module's own ``ast``."""
    comments = (raw.comments + raw.multi) / float(raw.sloc) * 100 if raw.sloc else 0
    total = _visitor(index).total_complexity
    return float(mi_compute(h_visit_ast(index.tree).total.volume, total, raw.lloc, comments))


def loop_depth(index: ModuleIndex, fn: FunctionInfo) -> int:
    """The deepest nesting of loops (for, while, comprehension clauses) in the function's own body."""
    key = ("loop_depth", fn.node)
    if key not in index.cache:
        best = 0
        stack: list[tuple[ast.AST, int]] = [(s, 0) for s in fn.node.body]
        while stack:
            node, depth = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            depth += 1 if isinstance(node, LOOPS) else len(node.generators) if isinstance(node, COMPREHENSIONS) else 0
            best = max(best, depth)
            stack.extend((c, depth) for c in index.children(node))
        index.cache[key] = best
    return index.cache[key]


def is_recursive(index: ModuleIndex, fn: FunctionInfo) -> bool:
    """The function calls itself by name (``f(...)``, or ``self.f(...)`` in a method)."""
    key = ("recursive", fn.node)
    if key not in index.cache:
        index.cache[key] = any(_calls_itself(index, fn, node) for node in index.own(fn, ast.Call))
    return index.cache[key]


def _calls_itself(index: ModuleIndex, fn: FunctionInfo, node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return any(b.node is fn.node for b in index.bindings(func))
    return (fn.cls is not None and isinstance(func, ast.Attribute) and func.attr == fn.name
            and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"))


def _call_counts(index: ModuleIndex) -> dict[str, int]:
    """How many calls in the module name each function or method name (``f(...)``, ``x.f(...)``)."""
    if "call_counts" not in index.cache:
        counts: dict[str, int] = {}
        for node in ast.walk(index.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                counts[name] = counts.get(name, 0) + 1
        index.cache["call_counts"] = counts
    return index.cache["call_counts"]
