"""Differential tests: a rewritten function and its original agree on generated inputs.

Each case is a small module of our own (never user code, so it runs in this process), the
function to call and a hypothesis strategy for its arguments. Every applicable site of the
transform is applied with ``transforms.apply``; both versions are executed in fresh namespaces
and called with the same sequence of (deep-copied) arguments: they must return equal values of
the same type (floats by ``repr``), raise the same exception type, and leave the arguments in the
same state. Each generated example is a sequence of calls on fresh copies, and a mutable result is
changed before the next call, so a cache that confuses keys or shares a result is caught too.

Cases include shapes a sound transform must refuse (they are rewritten only by a bug, and then
the inputs show the difference); a case whose transform refuses it is skipped with the reasons.
Cases of a transform whose file does not exist yet are skipped with that reason.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.transforms import Context, Transform

CTX = Context(module="difftest")

Args = tuple[Any, ...]


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    function: str
    args: st.SearchStrategy[Args]
    prepare: Callable[[Args], Args] = field(default=lambda args: args)  # e.g. lists to iterators


ints = st.integers(min_value=-50, max_value=50)
small_ints = st.lists(ints, max_size=12)
words = st.lists(st.sampled_from(["a", "an", "the", "of", "to", "it", "is", "cat", "dog", "Ox", "", "tree"])
                 | st.text(max_size=5), max_size=12)
numbers = st.lists(st.integers(-3, 3) | st.floats(-3, 3, allow_nan=False).map(lambda x: float(round(x)))
                   | st.booleans(), max_size=10)
anything = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=True) | st.text(max_size=3),
                        lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner), max_leaves=6)
iterated = small_ints | st.tuples(ints, ints) | st.text(max_size=6) | st.none()


def one(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Args]:
    return st.tuples(strategy)


def as_iterator(args: Args) -> Args:
    return (iter(args[0]),) + args[1:]


CASES: dict[str, tuple[Case, ...]] = {
    "memoize": (
        Case("partitions", '''
def ways(total: int, largest: int) -> int:
    """Partitions of ``total`` into parts no larger than ``largest``."""
    if total == 0:
        return 1
    if total < 0 or largest <= 0:
        return 0
    return ways(total - largest, largest) + ways(total, largest - 1)
''', "ways", st.tuples(st.integers(-3, 18) | st.booleans(), st.integers(-2, 7) | st.booleans())),
        Case("typed-keys", '''
def describe(value: int | None, width: int) -> str:
    if value is None:
        return "missing"
    kind = "flag" if isinstance(value, bool) else "number"
    return f"{value!r:>{width}}:{kind}"
''', "describe", st.tuples(st.none() | st.booleans() | st.integers(-2, 2), st.integers(0, 2) | st.booleans())),
        Case("raises", '''
def slug(title: str, limit: int = 20) -> str:
    if limit <= 0:
        raise ValueError(f"limit must be positive, got {limit}")
    kept = [w for w in title.lower().split() if w.isalnum()]
    return "-".join(kept)[:limit]
''', "slug", st.tuples(st.text(max_size=20), st.integers(-2, 25))),
        Case("tuple-argument", '''
def initials(names: tuple[str, ...], sep: str = ".") -> str:
    return sep.join(n[0].upper() for n in names if n)
''', "initials", st.tuples(st.lists(st.text(max_size=4), max_size=5).map(tuple), st.sampled_from([".", "", "-"]))),
        Case("frozen-constant", '''
VOWELS = frozenset("aeiou")


def split_vowels(word: str) -> tuple[str, str]:
    vowels = "".join(c for c in word if c in VOWELS)
    rest = "".join(c for c in word if c not in VOWELS)
    return vowels, rest
''', "split_vowels", one(st.text(alphabet="abcdeiouxyz", max_size=10))),
        Case("tuple-lookup-raises", '''
LEVELS = ("debug", "info", "warning", "error")


def level_index(name: str) -> int:
    return LEVELS.index(name.strip().lower())
''', "level_index", one(st.sampled_from(["debug", "INFO", " error", "fatal", ""]))),
        Case("mutual-recursion", '''
def steps(n: int) -> int:
    if n <= 1:
        return 0
    return 1 + (halve(n) if n % 2 == 0 else triple(n))


def halve(n: int) -> int:
    return steps(n // 2)


def triple(n: int) -> int:
    return steps(3 * n + 1)
''', "steps", one(st.integers(-5, 3000))),
        Case("mutable-global-refused", '''
RATES = {"eu": 20, "us": 7}


def tax(region: str, cents: int) -> int:
    return cents * RATES.get(region, 0) // 100
''', "tax", st.tuples(st.sampled_from(["eu", "us", "xx"]), ints)),
        Case("mutable-result-refused", '''
def pair(n: int) -> list[int]:
    return [n, n + 1]
''', "pair", one(ints)),
    ),
    "memoize_helper": (
        Case("coin-change", '''
def ways(n: int, coins: list[int]) -> int:
    """Ways to pay ``n`` with ``coins`` (order matters); raises on a zero coin."""
    if n == 0:
        return 1
    if n < 0:
        return 0
    return sum(ways(n - c, coins) for c in coins if 10 // c)
''', "ways", st.tuples(st.integers(-2, 14), st.lists(st.integers(0, 6), max_size=4))),
        Case("graph-cost", '''
def cost(graph: dict[str, list[tuple[str, int]]], node: str, depth: int = 0) -> int:
    edges = graph.get(node, ())
    if not edges or depth > 6:
        return len(node)
    return min(w + cost(graph, nxt, depth=depth + 1) for nxt, w in edges)
''', "cost", st.tuples(st.dictionaries(st.sampled_from("abcd"), st.lists(st.tuples(st.sampled_from("abcde"),
                                                                                 st.integers(0, 9)), max_size=3),
                                         max_size=4),
                        st.sampled_from("abcde"), st.integers(0, 3))),
        Case("grows-the-list-refused", '''
def walk(n: int, seen: list[int]) -> int:
    if n <= 0:
        return len(seen)
    seen.append(n)
    return walk(n - 1, seen) + walk(n - 2, seen)
''', "walk", st.tuples(st.integers(-1, 8), st.lists(st.integers(0, 3), max_size=3))),
    ),
    "set_membership": (
        Case("stopword-loop", '''
def count_stopwords(words: list[str]) -> int:
    stop = ["a", "an", "the", "of", "and"]
    count = 0
    for word in words:
        if word in stop:
            count += 1
    return count
''', "count_stopwords", one(words)),
        Case("comprehension-literal", '''
def keep(words: list[str]) -> list[str]:
    return [w for w in words if w not in ("is", "it", "to")]
''', "keep", one(words)),
        Case("range-ints", '''
def primes_below(n: int) -> list[int]:
    return [i for i in range(n) if i in [2, 3, 5, 7, 11, 13, 17, 19]]
''', "primes_below", one(st.integers(-3, 25))),
        Case("numbers-equal-across-types", '''
def hits(values: list[float]) -> int:
    found = 0
    for v in values:
        if v in (1, 2.0, True, -0.0):
            found += 1
    return found
''', "hits", one(numbers)),
        Case("maybe-unhashable-refused", '''
def matches(items):
    hits = 0
    for item in items:
        if item in [1, "b", (2, 3), None]:
            hits += 1
    return hits
''', "matches", one(st.lists(anything, max_size=6))),
        Case("mutated-container-refused", '''
def first_repeats(words: list[str]) -> list[str]:
    seen = []
    repeats = []
    for w in words:
        if w in seen:
            repeats.append(w)
        seen.append(w)
    return repeats
''', "first_repeats", one(words)),
    ),
    "join_strings": (
        Case("fstring-items", '''
def render(items: list[str]) -> str:
    html = ""
    for item in items:
        html += f"<li>{item}</li>"
    return html
''', "render", one(words)),
        Case("str-calls", '''
def csv_line(values: list[int]) -> str:
    line = ""
    for v in values:
        line += str(v) + ","
    return line
''', "csv_line", one(small_ints)),
        Case("nonempty-start", '''
def shout(words: list[str]) -> str:
    text = ">"
    for w in words:
        text += w.upper()
    return text
''', "shout", one(words)),
        Case("str-parts", '''
def concat(words: list[str]) -> str:
    text = ""
    for w in words:
        text += w
    return text
''', "concat", one(words)),
        Case("two-appends", '''
def joined(words: list[str], sep: str) -> str:
    text = ""
    for w in words:
        text += w
        text += sep
    return text
''', "joined", st.tuples(words, st.sampled_from([",", "", " - "]))),
        Case("untyped-parts-refused", '''
def glue(parts):
    acc = ""
    for p in parts:
        acc += p
    return acc
''', "glue", one(st.lists(st.text(max_size=3) | st.integers(0, 3), max_size=5))),
        Case("read-in-loop-refused", '''
def numbered(lines: list[str]) -> str:
    out = ""
    for line in lines:
        out += f"{len(out)}:{line};"
    return out
''', "numbered", one(words)),
    ),
    "min_max": (
        Case("guarded-min", '''
def cheapest(prices: list[int]) -> int | None:
    if not prices:
        return None
    return sorted(prices)[0]
''', "cheapest", one(small_ints)),
        Case("first-shortest", '''
def shortest(words: list[str]) -> str:
    if not words:
        return ""
    return sorted(words, key=len)[0]
''', "shortest", one(words)),
        Case("last-longest-ties", '''
def longest(words: list[str]) -> str:
    if not words:
        return ""
    return sorted(words, key=len)[-1]
''', "longest", one(words)),
        Case("mixed-number-ties", '''
def largest(values: list[float]) -> float:
    if not values:
        return 0.0
    return sorted(values)[-1]
''', "largest", one(numbers)),
        Case("reverse-first", '''
def best(scores: list[float]) -> float:
    if not scores:
        raise ValueError("no scores")
    return sorted(scores, reverse=True)[0]
''', "best", one(st.lists(st.floats(allow_nan=True) | st.integers(-2, 2), max_size=6))),
        Case("reverse-last-ties", '''
def least(words: list[str]) -> str:
    if not words:
        return ""
    return sorted(words, key=len, reverse=True)[-1]
''', "least", one(words)),
        Case("tuples-by-key", '''
def earliest(events: list[tuple[int, str]]) -> tuple[int, str]:
    if not events:
        return (0, "")
    return sorted(events, key=lambda e: e[0])[0]
''', "earliest", one(st.lists(st.tuples(st.integers(0, 3), st.text(max_size=2)), max_size=6))),
        Case("unguarded-refused", '''
def lowest(xs):
    return sorted(xs)[0]
''', "lowest", one(small_ints)),
    ),
    "comprehension": (
        Case("map-loop", '''
def squares(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        out.append(x * x)
    return out
''', "squares", one(small_ints)),
        Case("filter-loop", '''
def halves(xs: list[int]) -> list[int]:
    result = []
    for x in xs:
        if x % 2 == 0:
            result.append(x // 2)
    return result
''', "halves", one(small_ints)),
        Case("raising-element", '''
def inverses(xs: list[int]) -> list[float]:
    out = []
    for x in xs:
        out.append(12 / x)
    return out
''', "inverses", one(small_ints)),
        Case("copy-loop", '''
def copy_of(xs):
    out = []
    for x in xs:
        out.append(x)
    return out
''', "copy_of", one(iterated)),
        Case("copy-loop-iterator", '''
def drain(xs):
    out = []
    for x in xs:
        out.append(x)
    return out, list(xs)
''', "drain", one(small_ints), as_iterator),
        Case("set-loop", '''
def unique(xs):
    seen = set()
    for x in xs:
        seen.add(x)
    return seen
''', "unique", one(st.lists(st.integers(-3, 3) | st.lists(st.integers(), max_size=1), max_size=5))),
        Case("closures", '''
def doublers(xs: list[int]) -> list[int]:
    funcs = []
    for x in xs:
        funcs.append(lambda: x * 2)
    return [f() for f in funcs]
''', "doublers", one(small_ints)),
        Case("variable-after-loop-refused", '''
def squares_and_last(xs: list[int]):
    out = []
    for x in xs:
        out.append(x * x)
    return out, x
''', "squares_and_last", one(small_ints)),
        Case("read-in-loop-refused", '''
def running(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        out.append(x + len(out))
    return out
''', "running", one(small_ints)),
    ),
    "linear_concat": (
        Case("sum-of-lists", '''
def flatten(groups: list[list[int]]) -> list[int]:
    return sum(groups, [])
''', "flatten", one(st.lists(small_ints, max_size=4))),
        Case("sum-of-maybe-tuples-refused", '''
def flatten_any(groups):
    return sum(groups, [])
''', "flatten_any", one(st.lists(small_ints | small_ints.map(tuple), max_size=4))),
        Case("rebinding-concat", '''
def squares_upto(n: int) -> list[int]:
    acc = []
    for i in range(n):
        acc = acc + [i * i]
    return acc
''', "squares_upto", one(st.integers(-2, 30))),
        Case("shared-accumulator-refused", '''
def extended(base: list[int], extra: list[int]) -> tuple[list[int], list[int]]:
    acc = base
    for x in extra:
        acc = acc + [x]
    return acc, base
''', "extended", st.tuples(small_ints, small_ints)),
    ),
    "hoist_invariant": (
        Case("arithmetic", '''
def scaled(data: list[int], f: int) -> list[int]:
    xs = list(data)
    factor = int(f)
    out = []
    for x in xs:
        out.append(x * (factor * 2 + len(xs)))
    return out
''', "scaled", st.tuples(small_ints, ints)),
        Case("while-len", '''
def pair_sums(data: list[int]) -> list[int]:
    xs = list(data)
    out = []
    i = 0
    while i + 1 < len(xs):
        out.append(xs[i] + xs[i + 1])
        i += 2
    return out
''', "pair_sums", one(small_ints)),
        Case("str-method", '''
def tagged(words: list[str], t: str) -> list[str]:
    tag = "".join(t)
    out = []
    for w in words:
        out.append(w + tag.upper() + str(len(tag) * 2))
    return out
''', "tagged", st.tuples(words, st.text(max_size=3))),
        Case("may-raise-on-empty-loop", '''
def shares(xs: list[int], k: int) -> list[int]:
    out = []
    for x in xs:
        out.append(x + 100 // k)
    return out
''', "shares", st.tuples(small_ints, st.integers(-2, 2))),
        Case("mutated-in-loop-refused", '''
def grow(xs: list[int], n: int) -> list[int]:
    sizes = []
    for i in range(n):
        xs.append(i)
        sizes.append(len(xs))
    return sizes
''', "grow", st.tuples(small_ints, st.integers(0, 5))),
        Case("aliased-store-refused", '''
def totals(rows: list[list[int]]) -> list[int]:
    out = []
    first = rows[0] if rows else [0]
    for row in rows:
        row.append(1)
        out.append(len(first) * 2)
    return out
''', "totals", one(st.lists(st.lists(ints, min_size=1, max_size=3), max_size=4))),
    ),
    "local_alias": (
        Case("builtin-and-method", '''
def lengths(words: list[str]) -> list[int]:
    out = []
    for w in words:
        out.append(len(w))
    return out
''', "lengths", one(words)),
        Case("receiver-rebound-refused", '''
def resets(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        out.append(x)
        if x == 0:
            out = []
    return out
''', "resets", one(st.lists(st.integers(-2, 2), max_size=8))),
    ),
    "dict_items": (
        Case("sum-values", '''
def weighted(src: dict[str, int]) -> int:
    ages = {str(k): int(v) for k, v in src.items()}  # an annotated dict may be a subclass: refused
    total = 0
    for name in ages:
        age = ages[name]
        total += age * len(name)
    return total
''', "weighted", one(st.dictionaries(st.text(max_size=3), ints, max_size=5))),
        Case("values-updated-in-loop", '''
def bump(counts: dict[str, int]) -> dict[str, int]:
    for key in counts:
        value = counts[key]
        counts[key] = value + len(counts)
    return counts
''', "bump", one(st.dictionaries(st.text(max_size=2), ints, max_size=4))),
        Case("size-changes-in-loop", '''
def grow(src: dict[str, int]) -> tuple[int, dict[str, int]]:
    counts = {str(k): int(v) for k, v in src.items()}
    seen = 0
    for key in counts.keys():
        value = counts[key]
        seen += value
        if value > 0:
            counts[key + "!"] = value - 1
    return seen, counts
''', "grow", one(st.dictionaries(st.text(max_size=2), st.integers(-1, 1), max_size=3))),
        Case("not-a-dict-refused", '''
def pairs(table):
    out = []
    for key in table:
        value = table[key]
        out.append((key, value))
    return out
''', "pairs", one(st.dictionaries(st.integers(0, 3), ints, max_size=3) | st.lists(st.integers(0, 2), max_size=3))),
    ),
    "operator_getter": (
        Case("sorted-by-item", '''
def by_second(pairs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return sorted(pairs, key=lambda p: p[1])
''', "by_second", one(st.lists(st.tuples(ints, st.text(max_size=2)) | st.tuples(ints), max_size=5))),
        Case("max-by-items", '''
def best(rows: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    return max(rows, key=lambda r: (r[2], r[0]))
''', "best", one(st.lists(st.tuples(st.integers(0, 2), ints, st.integers(0, 2)), max_size=5))),
        Case("map-one-tuple", '''
def firsts(rows: list[tuple[int, int]]) -> list[tuple[int]]:
    return list(map(lambda r: (r[0],), rows))
''', "firsts", one(st.lists(st.tuples(ints, ints) | st.tuples(), max_size=4))),
        Case("dict-items-key", '''
def top_key(counts: dict[str, int]) -> list[str]:
    return [k for k, _ in sorted(counts.items(), key=lambda kv: kv[1], reverse=True)]
''', "top_key", one(st.dictionaries(st.text(max_size=2), st.integers(0, 3), max_size=5))),
    ),
    "precompile_regex": (
        Case("findall", '''
import re


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())
''', "words", one(st.text(max_size=12))),
        Case("split-maxsplit", '''
import re


def fields(line: str) -> list[str]:
    return re.split(r"\\s*,\\s*", line, maxsplit=2)
''', "fields", one(st.text(alphabet="ab ,", max_size=12))),
        Case("sub-positional-count-and-flags", '''
import re


def redact(text: str) -> str:
    return re.sub(r"[a-c]", "#", text, 2, re.IGNORECASE)
''', "redact", one(st.text(alphabet="aAbBcCxy", max_size=10))),
        Case("match-flags", '''
import re


def is_flag(text: str) -> bool:
    return re.match(r"flag\\b", text, flags=re.I) is not None
''', "is_flag", one(st.sampled_from(["flag", "FLAG x", "flags", "x flag", ""]))),
    ),
}


def registered(stem: str) -> Transform | None:
    """The transform defined in ``evolver/transforms/<stem>.py``, if that file exists yet."""
    return next((t for t in transforms.all_transforms() if type(t).__module__.rsplit(".", 1)[-1] == stem), None)


def require(stem: str) -> Transform:
    transform = registered(stem)
    if transform is None:
        pytest.skip(f"no transform in evolver/transforms/{stem}.py yet")
    return transform


def sites_of(source: str, transform: Transform) -> list[Any]:
    return [s for s in transforms.propose(source, CTX) if s.transform == transform.name]


def loader(source: str, function: str, label: str) -> Callable[[], Callable[..., Any]]:
    """A factory of fresh copies of the function, each in a new namespace (so with a new cache)."""
    code = compile(source, f"<{label}>", "exec", dont_inherit=True)

    def load() -> Callable[..., Any]:
        namespace: dict[str, Any] = {"__name__": f"difftest_{label}"}
        exec(code, namespace)
        return namespace[function]

    return load


def outcome(fn: Callable[..., Any], args: Args) -> tuple[Any, ...]:
    """What a call did: its result (or exception type) and the state it left the arguments in."""
    try:
        result: Any = ("returned", fn(*args))
    except Exception as exc:
        result = ("raised", type(exc))
    return result + (tuple(list(a) if isinstance(a, Iterator) else a for a in args),)


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, recursively; floats by ``repr`` (so -0.0 is not 0.0, nan is nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (set, frozenset)):
        return a == b and sorted(map(repr, a)) == sorted(map(repr, b))
    if isinstance(a, dict):
        return same(list(a.items()), list(b.items()))
    if isinstance(a, (float, complex)):
        return repr(a) == repr(b)
    return bool(a == b)


def spoil(value: Any) -> None:
    """Change a mutable result the way a caller might, to expose a cache that shares it."""
    if isinstance(value, list):
        value.append("spoiled")
    elif isinstance(value, (dict, set)):
        value.clear()


CASE_PARAMS = [pytest.param(stem, case, id=f"{stem}-{case.name}") for stem, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(("stem", "case"), CASE_PARAMS)
def test_rewritten_function_agrees_with_original(stem: str, case: Case) -> None:
    transform = require(stem)
    sites = sites_of(case.source, transform)
    applicable = [s.id for s in sites if s.verdict == "applicable"]
    if not sites:
        pytest.skip(f"{transform.name} finds no site here")
    if not applicable:
        pytest.skip(f"{transform.name} refused: " + "; ".join(r for s in sites for r in s.reasons)[:300])
    rewritten = transforms.apply_many(case.source, applicable, CTX)
    assert rewritten != case.source
    fresh_original = loader(case.source, case.function, "original")
    fresh_candidate = loader(rewritten, case.function, "rewritten")

    @settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(case.args, min_size=1, max_size=6))
    def agree(calls: list[Args]) -> None:
        original, candidate = fresh_original(), fresh_candidate()
        for args in calls:
            expected = outcome(original, case.prepare(copy.deepcopy(args)))
            got = outcome(candidate, case.prepare(copy.deepcopy(args)))
            assert same(got, expected), f"{args!r}: {got!r} != {expected!r}\n--- rewritten:\n{rewritten}"
            if got[0] == "returned":
                spoil(got[1])

    agree()


@pytest.mark.parametrize("stem", list(CASES))
def test_some_case_of_each_transform_is_rewritten(stem: str) -> None:
    """The differential cases are not vacuous: each transform rewrites at least one of them."""
    transform = require(stem)
    rewritten = [c.name for c in CASES[stem]
                 if any(s.verdict == "applicable" for s in sites_of(c.source, transform))]
    assert rewritten, f"{transform.name} rewrote none of its differential cases"


@pytest.mark.parametrize("stem", ["memoize", "memoize_helper"])
def test_memoize_refuses_the_cases_it_must(stem: str) -> None:
    """The memoize cases named ``*-refused`` would be wrong if cached (a test of this file's cases)."""
    transform = require(stem)
    for case in CASES[stem]:
        verdicts = {s.verdict for s in sites_of(case.source, transform)}
        assert ("applicable" in verdicts) is not case.name.endswith("-refused"), case.name


def test_the_comparison_tells_apart_what_a_wrong_rewrite_changes() -> None:
    assert not same(1, True) and not same(1, 1.0) and not same(0.0, -0.0) and same(float("nan"), float("nan"))
    assert not same([1, 2], [1, 2, 3]) and not same((1,), [1]) and same({1, 2}, {2, 1})

    def appends(xs: list[int]) -> None:
        xs.append(0)

    assert not same(outcome(appends, ([],)), outcome(lambda xs: None, ([],)))
    assert not same(outcome(lambda: [][0], ()), outcome(lambda: min([]), ()))  # noqa: PLE0643 - the IndexError is the point
