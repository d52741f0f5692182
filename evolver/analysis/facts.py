"""Static facts about one module for the pipeline: radon's complexity, maintainability and line
counts, and per function its loops, recursion and blocking calls (``ModuleFacts``), plus the
numeric features a site's function contributes to ranking.
"""

from __future__ import annotations

import ast
from typing import Any

from radon.metrics import h_visit_ast, mi_compute
from radon.raw import analyze
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
    raw = analyze(source)  # quadratic in long implicit string concatenations: run it once
    functions = tuple(function_facts(index, fn) for fn in index.functions)
    return ModuleFacts(module=module, loc=raw.loc, sloc=raw.sloc,
                       maintainability=maintainability(index, raw), functions=functions)


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
        try:
            pending: list[Any] = list(ComplexityVisitor.from_ast(index.tree).blocks)
        except (SyntaxError, RecursionError) as exc:
            raise EvolverError(f"{index.module}: radon cannot analyse it: {exc}") from exc
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


def maintainability(index: ModuleIndex, raw: Any) -> float:
    """radon's maintainability index (``mi_visit(source, multi=True)``) from raw metrics already
    computed and the module's own ``ast``."""
    comments = (raw.comments + raw.multi) / float(raw.sloc) * 100 if raw.sloc else 0
    total = ComplexityVisitor.from_ast(index.tree).total_complexity
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
