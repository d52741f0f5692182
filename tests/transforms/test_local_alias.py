"""local-alias: which names it binds before a loop, which it refuses and why, and that rewritten
code computes the same values and raises the same exceptions (run in-process on sample inputs)."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.model import Site
from evolver.transforms import Context

CTX = Context(module="m")
NAME = "local-alias"


def sites(source: str) -> dict[str, Site]:
    return {s.id: s for s in transforms.propose(source, CTX) if s.transform == NAME}


def rewrite(source: str) -> str:
    ids = [i for i, s in sites(source).items() if s.verdict == "applicable"]
    assert ids, sites(source)
    return transforms.apply_many(source, ids, CTX)


def load(source: str) -> dict[str, Callable[..., object]]:
    namespace: dict[str, object] = {"__name__": "under_test"}
    exec(compile(source, "<test>", "exec"), namespace)
    return namespace  # type: ignore[return-value]


def outcome(func: Callable[..., object], *args: object) -> tuple[object, ...]:
    try:
        return ("returned", func(*args))
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


STATS = '''
def stats(words, k):
    out = []
    seen = set()
    i = 0
    while i < len(words):
        w = words[i]
        if isinstance(w, str) and w not in seen:
            seen.add(w)
            out.append(len(w) // k)
        i += 1
    return out, sorted(seen)
'''


def test_builtins_and_container_methods_are_bound_before_the_loop() -> None:
    out = rewrite(STATS)
    assert ("    _len = len\n    _isinstance = isinstance\n    _str = str\n    _seen_add = seen.add\n"
            "    _out_append = out.append\n    while i < _len(words):\n") in out
    assert "            _seen_add(w)\n            _out_append(_len(w) // k)\n" in out
    assert sites(out) == {}


@given(st.lists(st.one_of(st.text(max_size=3), st.integers()), max_size=12), st.integers(-1, 2))
@settings(max_examples=80, deadline=None)
def test_rewritten_loop_agrees(words: list[object], k: int) -> None:
    assert outcome(AFTER["stats"], words, k) == outcome(BEFORE["stats"], words, k)


BEFORE = load(STATS)
AFTER = load(rewrite(STATS))


REBINDS = '''
import sys

SCALE = 1


def bump():
    setattr(sys.modules[__name__], "SCALE", SCALE + 1)


def total(n):
    t = 0
    for i in range(n):
        bump()
        t += abs(SCALE)
    return t
'''


def test_a_global_is_not_aliased_when_the_loop_calls_code_that_could_rebind_it() -> None:
    site = sites(REBINDS)["local-alias@m:total#0"]
    assert site.verdict == "refused"  # a loop is aliased whole or not at all
    assert "not `SCALE`: bump rebinds `SCALE` (through setattr()) and the loop calls it" in site.reasons
    assert "not `abs`: bump rebinds `abs` (through setattr()) and the loop calls it" in site.reasons
    module = types.ModuleType("rebinds_under_test")
    sys.modules[module.__name__] = module
    try:
        exec(compile(REBINDS, "<test>", "exec"), module.__dict__)
        assert module.total(3) == 2 + 3 + 4  # each pass reads the SCALE bump() just set: an alias would not
    finally:
        del sys.modules[module.__name__]


def test_a_global_read_by_a_loop_of_pure_calls_is_aliased() -> None:
    source = ("SCALE = 3\n\n\ndef norm(x: int) -> int:\n    return abs(x) * SCALE\n\n\n"
              "def f(xs):\n    t = 0\n    for x in xs:\n        t += norm(x) + SCALE\n    return t\n")
    out = rewrite(source)
    assert "    _norm = norm\n    _SCALE = SCALE\n    for x in xs:\n        t += _norm(x) + _SCALE\n" in out
    assert load(out)["f"]([1, -2, 3]) == load(source)["f"]([1, -2, 3]) == 27


def test_a_global_defined_after_the_function_is_fine_when_nothing_between_runs_code() -> None:
    source = "def f(xs):\n    t = 0\n    for x in xs:\n        t += x * SCALE\n    return t\n\n\nSCALE = 2\n"
    assert sites(source)["local-alias@m:f#0"].reasons == ("aliases SCALE",)
    called = source.replace("\n\nSCALE = 2\n", "\n\nprint(f([]))\nSCALE = 2\n")
    assert sites(called)["local-alias@m:f#0"].verdict == "refused"


def test_alias_names_never_clash_with_names_in_the_function() -> None:
    source = ("def f(xs):\n    _len = 0\n    for x in xs:\n        _len += len(x)\n"
              "    g = lambda: _len_2\n    return _len, g\n")
    assert "    _len_3 = len\n    for x in xs:\n        _len += _len_3(x)\n" in rewrite(source)


def test_uses_inside_lambdas_and_comprehensions_are_left_alone() -> None:
    source = "def f(rows):\n    out = []\n    for r in rows:\n        out.append([len(c) for c in r])\n    return out\n"
    assert rewrite(source) == ("def f(rows):\n    out = []\n    _out_append = out.append\n    for r in rows:\n"
                               "        _out_append([len(c) for c in r])\n    return out\n")


def test_an_inner_loop_gets_a_site_only_for_what_an_outer_loop_cannot_bind() -> None:
    source = ("def f(rows):\n    table = []\n    for row in rows:\n        line = []\n        for x in row:\n"
              "            line.append(len(x))\n        table.append(line)\n    return table\n")
    found = sites(source)
    assert sorted(found) == ["local-alias@m:f#0", "local-alias@m:f#1"]
    assert found["local-alias@m:f#0"].reasons == ("not `line.append`: `line` is rebound in the loop",
                                                  "not `line.append`: `line` may be unbound when the loop starts")
    assert found["local-alias@m:f#1"].reasons == ("aliases line.append, len",)
    plain = "def f(rows):\n    n = 0\n    for row in rows:\n        for x in row:\n            n += len(x)\n    return n\n"
    assert sorted(sites(plain)) == ["local-alias@m:f#0"]


def test_receivers_need_a_known_exact_builtin_type() -> None:
    source = ("def f(xs, sink, acc: list[int]):\n    for x in xs:\n        sink.write(x)\n        acc.append(x)\n"
              "    return acc\n")
    # an annotation may hold a subclass whose method changes per instance; an unknown type is no use at all
    assert sites(source)["local-alias@m:f#0"].reasons == (
        "not `acc.append`: `acc` is list[int+]+, not provably exactly a builtin (a subclass, or None, may stand "
        "in: its method may change per instance)",)
    built = source.replace("acc: list[int]):\n", "acc0: list[int]):\n    acc = list(acc0)\n")
    assert sites(built)["local-alias@m:f#1"].reasons == ("aliases acc.append",)  # #0 is `list(acc0)`
    assert "_sink_write" not in rewrite(built)


def test_a_nonlocal_receiver_is_refused() -> None:
    source = ("def outer(xs):\n    out = []\n\n    def reset():\n        nonlocal out\n        out = []\n\n"
              "    def work():\n        nonlocal out\n        out = []\n        for x in xs:\n            out.append(x)\n"
              "            reset()\n\n    work()\n    return out\n")
    site = sites(source)["local-alias@m:outer.work#0"]
    assert site.reasons == ("not `out.append`: `out` is declared global or nonlocal",)
    assert load(source)["outer"]([1, 2]) == []  # reset() rebinds out during the loop: an alias would keep appending


def test_ids_survive_a_rewrite_of_an_earlier_loop() -> None:
    source = ("def f(xs, ys):\n    a = []\n    for x in xs:\n        a.append(x)\n    n = 0\n    for y in ys:\n"
              "        n += len(y)\n    return a, n\n")
    assert sites(source)["local-alias@m:f#1"].reasons == ("aliases len",)
    out = transforms.apply(source, "comprehension@m:f#0", CTX)
    assert "    _len = len\n    for y in ys:\n        n += _len(y)\n" in transforms.apply(out, "local-alias@m:f#1", CTX)


def test_a_receiver_bound_by_an_enclosing_loop_is_surely_bound_in_the_inner_one() -> None:
    source = ("def f(data, extra):\n    rows = [list(r) for r in data]\n    for row in rows:\n        for x in extra:\n"
              "            row.append(x)\n    return rows\n")
    assert sites(source)["local-alias@m:f#2"].reasons == ("aliases row.append",)  # #0 is the comprehension
    rows = [[1], [2]]
    assert load(rewrite(source))["f"](rows, [3, 4]) == [[1, 3, 4], [2, 3, 4]]


def test_methods_of_exact_builtins_run_no_code_that_could_rebind() -> None:
    """A module function that can rebind any global (setattr on the module) is not run by a loop
    that only calls methods of exact builtins; one calling unknown code could run it, and so could
    one stepping an iterator of unknown class (a caller's generator may call the module's patch)."""
    source = ("import sys\n\n\ndef patch(name, value):\n    setattr(sys.modules[__name__], name, value)\n\n\n"
              "def sizes(data, hook):\n    words = [f'{x}.' for x in data]\n    out = []\n    for w in words:\n"
              "        out.append(len(w))\n    return out\n")
    assert sites(source)["local-alias@m:sizes#1"].reasons == ("aliases out.append, len",)
    called = source.replace("out.append(len(w))", "out.append(len(w))\n        hook(w)")
    assert ("not `len`: patch rebinds `len` (through setattr()) and the loop calls unknown code (`hook`) that "
            "could call it") in sites(called)["local-alias@m:sizes#1"].reasons
    stepped = source.replace("for w in words:", "for w in data:")
    assert ("not `len`: patch rebinds `len` (through setattr()) and the loop calls unknown code (iterates over "
            "`data` (unknown), whose iterator may run any code) that could call it") in \
        sites(stepped)["local-alias@m:sizes#1"].reasons
