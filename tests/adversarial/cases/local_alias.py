"""local-alias: builtins, globals and bound methods a loop reads are bound to locals before it."""

from __future__ import annotations

from ..case import apply, refuse

T = "local-alias"
SHAPE = "reading a builtin, a module global or a method"
BUILTINS = "builtins: the module never binds"
GLOBALS = "globals: bound once"
METHODS = "having the method"
BOUND = "surely bound before the loop"
FRAME = "does not read its locals"

CASES = (
    # --- rebinding through called code ------------------------------------------------------------
    refuse(
        "local-alias-global-rebound-by-re-sub-callback", T, "re.sub runs a callback that rebinds the global the "
        "loop reads",
        """
        import re

        SCALE = 2


        def bump(match):
            globals()["SCALE"] = 10
            return match.group(0)


        def total(words):
            t = 0
            for w in words:
                re.sub("x", bump, w)
                t += SCALE
            return t
        """,
        "total(['ax', 'b'])",
        reason=r"SCALE|bump|calls back|unknown code|rebind", covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-global-rebound-by-iter-of-declared-list", T, "iter(ys) of a list[str] subclass runs its "
        "own __iter__ while the loop steps, and that calls the module's setter of the global",
        """
        SCALE = 2


        def set_scale(value):
            globals()["SCALE"] = value


        def total(ys: list[str]) -> int:
            it = iter(ys)
            t = 0
            for y in it:
                t += SCALE
            return t
        """,
        "total(Sneaky(['a', 'b', 'c']))",
        setup="""
        class Sneaky(list):
            def __iter__(self):
                for k, y in enumerate(list.__iter__(self)):
                    set_scale(10 * (k + 1))
                    yield y
        """,
        reason=r"SCALE|set_scale|unknown code|rebind|may run any code", covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-global-rebound-by-zip-of-declared-list", T, "zip(ys, ys) is a builtin iterator, but each "
        "step runs the declared list's own __iter__, which calls the module's setter of the global",
        """
        SCALE = 2


        def set_scale(value):
            globals()["SCALE"] = value


        def total(ys: list[str]) -> int:
            pairs = zip(ys, ys)
            t = 0
            for a, b in pairs:
                t += SCALE
            return t
        """,
        "total(Sneaky(['a', 'b']))",
        setup="""
        class Sneaky(list):
            def __iter__(self):
                for k, y in enumerate(list.__iter__(self)):
                    set_scale(10 * (k + 1))
                    yield y
        """,
        reason=r"SCALE|set_scale|unknown code|rebind|may run any code", covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-global-rebound-by-iterating-module-class", T, "the loop steps an object of a module class "
        "whose __iter__ rebinds the global with globals(): no call in the loop names it",
        """
        SCALE = 2


        class Bag:
            def __init__(self, items):
                self.items = items

            def __iter__(self):
                globals()["SCALE"] = 7
                return iter(self.items)


        def total(words):
            bag = Bag(words)
            t = 0
            for w in bag:
                t += SCALE
            return t
        """,
        "total(['a', 'b'])",
        reason=r"SCALE.*iterates over `bag`", covers=GLOBALS, site="total",
    ),
    apply(
        "local-alias-global-iter-of-list-built-here", T, "iter() of a list built here runs no user code: the "
        "module's setter of the global cannot run in the loop",
        """
        SCALE = 2


        def set_scale(value):
            globals()["SCALE"] = value


        def total(ys: list[str]) -> int:
            it = iter([y.lower() for y in ys])
            t = 0
            for y in it:
                t += SCALE
            return t
        """,
        "total(['a', 'B'])", probes=("set_scale(3)", "total(['c'])"), covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-builtin-rebound-by-callers-generator", T, "the caller's generator, stepped by the loop, calls "
        "the module's install('len', ...) between two items",
        """
        def sizes(words):
            n = 0
            for w in words:
                n += len(w)
            return n


        def install(name, value):
            globals()[name] = value
        """,
        "sizes(gen())",
        setup="""
        def gen():
            yield "ab"
            install("len", lambda w: 0)
            yield "cd"
        """,
        reason=r"install rebinds `len`.*iterates over `words`", covers=BUILTINS, site="sizes",
    ),
    # --- setattr(obj, ...): the module's globals only when obj may be the module ---------------------
    refuse(
        "local-alias-global-rebound-by-setattr-on-a-parameter-the-module-passes-itself", T, "put() sets an "
        "attribute of its parameter, and the module hands its own module object (a default taken from "
        "sys.modules) to it",
        """
        import sys

        LIMIT = 1


        def put(obj, name, value):
            setattr(obj, name, value)


        def total(xs, where=sys.modules[__name__]):
            t = 0
            for x in xs:
                put(where, "LIMIT", x)
                t += LIMIT
            return t
        """,
        "total([5, 7])",
        reason=r"not `LIMIT`: put rebinds `LIMIT` \(through setattr\(\)\)", covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-global-rebound-through-a-module-object-kept-in-a-global", T, "top-level code keeps the module "
        "object in a global; a function stores an attribute of it",
        """
        import sys

        LIMIT = 1
        ME = sys.modules[__name__]


        def bump(value):
            ME.LIMIT = value


        def total(xs):
            t = 0
            for x in xs:
                bump(x)
                t += LIMIT
            return t
        """,
        "total([5, 7])",
        reason=r"not `LIMIT`: bump rebinds `LIMIT` \(through `ME` \(holds `sys.modules`\)\)", covers=GLOBALS,
        site="total",
    ),
    refuse(
        "local-alias-global-rebound-through-globals-kept-in-a-global", T, "top-level code keeps globals() in a "
        "global; a function stores into it",
        """
        LIMIT = 1
        NAMES = globals()


        def bump(value):
            NAMES["LIMIT"] = value


        def total(xs):
            t = 0
            for x in xs:
                bump(x)
                t += LIMIT
            return t
        """,
        "total([5, 7])",
        reason=r"not `LIMIT`: bump rebinds `LIMIT` \(through `NAMES` \(holds globals\(\)\)\)", covers=GLOBALS,
        site="total",
    ),
    apply(
        "local-alias-global-setattr-on-self", T, "setattr(self, ...) in a method sets an attribute of the instance: "
        "the module never takes hold of its own module object, so no global is rebound",
        """
        LIMIT = 3


        class Box:
            def set(self, name, value):
                setattr(self, name, value)


        def total(n: int) -> int:
            box = Box()
            t = 0
            for x in range(3):
                box.set("LIMIT", x)
                t += LIMIT
            return t
        """,
        "total(3)", probes=("Box().set('LIMIT', 9) or total(3)", "LIMIT"), covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-global-rebound-through-sys-modules-by-its-own-name", T, "sys.modules['victim'] (this "
        "module, named by a constant) is kept, and a method sets attributes of what it is handed",
        """
        import sys

        LIMIT = 1


        class Box:
            def set(self, obj, name, value):
                setattr(obj, name, value)


        def total(xs, box):
            t = 0
            for x in xs:
                box.set(sys.modules["victim"], "LIMIT", x)
                t += LIMIT
            return t
        """,
        "total([5, 7], Box())",
        reason=r"not `LIMIT`: .*rebinds `LIMIT`", covers=GLOBALS, site="total",
    ),
    apply(
        "local-alias-global-sys-modules-entry-of-another-module", T, "the module swaps sys.modules['json'] (another "
        "module, named by a constant) and sets attributes of its own objects: it never holds itself",
        """
        import sys

        LIMIT = 3


        class Box:
            def set(self, name, value):
                setattr(self, name, value)


        def swap(fake):
            sys.modules["json"], fake = fake, sys.modules.get("json")
            return fake


        def total(n: int) -> int:
            box = Box()
            t = 0
            for x in range(n):
                box.set("LIMIT", x)
                t += LIMIT
            return t
        """,
        "total(3)", probes=("swap(swap(None)) is not None", "total(2)", "LIMIT"), covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-global-rebound-through-globals-handed-to-a-registry", T, "top-level code hands globals() to "
        "a module function that keeps it in a dict; another function stores into it (the handle escapes through "
        "a call: every function may then write the globals through it)",
        """
        X = 1
        SPACES = {}


        def register(ns):
            SPACES["main"] = ns


        register(globals())


        def bump(value):
            SPACES["main"]["X"] = value


        def total():
            t = 0
            for i in (5, 7):
                bump(i)
                t += X
            return t
        """,
        "total()",
        reason=r"not `X`: bump rebinds `X` \(may write them through globals\(\) handed on at line 9\)", covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-global-rebound-through-globals-kept-as-a-class-attribute", T, "a class body keeps globals() "
        "as a class attribute; a function stores into it through the class (a handle no module global holds)",
        """
        X = 1


        class Space:
            ns = globals()


        def bump(value):
            Space.ns["X"] = value


        def total():
            t = 0
            for i in (5, 7):
                bump(i)
                t += X
            return t
        """,
        "total()",
        reason=r"not `X`: bump rebinds `X` \(may write them through globals\(\) handed on at line 5\)", covers=GLOBALS,
        site="total",
    ),
    refuse(
        "local-alias-global-rebound-by-reduce-callback", T, "functools.reduce calls a module function that "
        "rebinds the global with setattr(module, ...)",
        """
        import functools
        import sys

        LIMIT = 1


        def widen(a, b):
            setattr(sys.modules[__name__], "LIMIT", 100)
            return a + b


        def clipped(rows):
            out = 0
            for row in rows:
                out += min(functools.reduce(widen, row), LIMIT)
            return out
        """,
        "clipped([[1, 2], [3, 4]])",
        reason=r"LIMIT|widen|calls back|unknown code|rebind", covers=GLOBALS, site="clipped",
    ),
    refuse(
        "local-alias-global-rebound-by-generator", T, "next() resumes a module generator that rebinds the global",
        """
        LEVEL = 0


        def ticks():
            k = 0
            while True:
                k += 1
                globals()["LEVEL"] = k
                yield k


        def levels(n):
            g = ticks()
            out = []
            for _ in range(n):
                next(g)
                out.append(LEVEL)
            return out
        """,
        "levels(3)",
        reason=r"LEVEL|next|generator|unknown code|rebind", covers=GLOBALS, site="levels",
    ),
    refuse(
        "local-alias-builtin-shadowed-by-setattr-module", T, "a callee creates a module global `len` with "
        "setattr(module, ...): the loop's len changes meaning",
        """
        import sys


        def patch():
            setattr(sys.modules[__name__], "len", lambda x: 0)


        def sizes(words):
            n = 0
            for w in words:
                n += len(w)
                patch()
            return n
        """,
        "sizes(['ab', 'cde'])",
        reason=r"len|setattr|patch|unknown code|rebind", covers=BUILTINS, site="sizes",
    ),
    refuse(
        "local-alias-builtin-shadowed-while-generator-paused", T, "a generator's loop is paused at yield while "
        "the module shadows `len` with setattr(module, ...)",
        """
        import sys


        def sizes(words):
            for w in words:
                yield len(w)


        def run():
            gen = sizes(["ab", "cde"])
            first = next(gen)
            setattr(sys.modules[__name__], "len", lambda x: -1)
            return [first, next(gen)]
        """,
        "run()",
        reason=r"pause|yield|len|setattr", covers=(SHAPE, BUILTINS), site="sizes",
    ),
    refuse(
        "local-alias-builtin-module-imports-builtins", T, "the module patches builtins.len itself",
        """
        import builtins


        def sizes(words):
            n = 0
            for w in words:
                n += len(w)
            return n


        def patch():
            builtins.len = lambda x: 0
        """,
        "sizes(['ab'])",
        reason=r"imports `builtins`", covers=BUILTINS, site="sizes",
    ),
    refuse(
        "local-alias-builtin-patched-through-dunder-builtins", T, "a callee patches abs through __builtins__ "
        "(the builtins dict of an imported module)",
        """
        def patch():
            __builtins__["abs"] = lambda x: 0


        def total(xs):
            n = 0
            for x in xs:
                n += abs(x)
                patch()
            return n
        """,
        "total([-1, -2, -3])",
        reason=r"uses `__builtins__`", covers=BUILTINS, site="total",
    ),
    apply(
        "local-alias-builtin-globals-use", T, "the module writes globals() somewhere, but not in code the loop "
        "runs: nothing can shadow len while the loop runs (engine-b: was a must-refuse case; the rewrite is sound; "
        "the loop steps a list of strs built here, as a caller's iterator could call install)",
        """
        def sizes(data):
            words = [f"{x}." for x in data]
            n = 0
            for w in words:
                n += len(w)
            return n


        def install(name, value):
            globals()[name] = value
        """,
        "sizes(['ab'])", probes="install('len', lambda w: 0) or sizes(['ab'])", covers=BUILTINS, site="sizes",
    ),
    refuse(
        "local-alias-global-bound-later", T, "a global bound after a top-level call of the function",
        """
        def table(n):
            total = 0
            for k in range(n):
                total += k * FACTOR
            return total


        try:
            FIRST = table(1)
        except NameError:
            FIRST = None
        FACTOR = 3
        """,
        "table(2)",
        reason=r"FACTOR.*(bound later|conditionally)", covers=GLOBALS, site="table",
    ),
    refuse(
        "local-alias-global-loop-calls-impure", T, "the loop calls a module function that rebinds the global",
        """
        RATE = 1


        def raise_rate():
            global RATE
            RATE += 1


        def charges(n):
            out = 0
            for _ in range(n):
                out += RATE
                raise_rate()
            return out
        """,
        "charges(3)",
        reason=r"raise_rate rebinds `RATE`", covers=GLOBALS, site="charges",
    ),
    refuse(
        "local-alias-method-on-list-subclass", T, "a list[int] argument whose append switches itself per instance",
        """
        def record(items: list[int], log: list[int]) -> list[int]:
            for x in items:
                log.append(x)
            return log
        """,
        "record([1, 2, 3, 4], capped)", probes=("list(capped)", "capped.overflow"),
        setup="""
        class Capped(list):
            def __init__(self):
                self.overflow = []
            def append(self, x):
                if list.__len__(self) >= 2:
                    self.append = self.overflow.append
                list.append(self, x)
        capped = Capped()
        """,
        reason=r"not provably|exact|subclass", covers=METHODS,
    ),
    refuse(
        "local-alias-method-receiver-none-empty-loop", T, "suffix: str is None and the loop runs zero times: the "
        "alias fails before the loop",
        """
        def tagged(words: list[str], suffix: str) -> list[str]:
            out = []
            for w in words:
                out.append(w + suffix.upper())
            return out
        """,
        "tagged([], None)", probes="tagged(['a'], 'b')",
        reason=r"suffix|not provably|exact|may be None", covers=METHODS,
    ),
    refuse(
        "local-alias-method-receiver-rebound-in-loop", T, "the receiver is swapped inside the loop",
        """
        def split(items: list[int]):
            left: list[int] = []
            right: list[int] = []
            side = left
            for x in items:
                side.append(x)
                side = right if side is left else left
            return left, right
        """,
        "split([1, 2, 3])",
        reason=r"`side` is rebound in the loop", covers=BOUND,
    ),
    refuse(
        "local-alias-method-receiver-maybe-unbound", T, "the receiver is bound only on one path before the loop",
        """
        def fill(items: list[int], fresh: bool):
            if fresh:
                out: list[int] = []
            for x in items:
                out.append(x)
            return out
        """,
        "fill([1], True)", probes="fill([], False)",
        reason=r"`out` may be unbound when the loop starts", covers=BOUND,
    ),
    refuse(
        "local-alias-method-receiver-rebound-by-closure", T, "a nested function rebinds the receiver with nonlocal",
        """
        def fill(items: list[int]):
            out: list[int] = []
            spare: list[int] = []

            def swap():
                nonlocal out
                out = spare
            for x in items:
                out.append(x)
                if x == 2:
                    swap()
            return out, spare
        """,
        "fill([1, 2, 3])",
        reason=r"`out` is rebound by a nested function|nonlocal", covers=BOUND, site="fill#",
    ),
    refuse(
        "local-alias-reads-locals", T, "the function lists its locals: the aliases would appear",
        """
        def names(words: list[str]):
            n = 0
            for w in words:
                n += len(w)
            return n, sorted(locals())
        """,
        "names(['a'])",
        reason=r"reads its local variables", covers=FRAME,
    ),
    refuse(
        "local-alias-uses-eval", T, "eval can read any local by name",
        """
        def names(words: list[str]):
            n = 0
            for w in words:
                n += len(w)
            return eval("n")
        """,
        "names(['ab'])",
        reason=r"reads its local variables", covers=FRAME,
    ),
    refuse(
        "local-alias-star-import", T, "a star import may bring a name that shadows a builtin",
        """
        from os.path import *


        def sizes(words):
            n = 0
            for w in words:
                n += len(w)
            return n
        """,
        "sizes(['ab'])",
        reason=r"import \*", covers=SHAPE,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "local-alias-builtins-and-method", T, "len, str and the append of a list built here", """
        def lengths(words: list[str]) -> list[str]:
            out = []
            for w in words:
                out.append(str(len(w)))
            return out
        """,
        "lengths(['a', 'bb'])", probes="lengths([])", covers=METHODS,
    ),
    apply(
        "local-alias-pure-module-function", T, "a global function proven pure, bound once before the call", """
        def square(x: int) -> int:
            return x * x


        def squares(n: int) -> list[int]:
            out = []
            for k in range(n):
                out.append(square(k))
            return out
        """,
        "squares(4)", covers=GLOBALS,
    ),
    apply(
        "local-alias-while-test", T, "a while loop's test reads len on every pass", """
        def halves(xs: list[int]) -> int:
            steps = 0
            while len(xs) > 1:
                xs = xs[: len(xs) // 2]
                steps += 1
            return steps
        """,
        "halves(list(range(10)))", covers=SHAPE,
    ),
    apply(
        "local-alias-print-in-loop", T, "print is a builtin the module never binds: output unchanged", """
        def show(words: list[str]) -> None:
            for w in words:
                print(w.upper())
        """,
        "show(['a', 'b'])", covers=BUILTINS,
    ),
    apply(
        "local-alias-global-constant", T, "a module constant bound once, read by a loop calling only builtins", """
        OFFSET = 7


        def shifted(xs: list[int]) -> list[int]:
            out = []
            for x in xs:
                out.append(abs(x) + OFFSET)
            return out
        """,
        "shifted([-1, 2])", covers=GLOBALS,
    ),
    refuse(
        "local-alias-global-rebound-by-property", T, "reading a property runs its getter, which rebinds the "
        "global the loop reads",
        """
        import sys

        SCALE = 1


        class Meter:
            @property
            def reading(self):
                setattr(sys.modules[__name__], "SCALE", 10)
                return 1


        def total(m, n):
            t = 0
            for _ in range(n):
                t += m.reading * SCALE
            return t
        """,
        "total(Meter(), 3)",
        reason=r"SCALE|property|attribute|unknown code", covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-global-rebound-by-sort-key", T, "list.sort(key=f) calls a module function that rebinds "
        "the global",
        """
        import sys

        STEP = 1


        def key(x):
            setattr(sys.modules[__name__], "STEP", 5)
            return x


        def walk(rows: list[list[int]]) -> int:
            out = 0
            for row in rows:
                row.sort(key=key)
                out += row[0] * STEP
            return out
        """,
        "walk([[2, 1], [3]])",
        reason=r"STEP|calls back `key`|unknown code|rebound", covers=GLOBALS, site="walk",
    ),
    # --- engine-b: rebinding through code the loop runs without naming it -----------------------------
    refuse(
        "local-alias-global-rebound-by-callback-held-in-a-local", T, "re.sub's callback is a local holding a "
        "module function that rebinds the global",
        """
        import re

        SCALE = 1


        def bump(match):
            global SCALE
            SCALE += 1
            return match.group(0)


        def total(words):
            cb = bump
            t = 0
            for w in words:
                re.sub("x", cb, w)
                t += SCALE
            return t
        """,
        "total(['x', 'x', 'y'])",
        reason=r"the callback `cb`", covers=GLOBALS, site="total",
    ),
    refuse(
        "local-alias-global-rebound-by-module-lambda", T, "a lambda kept in a module dict rebinds the global "
        "through globals()",
        """
        LIMIT = 1
        HOOKS = {"widen": lambda: globals().__setitem__("LIMIT", LIMIT * 10)}


        def clipped(xs):
            out = []
            for x in xs:
                out.append(min(x, LIMIT))
                HOOKS["widen"]()
            return out
        """,
        "clipped([5, 50, 500])",
        reason=r"the lambda at line 2 rebinds `LIMIT`", covers=GLOBALS, site="clipped",
    ),
    refuse(
        "local-alias-global-rebound-by-operator-method", T, "`acc + m` runs a method of the module's class that "
        "rebinds the global",
        """
        STEP = 1


        class Meter:
            def __radd__(self, other):
                global STEP
                STEP += 1
                return other


        def walk(n, m):
            acc = 0
            seen = 0
            for _ in range(n):
                acc = acc + m
                seen += STEP
            return seen
        """,
        "walk(3, Meter())",
        reason=r"Meter.__radd__ rebinds `STEP`", covers=GLOBALS, site="walk",
    ),
    refuse(
        "local-alias-builtin-shadowed-by-generator-a-callee-resumes", T, "the loop calls a helper that resumes "
        "a module generator, which shadows `len` through globals()",
        """
        def shadows():
            while True:
                globals()["len"] = lambda x: -1
                yield


        GEN = shadows()


        def step():
            next(GEN)


        def sizes(words):
            total = 0
            for w in words:
                total += len(w)
                step()
            return total
        """,
        "sizes(['ab', 'cde'])",
        reason=r"shadows rebinds `len`.*could call it", covers=BUILTINS, site="sizes",
    ),
    refuse(
        "local-alias-global-rebound-by-the-function-itself", T, "the function declares the global and rebinds it "
        "in the loop",
        """
        COUNT = 0


        def tally(xs):
            global COUNT
            out = []
            for x in xs:
                COUNT += x
                out.append(abs(COUNT))
            return out
        """,
        "tally([1, 2, 3])",
        reason=r"tally itself rebinds `COUNT`", covers=GLOBALS, site="tally",
    ),
    refuse(
        "local-alias-global-rebound-through-sys-modules-attribute", T, "a callee stores into the module object "
        "it takes from sys.modules (no globals(), no setattr)",
        """
        import sys

        RATE = 1


        def raise_rate():
            sys.modules[__name__].RATE += 1


        def charges(n):
            out = 0
            for _ in range(n):
                out += RATE
                raise_rate()
            return out
        """,
        "charges(3)",
        reason=r"raise_rate rebinds `RATE` \(through `sys.modules`\)", covers=GLOBALS, site="charges",
    ),
    refuse(
        "local-alias-builtin-shadowed-through-a-functions-globals", T, "a callee shadows `abs` through a "
        "function's __globals__",
        """
        def patch():
            patch.__globals__["abs"] = lambda v: 0


        def total(xs):
            n = 0
            for x in xs:
                n += abs(x)
                patch()
            return n
        """,
        "total([-1, -2, -3])",
        reason=r"patch rebinds `abs` \(through `.__globals__`\)", covers=BUILTINS, site="total",
    ),
)
