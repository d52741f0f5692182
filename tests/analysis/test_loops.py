"""analysis/loops.py and loop_checks.py: which names are surely bound when a loop starts, and what a
comprehension's own frame would change (recursion, callers' frames)."""

from __future__ import annotations

import ast

import pytest

from evolver.analysis.index import FunctionInfo, ModuleIndex
from evolver.analysis.loop_checks import new_frame_reasons, unbound_reasons
from evolver.analysis.loops import bound_before

BEFORE = {
    "plain": ("v = 1", True),
    "both branches": ("if c:\n        v = 1\n    else:\n        v = 2", True),
    "one branch": ("if c:\n        v = 1", False),
    "a branch that leaves": ("if c:\n        return None\n    else:\n        v = 2", True),
    "try and every handler": ("try:\n        v = int(c)\n    except ValueError:\n        v = 0", True),
    "a handler that does not": ("try:\n        v = int(c)\n    except ValueError:\n        pass", False),
    "finally": ("try:\n        pass\n    finally:\n        v = 0", True),
    "import": ("import os.path as v", True),
    "def": ("def v():\n        pass", True),
    "a loop that may not run": ("for v in c:\n        pass", False),
    "deleted": ("v = 1\n    del v", False),
}


@pytest.mark.parametrize(("code", "bound"), BEFORE.values(), ids=list(BEFORE))
def test_bound_before_a_loop(code: str, bound: bool) -> None:
    source = f"def f(c, xs):\n    {code}\n    for x in xs:\n        print(v)\n"
    index = ModuleIndex.of(source, "m")
    fn = index.function("f")
    assert fn is not None
    loop = next(n for n in ast.walk(fn.node) if isinstance(n, ast.For) and n.lineno == source.count("\n") - 1)
    assert bound_before(index, fn, "v", loop) is bound


def _loop(source: str, qualname: str) -> tuple[ModuleIndex, FunctionInfo, ast.For]:
    index = ModuleIndex.of(source, "m")
    fn = index.function(qualname)
    assert fn is not None
    return index, fn, next(n for n in ast.walk(fn.node) if isinstance(n, ast.For))


def test_only_a_loop_variable_read_in_the_iterable_is_an_unbound_risk_there() -> None:
    source = "def f(c):\n    if c:\n        src = [1]\n    out = []\n    for x in src:\n        out.append(x)\n"
    index, fn, loop = _loop(source, "f")
    assert unbound_reasons(index, fn, loop) == []
    own = source.replace("for x in src:", "for x in x.kids:")
    index, fn, loop = _loop(own, "f")
    assert [r.split(":")[0] for r in unbound_reasons(index, fn, loop)] == ["`x` may be unbound when the loop starts"]


def test_recursion_and_frame_walking_through_the_loop_are_found() -> None:
    source = ("import inspect\n\n\ndef size(t):\n    out = []\n    for c in t:\n        out.append(helper(c))\n"
              "    return out\n\n\ndef helper(c):\n    return size(c)\n\n\ndef who():\n"
              "    return inspect.stack()[1].function\n\n\ndef names(xs):\n    out = []\n    for x in xs:\n"
              "        out.append((x, who()))\n    return out\n\n\ndef plain(xs):\n    out = []\n    for x in xs:\n"
              "        out.append(len(x))\n    return out\n")
    index, fn, loop = _loop(source, "size")
    assert new_frame_reasons(index, fn, loop) == [
        "the loop calls size recursively (through helper): a comprehension adds a frame per level, halving the "
        "recursion depth it can reach"]
    index, fn, loop = _loop(source, "names")
    assert new_frame_reasons(index, fn, loop) == [
        "the loop calls who, which reads its callers' frames (inspect.stack): it would see the comprehension's frame"]
    index, fn, loop = _loop(source, "plain")
    assert new_frame_reasons(index, fn, loop) == []
