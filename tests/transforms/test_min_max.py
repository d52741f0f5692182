"""min-max: the rewritten call returns the very element the sort returned (ties, reverse, keys),
raises what it raised, and the transform refuses what it cannot prove (order, emptiness, purity)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.transforms import Context
from transforms.checks import outcome, under_test

CTX = Context(module="m")
NAME = "min-max"
sites, rewritten, load = under_test(NAME, CTX)


def pair(source: str) -> tuple[object, object]:
    """The original and the rewritten ``pick``."""
    return load(source)["pick"], load(rewritten(source))["pick"]


# --- the truth table: which element each form returns ----------------------------------------

KEYED = '''def pick(data):
    items = [(int(a), f"{{b}}:") for a, b in data]
    if not items:
        return None
    return sorted(items, key=lambda p: p[0]{reverse})[{position}]
'''
PLAIN = '''def pick(data):
    items = [(int(a), f"{{b}}:") for a, b in data]
    if not items:
        return None
    return sorted(items{reverse})[{position}]
'''
FORMS = [  # (position, reverse) -> what the keyed form becomes
    (0, False, "min(items, key=lambda p: p[0])"),
    (0, True, "max(items, key=lambda p: p[0])"),
    (-1, False, "max(reversed(items), key=lambda p: p[0])"),
    (-1, True, "min(reversed(items), key=lambda p: p[0])"),
]
PAIRS = st.lists(st.tuples(st.integers(0, 3), st.sampled_from("abc")), max_size=12)


@pytest.mark.parametrize(("position", "reverse", "expected"), FORMS)
def test_each_position_and_direction_has_its_form(position: int, reverse: bool, expected: str) -> None:
    flag = ", reverse=True" if reverse else ""
    assert f"    return {expected}\n" in rewritten(KEYED.format(reverse=flag, position=position))


@pytest.mark.parametrize(("position", "reverse"), [(p, r) for p, r, _ in FORMS])
@pytest.mark.parametrize("template", [KEYED, PLAIN], ids=["key", "no-key"])
@given(items=PAIRS)
@settings(max_examples=80, deadline=None)
def test_returns_the_same_tied_element(template: str, position: int, reverse: bool,
                                       items: list[tuple[int, str]]) -> None:
    original, candidate = pair(template.format(reverse=", reverse=True" if reverse else "", position=position))
    expected, got = original(items), candidate(items)  # type: ignore[operator]
    assert got == expected  # ties differ by the str part: the same element


INTS = '''def pick(data: list[int]):
    xs = list(data)
    if not xs:
        return None
    return sorted(xs)[-1], sorted(xs, reverse=True)[-1], sorted(xs)[0]
'''


@given(st.lists(st.one_of(st.booleans(), st.integers(-2, 2)), max_size=10))
@settings(max_examples=150, deadline=None)
def test_bool_and_int_ties_keep_the_sorted_element(xs: list[int]) -> None:
    """``True == 1``: an ``int`` annotation admits bools (and int subclasses): the run-time guard sends
    anything but exact ints to the sort, so ``[-1]`` may become a bare max()."""
    original, candidate = pair(INTS)
    guard = "type(xs) is list and {*map(type, xs)} <= {int}"
    assert f"(max(xs) if {guard} else sorted(xs)[-1]), (min(xs) if {guard} else sorted(xs, reverse=True)[-1])" \
        in rewritten(INTS)
    expected, got = original(xs), candidate(xs)  # type: ignore[operator]
    assert [type(v) for v in got or ()] == [type(v) for v in expected or ()] and got == expected


EXACT = '''def pick(words: list[str]):
    sizes = [len(w) for w in words]
    if not sizes:
        return None
    return sorted(sizes)[-1] - sorted(sizes, reverse=True)[-1]
'''


@given(st.lists(st.text(max_size=6), max_size=8))
@settings(max_examples=60, deadline=None)
def test_exact_ints_take_plain_max(words: list[str]) -> None:
    assert "return max(sizes) - min(sizes)\n" in rewritten(EXACT)
    original, candidate = pair(EXACT)
    assert outcome(candidate, words) == outcome(original, words)


STRIPPED = '''def pick(data):
    words = [f"{w} " for w in data]
    if not words:
        return None
    return sorted((w.strip() for w in words), key=len)[0], sorted(words, key=str.lower)[0]
'''


@given(st.lists(st.text(alphabet="ab ", max_size=4), max_size=8))
@settings(max_examples=120, deadline=None)
def test_generator_inputs_and_str_keys_agree(words: list[str]) -> None:
    original, candidate = pair(STRIPPED)
    assert "min((w.strip() for w in words), key=len), min(words, key=str.lower)" in rewritten(STRIPPED)
    assert outcome(candidate, words) == outcome(original, words)


SELECTION = '''def pick(data: list[int]):
    xs = list(data)
    out = []
    while xs:
        y = sorted(xs)[0]
        xs.remove(y)
        out.append(y)
    return out
'''


@given(st.lists(st.integers(-5, 5), max_size=10))
@settings(max_examples=60, deadline=None)
def test_a_while_guard_holds_for_every_iteration(data: list[int]) -> None:
    original, candidate = pair(SELECTION)
    assert "y = (min(xs) if type(xs) is list" in rewritten(SELECTION)
    assert outcome(candidate, data) == outcome(original, data)


# --- non-emptiness: the guards that prove it and the ones that do not --------------------------


def body(*lines: str, params: str = "xs: list[int]") -> str:
    """A function ``f(params)`` whose body is ``lines`` (each indented once more)."""
    return f"def f({params}):\n" + "".join(f"    {line}\n" for line in lines)


@pytest.mark.parametrize("source", [
    body("if not xs:", "    return None", "return sorted(xs)[0]"),
    body("if len(xs) == 0:", "    return None", "return sorted(xs)[0]"),
    body("if len(xs) < 2:", "    return None", "return sorted(xs)[0]"),
    body("if 1 > len(xs):", "    return None", "return sorted(xs)[0]"),
    body("if xs is None or not xs:", "    raise ValueError", "return sorted(xs)[0]"),
    body("if len(xs) > 0:", "    return sorted(xs)[0]"),
    body("if 0 < len(xs):", "    return sorted(xs)[0]"),
    body("if xs:", "    return sorted(xs)[0]"),
    body("if not xs:", "    return None", "else:", "    return sorted(xs)[0]"),
    body("return sorted(xs)[0] if xs else None"),
    body("return xs and sorted(xs)[0]"),
    body("return sorted([a, b])[0]", params="a: int, b: int"),
    body("return sorted(len(w) for w in [a, b])[0]", params="a: str, b: str"),
    body("ys = [x * 2 for x in xs]", "if not ys:", "    return 0", "n = len(ys)", "ys.append(n)",
         "return sorted(ys)[0]"),
    body("for x in xs:", "    ys = list(xs)", "    if not ys:", "        continue", "    y = sorted(ys)[0]",
         "    ys.pop()"),
    body("ys = [1]", "if ys and check():", "    return sorted(ys)[0]"),
], ids=lambda s: " ".join(s.split("\n", 1)[1].split())[:48])
def test_guards_that_prove_non_empty(source: str) -> None:
    assert [s for s in sites(source).values() if s.verdict == "applicable"], sites(source)


@pytest.mark.parametrize(("source", "reason"), [
    (body("return sorted(xs)[0]"), "nothing proves `xs` non-empty"),
    (body("if xs is None:", "    return None", "return sorted(xs)[0]"), "nothing proves"),
    (body("if not xs:", "    print('empty')", "return sorted(xs)[0]"), "nothing proves"),
    (body("if not ys:", "    return None", "return sorted(xs)[0]", params="xs: list[int], ys: list[int]"),
     "nothing proves"),
    (body("if len(xs) >= 0:", "    return sorted(xs)[0]"), "nothing proves"),
    (body("if len(xs) < 0:", "    return None", "return sorted(xs)[0]"), "nothing proves"),
    (body("if len(xs) <= -1:", "    return None", "return sorted(xs)[0]"), "nothing proves"),
    (body("if len(xs) != 1:", "    return sorted(xs)[0]"), "nothing proves"),
    (body("while xs:", "    pass", "else:", "    return sorted(xs)[0]"), "nothing proves"),
    (body("if not xs:", "    return None", "log()", "return sorted(xs)[0]"), "used first thing after the guard"),
    (body("if xs and check():", "    return sorted(xs)[0]"), "rest of the guard's test"),
    (body("ys = [1]", "if not ys:", "    return 0", "ys = []", "return sorted(ys)[0]"), "changed between the guard"),
    (body("ys = [1]", "if not ys:", "    return 0", "ys.clear()", "return sorted(ys)[0]"),
     "changed between the guard"),
    (body("ys = [1]", "if not ys:", "    return 0", "for i in xs:", "    y = sorted(ys)[0]", "    ys.pop()"),
     "changed between the guard"),
    (body("ys = (x for x in xs)", "if ys:", "    return sorted(ys)[0]"), "not provably exactly a list, tuple, set"),
    (body("if XS:", "    return sorted(XS)[0]", params=""), "not a local variable"),
    (body("return sorted(x for x in xs if x)[0]"), "has an `if`"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_what_does_not_prove_non_empty(source: str, reason: str) -> None:
    source = ("XS = [1]\n\n\n" if "XS" in source else "") + source
    (site,) = sites(source).values()
    assert site.verdict == "refused" and any(reason in r for r in site.reasons), site.reasons


@given(st.lists(st.integers(-3, 3), max_size=6))
@settings(max_examples=60, deadline=None)
def test_empty_input_behaves_the_same_behind_each_guard(xs: list[int]) -> None:
    for source in (body("if not xs:", "    return None", "return sorted(xs)[0]"),
                   body("return sorted(xs)[-1] if xs else 7"), body("return xs and sorted(xs)[0]"),
                   body("if len(xs) < 2:", "    return -1", "return sorted(xs)[-1]")):
        original = load(source)["f"]
        candidate = load(rewritten(source))["f"]
        assert outcome(candidate, xs) == outcome(original, xs)


# --- order, keys and shapes ------------------------------------------------------------------


@pytest.mark.parametrize(("source", "reason"), [
    (body("if xs:", "    return sorted(xs)[0]", params="xs: list[float]"), "elements are not provably int"),
    (body("if xs:", "    return sorted(xs)[0]", params="xs: list[int | None]"), "elements are not provably int"),
    (body("if xs:", "    return sorted(xs, key=abs)[0]", params="xs: list[float]"), "key's results are not provably"),
    (body("if xs:", "    return sorted(xs, key=lambda x: x.size)[0]", params="xs: list"),
     "key's results are not provably"),
    (body("if xs:", "    return sorted(xs, key=score)[0]", params="xs: list[str]"), "is not proven pure"),
    (body("if xs:", "    return sorted(xs)[2]"), "other than the first or last"),
    (body("if xs:", "    return sorted(xs, reverse=r)[0]", params="xs: list[int], r: bool"),
     "reverse= is not the constant"),
    (body("if xs:", "    return sorted(xs, key=len)[-1]", params="xs: frozenset[str]"), "`[-1]` is the last of equal"),
    (body("if xs:", "    return sorted(xs, key=lambda w: w[0])[-1]", params="xs: list[str]"),
     "`[-1]` is the last of equal"),
    (body("if xs:", "    return sorted((w for w in xs if w), key=lambda w: 10 // len(w))[0]", params="xs: list[str]"), "may raise"),
    (body("return sorted(s.split(','))[0]", params="s: str"), "elements are not provably int"),
    (body("if xs:", "    return sorted(xs, key=lambda p: p[0])[0]", params="xs: list[tuple[int, int]]"),
     "key's results are not provably"),
])
def test_order_and_key_refusals(source: str, reason: str) -> None:
    source = "LOG = []\n\n\ndef score(w: str) -> int:\n    LOG.append(w)\n    return len(w)\n\n\n" + source
    site = sites(source)["f#0"]
    assert site.verdict == "refused" and any(reason in r for r in site.reasons), site.reasons


def test_pure_module_key_function_is_accepted() -> None:
    source = ("def weight(w: str) -> int:\n    return len(w.strip())\n\n\n"
              + body("if xs:", "    return sorted(xs, key=weight)[0]", params="xs: list[str]"))
    assert "return (min(xs, key=weight) if type(xs) is list and {*map(type, xs)} <= {str} else" in rewritten(source)


def test_itemgetter_over_declared_tuples_is_guarded_on_the_items_it_picks() -> None:
    source = ("import operator\n\n\n"
              + body("if xs:", "    return sorted(xs, key=operator.itemgetter(1))[0]", params="xs: list[tuple[str, int]]"))
    guard = ("type(xs) is list and {*map(type, xs)} <= {tuple} and "
             "{*map(type, map(operator.itemgetter(1), xs))} <= {int}")
    assert f"return (min(xs, key=operator.itemgetter(1)) if {guard} else sorted(" in rewritten(source)
    original, candidate = load(source)["f"], load(rewritten(source))["f"]
    for xs in ([("a", 2), ("b", 1), ("c", 1)], [("a", 1.5), ("b", 1)], [("a", 1), ("b",)], [("a", True), ("b", 1)]):
        assert outcome(candidate, xs) == outcome(original, xs)
    floats = source.replace("tuple[str, int]", "tuple[str, float]")
    assert sites(floats)["f#0"].verdict == "refused"


def test_shadowed_builtins_are_refused() -> None:
    source = "def max(*a):\n    return 0\n\n\n" + body("if xs:", "    return sorted(xs, reverse=True)[0]")
    assert "`max` is not the builtin here" in sites(source)["f#0"].reasons


def test_site_numbers_survive_rewrites_in_any_order() -> None:
    source = body("if not xs:", "    return 0", "m = min(xs)", "return sorted(xs)[0] + sorted(xs)[-1] + m",
                  params="xs: tuple[int, ...]")
    ids = [s.id for s in sites(source).values() if s.verdict == "applicable"]
    assert ids == ["min-max@m:f#1", "min-max@m:f#2"]  # #0 is the min() already there
    forward, backward = transforms.apply_many(source, ids, CTX), transforms.apply_many(source, ids[::-1], CTX)
    guard = "type(xs) is tuple and {*map(type, xs)} <= {int}"
    assert forward == backward
    assert f"return (min(xs) if {guard} else sorted(xs)[0]) + (max(xs) if {guard} else sorted(xs)[-1]) + m" in forward


def test_composes_with_operator_getter_in_either_order() -> None:
    source = ("def best(data):\n    pairs = [(f'{n}', int(v)) for n, v in data]\n    if not pairs:\n"
              "        return None\n    return sorted(pairs, key=lambda p: p[1])[-1]\n")
    ids = ["min-max@m:best#0", "operator-getter@m:best#0"]
    first, second = transforms.apply_many(source, ids, CTX), transforms.apply_many(source, ids[::-1], CTX)
    assert first == second and "return max(reversed(pairs), key=operator.itemgetter(1))" in first
