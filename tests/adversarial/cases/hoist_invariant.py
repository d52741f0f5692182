"""hoist-invariant: a loop-invariant expression is computed once, into ``_evolver_inv<k>``, before the loop."""

from __future__ import annotations

from ..case import apply, refuse

T = "hoist-invariant"
SHAPE = "made of names, constants"
REBOUND = "no name it reads is rebound"
BOUND = "surely bound when the loop starts"
RAISE = "it cannot raise"
CONTAINERS = "a list/dict/set it reads"
IMMUTABLE = "its value is immutable"
FRAME = "does not read its own local variables"

CASES = (
    # --- rebinding through called code ---------------------------------------------------------------
    refuse(
        "hoist-invariant-global-rebound-through-globals", T, "a callee in the loop rebinds the module constant "
        "with globals()[...]",
        """
        LIMIT = 2


        def relax():
            globals()["LIMIT"] = 5


        def steps():
            i = 0
            while i < LIMIT * 2:
                relax()
                i += 1
            return i
        """,
        "steps()",
        reason=r"LIMIT|relax|globals|rebound", covers=REBOUND, site="steps",
    ),
    refuse(
        "hoist-invariant-global-rebound-through-setattr", T, "a callee rebinds the module constant with "
        "setattr(module, ...)",
        """
        import sys

        WIDTH = 3


        def widen():
            setattr(sys.modules[__name__], "WIDTH", 6)


        def cells():
            i = 0
            while i < WIDTH + 1:
                widen()
                i += 1
            return i
        """,
        "cells()",
        reason=r"WIDTH|widen|setattr|rebound", covers=REBOUND, site="cells",
    ),
    refuse(
        "hoist-invariant-rebound-by-nested-function", T, "a nested function rebinds the name with nonlocal",
        """
        def countdown(n: int) -> int:
            steps = 0

            def shrink():
                nonlocal n
                n -= 1
            while steps < n * 2:
                shrink()
                steps += 1
            return steps
        """,
        "countdown(4)",
        reason=r"rebound by a nested function", covers=REBOUND, site="countdown#",
    ),
    refuse(
        "hoist-invariant-enclosing-variable", T, "a free variable of an enclosing function, rebound between calls",
        """
        def make():
            size = 2

            def run(xs: list[int]) -> int:
                total = 0
                for x in xs:
                    total += size * 2
                return total

            def grow():
                nonlocal size
                size += 1
            return run, grow
        """,
        "(lambda r, g: (r([1, 2]), g(), r([1, 2])))(*make())",
        reason=r"variable of an enclosing function", covers=REBOUND, site="run",
    ),
    refuse(
        "hoist-invariant-global-list", T, "a module list is not an immutable constant",
        """
        SIZES = [1, 2]


        def total(n: int) -> int:
            t = 0
            for k in range(n):
                t += len(SIZES) * 2
            return t
        """,
        "total(2)",
        reason=r"module global SIZES", covers=REBOUND,
    ),
    refuse(
        "hoist-invariant-deleted-name", T, "the name is deleted later in the function",
        """
        def f(n: int) -> int:
            scale = n + 1
            t = 0
            for k in range(3):
                t += scale * 2
            del scale
            return t
        """,
        "f(1)",
        reason=r"`scale` is deleted", covers=REBOUND,
    ),
    # --- binding, raising, containers, values ---------------------------------------------------------
    refuse(
        "hoist-invariant-maybe-unbound", T, "bound on one branch only: hoisting reads it even when the loop "
        "does not run",
        """
        def f(xs: list[int], flag: bool) -> int:
            if flag:
                base = 10
            t = 0
            for x in xs:
                t += base * 2
            return t
        """,
        "f([], False)", probes="f([1], True)",
        reason=r"`base` may be unbound", covers=BOUND,
    ),
    refuse(
        "hoist-invariant-bound-inside-try", T, "bound inside a try whose handler passes",
        """
        def f(xs: list[int], text: str) -> int:
            try:
                n = int(text)
            except ValueError:
                pass
            t = 0
            for x in xs:
                t += n * 3
            return t
        """,
        "f([], 'x')",
        reason=r"`n` may be unbound", covers=BOUND,
    ),
    refuse(
        "hoist-invariant-division", T, "total / count raises ZeroDivisionError even when the loop would not run",
        """
        def f(xs: list[int], total: int, count: int) -> float:
            t = 0.0
            for x in xs:
                t += total / count
            return t
        """,
        "f([], 1, 0)",
        reason=r"ZeroDivisionError", covers=RAISE,
    ),
    refuse(
        "hoist-invariant-method-on-none-annotated-str", T, "word: str is None and the loop runs zero times: the "
        "hoisted word.lower() raises",
        """
        def hits(xs: list[str], word: str) -> int:
            n = 0
            for x in xs:
                if x == word.lower():
                    n += 1
            return n
        """,
        "hits([], None)", probes="hits(['a'], 'A')",
        reason=r"word|may raise|not provably|exact", covers=RAISE,
    ),
    refuse(
        "hoist-invariant-power-of-zero", T, "0 ** -1 raises ZeroDivisionError",
        """
        def f(xs: list[int], base: int, e: int) -> int:
            t = 0
            for x in xs:
                t += base ** e
            return t
        """,
        "f([], 0, -1)",
        reason=r"may raise", covers=RAISE,
    ),
    refuse(
        "hoist-invariant-left-shift", T, "1 << k raises ValueError for a negative k",
        """
        def f(xs: list[int], k: int) -> int:
            t = 0
            for x in xs:
                t += 1 << k
            return t
        """,
        "f([], -1)",
        reason=r"may raise", covers=RAISE,
    ),
    refuse(
        "hoist-invariant-str-subclass-lower-counts", T, "a str subclass whose lower() counts its calls",
        """
        def hits(xs: list[str], word: str) -> int:
            n = 0
            for x in xs:
                if x == word.lower():
                    n += 1
            return n
        """,
        "hits(['a', 'b', 'a'], w)", probes="w.calls",
        setup="""
        class Counted(str):
            calls = 0
            def lower(self):
                Counted.calls += 1
                return str.lower(self)
        w = Counted('A')
        """,
        reason=r"not provably|exact|subclass", covers=CONTAINERS,
    ),
    refuse(
        "hoist-invariant-list-grown-by-callee", T, "len(xs) of a parameter while the loop calls a function that "
        "appends to it",
        """
        def grow(xs: list[int]) -> None:
            xs.append(0)


        def walk(xs: list[int]) -> int:
            i = 0
            while i < len(xs) + 0:
                if i < 2:
                    grow(xs)
                i += 1
            return i
        """,
        "walk([1])",
        reason=r"`xs` may change during the loop", covers=CONTAINERS, site="walk",
    ),
    refuse(
        "hoist-invariant-list-grown-by-closure", T, "a private list grown through a closure called in the loop",
        """
        def walk() -> int:
            xs = [1]

            def push():
                xs.append(0)
            i = 0
            while i < len(xs) + 0:
                if i < 3:
                    push()
                i += 1
            return i
        """,
        "walk()",
        reason=r"`xs` may change during the loop", covers=CONTAINERS, site="walk#",
    ),
    refuse(
        "hoist-invariant-list-grown-through-alias", T, "a second name for the same list is appended to",
        """
        def walk() -> int:
            xs = [1]
            ys = xs
            i = 0
            while i < len(xs) + 0:
                if i < 3:
                    ys.append(0)
                i += 1
            return i
        """,
        "walk()",
        reason=r"`xs` may change during the loop", covers=CONTAINERS,
    ),
    refuse(
        "hoist-invariant-list-concatenation", T, "xs + ys builds a new list on every pass: each appended copy is "
        "its own object",
        """
        def f(n: int, xs: list[int], ys: list[int]) -> list[list[int]]:
            out = []
            for k in range(n):
                out.append(xs + ys)
            return out
        """,
        "f(2, [1], [2])", probes="(lambda r: (r[0].append(9), r))(f(2, [1], [2]))",
        reason=r"not provably immutable|may raise", covers=IMMUTABLE,
    ),
    refuse(
        "hoist-invariant-list-choice", T, "`abs(n) and xs` may be a list: its value is not immutable",
        """
        def f(n: int, xs: list[int]) -> list:
            out = []
            for k in range(2):
                out.append(abs(n) and xs)
            return out
        """,
        "f(1, [1])", probes="f(0, [1])",
        reason=r"not provably immutable", covers=IMMUTABLE,
    ),
    refuse(
        "hoist-invariant-str-method-on-int", T, "a str method name called on an int parameter",
        """
        def f(xs: list[str], count: int) -> int:
            n = 0
            for x in xs:
                if x == count.upper():
                    n += 1
            return n
        """,
        "f([], 3)",
        reason=r"may raise", covers=SHAPE,
    ),
    refuse(
        "hoist-invariant-abs-of-str", T, "abs() of a str parameter",
        """
        def f(xs: list[int], label: str) -> int:
            n = 0
            for x in xs:
                n += abs(label) + x
            return n
        """,
        "f([], 'a')",
        reason=r"may raise", covers=SHAPE,
    ),
    # --- iter()/reversed() of a declared list: its own __iter__/__reversed__ runs while iterating -------
    refuse(
        "hoist-invariant-iter-of-declared-list-grows-shared-list", T, "iter(ys) of a list[str] subclass is "
        "whatever its __iter__ returns: a generator that grows the list len() reads on every step",
        """
        def total(data: list[int], ys: list[str], keep: list[list[int]]) -> int:
            xs = list(data)
            keep.append(xs)
            it = iter(ys)
            n = 0
            for y in it:
                n += len(xs)
            return n
        """,
        "total([1, 2], Sneaky(['a', 'b', 'c']), keep)",
        setup="""
        keep = []

        class Sneaky(list):
            def __iter__(self):
                for y in list.__iter__(self):
                    keep[-1].append(0)
                    yield y
        """,
        reason=r"iterates over `it`.*may run any code", covers=CONTAINERS,
    ),
    refuse(
        "hoist-invariant-reversed-of-declared-list-grows-shared-list", T, "reversed(ys) of a list[str] subclass "
        "runs its own __reversed__, which grows the list len() reads",
        """
        def total(data: list[int], ys: list[str], keep: list[list[int]]) -> int:
            xs = list(data)
            keep.append(xs)
            it = reversed(ys)
            n = 0
            for y in it:
                n += len(xs)
            return n
        """,
        "total([1, 2], Sneaky(['a', 'b', 'c']), keep)",
        setup="""
        keep = []

        class Sneaky(list):
            def __reversed__(self):
                for y in list.__reversed__(self):
                    keep[-1].append(0)
                    yield y
        """,
        reason=r"iterates over `it`.*may run any code", covers=CONTAINERS,
    ),
    refuse(
        "hoist-invariant-enumerate-of-declared-list-grows-shared-list", T, "enumerate(ys) is a builtin "
        "iterator, but each step runs the declared list's own __iter__ generator",
        """
        def total(data: list[int], ys: list[str], keep: list[list[int]]) -> int:
            xs = list(data)
            keep.append(xs)
            pairs = enumerate(ys)
            n = 0
            for i, y in pairs:
                n += len(xs)
            return n
        """,
        "total([1, 2], Sneaky(['a', 'b', 'c']), keep)",
        setup="""
        keep = []

        class Sneaky(list):
            def __iter__(self):
                for y in list.__iter__(self):
                    keep[-1].append(0)
                    yield y
        """,
        reason=r"iterates over `pairs`.*may run any code", covers=CONTAINERS,
    ),
    apply(
        "hoist-invariant-iter-of-list-built-here", T, "iter() of a list built here runs no user code",
        """
        def total(data: list[int], words: list[str], keep: list[list[int]]) -> int:
            xs = list(data)
            keep.append(xs)
            it = iter([w for w in words])
            n = 0
            for y in it:
                n += len(xs)
            return n
        """,
        "total([1, 2], ['a', 'b', 'c'], [])", covers=CONTAINERS,
    ),
    apply(
        "hoist-invariant-global-setattr-on-self", T, "setattr(self, ...) in a method of the module sets an "
        "attribute of the instance, not the module constant the loop reads",
        """
        LIMIT = 3


        class Box:
            def set(self, name, value):
                setattr(self, name, value)


        def steps(box):
            i = 0
            while i < LIMIT * 2:
                box.set("LIMIT", i)
                i += 1
            return i
        """,
        "steps(Box())", probes=("LIMIT", "steps(Box())"), covers=REBOUND,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "hoist-invariant-len-of-private-list", T, "len(xs) of a private list the loop leaves alone", """
        def total(n: int) -> int:
            xs = list(range(n))
            i = 0
            s = 0
            while i < len(xs):
                s += xs[i]
                i += 1
            return s
        """,
        "total(5)", probes="total(0)", covers=CONTAINERS,
    ),
    refuse(
        "hoist-invariant-arithmetic-of-parameters", T, "2 * r + 1 with `r: int` only declared: an int subclass's "
        "__rmul__ prints, once per pass in the loop, once (or even with no pass) when hoisted (engine-b, session 5: "
        "was a 'sound rewrite refused' hole)",
        """
        def f(xs: list[int], r: int) -> int:
            t = 0
            for x in xs:
                t += x * (2 * r + 1)
            return t
        """,
        "f([1, 2], Loud(3))", probes=("f([], Loud(3))", "f([1], True)"),
        setup="""
        class Loud(int):
            def __rmul__(self, other):
                print("rmul", other)
                return int(self) * other
        """,
        reason=r"`2 \* r \+ 1` may raise \(int\+ and int\) or run code", covers=RAISE,
    ),
    apply(
        "hoist-invariant-math-pi", T, "math.pi times a float built here", """
        import math


        def areas(rs: list[float], scale: str) -> list[float]:
            factor = float(scale)
            out = []
            for r in rs:
                out.append(r * r * (math.pi * factor))
            return out
        """,
        "areas([1.0, 2.0], '0.5')", covers=SHAPE,
    ),
    apply(
        "hoist-invariant-lower-of-str-built-here", T, "x.lower() on a local bound to '' and extended with += of "
        "str cannot raise",
        """
        def count(words: list[str]) -> int:
            key = ""
            for w in words[:1]:
                key += "x"
            n = 0
            for w in words:
                if w == key.lower():
                    n += 1
            return n
        """,
        "count(['x', 'X', 'x'])", probes="count([])", covers=RAISE,
    ),
    apply(
        "hoist-invariant-module-constant-string", T, "a module str constant's method", """
        PREFIX = "Item-"


        def tags(n: int) -> list[str]:
            out = []
            for k in range(n):
                out.append(PREFIX.lower() + str(k))
            return out
        """,
        "tags(3)", covers=REBOUND,
    ),
    # --- a builtin rebound by code the loop runs; the frame read (engine-b) ------------------------------
    refuse(
        "hoist-invariant-builtin-shadowed-by-callee-setattr", T, "a callee in the loop creates a module global "
        "`len` with setattr(module, ...): len(xs) changes meaning mid-loop",
        """
        import sys


        def patch():
            setattr(sys.modules[__name__], "len", lambda x: 100)


        def f(data):
            xs = list(data)
            t = 0
            for x in xs:
                t += len(xs) * 2
                patch()
            return t
        """,
        "f([1, 2, 3])",
        reason=r"patch rebinds `len`", covers=REBOUND,
    ),
    refuse(
        "hoist-invariant-builtin-shadowed-by-re-sub-callback", T, "re.sub runs a module function as its "
        "callback, which shadows `abs` through globals()",
        """
        import re


        def shout(match):
            globals()["abs"] = lambda v: -1
            return match.group(0).upper()


        def f(words, n):
            k = int(n)
            t = 0
            for w in words:
                t += abs(k) * 2
                re.sub("a", shout, w)
            return t
        """,
        "f(['ab', 'cd', 'a'], -3)",
        reason=r"shout rebinds `abs`", covers=REBOUND,
    ),
    refuse(
        "hoist-invariant-function-returns-locals", T, "the function returns locals(): a hoisted local would show "
        "up in it",
        """
        def f(data):
            xs = list(data)
            t = 0
            for x in xs:
                t += len(xs) * 2
            return sorted(locals())
        """,
        "f([1, 2])",
        reason=r"reads its local variables", covers=FRAME,
    ),
    refuse(
        "hoist-invariant-function-reads-its-frame", T, "the loop body reads its own frame's f_locals",
        """
        import sys


        def f(data):
            xs = list(data)
            seen = []
            for x in xs:
                seen.append(len(xs) * 2 + len(sys._getframe(0).f_locals))
            return seen
        """,
        "f([1, 2])",
        reason=r"reads its local variables", covers=FRAME,
    ),
    refuse(
        "hoist-invariant-constant-rebound-through-a-frames-globals", T, "a callee rebinds the module constant "
        "through its caller's frame f_globals",
        """
        import sys

        LIMIT = 2


        def relax():
            sys._getframe(1).f_globals["LIMIT"] = 5


        def steps(n):
            i = 0
            t = 0
            while i < n:
                t += LIMIT * 2
                relax()
                i += 1
            return t
        """,
        "steps(3)",
        reason=r"relax .through `sys._getframe`. can rebind any global", covers=REBOUND,
    ),
)
