"""The kinds expressions provably have: exact by construction, declared by annotation."""

from __future__ import annotations

import ast

import pytest

from evolver.analysis import kinds as k
from evolver.analysis import types
from evolver.analysis.index import ModuleIndex

PRELUDE = '''
import math
STOP = frozenset({"a"})
LIMITS = [1, 2]


def helper(n):
    return (n, "x")


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def f(xs: list[str], n: int, d: dict[str, float] | None, flag: bool, *args, **kw):
    s = ""
    for x in xs:
        s += x
    t = ""
    t += "a"
    t += f"{n}!"
    out = []
    for i in range(n):
        out.append(i * 2)
    words = "a b".split()
    total = 0
    total += 0.5
    shared = []
    log(shared)
    a, b = 1, "x"
    return (
'''


@pytest.mark.parametrize(("expr", "shown"), [
    ("s", "str+"),  # += of a declared str: a subclass's __radd__ gives a str, maybe a subclass: never exact
    ("t", "str"), ("out", "list[int]"), ("words", "list[str]"), ("total", "float | int"),
    ("a", "int"), ("b", "str"), ("max(out)", "int"), ("', '.join(words)", "str"),
    ("str(n)", "str+"), ("str(3)", "str"), ("f'{n}'", "str+"), ("f'{n}!'", "str"), ("repr(words)", "str"),
    ("STOP", "frozenset[str]"), ("LIMITS", "list[int]"), ("math.pi", "float"),
    ("n", "int+"), ("flag", "bool"), ("xs[0]", "str+"), ("words[0]", "str"), ("d", "dict[str+, bool | float+ | int+]+ | none"),
    ("args", "tuple[unknown]"), ("kw", "dict[str, unknown]"), ("helper(n)", "tuple[unknown, str]"),
    ("fib(3)", "int"), ("fib(n)", "int+"), ("shared", "list[unknown]"), ("n + 1", "int+"),
    ("(d or {})", "dict[str+, bool | float+ | int+]+"),  # a union of one base: exact only if both are
    ("[x for x in words]", "list[str]"), ("{w: 1 for w in words}", "dict[str, int]"),
    ("sorted(words)", "list[str]"), ("list(enumerate(words))", "list[tuple[int, str]]"),
    ("'x' * 3", "str"), ("[1] + [2.0]", "list[float | int]"), ("'%s' % (n,)", "str"), ("'%s' % n", "str+"),
])
def test_kinds(expr: str, shown: str) -> None:
    source = PRELUDE + f"        {expr},\n    )\n"
    index = ModuleIndex(source, "m")
    fn = index.function("f")
    assert fn is not None
    returned = next(n for n in ast.walk(fn.node) if isinstance(n, ast.Return))
    assert isinstance(returned.value, ast.Tuple)
    assert k.show(types.facts(index, fn).of(returned.value.elts[0])) == shown


def test_exact_parameters_are_the_annotated_builtins_themselves() -> None:
    index = ModuleIndex("def f(n: int, s: str, t: tuple[int, str]):\n    return n + 1, s.lower(), t[1]\n", "m")
    fn = index.function("f")
    assert fn is not None
    returned = next(n for n in ast.walk(fn.node) if isinstance(n, ast.Return))
    assert isinstance(returned.value, ast.Tuple)
    exact = types.facts(index, fn, exact_params=True)
    assert [k.show(exact.of(e)) for e in returned.value.elts] == ["int", "str", "str"]
    declared = types.facts(index, fn)
    assert [k.show(declared.of(e)) for e in returned.value.elts] == ["int+", "str+", "str+"]


def test_a_lattice_keeps_exact_and_declared_apart() -> None:
    exact, declared = k.STR, k.declared(k.STR)
    assert k.exactly(exact, ["str"]) and not k.exactly(declared, ["str"]) and k.is_(declared, ["str"])
    assert not k.exactly(k.union([exact, declared]), ["str"])
    assert k.hashable(k.of("tuple", parts=(k.INT, k.STR))) and not k.hashable(k.of("tuple", parts=(k.INT, declared)))
    assert k.exactly(k.declared(k.BOOL), ["bool"])  # bool cannot be subclassed
    assert k.immutable(k.of("tuple", parts=())) and not k.immutable(k.of("list", items=k.INT))
    assert k.ordered(k.of("tuple", parts=(k.INT, k.STR))) and not k.ordered(k.FLOAT)
    assert k.interchangeable(k.INT) and not k.interchangeable(k.union([k.INT, k.BOOL]))


def _returned(source: str, name: str) -> str:
    index = ModuleIndex(source, "m")
    fn = index.function(name)
    assert fn is not None
    returned = next(n for n in ast.walk(fn.node) if isinstance(n, ast.Return))
    assert returned.value is not None
    return k.show(types.facts(index, fn).of(returned.value))


STORE = "class Store:\n    def __init__(self):\n        self.data = {'a': 1}\n        self.count = 0\n\n" \
        "    def bump(self):\n        self.count += 1\n\n    def get(self):\n        return (self.data, self.count)\n"


@pytest.mark.parametrize(("extra", "shown"), [
    ("", "tuple[dict[unknown, unknown], int]"),  # what the class's methods store (a dict's contents forgotten)
    # stored into some other object's attribute of that name
    ("\n\ndef poke(s):\n    s.count = 'x'\n", "tuple[dict[unknown, unknown], unknown]"),
    ("\n\ndef poke(s, name):\n    setattr(s, name, 1)\n", "tuple[unknown, unknown]"),  # a name not spelt out
    ("\n\ndef poke(s):\n    return vars(s)\n", "tuple[unknown, unknown]"),
])
def test_attributes_of_self_hold_what_the_module_stores(extra: str, shown: str) -> None:
    assert _returned(STORE + extra, "Store.get") == shown


@pytest.mark.parametrize("source", [
    "class Base:\n    pass\n\n\nclass C(Base):\n    def __init__(self):\n        self.x = 1\n\n    def get(self):\n"
    "        return self.x\n",  # a base class may make x a property
    "class C:\n    x = 0\n\n    def __init__(self):\n        self.x = 1\n\n    def get(self):\n        return self.x\n",
    "class C:\n    def __getattr__(self, name):\n        return 'y'\n\n    def get(self):\n        return self.x\n",
    "class C:\n    @property\n    def x(self):\n        return 1\n\n    def get(self):\n        return self.x\n",
])
def test_attributes_that_code_other_than_the_stores_decides_are_unknown(source: str) -> None:
    assert _returned(source, "C.get") == "unknown"


def test_sum_of_nothing_is_an_int_so_a_recursion_through_sum_gets_its_kind() -> None:
    source = "def ways(n: int, coins: list[int]) -> int:\n    if n == 0:\n        return 1\n" \
             "    return sum(ways(n - c, coins) for c in coins if c <= n)\n"
    index = ModuleIndex(source, "m")
    fn = index.function("ways")
    assert fn is not None
    assert k.show(types.returns(index, fn, exact=True)) == "int"


def test_a_compiled_pattern_is_an_immutable_module_constant() -> None:
    """re.Pattern cannot be subclassed nor changed: what precompile-regex writes is a constant
    (memoize may read it)."""
    from evolver.analysis.constants import constant_reason

    index = ModuleIndex("import re\nWORD = re.compile('[a-z]+')\nLATER = re.compile('x')\nLATER = None\n", "m")
    assert k.show(types.facts(index, None).global_type("WORD")) == "pattern"
    assert constant_reason(index, "WORD") is None
    assert constant_reason(index, "LATER") == "reads module global LATER (rebound in the module)"
