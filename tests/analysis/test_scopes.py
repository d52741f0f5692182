"""Name resolution on the ast: every kind of binding, Python's scoping rules, qualified names."""

from __future__ import annotations

import ast

import pytest

from evolver.analysis.index import ModuleIndex

SOURCE = '''
import os.path
import re as regex
from collections import deque as dq
X = 1


def f(a, b=X, *args, k: int = 2, **kw):
    global G
    G = a
    y = [a for a in range(b) if a]
    z = lambda q: q + y[0] + X
    def inner():
        nonlocal y
        y = 3
        return y
    return os.path.join(regex.sub("a", "b", "c")), len, dq, undefined, (w := 5), w


class C:
    attr = X

    def m(self):
        return attr

    vals = [attr for _ in range(3)]
'''


def reads(index: ModuleIndex) -> dict[tuple[int, str], str]:
    found = {}
    for node in ast.walk(index.tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            found[(node.lineno, node.id)] = index.binding(node)
    return found


def test_each_read_resolves_by_pythons_rules() -> None:
    found = reads(ModuleIndex(SOURCE, "m"))
    assert found[(8, "X")] == "global"  # a default runs in the enclosing scope
    assert found[(11, "a")] == "local" and found[(11, "b")] == "param" and found[(11, "range")] == "builtin"
    assert found[(12, "q")] == "param" and found[(12, "y")] == "enclosing" and found[(12, "X")] == "global"
    assert found[(16, "y")] == "enclosing"  # nonlocal: the enclosing function's variable
    assert found[(17, "os")] == "import" and found[(17, "dq")] == "import" and found[(17, "undefined")] == "unresolved"
    assert found[(17, "w")] == "local"
    assert found[(21, "X")] == "global"
    assert found[(24, "attr")] == "unresolved"  # a method does not see its class body's names
    assert found[(26, "attr")] == "unresolved"  # nor does a comprehension in the class body


def test_stores_through_global_and_nonlocal_land_in_their_scope() -> None:
    index = ModuleIndex(SOURCE, "m")
    assert [b.kind for b in index.global_bindings("G")] == ["assign"]
    assert index.enclosing_function(index.global_bindings("G")[0].node).qualname == "f"  # type: ignore[union-attr]
    fn = index.function("f")
    assert fn is not None and [b.kind for b in index.function_scope(fn).bindings["y"]] == ["assign", "assign"]


def test_qualified_names_follow_imports_and_aliases() -> None:
    index = ModuleIndex(SOURCE, "m")
    calls = {ast.unparse(n.func): index.qualified_name(n.func) for n in ast.walk(index.tree) if isinstance(n, ast.Call)}
    assert calls["os.path.join"] == "os.path.join" and calls["regex.sub"] == "re.sub"
    assert calls["range"] == "builtins.range"


@pytest.mark.parametrize(("source", "name", "once"), [
    ("X = 1\n", "X", True),
    ("X = 1\nX = 2\n", "X", False),
    ("X = 1\ndel X\n", "X", False),
    ("X = 1\n\ndef f():\n    global X\n    X = 2\n", "X", False),
    ("X: int\nX = 1\n", "X", True),
    ("from m import *\nX = 1\n", "X", False),
])
def test_bound_once(source: str, name: str, once: bool) -> None:
    assert ModuleIndex(source, "m").bound_once(name) is once


def test_a_star_import_leaves_unbound_names_unresolved() -> None:
    found = reads(ModuleIndex("from os.path import *\n\ndef f(p):\n    return len(join(p))\n", "m"))
    assert found[(4, "len")] == "unresolved" and found[(4, "join")] == "unresolved"


def test_functions_get_unique_qualnames_in_source_order() -> None:
    source = "def f():\n    def g():\n        pass\n\nclass A:\n    def f(self):\n        pass\n\n    def f(self):\n        pass\n"
    assert [fn.qualname for fn in ModuleIndex(source, "m").functions] == ["f", "f.g", "A.f", "A.f~2"]
