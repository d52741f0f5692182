"""memoize: ``functools.lru_cache(maxsize=None, typed=True)`` on a module function."""

from __future__ import annotations

from ..case import apply, refuse

T = "memoize"
SHAPE = "module-level def"
PARAMS = "immutable hashable type"
RETURN = "return value immutable"
PURE = "body pure"
MUTATED = "never mutated"

CASES = (
    # --- keys the cache confuses ------------------------------------------------------------------
    refuse(
        "memoize-strenum-inside-tuple-key", T, "typed=True types only top-level arguments: ('red',) and "
        "(Color.RED,) share an entry",
        """
        def label(key: tuple[str, ...]) -> str:
            return repr(key)
        """,
        "label(('red',))", probes="label((Color.RED,))",
        setup="""
        import enum
        class Color(str, enum.Enum):
            RED = "red"
        """,
        reason=r"share a cache entry|subclass", covers=PARAMS,
    ),
    apply(
        "memoize-str-subclass-casefolded-eq", T, "a str subclass with its own __eq__/__hash__ would make "
        "'A' and 'a' one key: only an exact str is cached (tested on every call)",
        """
        def shout(word: str) -> str:
            return word + "!"
        """,
        "shout(Folded('A'))", probes=("shout(Folded('a'))", "shout('a')", "shout('A')", "type(shout(Folded('a')))"),
        setup="""
        class Folded(str):
            def __eq__(self, other):
                return str.lower(self) == str.lower(other)
            def __hash__(self):
                return hash(str.lower(self))
            def __add__(self, other):
                return Folded(str.__add__(self, other))
        """,
        covers=PARAMS,
    ),
    refuse(
        "memoize-negative-zero-float", T, "0.0 and -0.0 are one key but str() tells them apart",
        """
        def show(x: float) -> str:
            return str(x)
        """,
        "show(0.0)", probes="show(-0.0)",
        reason=r"0\.0 and -0\.0", covers=PARAMS,
    ),
    refuse(
        "memoize-int-float-in-tuple", T, "(1,) and (1.0,) share an entry; repr tells them apart",
        """
        def key(xs: tuple[int | float, ...]) -> str:
            return repr(xs)
        """,
        "key((1,))", probes="key((1.0,))",
        reason=r"share a cache entry", covers=PARAMS,
    ),
    refuse(
        "memoize-optional-dict-param-called-float", T, "a dict[str, float] | None parameter is unhashable; "
        "calling it 'a float' is false",
        """
        def total(weights: dict[str, float] | None) -> float:
            return sum(weights.values()) if weights else 0.0
        """,
        "total({'a': 1.5})",
        reason=r"`weights` has no immutable hashable annotation", not_reason=r"is a float",
        covers=PARAMS,
    ),
    refuse(
        "memoize-list-param", T, "a list argument is unhashable: the cached call raises TypeError",
        """
        def head(xs: list[int]) -> int:
            return xs[0] if xs else -1
        """,
        "head([4, 5])",
        reason=r"`xs` has no immutable hashable annotation", covers=PARAMS,
    ),
    apply(
        "memoize-unannotated-param", T, "an unannotated parameter may get a list: only an exact str is cached",
        """
        def first(xs) -> int:
            return len(xs)
        """,
        "first([1, 2])", probes=("first('ab')", "first([1, 2, 3])", "first(('a',))", "first('ab')"),
        covers=PARAMS,
    ),
    refuse(
        "memoize-mutable-default", T, "a default list is shared state even if unused here",
        """
        def pick(n: int, seen: tuple[int, ...] = (), extra: list[int] = []) -> int:
            return n + len(extra)
        """,
        "pick(1)", probes=("pick.__defaults__[1].append(5)", "pick(1)"),
        reason=r"default value of `extra`|`extra` has no immutable", covers=PARAMS,
    ),
    # --- return values --------------------------------------------------------------------------------
    refuse(
        "memoize-tuple-annotation-returns-list", T, "-> tuple[int, int] is trusted while the body returns a "
        "list: the caller's append poisons the cache",
        """
        def pair(n: int) -> tuple[int, int]:
            return [n, n]
        """,
        "pair(1)", probes=("pair(1).append(7)", "pair(1)"),
        reason=r"return", covers=RETURN,
    ),
    refuse(
        "memoize-returns-dict", T, "a dict result is shared between callers",
        """
        def config(name: str):
            return {"name": name}
        """,
        "config('a')", probes=("config('a').update(name='b')", "config('a')"),
        reason=r"return value .* not provably immutable", covers=RETURN,
    ),
    refuse(
        "memoize-returns-tuple-holding-list", T, "a tuple holding a list is not immutable",
        """
        def box(n: int):
            return (n, [n])
        """,
        "box(1)", probes=("box(1)[1].append(2)", "box(1)"),
        reason=r"return value .* not provably immutable", covers=RETURN,
    ),
    refuse(
        "memoize-returns-generator-expression", T, "a cached generator comes back exhausted",
        """
        def evens(n: int):
            return (k for k in range(n) if k % 2 == 0)
        """,
        "list(evens(6))", probes="list(evens(6))",
        reason=r"return value .* not provably immutable", covers=RETURN,
    ),
    # --- hidden state -----------------------------------------------------------------------------------
    refuse(
        "memoize-next-on-module-counter", T, "next() on a module-level itertools.count: every call differs",
        """
        import itertools

        COUNTER = itertools.count()


        def ticket(n: int) -> int:
            return n * 1000 + next(COUNTER)
        """,
        "ticket(1)", probes="ticket(1)",
        reason=r"COUNTER", covers=PURE,
    ),
    refuse(
        "memoize-re-sub-callback-records", T, "re.sub runs a module callback that appends to a global list",
        """
        import re

        SEEN = []


        def note(match):
            SEEN.append(match.group(0))
            return match.group(0).upper()


        def loud(text: str) -> str:
            return re.sub(r"[a-z]+", note, text)
        """,
        "loud('ab cd')", probes=("loud('ab cd')", "len(SEEN)"),
        reason=r"note|SEEN", covers=PURE, site="^loud$",
    ),
    refuse(
        "memoize-heappush-on-global-heap", T, "heapq.heappush mutates a module list",
        """
        import heapq

        HEAP = []


        def push(n: int) -> int:
            heapq.heappush(HEAP, n)
            return len(HEAP)
        """,
        "push(3)", probes="push(3)",
        reason=r"HEAP", covers=PURE,
    ),
    refuse(
        "memoize-partial-random", T, "random.random hidden behind functools.partial",
        """
        import functools
        import random


        def noisy(n: int) -> float:
            draw = functools.partial(random.random)
            return n + draw()
        """,
        "noisy(1) == noisy(1)",
        reason=r"random\.random", covers=PURE,
    ),
    refuse(
        "memoize-reads-environment", T, "os.getenv reads state that changes between calls",
        """
        import os


        def greet(name: str) -> str:
            return (os.getenv("GREETING") or "hi") + " " + name
        """,
        "greet('x')", setup="import os", probes=("os.environ.__setitem__('GREETING', 'yo')", "greet('x')"),
        reason=r"os\.getenv", covers=PURE,
    ),
    refuse(
        "memoize-class-with-side-effect-constructor", T, "constructing a module class runs its __init__",
        """
        LOG = []


        class Point:
            def __init__(self, x):
                LOG.append(x)
                self.x = x


        def norm(x: int) -> int:
            return abs(Point(x).x)
        """,
        "norm(2)", probes=("norm(2)", "len(LOG)"),
        reason=r"class Point|constructs Point", covers=PURE, site="^norm$",
    ),
    refuse(
        "memoize-recursion-depth-halved", T, "each recursion level also passes through the C cache wrapper: "
        "RecursionError at half the depth",
        """
        def depth(n: int) -> int:
            return 0 if n == 0 else 1 + depth(n - 1)
        """,
        "depth(300)", setup="import sys\nsys.setrecursionlimit(450)",
        reason=r"recurs", covers=(),
    ),
    # --- mutation and shape ---------------------------------------------------------------------------
    refuse(
        "memoize-mutates-unannotated-param", T, "appending to an argument is a side effect the cache skips",
        """
        def collect(n: int, into: list) -> int:
            into.append(n)
            return len(into)
        """,
        "collect(1, box)", setup="box = []", probes="collect(1, box)",
        reason=r"mutates parameter `into`", covers=MUTATED,
    ),
    refuse(
        "memoize-sorts-param-in-place", T, "list.sort on an argument mutates the caller's list",
        """
        def smallest(xs) -> int:
            xs.sort()
            return xs[0]
        """,
        "smallest(data)", setup="data = [3, 1, 2]", probes="data",
        reason=r"mutates parameter `xs`", covers=MUTATED,
    ),
    refuse(
        "memoize-operator-iadd-param", T, "operator.iadd extends the argument in place",
        """
        import operator


        def grow(xs, n: int) -> int:
            operator.iadd(xs, [n])
            return len(xs)
        """,
        "grow(data, 1)", setup="data = []", probes=("grow(data, 1)", "data"),
        reason=r"mutates parameter `xs`|`xs` has no immutable", covers=MUTATED,
    ),
    refuse(
        "memoize-global-declaration", T, "a global counter declared in the body",
        """
        CALLS = 0


        def count(n: int) -> int:
            global CALLS
            CALLS += 1
            return n + CALLS
        """,
        "count(1)", probes="count(1)",
        reason=r"declares global CALLS", covers=SHAPE,
    ),
    refuse(
        "memoize-rebound-by-user-cache", T, "the module already wraps the function in its own small cache",
        """
        import functools


        def square(n: int) -> int:
            return n * n


        square = functools.lru_cache(maxsize=2)(square)
        """,
        "square(3)", probes="square.cache_info().maxsize",
        reason=r"rebound elsewhere", covers=SHAPE,
    ),
    refuse(
        "memoize-defined-conditionally", T, "a def under `if` may be replaced by the other branch",
        """
        import sys

        if sys.version_info >= (3, 0):
            def width(n: int) -> int:
                return n * 2
        else:
            def width(n: int) -> int:
                return n
        """,
        "width(2)",
        reason=r"defined conditionally|rebound elsewhere", covers=SHAPE,
    ),
    refuse(
        "memoize-generator-function", T, "a cached generator is exhausted on the second call",
        """
        def upto(n: int):
            yield from range(n)
        """,
        "list(upto(3))", probes="list(upto(3))",
        reason=r"is a generator", covers=SHAPE,
    ),
    refuse(
        "memoize-function-attribute-counter", T, "the function's own attribute is its state",
        """
        def hits(n: int) -> int:
            return n


        hits.calls = 0
        """,
        "hits(1)", probes="hits.calls",
        reason=r"attributes are used", covers=SHAPE,
    ),
    # --- sound edges: must stay applicable -----------------------------------------------------------
    apply(
        "memoize-area-of-int-pair", T, "(1, 2) and (True, 2) share an entry but area cannot tell them apart",
        """
        def area(dims: tuple[int, int]) -> int:
            return dims[0] * dims[1]
        """,
        "area((2, 3))", probes=("area((True, 3))", "area((1, 3))", "area((2, 3))"),
        covers=PARAMS,
    ),
    apply(
        "memoize-newtype-cast-canonical-name", T, "packaging's canonicalize_name: cast() returns its argument, a "
        "NewType of str is the identity, a compiled module pattern never changes",
        """
        import re
        from typing import NewType, cast

        Name = NewType("Name", str)
        _SEP = re.compile(r"[-_.]+")


        def canonical(name: str, *, validate: bool = False) -> Name:
            if validate and not name:
                raise ValueError(f"empty name {name!r}")
            value = Name(_SEP.sub("-", name).lower())
            return cast(Name, value)
        """,
        "canonical('Foo_Bar.baz')", probes=("canonical('Foo_Bar.baz')", "canonical('', validate=True)",
                                            "canonical('a--b', validate=True)"),
        covers=(RETURN, PURE),
    ),
    refuse(
        "memoize-newtype-rebound-at-run-time", T, "the NewType name is rebound by a module function: calling it "
        "is no longer the identity",
        """
        from typing import NewType

        Name = NewType("Name", str)


        def canonical(name: str) -> str:
            return Name(name.lower())


        def as_list() -> None:
            global Name
            Name = list
        """,
        "canonical('Ab')", probes=("as_list()", "canonical('Ab')"),
        reason=r"Name \(rebound in the module\)", covers=PURE, site="canonical",
    ),
    refuse(
        "memoize-cast-of-a-fresh-list", T, "cast() hands back its argument: a fresh list, which a cache would "
        "share between callers",
        """
        from typing import cast


        def letters(word: str) -> tuple[str, ...]:
            return cast(tuple, list(word))
        """,
        "letters('ab')", probes=("letters('ab').append('x')", "letters('ab')"),
        reason=r"not provably immutable \(list\[str\]\)", covers=RETURN,
    ),
    apply(
        "memoize-setattr-on-another-module", T, "test.support's captured_output: setattr(sys, ...) swaps a stream "
        "of sys and rebinds none of this module's globals",
        """
        import io
        import sys

        UNIT = 1024


        def swap(stream):
            old = sys.stdout
            setattr(sys, "stdout", stream)
            return old


        def kib(n: int) -> int:
            return n * UNIT
        """,
        "kib(3)", probes=("swap(swap(io.StringIO()))", "kib(3)"), covers=PURE, site="kib",
    ),
    refuse(
        "memoize-setattr-on-this-module", T, "setattr on this very module (through sys.modules) rebinds the "
        "constant the cached function read",
        """
        import sys

        UNIT = 1024


        def set_unit(n):
            setattr(sys.modules[__name__], "UNIT", n)


        def kib(n: int) -> int:
            return n * UNIT
        """,
        "kib(3)", probes=("set_unit(1000)", "kib(3)"),
        reason=r"UNIT \(rebound at run time: set_unit \(through setattr\(\)\)", covers=PURE, site="kib",
    ),
    apply(
        "memoize-regex-sub-fstring-replacement", T, "humanize's intcomma loop: an f-string replacement is a str, "
        "never called back",
        r"""
        import re


        def grouped(digits: str, sep: str) -> str:
            new = digits
            while True:
                old = new
                new = re.sub(r"^(-?\d+)(\d{3})", rf"\g<1>{sep}\g<2>", old)
                if old == new:
                    return new
        """,
        "grouped('1234567', ',')", probes=("grouped('-1234', '.')", "grouped('12', ',')"),
        covers=PURE,
    ),
    refuse(
        "memoize-regex-sub-replacement-from-a-table", T, "a replacement read from a module list may be a function "
        "that counts its calls",
        """
        import re

        REPL = [str.upper]


        def shout(word: str) -> str:
            return re.sub("a", REPL[0], word)
        """,
        "shout('banana')", probes=("REPL.__setitem__(0, lambda m: 'A!')", "shout('banana')"),
        reason=r"may call back|REPL", covers=PURE,
    ),
    apply(
        "memoize-fib-int-and-bool", T, "typed=True keeps fib(1) and fib(True) apart",
        """
        def fib(n: int) -> int:
            return n if n < 2 else fib(n - 1) + fib(n - 2)
        """,
        "fib(1)", probes=("fib(True)", "fib(25)", "fib(False)"),
        covers=PARAMS,
    ),
    apply(
        "memoize-mutual-recursion", T, "is_even and is_odd through each other",
        """
        def is_even(n: int) -> bool:
            return n == 0 or is_odd(n - 1)


        def is_odd(n: int) -> bool:
            return n != 0 and is_even(n - 1)
        """,
        "is_even(10)", probes=("is_odd(7)", "is_even(True)"),
    ),
    apply(
        "memoize-str-methods-and-frozenset-constant", T, "a frozenset module constant and str methods are pure",
        """
        STOP = frozenset({"a", "the"})


        def keep(word: str) -> bool:
            return word.strip().lower() not in STOP
        """,
        "keep(' The ')", probes=("keep('cat')", "keep('a')"), covers=PURE,
    ),
    apply(
        "memoize-optional-literal-and-default", T, "Optional, Literal and a constant default are hashable",
        """
        from typing import Literal, Optional


        def pad(text: str, width: Optional[int] = None, side: Literal["l", "r"] = "l") -> str:
            w = width or 4
            return text.rjust(w) if side == "l" else text.ljust(w)
        """,
        "pad('x')", probes=("pad('x', 3, 'r')", "pad('x', None)", "pad('x', width=2)"), covers=PARAMS,
    ),
    apply(
        "memoize-tuple-of-str-result", T, "a tuple of str built from re.findall is immutable",
        """
        import re


        def words(text: str) -> tuple[str, ...]:
            return tuple(w.lower() for w in re.findall(r"\\w+", text))
        """,
        "words('A b, C')", probes=("words('A b, C')", "words('')"), covers=RETURN,
    ),
    apply(
        "memoize-raises-is-not-cached", T, "an exception is raised again on every call (lru_cache caches no "
        "exception)",
        """
        def parse(text: str) -> int:
            return int(text)
        """,
        "parse('x')", probes=("parse('x')", "parse('12')"),
    ),
    refuse(
        "memoize-bytearray-for-bytes", T, "a bytes-annotated parameter called with a bytearray: the cache "
        "raises TypeError (unhashable)",
        """
        def checksum(data: bytes) -> int:
            return sum(data) % 256
        """,
        "checksum(bytearray(b'ab'))", probes="checksum(b'ab')",
        reason=r"bytearray|unhashable|exact|subclass", covers=PARAMS,
    ),
    refuse(
        "memoize-sorted-key-impure", T, "sorted(key=...) runs a module function that counts its calls",
        """
        CALLS = []


        def weight(w):
            CALLS.append(w)
            return len(w)


        def lightest(words: tuple[str, ...]) -> str:
            return sorted(words, key=weight)[0]
        """,
        "lightest(('bb', 'a'))", probes=("lightest(('bb', 'a'))", "len(CALLS)"),
        reason=r"weight|CALLS", covers=PURE, site="lightest",
    ),

    # --- no annotation: the exact type of each argument is tested on every call -----------------------
    apply(
        "memoize-guard-unannotated-int-probes", T, "no annotation: True, an IntEnum member and an int subclass with "
        "its own __eq__ must not share the int's entries",
        """
        import enum


        class Level(enum.IntEnum):
            ONE = 1


        class Loose(int):
            def __eq__(self, other):
                return True

            __hash__ = int.__hash__


        def numeral(n):
            if not isinstance(n, int):
                raise TypeError("decimals can not be converted")
            out = ""
            for sym, val in (("X", 10), ("V", 5), ("I", 1)):
                while n >= val:
                    out += sym
                    n -= val
            return out
        """,
        "numeral(1)", probes=("numeral(True)", "numeral(Level.ONE)", "numeral(Loose(1))", "numeral(14)",
                              "numeral(1.5)", "numeral(1)"),
        covers=PARAMS, site="numeral",
    ),
    apply(
        "memoize-guard-unannotated-str-subclass-folded", T, "no annotation: a str subclass whose __eq__/__hash__ "
        "merge 'A' and 'a' runs uncached",
        """
        def shout(word):
            return word.upper() + "!" + word
        """,
        "shout(Folded('A'))", probes=("shout(Folded('a'))", "shout('a')", "shout('A')", "shout(Folded('a'))"),
        setup="""
        class Folded(str):
            def __eq__(self, other):
                return str.lower(self) == str.lower(other)
            def __hash__(self):
                return hash(str.lower(self))
        """,
        covers=PARAMS,
    ),
    apply(
        "memoize-guard-errors-not-cached-keyword-only", T, "no annotation: an error is raised again on every call, "
        "a keyword-only default is passed through",
        """
        CALLS = []


        def parse(text, *, base=10):
            value = int(text, base)
            if value < 0:
                raise ValueError("negative")
            return value * 2
        """,
        "parse('12')", probes=("parse('-1')", "parse('-1')", "parse('ff', base=16)", "parse('x')",
                                "parse(text='7')", "parse(b'12')"),
        covers=PARAMS,
    ),
    apply(
        "memoize-untyped-keys-int-or-bool", T, "lru_cache without typed=True would make 1 and True one key: "
        "a parameter admitting both int and bool keeps typed keys",
        """
        def show(x: int | bool, end: str) -> str:
            return repr(x) + end
        """,
        "show(1, '!')", probes=("show(True, '!')", "show(0, '!')", "show(False, '!')", "show(1, '!')"),
        covers=PARAMS,
    ),
    apply(
        "memoize-default-elided-by-identity", T, "a call leaving a bool flag at its default calls the cache "
        "without it; 0 equals False but is not it: the original runs",
        """
        def mark(word: str, loud: bool = False) -> str:
            return word + repr(loud)
        """,
        "mark('a')", probes=("mark('a', 0)", "mark('a', False)", "mark('a', True)", "mark('a', 1)", "mark('a')"),
        covers=PARAMS,
    ),
    apply(
        "memoize-default-elided-other-arguments-tested", T, "a call leaving the flag at its default still "
        "caches only an exact str: a str subclass that merges 'A' and 'a' runs uncached",
        """
        def mark(word: str, *, loud: bool = False) -> str:
            return word + ("!" if loud else ".")
        """,
        "mark(Folded('A'))", probes=("mark(Folded('a'))", "mark('a')", "mark('A')", "type(mark(Folded('a')))"),
        setup="""
        class Folded(str):
            def __eq__(self, other):
                return str.lower(self) == str.lower(other)
            def __hash__(self):
                return hash(str.lower(self))
            def __add__(self, other):
                return Folded(str.__add__(self, other))
        """,
        covers=PARAMS,
    ),
    refuse(
        "memoize-guard-unannotated-appends", T, "no annotation, and the parameter is appended to: no exact "
        "type makes that pure",
        """
        def push(xs):
            xs.append(1)
            return len(xs)
        """,
        "push([])", probes="push([2])",
        reason=r"no exact argument type|mutates parameter", covers=MUTATED,
    ),
    refuse(
        "memoize-guard-unannotated-mutable-table", T, "no annotation, and the result reads a table that callers "
        "extend",
        """
        TABLE = {"a": 1}


        def look(key):
            return TABLE.get(key, 0)
        """,
        "look('b')", probes=("TABLE.update(b=2)", "look('b')"),
        reason=r"TABLE .*mutable dict", covers=PURE,
    ),
    refuse(
        "memoize-guard-name-taken", T, "no annotation, and the cached copy's name is already used",
        """
        def double(n):
            return n * 2


        _evolver_double = lambda n: -n
        """,
        "double(2)", probes="_evolver_double(2)",
        reason=r"_evolver_double is taken", covers=SHAPE,
    ),
)
