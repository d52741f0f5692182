"""set-membership: ``x in [c1, c2]`` (in a loop) becomes ``x in {c1, c2}``."""

from __future__ import annotations

from ..case import apply, behaviour, refuse

T = "set-membership"
SHAPE = "tested with `in`/`not in`"
ELEMENTS = "every element a hashable constant"
VALUE = "the tested value provably hashable"
MIXED = "str and bytes are not mixed"
FRAME = "frame introspection"

CASES = (
    refuse(
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
        reason=r"not provably|exact|subclass|__eq__|__hash__", covers=VALUE,
        hole=behaviour("items of list[str] may be str subclasses whose __eq__ and __hash__ disagree"),
    ),
    refuse(
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
        reason=r"not provably hashable|exact|annotation", covers=VALUE,
        hole=behaviour("a list[int] annotation is trusted: an unhashable item makes the set lookup raise"),
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
    refuse(
        "set-membership-local-mutated", T, "the local list is appended to",
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
        "known(['c'])",
        reason=r"used other than as the right side of `in`", covers=SHAPE,
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
)
