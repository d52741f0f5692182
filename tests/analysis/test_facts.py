"""Static facts: qualnames, radon figures and per-function facts, on any valid Python 3.11 module."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from evolver import transforms
from evolver.analysis.facts import analyze_module
from evolver.analysis.index import ModuleIndex
from evolver.errors import EvolverError

SOURCE = '''"""Every kind of definition."""
import asyncio
import time
import urllib.request
from pathlib import Path


def walk(node, depth=0):
    for child in node:
        for grandchild in child:
            if grandchild:
                walk(grandchild, depth + 1)
    return [x for row in node for x in row]


def outer(n):
    def inner(k):
        while k:
            k -= 1
        return k
    return inner(n) + (lambda y: y)(n)


class Shape:
    @property
    def size(self):
        return 1

    @size.setter
    def size(self, value):
        time.sleep(value)

    def area(self, n):
        match n:
            case 0:
                return 0
            case [a, b]:
                return a * b
            case _:
                return self.area(n - 1)

    class Inner:
        def deep(self):
            return Path("x").read_text()


async def fetch(url):
    await asyncio.sleep(0)
    if (body := urllib.request.urlopen(url).read()):
        return body
    return open(url).read()
'''


def facts_by_name() -> dict[str, object]:
    return {f.qualname: f for f in analyze_module(SOURCE, "pkg.mod").functions}


def test_qualnames_cover_methods_nested_functions_and_duplicates() -> None:
    assert list(facts_by_name()) == [
        "pkg.mod:walk", "pkg.mod:outer", "pkg.mod:outer.inner", "pkg.mod:Shape.size", "pkg.mod:Shape.size~2",
        "pkg.mod:Shape.area", "pkg.mod:Shape.Inner.deep", "pkg.mod:fetch",
    ]


def test_function_facts() -> None:
    facts = facts_by_name()
    walk = facts["pkg.mod:walk"]
    assert (walk.lineno, walk.end_lineno, walk.loc) == (8, 13, 6)
    assert walk.loop_depth == 2 and walk.is_recursive and walk.complexity == 6 and walk.io_calls == ()
    outer, inner = facts["pkg.mod:outer"], facts["pkg.mod:outer.inner"]
    assert outer.loop_depth == 0 and inner.loop_depth == 1 and not outer.is_recursive
    assert facts["pkg.mod:Shape.area"].is_recursive and facts["pkg.mod:Shape.area"].complexity == 3  # radon
    assert facts["pkg.mod:Shape.size~2"].io_calls == ("time.sleep",)
    assert facts["pkg.mod:Shape.Inner.deep"].io_calls == ("pathlib.Path.read_text",)
    assert facts["pkg.mod:fetch"].io_calls == ("builtins.open", "urllib.request.urlopen")


def test_module_facts() -> None:
    module = analyze_module(SOURCE, "pkg.mod")
    assert module.module == "pkg.mod"
    assert module.loc == len(SOURCE.splitlines()) and 0 < module.sloc < module.loc
    assert 0.0 < module.maintainability <= 100.0


def test_bindings_and_qualified_names() -> None:
    import ast

    index = ModuleIndex("import os.path as p\nX = 1\n\ndef f(a):\n    b = a\n    return p.join(b, X, len(a), y)\n", "m")
    fn = index.function("f")
    assert fn is not None
    kinds = {n.id: index.binding(n) for n in ast.walk(fn.node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    assert kinds == {"a": "param", "b": "local", "p": "import", "X": "global", "len": "builtin", "y": "unresolved"}
    call = next(n for n in ast.walk(fn.node) if isinstance(n, ast.Call))
    assert index.qualified_name(call.func) == "os.path.join"
    assert index.module_function("f") is fn and index.module_function("X") is None


def test_invalid_source_is_an_evolver_error() -> None:
    with pytest.raises(EvolverError, match="not valid Python"):
        analyze_module("def broken(:\n    pass\n", "bad")


@pytest.mark.parametrize("name", ["textwrap", "shlex", "json.decoder", "string", "fnmatch", "colorsys"])
def test_stdlib_modules_analyze_and_propose_without_crashing(name: str) -> None:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text(encoding="utf-8")
    facts = analyze_module(source, name)
    assert facts.functions and all(f.lineno <= f.end_lineno for f in facts.functions)
    sites = transforms.propose(source, transforms.Context(module=name))
    assert sites and len({s.id for s in sites}) == len(sites)


def test_a_module_nesting_deeper_than_the_recursion_limit_is_analysed_and_rewritten() -> None:
    """An implicitly concatenated string of n parts nests n deep in libcst's tree (the rewrite's),
    and a long ``+`` chain n deep in ``ast``'s (the analysis')."""
    from evolver import transforms
    from evolver.transforms import Context

    parts = "".join(f"    'part {i} '\n" for i in range(1000))
    terms = " + ".join(f"'{i}'" for i in range(900))
    source = f"TEXT = (\n{parts})\nMORE = {terms}\n\n\ndef twice(x: int) -> int:\n    return x * 2 + len(MORE)\n"
    assert [fn.qualname for fn in ModuleIndex(source, "m").functions] == ["twice"]
    ctx = Context(module="m")
    assert "memoize@m:twice" in {s.id for s in transforms.propose(source, ctx) if s.verdict == "applicable"}
    rewritten = transforms.apply(source, "memoize@m:twice", ctx)
    compile(rewritten, "<rewritten>", "exec")
    assert rewritten.endswith("@functools.lru_cache(maxsize=None)\ndef _evolver_twice(x: int) -> int:\n"
                              "    return x * 2 + len(MORE)\n\n\ndef twice(x: int) -> int:\n"
                              "    if type(x) is int:\n        return _evolver_twice(x)\n"
                              "    return _evolver_twice.__wrapped__(x)  # not exact: the original, uncached\n")


def test_maintainability_is_radons_index_computed_once() -> None:
    from radon.metrics import mi_visit
    from radon.raw import analyze

    from evolver.analysis.facts import maintainability
    from evolver.analysis.index import ModuleIndex

    source = (Path(__file__).parents[2] / "targets" / "routes" / "routes.py").read_text()
    assert maintainability(ModuleIndex(source, "routes"), analyze(source)) == pytest.approx(
        mi_visit(source, multi=True))


RAW_SHAPES = '''"""A module docstring
over two lines.
"""
import os  # a comment
# a comment line


def f(x):
    """One line."""
    if x: return [1,
                  # inside the brackets

                  2]; y = 3
    s = """a
    b"""
    t = 1 + \\
        2
    return s, t, y


DATA = {
    "a": "b"
           "c",
}
'''


@pytest.mark.parametrize("name", ["textwrap", "string", "sre_compile", "inspect"])
def test_raw_metrics_are_radons(name: str) -> None:
    """One tokenization gives radon's own raw figures (radon's analyze is quadratic in a long statement)."""
    from radon.raw import analyze

    from evolver.analysis.facts import raw_metrics

    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text(encoding="utf-8")
    assert raw_metrics(source) == analyze(source)
    assert raw_metrics(RAW_SHAPES) == analyze(RAW_SHAPES)
    assert raw_metrics(RAW_SHAPES.rstrip("\n")) == analyze(RAW_SHAPES.rstrip("\n"))  # no newline at the end
    assert raw_metrics("x = 1\f\ny = 2\n") == analyze("x = 1\f\ny = 2\n")  # a form feed: radon's own count
