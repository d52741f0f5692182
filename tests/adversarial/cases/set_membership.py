"""set-membership: ``x in [c1, c2]`` (in a loop) becomes ``x in {c1, c2}``."""

from __future__ import annotations

from ..case import apply, refuse

T = "set-membership"
SHAPE = "tested with `in`/`not in`"
ELEMENTS = "every element a hashable constant"
VALUE = "the tested value provably hashable"
MIXED = "str and bytes are not mixed"
FRAME = "frame introspection"
BUILT = "a local list built by `append`"

CASES = (
    apply(
        "set-membership-casefolded-str-subclass", T, "a str subclass equal to 'GET' but hashing differently: the "
        "list test finds it, the set lookup does not",
        """
        def verbs(words: list[str]) -> list[bool]:
            out = []
            for w in words:
                out.append(w in ["GET", "POST"])
            return out
        """,
        "verbs([Folded('get'), 'POST'])",
        setup="""
        class Folded(str):
            def __eq__(self, other):
                return str.upper(self) == str.upper(other)
            def __hash__(self):
                return str.__hash__(self)
        """,
        probes=("verbs(['GET', Folded('post'), 1, (2,)])", "verbs([])"), covers=VALUE,
    ),
    apply(
        "set-membership-unhashable-despite-annotation", T, "an int-annotated argument that is a list: the list test "
        "is False, the set lookup raises TypeError",
        """
        def count_small(xs: list[int]) -> int:
            n = 0
            for x in xs:
                if x in (1, 2, 3):
                    n += 1
            return n
        """,
        "count_small([1, [2], 5])",
        probes=("count_small([1, 2, True, 3.0, (1,)])", "count_small([[1], {2: 3}])"), covers=VALUE,
    ),
    refuse(
        "set-membership-unknown-value", T, "an unannotated value may be unhashable",
        """
        def hits(items) -> int:
            n = 0
            for x in items:
                if x in ["a", "b"]:
                    n += 1
            return n
        """,
        "hits(['a', ['b']])",
        reason=r"not provably hashable", covers=VALUE,
    ),
    refuse(
        "set-membership-dataclass-value", T, "an eq=True dataclass is unhashable",
        """
        from dataclasses import dataclass


        @dataclass
        class Point:
            x: int


        def origins(points: list[Point]) -> int:
            n = 0
            for p in points:
                if p in [0, 1]:
                    n += 1
            return n
        """,
        "origins([Point(0)])",
        reason=r"not provably hashable", covers=VALUE,
    ),
    refuse(
        "set-membership-list-element", T, "a list inside the literal is unhashable",
        """
        def known(pairs: list[tuple[int, int]]) -> int:
            n = 0
            for p in pairs:
                if p in [(1, 2), [3, 4]]:
                    n += 1
            return n
        """,
        "known([(1, 2)])",
        reason=r"element `\[3, 4\]`", covers=ELEMENTS,
    ),
    refuse(
        "set-membership-call-element", T, "an element computed by a call (a set display would rebuild it)",
        """
        def known(words: list[str]) -> int:
            n = 0
            for w in words:
                if w in ["a", str(1)]:
                    n += 1
            return n
        """,
        "known(['1'])",
        reason=r"element `str\(1\)` is not a literal", covers=ELEMENTS,
    ),
    refuse(
        "set-membership-starred-element", T, "a starred element unpacks an unknown iterable",
        """
        def known(words: list[str], extra: list[str]) -> int:
            n = 0
            for w in words:
                if w in ["a", *extra]:
                    n += 1
            return n
        """,
        "known(['b'], ['b'])",
        reason=r"unpacks", covers=ELEMENTS,
    ),
    apply(
        "set-membership-local-appended-constant", T, "a local list of constants appended to before the loop: "
        "a set from the start, add for append",
        """
        def known(words: list[str]) -> int:
            allowed = ["a", "b"]
            allowed.append("c")
            n = 0
            for w in words:
                if w in allowed:
                    n += 1
            return n
        """,
        "known(['c', 'a', 'd'])", covers=BUILT,
    ),
    refuse(
        "set-membership-local-returned", T, "the local tuple is returned to the caller",
        """
        def known(words: list[str]):
            allowed = ("a", "b")
            n = sum(1 for w in words if w in allowed)
            return n, allowed
        """,
        "known(['a'])",
        reason=r"used other than as the right side of `in`", covers=SHAPE,
    ),
    refuse(
        "set-membership-not-repeated", T, "a single test outside any loop gains nothing",
        """
        def is_verb(w: str) -> bool:
            return w in ["GET", "POST"]
        """,
        "is_verb('GET')",
        reason=r"no membership test runs repeatedly", covers=SHAPE,
    ),
    refuse(
        "set-membership-chained", T, "the literal is also compared in a chained comparison",
        """
        def odd(xs: list[int]) -> int:
            n = 0
            for x in xs:
                if x in [1, 2] == [1, 2]:
                    n += 1
            return n
        """,
        "odd([1])",
        reason=r"chained comparison", covers=MIXED,
    ),
    refuse(
        "set-membership-str-and-bytes", T, "str tested against bytes (BytesWarning under python -b)",
        """
        def tags(words: list[str]) -> int:
            n = 0
            for w in words:
                if w in ["a", b"a"]:
                    n += 1
            return n
        """,
        "tags(['a'])",
        reason=r"mixes str and bytes", covers=MIXED,
    ),
    refuse(
        "set-membership-locals", T, "locals() could reach the local list by name",
        """
        def known(words: list[str]) -> int:
            allowed = ["a", "b"]
            n = 0
            for w in words:
                if w in allowed:
                    n += 1
            return n + len(locals()["allowed"])
        """,
        "known(['a'])",
        reason=r"uses locals", covers=FRAME,
    ),
    refuse(
        "set-membership-getframe", T, "a frame read reaches the locals",
        """
        import sys


        def known(words: list[str]) -> int:
            allowed = ["a", "b"]
            n = 0
            for w in words:
                if w in allowed:
                    n += 1
            return n + len(sys._getframe().f_locals)
        """,
        "known(['a'])",
        reason=r"uses sys\._getframe", covers=FRAME,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "set-membership-split-words", T, "words of a str split are exact strs", """
        def stops(text: str) -> int:
            n = 0
            for w in text.split():
                if w in ["a", "an", "the"]:
                    n += 1
            return n
        """,
        "stops('the cat and a dog')", covers=VALUE,
    ),
    apply(
        "set-membership-range-ints-not-in", T, "ints from range, `not in`, duplicates 1 and True", """
        def odd_ones(n: int) -> list[int]:
            return [k for k in range(n) if k not in (0, 1, True, 4)]
        """,
        "odd_ones(7)", covers=ELEMENTS,
    ),
    apply(
        "set-membership-local-tuple", T, "a local tuple used only by `in` tests", """
        def count(words: list[str]) -> int:
            vowels = ("a", "e", "i", "o", "u")
            n = 0
            for w in "".join(words):
                if w in vowels:
                    n += 1
            return n
        """,
        "count(['banana', 'xyz'])", covers=SHAPE,
    ),
    apply(
        "set-membership-tuple-elements", T, "tuples of literals as elements, tuples tested", """
        def known(n: int) -> int:
            hits = 0
            for k in range(n):
                if (k, k % 2) in [(0, 0), (1, 1), (3, 0)]:
                    hits += 1
            return hits
        """,
        "known(5)", covers=ELEMENTS,
    ),
    apply(
        "set-membership-float-and-none", T, "floats, -0.0 and None in the literal, float values tested", """
        def marks(xs: list[float]) -> list[bool]:
            return [x in [0.0, 1.5, None] for x in xs]
        """,
        "marks([-0.0, 1.5, 2.0])", covers=ELEMENTS,
    ),
    refuse(
        "set-membership-bytearray-for-bytes", T, "a bytes-annotated value that is a bytearray: the list test "
        "compares equal, the set lookup raises TypeError",
        """
        def known(chunks: list[bytes]) -> int:
            n = 0
            for c in chunks:
                if c in [b"GET", b"PUT"]:
                    n += 1
            return n
        """,
        "known([bytearray(b'GET'), b'PUT'])",
        reason=r"not provably hashable|bytearray|exact", covers=VALUE,
    ),
    # --- a list the loop builds with append ----------------------------------------------------------
    refuse(
        "set-membership-built-unhashable-appended", T, "rows (lists) appended and tested: set.add would raise "
        "TypeError where list.append does not",
        """
        def distinct(rows: list[list[int]]) -> int:
            seen = []
            for r in rows:
                if r not in seen:
                    seen.append(r)
            return len(seen)
        """,
        "distinct([[1], [2], [1]])",
        reason=r"not provably hashable", covers=BUILT,
    ),
    apply(
        "set-membership-built-unknown-key-everseen", T, "more_itertools' fallback for unhashable keys: values of "
        "unknown type go to the set only after a run-time type check, and once one is not plainly hashable the "
        "list answers alone",
        """
        def duplicates(iterable, key):
            seen_list = []
            out = []
            for element in iterable:
                k = key(element)
                if k not in seen_list:
                    seen_list.append(k)
                else:
                    out.append(element)
            return out
        """,
        "duplicates([[1], [2], [1]], list)",
        probes=("duplicates([1, 2, 1, 3, 3], int)", "duplicates(['a', 'b', 'a'], Folded)",
                "duplicates(['a', 'A', 1, 1.0, True], Folded)", "duplicates([1, [1], 1, (2,), (2,)], lambda v: v)"),
        setup="""
        class Folded(str):
            def __eq__(self, other):
                return str.upper(self) == str.upper(str(other))
            def __hash__(self):
                return 0
        """,
        covers=BUILT,
    ),
    refuse(
        "set-membership-built-unknown-expression-tested", T, "a value of unknown type tested as an expression: its "
        "type cannot be checked without evaluating it twice",
        """
        def firsts(items, key) -> list:
            seen = []
            for item in items:
                if key(item) not in seen:
                    seen.append(key(item))
            return seen
        """,
        "firsts([[1], [1], [2]], list)",
        reason=r"not provably hashable.*not a plain name", covers=VALUE,
    ),
    refuse(
        "set-membership-built-passed-to-callback", T, "the kept list is handed to a callback that may remove "
        "from it: the set beside it would keep the value",
        """
        def firsts(xs: list[int], log) -> list[int]:
            seen = []
            for x in xs:
                if x not in seen:
                    seen.append(x)
                    log(seen)
            return seen
        """,
        "firsts([1, 2, 1, 3, 2], lambda s: s.remove(1) if len(s) == 2 else None)",
        reason=r"could change it", covers=BUILT,
    ),
    refuse(
        "set-membership-built-removed", T, "the list loses elements (remove): a set beside it would not",
        """
        def window(xs: list[int]) -> list[int]:
            seen = []
            out = []
            for x in xs:
                if x in seen:
                    out.append(x)
                seen.append(x)
                if len(seen) > 2:
                    seen.remove(seen[0])
            return out
        """,
        "window([1, 2, 3, 1, 3, 3])",
        reason=r"could change it", covers=BUILT,
    ),
    refuse(
        "set-membership-built-aliased", T, "an alias of the list is appended to behind the tests' back",
        """
        def collect(xs: list[int]) -> int:
            seen = []
            also = seen
            n = 0
            for x in xs:
                if x in seen:
                    n += 1
                also.append(x)
            return n
        """,
        "collect([1, 1, 2])",
        reason=r"could change it", covers=BUILT,
    ),
    refuse(
        "set-membership-built-append-in-expression", T, "an append inside an expression, with the list kept: no "
        "place for the set's add",
        """
        def firsts(xs: list[int]) -> list[int]:
            seen = []
            for x in xs:
                x in seen or seen.append(x)
            return seen
        """,
        "firsts([3, 1, 3, 2])",
        reason=r"not a statement of its own", covers=BUILT,
    ),
    refuse(
        "set-membership-built-yielded", T, "a generator yields its list: the consumer appends to it between tests",
        """
        def runs(xs: list[int]):
            seen = []
            for x in xs:
                if x not in seen:
                    seen.append(x)
                yield seen
        """,
        "[list(s) for s in (lambda g: [s.append(9) or s for s in g])(runs([1, 9, 2]))]",
        reason=r"could change it", covers=BUILT,
    ),
    apply(
        "set-membership-built-pow-cycle", T, "the issue's shape: ints from pow(int, int, int), tested and appended "
        "in the loop, only counted", """
        def period(base: int, m: int) -> int:
            seen = []
            v = 1
            steps = 0
            while True:
                v = pow(base, steps + 1, m)
                if v in seen:
                    return steps
                seen.append(v)
                steps += 1
        """,
        "period(3, 1009)", probes=("period(2, 1)", "period(10, 7)"), covers=BUILT,
    ),
    apply(
        "set-membership-built-kept-with-duplicates", T, "the list is returned and holds duplicates on purpose: it "
        "stays as it is, a set beside it answers the tests", """
        def marks(xs: list[int]) -> tuple[list[int], int]:
            seen = []
            hits = 0
            for i, x in enumerate(xs):
                if x in seen:
                    hits += 1
                if x not in seen or i % 3 == 0:
                    seen.append(x * 1)
            return seen, hits
        """,
        "marks([1, 2, 1, 1, 3, 2, 2])", covers=BUILT,
    ),
    apply(
        "set-membership-built-equal-across-types", T, "1, 1.0, True and -0.0/0.0 are equal and hash alike: "
        "the set answers as the list does", """
        def seen_before(n: int) -> list[bool]:
            seen = [0.0]
            out = []
            for i in range(n):
                v = i % 3 / 2 if i % 2 else i % 3
                out.append(v in seen)
                out.append(-0.0 in seen)
                out.append(True in seen)
                seen.append(v)
            return out + [len(seen)] + seen
        """,
        "seen_before(9)", covers=BUILT,
    ),
    apply(
        "set-membership-built-nan", T, "a NaN found by identity in both, a fresh NaN found in neither", """
        def nans(k: int) -> list[bool]:
            seen = []
            nan = float("nan")
            out = []
            for i in range(k):
                seen.append(nan if i % 2 else float(i))
                out.append(nan in seen)
                out.append(float("nan") in seen)
            return out
        """,
        "nans(4)", covers=BUILT,
    ),
    apply(
        "set-membership-built-same-line", T, "binding and append share their lines with other statements", """
        def firsts(words: str) -> list[str]:
            seen = []; n = 0
            for w in words.split():
                if w not in seen: seen.append(w); n += 1
            return seen + [str(n)]
        """,
        "firsts('a b a c b')", covers=BUILT,
    ),
    refuse(
        "set-membership-built-set-shadowed", T, "the module has its own `set`: `set()` written for the list would "
        "build that instead",
        """
        def set(*items):
            return list(items)


        def firsts(xs: list[int]) -> int:
            seen = []
            for x in xs:
                if x not in seen:
                    seen.append(x)
            return len(seen)
        """,
        "firsts([1, 2, 1])",
        reason=r"`set` is not the builtin", covers=BUILT,
    ),

    # --- a value only declared hashable: the set answers when its type is exact -------------------------
    refuse(
        "set-membership-declared-value-local-literal", T, "a str subclass equal to 'GET' but hashing differently, "
        "tested against a local tuple (no run-time check there)",
        """
        def verbs(words: list[str]) -> list[bool]:
            allowed = ("GET", "POST")
            return [w in allowed for w in words]
        """,
        "verbs([Folded('get'), 'POST'])",
        setup="""
        class Folded(str):
            def __eq__(self, other):
                return str.upper(self) == str.upper(other)
            def __hash__(self):
                return str.__hash__(self)
        """,
        reason=r"only declared str.*the literal is a local", covers=VALUE,
    ),
    refuse(
        "set-membership-declared-call-result", T, "a str subclass whose strip() returns a list: the tuple test is "
        "False, a set lookup raises",
        """
        def clean(words: list[str]) -> int:
            return sum(1 for w in words if w.strip() in ("a", "the"))
        """,
        "clean([Odd('a '), 'the'])",
        setup="""
        class Odd(str):
            def strip(self):
                return [str(self)]
        """,
        reason=r"only declared str.*not a plain name", covers=VALUE,
    ),
    refuse(
        "set-membership-declared-value-type-rebound", T, "the module rebinds `type`, which the run-time check reads",
        """
        def count(xs: list[int]) -> int:
            return sum(1 for x in xs if x in (1, 2, 3))


        def type(value):
            return int
        """,
        "count([1, [2], 3])",
        reason=r"`type`", covers=VALUE, site="count",
    ),
)
