"""``ModuleIndex.supposing``: an index that re-types one function's parameters without parsing the
module again must give the answers a parse of the annotated source gives."""

from __future__ import annotations

import ast

import pytest

from evolver import transforms
from evolver.analysis import rebinding
from evolver.analysis.index import ModuleIndex
from evolver.model import to_json
from evolver.transforms import _memo_guard

MORE = (
    # suppositions that pass, fail, or reach callees and callers
    'import re\nBASE = 3\n\n\ndef roman(n):\n    if not isinstance(n, int):\n        raise TypeError("no")\n'
    '    out = ""\n    for sym, val in (("X", 10), ("V", 5), ("I", 1)):\n        while n >= val:\n'
    "            out += sym\n            n -= val\n    return out\n\n\n"
    'def shout(s): return s.upper() + "!"\n\n\n'
    "def pair(a, b=2):\n    return (a, b * BASE)\n\n\n"
    'def words(text, sep=" "):\n    return tuple(w.lower() for w in re.split(sep, text))\n\n\n'
    "def calls(n, s):\n    return roman(n) + shout(s) + str(pair(n))\n\n\n"
    "def bad(xs):\n    xs.append(1)\n    return len(xs)\n",
    # memoize-helper's element types, for a parameter without annotation and for a bare `list`
    "def knap(weights, values: list, n: int, cap: int, i: int) -> int:\n    if i == n:\n        return 0\n"
    "    skip = knap(weights, values, n, cap, i + 1)\n    if weights[i] > cap:\n        return skip\n"
    "    return max(skip, values[i] + knap(weights, values, n, cap - weights[i], i + 1))\n",
    "def count(table, n: int) -> int:\n    if n == 0:\n        return 0\n"
    "    return len(table.get(str(n), [])) + count(table, n - 1)\n",
    # a name the annotations read is bound in another scope: the builtin all the same
    "def outer():\n    def str(s):\n        return s\n    return str\n\n\ndef up(s):\n    return s.upper()\n",
)
# names the supposed annotations read, bound where the def stands: the source is parsed again
BOUND = (
    ("int = str\n\n\ndef half(n):\n    return n // 2 if n > 1 else half(n + 2)\n", "int"),
    ("from os.path import *\n\n\ndef half(n):\n    return n.upper()\n", "int"),
    ("class C:\n    str = bytes\n\n    def up(self, s):\n        return s.upper()\n", "str"),
)


def _sources() -> list[str]:
    found = [*MORE, *(source for source, _ in BOUND)]
    for name in ("memoize", "memoize-helper"):
        found += [example.source for example in transforms.get(name).examples]
    return found


def _sites(source: str) -> list[object]:
    index = ModuleIndex(source, "m")  # a fresh index: nothing cached from another run
    ctx = transforms.Context(module="m")
    return [to_json(site) for name in ("memoize", "memoize-helper")
            for site in transforms.get(name).sites(index, ctx)]


@pytest.mark.parametrize("source", _sources())
def test_supposing_gives_the_answers_of_a_parse_of_the_annotated_source(source: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    overlaid = _sites(source)
    monkeypatch.setattr(_memo_guard, "supposed", _memo_guard.reparsed)
    assert overlaid == _sites(source)


def test_the_supposed_annotation_is_seen_only_through_the_overlay() -> None:
    index = ModuleIndex(MORE[0], "m")
    fn = index.function("shout")
    assert fn is not None
    param = fn.node.args.args[0]
    overlay = index.supposing(fn, {"s": "str"})
    assert overlay is not None and overlay.tree is index.tree
    annotation = overlay.annotation(param)
    assert isinstance(annotation, ast.Name) and annotation.id == "str"
    assert overlay.parent(annotation) is param and overlay.children(param) == [annotation]
    assert overlay.segment(annotation) == "str" and overlay.binding(annotation) == "builtin"
    assert (annotation.lineno, annotation.col_offset) == (param.lineno, param.end_col_offset + 2)
    assert param.annotation is None and index.annotation(param) is None and index.children(param) == []
    assert overlay.cache is not index.cache


@pytest.mark.parametrize(("source", "supposed"), BOUND)
def test_no_overlay_when_a_supposed_name_is_bound_where_the_def_stands(source: str, supposed: str) -> None:
    index = ModuleIndex(source, "m")
    fn = index.functions[-1]
    types = {fn.node.args.args[-1].arg: supposed}
    assert index.supposing(fn, types) is None
    other, found = _memo_guard.supposed(index, fn, types)  # parsed again, annotated
    assert other.source != index.source and found.qualname == fn.qualname
    assert index.supposing(fn, dict.fromkeys(types, "float")) is not None or "*" in source


def test_an_overlay_when_the_name_is_bound_only_elsewhere() -> None:
    index = ModuleIndex(MORE[-1], "m")
    fn = index.function("up")
    assert fn is not None and index.supposing(fn, {"s": "str"}) is not None


SHARED = ("import sys\nimport builtins\nG = globals()\n\n\ndef poke(name, value):\n    G[name] = value\n\n\n"
          "def frame(n):\n    return sys._getframe(n).f_globals\n\n\ndef up(s):\n    exec(s)\n    return s.upper()\n")


def test_facts_of_the_syntax_are_computed_once_and_read_no_annotation() -> None:
    index = ModuleIndex(SHARED, "m")
    fn = index.function("up")
    assert fn is not None
    overlay = index.supposing(fn, {"s": "str"})
    assert overlay is not None and overlay.syntax is index.syntax
    shared = rebinding.rebinders(overlay)
    assert rebinding.rebinders(index) is shared and shared.by_name and shared.builtins
    overlay.syntax = {}  # derived again under the supposition: the same
    assert rebinding.rebinders(overlay) == shared and rebinding.reaches_itself(overlay) == rebinding.reaches_itself(index)
