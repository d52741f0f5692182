"""set-membership: what it rewrites, what it refuses, and that rewritten code computes the same."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.analysis.index import ModuleIndex
from evolver.model import Site
from evolver.transforms import Context, TransformError

CTX = Context(module="m")
NAME = "set-membership"


def sites(source: str) -> dict[str, Site]:
    return {s.id: s for s in transforms.get(NAME).sites(ModuleIndex.of(source, CTX.module), CTX)}


def applicable(source: str) -> list[str]:
    return [i for i, s in sites(source).items() if s.verdict == "applicable"]


def rewrite_all(source: str) -> str:
    ids = applicable(source)
    assert ids, sites(source)
    return transforms.apply_many(source, ids, CTX)


def load(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "under_test"}
    exec(compile(source, "<test>", "exec", dont_inherit=True), namespace)
    return namespace


def outcome(func: Any, *args: Any) -> tuple[Any, ...]:
    try:
        return ("returned", func(*args))
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


# --- differential: the same results on generated inputs -------------------------------------------

MIXED = '''
def mixed(n: int) -> list[bool]:
    return [i % 5 - 1 in [1, 2.0, True, "a", None, -0.0, 1.0] for i in range(n)]
'''
WORDS = '''
def content(words: list[str]) -> list[str]:
    out = []
    for w in words:
        if w not in ("a", "an", "the", "of"):  # articles and more
            out.append(w)
    return out
'''
PAIRS = '''
def known(a: int, b: int) -> int:
    return sum(1 for p in zip(range(a), range(b, -5, -1)) if p in [(1, 2), (3, -4), (0, 0)])
'''
NUMBERS = '''
def marks(n: int) -> list[int]:
    found = []
    for i in range(n):
        if i % 7 in (1, 2, 3) and i not in [10, 20]:
            found.append(i)
    return found
'''
class Folded(str):
    """A str subclass whose equality ignores case: a set of plain strs would disagree with it."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and self.lower() == other.lower()

    def __hash__(self) -> int:
        return hash(self.lower())


scalars = st.one_of(st.integers(-3, 3), st.floats(allow_nan=True), st.booleans(), st.none(),
                    st.sampled_from(["a", "b", "", "A"]), st.sampled_from(["A", "The", "x"]).map(Folded))


@pytest.mark.parametrize(("source", "function", "strategy"), [
    pytest.param(MIXED, "mixed", st.integers(-3, 12), id="mixed-scalars"),
    pytest.param(PAIRS, "known", st.integers(-4, 4), id="tuples"),
    pytest.param(NUMBERS, "marks", st.integers(-3, 40), id="ints"),
])
def test_rewritten_functions_agree(source: str, function: str, strategy: st.SearchStrategy[Any]) -> None:
    before, after = load(source)[function], load(rewrite_all(source))[function]

    @given(strategy, strategy)
    @settings(max_examples=80, deadline=None)
    def check(first: Any, second: Any) -> None:
        args = (first, second) if function == "known" else (first,)
        assert outcome(after, *args) == outcome(before, *args)

    check()


def test_mixed_literal_collapses_but_tests_the_same() -> None:
    out = rewrite_all(MIXED)
    assert '{1, 2.0, True, "a", None, -0.0, 1.0}' in out
    assert load(out)["mixed"](7) == load(MIXED)["mixed"](7) == [False, True, True, True, False, False, True]


def test_a_declared_value_goes_to_the_set_only_when_exact() -> None:
    """``w`` may be a str subclass (its ``__hash__`` need not agree with its ``__eq__``) or something
    unhashable despite the annotation: the set answers only for an exact str, the tuple otherwise."""
    site = sites(WORDS)["set-membership@m:content#0"]
    assert site.verdict == "applicable" and "hash-agrees-with-eq" not in site.assumptions
    out = rewrite_all(WORDS)
    assert 'if (w not in {"a", "an", "the", "of"} if type(w) is str else w not in ("a", "an", "the", "of")):' in out
    assert sites(out)["set-membership@m:content#0"].reasons == ("already a set",)

    class Loose(str):  # equal to "AN" but hashing as itself: a set of plain strs would miss it
        def __eq__(self, other: object) -> bool:
            return isinstance(other, str) and self.lower() == other.lower()

        __hash__ = str.__hash__

    words = ["a", Folded("AN"), "cat", Folded("Cat"), Loose("AN"), ["unhashable"]]
    assert load(out)["content"](words) == load(WORDS)["content"](words) == ["cat", "Cat", ["unhashable"]]


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "reason"), [
    pytest.param("def f(items):\n    return [x for x in items if x.name in ['a', 'b']]\n",
                 "`x.name` is not provably hashable (unknown): a set lookup would raise TypeError where the list test "
                 "is False",
                 id="unknown-left"),
    pytest.param("def f(xs: list[list[int]]):\n    return [x for x in xs if x in [1, 2]]\n",
                 "`x` is not provably hashable (list[int+]+)", id="list-left"),
    pytest.param("def f(words: list[str]):\n    stop = ['a', 'b']\n    stop.remove('b')\n    return [w for w in words if w in stop]\n",
                 "`stop` is used in `stop.remove('b')`, which could change it", id="mutated"),
    pytest.param("def f(words: list[str]):\n    stop = ('a',)\n    return [w for w in words if w in stop], stop\n",
                 "`stop` is used other than as the right side of `in`", id="returned"),
    pytest.param("def f(words: list[str]):\n    stop = ['a']\n    del stop\n    return [w for w in words if w in []]\n",
                 "the literal is empty", id="empty"),
    pytest.param("def f(words: list[str]):\n    stop = ['a']\n    r = [w for w in words if w in stop]\n    del stop\n    return r\n",
                 "`stop` is deleted", id="deleted"),
    pytest.param("def f(words: list[str]):\n    return [w for w in words if w in ['a', b'a']]\n",
                 "mixes str and bytes", id="str-bytes"),
    pytest.param("def f(words: list[str], k: str):\n    return [w for w in words if w in [k, 'a']]\n",
                 "element `k` is not a literal", id="inline-name"),
    pytest.param("def f(words: list[str]):\n    stop = ['a']\n    g = eval\n    return [w for w in words if w in stop], g\n",
                 "uses eval (could reach `stop` by name)", id="eval-as-value"),
    pytest.param("def f(words: list[str]):\n    stop = ['a']\n    exec('stop.append(1)')\n    return [w for w in words if w in stop]\n",
                 "uses exec (could reach `stop` by name)", id="exec"),
    pytest.param("def f(w: str) -> bool:\n    return w in ['a', 'b']\n",
                 "no membership test runs repeatedly", id="once"),
])
def test_refusals_name_their_reason(source: str, reason: str) -> None:
    found = sites(source)
    assert found and all(s.verdict == "refused" for s in found.values())
    assert any(r.startswith(reason) for s in found.values() for r in s.reasons), found


def test_dataclass_instances_are_refused() -> None:
    source = ("import dataclasses\n\n@dataclasses.dataclass\nclass P:\n    x: int\n\n"
              "def f(ps: list[P], a: P, b: P) -> int:\n    pool = [a, b]\n    return sum(1 for p in ps if p in pool)\n")
    site = sites(source)["set-membership@m:f#0"]
    assert site.verdict == "refused"
    assert "element `a` is not provably hashable (unknown)" in site.reasons
    assert any(r.startswith("`p` is not provably hashable") for r in site.reasons)
    ps = load(source)
    P = ps["P"]
    assert ps["f"]([P(1), P(3)], P(1), P(2)) == 1  # the list test works; a set of P would raise TypeError


# --- ids, idempotence, losslessness -----------------------------------------------------------------


def test_ids_are_stable_and_order_does_not_matter() -> None:
    forward = transforms.apply_many(NUMBERS, ["set-membership@m:marks#0", "set-membership@m:marks#1"], CTX)
    backward = transforms.apply_many(NUMBERS, ["set-membership@m:marks#1", "set-membership@m:marks#0"], CTX)
    assert forward == backward
    assert {s.id: s.reasons for s in sites(forward).values()} == {
        "set-membership@m:marks#0": ("already a set",), "set-membership@m:marks#1": ("already a set",)}
    with pytest.raises(TransformError, match="already a set"):
        transforms.apply(forward, "set-membership@m:marks#0", CTX)


def test_whitespace_comments_and_parentheses_survive() -> None:
    source = ("def f(m: int) -> int:\n    n = 0\n    for x in range(m):  # loop\n"
              "        if x in ((  1,  # one\n                   2 )):\n            n += 1\n    return n\n")
    out = rewrite_all(source)
    assert out == source.replace("((  1,", "({  1,").replace("2 ))", "2 })")
    assert load(out)["f"](4) == load(source)["f"](4) == 2


def test_bare_tuple_assignment() -> None:
    source = "def f(m: int) -> int:\n    keep = 1, 2,\n    return sum(x for x in range(m) if x in keep)\n"
    out = rewrite_all(source)
    assert "    keep = {1, 2,}\n" in out
    assert load(out)["f"](4) == 3

