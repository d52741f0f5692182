"""linear-concat: ``sum(xs, [])`` becomes ``list(itertools.chain.from_iterable(xs))`` and, in a loop,
``acc = acc + more`` becomes ``acc += more`` (``acc.append(x)`` for ``[x]``)."""

from __future__ import annotations

from ..case import apply, refuse

T = "linear-concat"
SHAPE = "sum, list, tuple are the builtins"
ADDED = "what is added is provably a list"
FRESH = "always bound to a fresh list"
PRIVATE = "never aliased"
ITSELF = "iterate over acc itself"

# A list subclass that tags whatever list it is added to from the right.
TAGGED = """
class Tagged(list):
    def __radd__(self, other):
        return list(other) + ["<tag>"] + list(self)
"""

# A list subclass that hides its negative items from iteration (list + reads its storage directly).
HIDDEN = """
class Hidden(list):
    def __iter__(self):
        return (x for x in list.__iter__(self) if x >= 0)
"""

CASES = (
    apply(
        "linear-concat-sum-of-list-subclass-radd", T, "sum(rows, []) calls a list subclass's __radd__; chain "
        "never does (the run-time guard must send it to the sum)",
        """
        def flatten(rows: list[list[int]]) -> list[int]:
            return sum(rows, [])
        """,
        "flatten([Tagged([1]), [2]])", setup=TAGGED, probes=("flatten([[1], [2, 3]])", "flatten([])"),
        covers=ADDED,
    ),
    refuse(
        "linear-concat-acc-plus-subclass-iter", T, "acc + more copies a list subclass's storage; acc += more "
        "iterates it with its own __iter__",
        """
        def gather(parts: list[list[int]]) -> list[int]:
            acc = []
            for more in parts:
                acc = acc + more
            return acc
        """,
        "gather([Hidden([1, -1]), [2]])", setup=HIDDEN,
        reason=r"not provably a list|subclass|exact|__iter__", covers=ADDED,
    ),
    refuse(
        "linear-concat-tuple-annotation-returns-list", T, "-> tuple[int, int] is trusted, the body returns a list: "
        "() + [..] raises, chain does not",
        """
        def pair(k: int) -> tuple[int, int]:
            return [k, k]


        def pairs(n: int) -> tuple[int, ...]:
            return sum([pair(k) for k in range(n)], ())
        """,
        "pairs(3)",
        reason=r"not provably tuples|return", covers=ADDED, site="pairs",
    ),
    refuse(
        "linear-concat-sum-of-unknown-rows", T, "rows of unknown type: sum raises for a tuple row, chain does not",
        """
        def flatten(rows):
            return sum(rows, [])
        """,
        "flatten([[1], (2,)])",
        reason=r"not provably lists", covers=ADDED,
    ),
    refuse(
        "linear-concat-added-unknown-part", T, "acc + part raises for a tuple part; acc += part extends",
        """
        def gather(parts):
            acc = []
            for part in parts:
                acc = acc + part
            return acc
        """,
        "gather([[1], (2,)])",
        reason=r"not provably a list", covers=ADDED,
    ),
    refuse(
        "linear-concat-acc-is-parameter", T, "the caller's list would change in place",
        """
        def extend(acc: list[int], more: list[int]) -> list[int]:
            for x in more:
                acc = acc + [x]
            return acc
        """,
        "extend(base, [1, 2])", setup="base = [0]", probes="base",
        reason=r"`acc` is a parameter", covers=FRESH,
    ),
    refuse(
        "linear-concat-acc-starts-as-argument", T, "acc starts as the caller's list (not fresh)",
        """
        def extend(base: list[int], more: list[int]) -> list[int]:
            acc = base
            for x in more:
                acc = acc + [x]
            return acc
        """,
        "extend(seed, [1])", setup="seed = [0]", probes="seed",
        reason=r"not always bound to a fresh list", covers=FRESH,
    ),
    refuse(
        "linear-concat-acc-aliased-before-loop", T, "a dict holds the old list: += would change what it sees",
        """
        def build(xs: list[int]):
            acc = []
            report = {"start": acc}
            for x in xs:
                acc = acc + [x]
            return acc, report
        """,
        "build([1, 2])",
        reason=r"may be seen elsewhere", covers=PRIVATE,
    ),
    refuse(
        "linear-concat-acc-snapshot-in-loop", T, "each step keeps the previous list as a snapshot",
        """
        def history(xs: list[int]):
            acc = []
            steps = []
            for x in xs:
                steps.append(acc)
                acc = acc + [x]
            return steps
        """,
        "history([1, 2, 3])",
        reason=r"may be seen elsewhere", covers=PRIVATE,
    ),
    refuse(
        "linear-concat-acc-iterated-lazily", T, "an iterator over the old list sees appended items after +=",
        """
        def echo(xs: list[int]):
            acc = [0]
            it = iter(acc)
            for x in xs:
                acc = acc + [x]
            return list(it)
        """,
        "echo([1, 2])",
        reason=r"may be seen elsewhere|not always bound to a fresh", covers=PRIVATE,
    ),
    refuse(
        "linear-concat-acc-captured", T, "a lambda defined before the loop reads acc",
        """
        def build(xs: list[int]):
            acc = []
            size = lambda: len(acc)
            sizes = []
            for x in xs:
                acc = acc + [x]
            return acc, size()
        """,
        "build([1, 2])",
        reason=r"may be seen elsewhere|captured", covers=PRIVATE,
    ),
    refuse(
        "linear-concat-loop-over-acc", T, "the loop walks acc itself: += would make it walk its own additions",
        """
        def doubled(xs: list[int]) -> list[int]:
            acc = list(xs)
            for x in acc:
                acc = acc + [x * 2]
            return acc
        """,
        "doubled([1, 2])",
        reason=r"iterates `acc` itself", covers=ITSELF,
    ),
    refuse(
        "linear-concat-while-over-acc-length", T, "a while loop over acc's items by index: the same list grows",
        """
        def spread(xs: list[int]) -> list[int]:
            acc = list(xs)
            for x in acc:
                if x > 0:
                    acc = acc + [x - 1]
            return acc
        """,
        "spread([2])",
        reason=r"iterates `acc` itself", covers=ITSELF,
    ),
    refuse(
        "linear-concat-shadowed-list", T, "the module's own `list` would build the result",
        """
        def list(x):
            return ("not", "a", "list")


        def flatten(rows: tuple[tuple[int, ...], ...]):
            return sum(rows, [])
        """,
        "flatten(([1], [2]))",
        reason=r"`list` is not the builtin here|not provably lists", covers=SHAPE, site="flatten",
    ),
    refuse(
        "linear-concat-itertools-taken", T, "`itertools` is a parameter name in the function",
        """
        def flatten(rows: list[list[int]], itertools=None) -> list[int]:
            return sum(rows, [])
        """,
        "flatten([[1], [2]])",
        reason=r"`itertools` is a local name", covers=SHAPE,
    ),
    refuse(
        "linear-concat-itertools-rebound", T, "the module binds `itertools` to something else",
        """
        import functools as itertools


        def flatten(rows: list[list[int]]) -> list[int]:
            return sum(rows, [])
        """,
        "flatten([[1], [2]])",
        reason=r"binds `itertools` to something other", covers=SHAPE,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "linear-concat-sum-of-built-rows", T, "sum of lists built here", """
        def grid(n: int) -> list[int]:
            return sum([[k, k * k] for k in range(n)], [])
        """,
        "grid(4)", probes="grid(0)", covers=ADDED,
    ),
    apply(
        "linear-concat-append-in-loop", T, "acc = acc + [x] on a fresh list becomes acc.append(x)", """
        def evens(xs: list[int]) -> list[int]:
            acc = []
            for x in xs:
                if x % 2 == 0:
                    acc = acc + [x]
            return acc
        """,
        "evens([1, 2, 4])", probes="evens([])", covers=FRESH,
    ),
    apply(
        "linear-concat-acc-plus-itself", T, "acc = acc + acc doubles; acc += acc doubles too", """
        def powers(n: int) -> list[int]:
            acc = [1]
            for _ in range(n):
                acc = acc + acc
            return acc
        """,
        "len(powers(5))", probes="powers(2)", covers=PRIVATE,
    ),
    apply(
        "linear-concat-sum-of-tuples", T, "sum(tuples, ()) with tuples built here", """
        def flat(n: int) -> tuple[int, ...]:
            return sum([(k, -k) for k in range(n)], ())
        """,
        "flat(3)", covers=ADDED,
    ),
    apply(
        "linear-concat-exception-midway", T, "a failing element expression: the exception propagates either way",
        """
        def parsed(words: list[str]) -> list[int]:
            acc = []
            for w in words:
                acc = acc + [int(w)]
            return acc
        """,
        "parsed(['1', '2'])", probes="parsed(['1', 'x'])", covers=FRESH,
    ),
    refuse(
        "linear-concat-acc-plus-subclass-radd", T, "a list subclass's __radd__ (which `acc + more` and `acc += more` "
        "both call first) hands back a list the caller keeps: acc is bound to it, and the next `acc += [...]` "
        "(even behind `type(more) is list`) would change the caller's list in place where `+` copies it "
        "(engine-b, session 5: was a 'sound rewrite refused' hole with a __radd__ that returned a fresh list)",
        """
        def gather(parts: list[list[int]]) -> list[int]:
            acc = []
            for more in parts:
                acc = acc + more
            return acc
        """,
        "gather([Hand([1]), [2], [3]])",
        setup="""
        kept = [0]

        class Hand(list):
            def __radd__(self, other):
                return kept
        """,
        reason=r"__radd__ \(which both call first\) may return a list someone else holds", covers=ADDED,
    ),
    refuse(
        "linear-concat-itertools-of-enclosing-function", T, "`itertools` is a parameter of the enclosing function",
        """
        def make(itertools):
            def flatten(rows: list[list[int]]) -> list[int]:
                return sum(rows, [])
            return flatten
        """,
        "make(None)([[1], [2]])",
        reason=r"`itertools` is a local name|enclosing|free variable", covers=SHAPE, site="flatten",
    ),
)
