"""min-max: ``sorted(xs)[0]`` becomes ``min(xs)``, ``sorted(xs)[-1]`` ``max(xs)`` (or ``max(reversed(xs))``)."""

from __future__ import annotations

from ..case import apply, refuse

T = "min-max"
SHAPE = "sorted, min, max, reversed are the builtins"
ORDER = "totally ordered"
KEY = "a key is pure"
NONEMPTY = "provably non-empty"
LAST = "last of equal elements"

CASES = (
    apply(
        "min-max-str-subclass-observable-lt", T, "a str subclass that logs each comparison: sorted compares "
        "more often than min (the run-time guard must send it to the sort)",
        """
        def first(names: list[str]) -> str:
            if not names:
                return ""
            return sorted(names)[0]
        """,
        "first([Loud('b'), Loud('c'), Loud('a'), Loud('d')])",
        setup="""
        class Names(list):
            def __bool__(self):
                print("truth")
                return True

        class Loud(str):
            def __lt__(self, other):
                print("compare", str(self), str(other))
                return str.__lt__(self, other)
        """,
        probes=("first(['b', 'a', 'c'])", "first(Names(['b', 'a']))"),
        covers=ORDER,
    ),
    apply(
        "min-max-int-annotation-holding-nan", T, "list[int] is trusted while the caller passes floats with a NaN "
        "(the run-time guard must send them to the sort)",
        """
        def lowest(xs: list[int]) -> int:
            if not xs:
                return 0
            return sorted(xs)[0]
        """,
        "lowest([3.0, float('nan'), 1.0])", probes=("lowest([3, 1, True, 1])", "lowest([])"),
        covers=ORDER,
    ),
    refuse(
        "min-max-float-elements", T, "floats: NaN makes sorted and min disagree",
        """
        def lowest(xs: list[float]) -> float:
            if not xs:
                return 0.0
            return sorted(xs)[0]
        """,
        "lowest([3.0, float('nan'), 1.0])",
        reason=r"not provably int, str, bytes", covers=ORDER,
    ),
    refuse(
        "min-max-tuples-with-float", T, "tuples holding floats are not totally ordered",
        """
        def best(scores: list[tuple[int, float]]) -> tuple[int, float]:
            if not scores:
                return (0, 0.0)
            return sorted(scores)[0]
        """,
        "best([(1, float('nan')), (1, 0.5)])",
        reason=r"not provably int, str, bytes", covers=ORDER,
    ),
    refuse(
        "min-max-key-records", T, "a key lambda with a side effect: sorted calls it in another order than min",
        """
        def shortest(words: list[str], seen: list[str]) -> str:
            if not words:
                return ""
            return sorted(words, key=lambda w: seen.append(w) or len(w))[0]
        """,
        "shortest(['bb', 'a', 'ccc'], log)", setup="log = []", probes="log",
        reason=r"key .* not proven pure", covers=KEY,
    ),
    refuse(
        "min-max-key-module-function-prints", T, "a module key function that prints",
        """
        def weight(w: str) -> int:
            print("weighing", w)
            return len(w)


        def lightest(words: list[str]) -> str:
            if not words:
                return ""
            return sorted(words, key=weight)[0]
        """,
        "lightest(['bb', 'a'])",
        reason=r"key .* not proven pure", covers=KEY, site="lightest",
    ),
    refuse(
        "min-max-key-raises-on-lazy-input", T, "int() may raise and so may the generator: min interleaves them, "
        "sorted iterates first",
        """
        def smallest(text: str) -> int:
            values = (t for t in text.split(",") if check(t))
            return sorted(values, key=int)[0]


        def check(t: str) -> bool:
            if t == "!":
                raise ValueError("bang")
            return True
        """,
        "smallest('x,!,2')",
        reason=r"key may raise and so may iterating|not provably non-empty", covers=KEY, site="smallest",
    ),
    refuse(
        "min-max-maybe-empty", T, "sorted([])[0] raises IndexError, min([]) ValueError",
        """
        def lowest(xs: list[int]) -> int:
            return sorted(xs)[0]
        """,
        "lowest([])",
        reason=r"non-empty|empty", covers=NONEMPTY,
    ),
    refuse(
        "min-max-guard-undone-by-callee", T, "the guard holds, then a callee empties the list",
        """
        def trim(xs: list[int]) -> None:
            xs.clear()


        def lowest(xs: list[int]) -> int:
            if not xs:
                return -1
            trim(xs)
            return sorted(xs)[0]
        """,
        "lowest([3, 1])",
        reason=r"may be shared.*first thing after the guard", covers=NONEMPTY, site="lowest",
    ),
    refuse(
        "min-max-generator-is-always-truthy", T, "`if gen:` is true for an empty generator",
        """
        def lowest(text: str) -> int:
            values = (int(t) for t in text.split())
            if values:
                return sorted(values)[0]
            return -1
        """,
        "lowest('')",
        reason=r"non-empty|empty", covers=NONEMPTY,
    ),
    refuse(
        "min-max-last-with-key-on-iterator", T, "[-1] needs the last of equal keys: max(reversed(...)) needs a "
        "sequence",
        """
        def longest(text: str) -> str:
            words = iter(text.split())
            return sorted(words, key=len)[-1]
        """,
        "longest('ab cd e')",
        reason=r"last of equal elements|non-empty", covers=LAST,
    ),
    refuse(
        "min-max-last-equal-keys-distinguishable", T, "[-1] with a key on a set: no order to reverse",
        """
        def longest(words: set[str]) -> str:
            if not words:
                return ""
            return sorted(words, key=len)[-1]
        """,
        "longest({'ab', 'cd', 'e'})",
        reason=r"last of equal elements", covers=LAST,
    ),
    refuse(
        "min-max-module-defines-max", T, "the module has its own `max`",
        """
        def max(*args, **kwargs):
            return "module max"


        def top(xs: list[int]) -> int:
            if not xs:
                return 0
            return sorted(xs, reverse=True)[0]
        """,
        "top([1, 3])",
        reason=r"`max` is not the builtin here", covers=SHAPE, site="top",
    ),
    refuse(
        "min-max-parameter-named-reversed", T, "a parameter named `reversed` shadows the builtin the [-1] form needs",
        """
        def last(xs: list[str], reversed: bool = False) -> str:
            if not xs:
                return ""
            return sorted(xs, key=str.lower)[-1]
        """,
        "last(['b', 'B', 'a'])",
        reason=r"`reversed` is not the builtin here", covers=SHAPE,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "min-max-guarded-ints", T, "a guard that nothing undoes, ints compared", """
        def lowest(xs: list[int]) -> int:
            if not xs:
                return -1
            return sorted(xs)[0]
        """,
        "lowest([3, 1, 2])", probes=("lowest([])", "lowest([True, 1])"), covers=NONEMPTY,
    ),
    apply(
        "min-max-reverse-true", T, "sorted(xs, reverse=True)[0] is max(xs)", """
        def top(xs: list[int]) -> int:
            if len(xs) == 0:
                return 0
            return sorted(xs, reverse=True)[0]
        """,
        "top([1, 3, 2])", probes="top([])", covers=SHAPE,
    ),
    apply(
        "min-max-last-ties-by-key", T, "[-1] with a key on a list: the last of equal keys, via reversed", """
        def longest(words: list[str]) -> str:
            if not words:
                return ""
            return sorted(words, key=len)[-1]
        """,
        "longest(['ab', 'cd', 'e'])", probes="longest(['x'])", covers=LAST,
    ),
    apply(
        "min-max-itemgetter-key", T, "operator.itemgetter(1) over tuples of ints", """
        import operator


        def cheapest(offers: list[tuple[str, int]]) -> tuple[str, int]:
            if not offers:
                return ("", 0)
            return sorted(offers, key=operator.itemgetter(1))[0]
        """,
        "cheapest([('a', 3), ('b', 1), ('c', 1)])", covers=KEY,
        probes=("cheapest([])", "cheapest([('a', Loud(2)), ('b', Loud(1))])", "cheapest(Offers([('a', 2), ('b', 1)]))",
                "cheapest([('a', 2), ('b',)])", "cheapest([('a', 2), ['b', 1]])", "cheapest([('a', 2), (Tag('b'), 1)])"),
        setup="""
        class Loud(int):
            def __lt__(self, other):
                print("lt", int(self), int(other))
                return int(self) < int(other)

        class Offers(list):
            def __iter__(self):
                print("iter")
                return list.__iter__(self)

        class Tag(str):
            pass
        """,
    ),
    apply(
        "min-max-itemgetter-key-last", T, "[-1] with itemgetter(1) over declared tuples: max(reversed(...)) "
        "behind a guard on the tuples and the items picked",
        """
        from operator import itemgetter


        def dearest(offers: list[tuple[str, int]]) -> tuple[str, int]:
            if not offers:
                return ("", 0)
            return sorted(offers, key=itemgetter(1))[-1]
        """,
        "dearest([('a', 3), ('b', 1), ('c', 3)])", covers=(KEY, LAST),
        probes=("dearest([('a', True), ('b', 1)])", "dearest([('a', 1), ('b', 2.5)])", "dearest([('a', 1), ('b',)])"),
    ),
    refuse(
        "min-max-itemgetter-key-of-floats", T, "itemgetter(1) over tuples of floats: a NaN breaks the order, and "
        "no type guard can tell a NaN from another float",
        """
        import operator


        def cheapest(offers: list[tuple[str, float]]) -> tuple[str, float]:
            if not offers:
                return ("", 0.0)
            return sorted(offers, key=operator.itemgetter(1))[0]
        """,
        "cheapest([('a', 3.0), ('b', float('nan')), ('c', 1.0)])",
        reason=r"not provably int, str, bytes.*float", covers=ORDER,
    ),
    refuse(
        "min-max-guard-would-run-the-key", T, "a key that computes (len(t[0])) rather than picks an item: a guard "
        "on its results would call it once more per element, and a str subclass's __len__ prints",
        """
        def shortest(pairs: list[tuple[str, int]]) -> tuple[str, int]:
            if not pairs:
                return ("", 0)
            return sorted(pairs, key=lambda t: len(t[0]))[0]
        """,
        "shortest([(Loud('abc'), 1), (Loud('a'), 2)])",
        setup="""
        class Loud(str):
            def __len__(self):
                print("len", str.__str__(self))
                return str.__len__(self)
        """,
        reason=r"the key `lambda t: len\(t\[0\]\)` is not proven pure", covers=KEY,
    ),
    apply(
        "min-max-display", T, "a non-empty display needs no guard", """
        def smallest(a: int, b: int, c: int) -> int:
            return sorted([a, b, c])[0]
        """,
        "smallest(3, 1, 2)", probes="smallest(True, 1, 1)", covers=NONEMPTY,
    ),
)
