"""strength-reduction: ``base ** (i + k)`` in a loop counting ``i`` becomes a running product."""

from __future__ import annotations

from ..case import apply, refuse

T = "strength-reduction"
BASE = "the base is an int literal"
INDEX = "the index counts up by one"
FIRST = "the first exponent"
PASSES = "every pass reaches the end"
FRAME = "does not read its own local variables"

CASES = (
    # --- the base: an exact int, read once -----------------------------------------------------------------
    refuse(
        "strength-reduction-float-base", T, "a float base: the running product drifts from the power in the "
        "last bits",
        """
        def growth(n):
            out = []
            for i in range(n):
                out.append(1.1 ** i)
            return out
        """,
        "growth(60)",
        reason=r"not an int literal", covers=BASE,
    ),
    refuse(
        "strength-reduction-int-subclass-base", T, "a base annotated int that is an int subclass with its own "
        "__pow__",
        """
        def powers(base: int, n: int) -> list:
            out = []
            for i in range(n):
                out.append(base ** i)
            return out
        """,
        "powers(Loud(3), 3)",
        setup="""
        class Loud(int):
            def __pow__(self, other):
                return ('pow', int(self), other)
        """,
        reason=r"not proven an exact int", covers=BASE,
    ),
    refuse(
        "strength-reduction-base-rebound", T, "the base is rebound in the loop",
        """
        def mixed(n):
            b = 2
            out = []
            for i in range(n):
                out.append(b ** i)
                b = b + 1
            return out
        """,
        "mixed(4)",
        reason=r"`b` is rebound in the loop", covers=BASE,
    ),
    refuse(
        "strength-reduction-base-maybe-unbound", T, "the base is bound only on one path: with zero passes the "
        "original never reads it",
        """
        def scaled(flag, n):
            if flag:
                b = 10
            out = []
            for i in range(n):
                out.append(b ** i)
            return out
        """,
        "scaled(False, 0)",
        probes=("scaled(True, 3)",),
        reason=r"`b` may be unbound", covers=BASE,
    ),
    # --- the index ----------------------------------------------------------------------------------------
    refuse(
        "strength-reduction-index-rebound", T, "the body moves the index on",
        """
        def skipping(n):
            out = []
            for i in range(n):
                i += 1
                out.append(2 ** i)
            return out
        """,
        "skipping(4)",
        reason=r"`i` is bound in the loop", covers=INDEX,
    ),
    refuse(
        "strength-reduction-index-rebound-by-inner-loop", T, "an inner loop reuses the index name",
        """
        def table(n):
            out = []
            for i in range(n):
                for i in range(2):
                    pass
                out.append(3 ** i)
            return out
        """,
        "table(4)",
        reason=r"`i` is bound in the loop", covers=INDEX,
    ),
    refuse(
        "strength-reduction-range-shadowed", T, "the module defines its own range, counting down",
        """
        def range(n):
            out = []
            while n > 0:
                n -= 1
                out.append(n)
            return out


        def powers(n):
            out = []
            for i in range(n):
                out.append(2 ** i)
            return out
        """,
        "powers(4)",
        site="powers", reason=r"`range` is bound by the module", covers=INDEX,
    ),
    # --- the first exponent -------------------------------------------------------------------------------
    refuse(
        "strength-reduction-negative-start", T, "the range starts below zero: 2 ** -2 is a float, the product "
        "stays a float at 2 ** 0",
        """
        def halves(n):
            out = []
            for i in range(-2, n):
                out.append(2 ** i)
            return out
        """,
        "halves(2)",
        reason=r"first exponent -2", covers=FIRST,
    ),
    refuse(
        "strength-reduction-negative-offset", T, "an offset that makes the first exponent negative",
        """
        def shifted(xs):
            out = []
            for i, x in enumerate(xs):
                out.append(x * 10 ** (i - 1))
            return out
        """,
        "shifted([1, 2, 3])",
        reason=r"first exponent -1", covers=FIRST,
    ),
    # --- every pass reaches the end -----------------------------------------------------------------------
    refuse(
        "strength-reduction-continue", T, "a continue skips the update at the end of the body",
        """
        def odd_powers(n):
            out = []
            for i in range(n):
                if i % 2 == 0:
                    continue
                out.append(2 ** i)
            return out
        """,
        "odd_powers(8)",
        reason=r"`continue`", covers=PASSES,
    ),
    refuse(
        "strength-reduction-lambda", T, "lambdas evaluate the power after the loop moved on",
        """
        def makers(n):
            fs = []
            for i in range(n):
                fs.append(lambda: 2 ** i)
            return [f() for f in fs]
        """,
        "makers(4)",
        reason=r"evaluated later", covers=PASSES,
    ),
    refuse(
        "strength-reduction-generator", T, "a generator expression evaluates the power later",
        """
        def lazy(n):
            gens = []
            for i in range(n):
                gens.append(2 ** i + j for j in range(2))
            return [list(g) for g in gens]
        """,
        "lazy(3)",
        reason=r"evaluated later", covers=PASSES,
    ),
    # --- frames ------------------------------------------------------------------------------------------
    refuse(
        "strength-reduction-locals", T, "the function returns its locals: a new local would show",
        """
        def snapshot(n):
            total = 0
            for i in range(n):
                total += 2 ** i
            return sorted(locals())
        """,
        "snapshot(3)",
        reason=r"reads its local variables", covers=FRAME,
    ),
    refuse(
        "strength-reduction-dir", T, "dir() without arguments lists the locals",
        """
        def snapshot(n):
            total = 0
            for i in range(n):
                total += 3 ** (i + 1)
            return dir()
        """,
        "snapshot(3)",
        reason=r"reads its local variables", covers=FRAME,
    ),
    # --- sound edges: must apply --------------------------------------------------------------------------
    apply(
        "strength-reduction-filesize-units", T, "a base chosen by a flag, a break, the unit read after the loop",
        """
        def naturalsize(value, binary=False):
            suffix = ("k", "M", "G", "T")
            base = 1024 if binary else 1000
            for i, s in enumerate(suffix):
                unit = base ** (i + 2)
                if abs(value) < unit:
                    break
            return "%.1f %s" % (base * value / unit, s)
        """,
        "[naturalsize(v, b) for v in (3000, 10**7, 10**20, -4096) for b in (False, True)]",
    ),
    apply(
        "strength-reduction-offsets-and-starts", T, "range with a start, a negative literal base, 0 ** 0, "
        "an offset written first, a nested loop whose continue belongs to it",
        """
        def sums(n):
            out = []
            for i in range(1, n):
                row = []
                for j in range(3):
                    if j == 1:
                        continue
                    row.append((-3) ** (i - 1) + 0 ** i + (2 + i) * 0 + 5 ** (1 + i))
                out.append(row)
            return out
        """,
        "sums(6)",
        probes=("sums(0)", "sums(1)"),
    ),
    apply(
        "strength-reduction-generator-function", T, "a generator yields the powers; enumerate with a start",
        """
        def gen(xs):
            for i, x in enumerate(xs, 1):
                yield x, 7 ** i
        """,
        "list(gen('abc'))",
        probes=("g = gen('xy'); next(g)",),
    ),
    apply(
        "strength-reduction-enumerate-dropped-or-kept", T, "the index dropped with enumerate when only the power "
        "read it (pairs unpacked, a generator iterable); kept when it is read after the loop or in the body",
        """
        def weights(pairs):
            total = 0
            for i, (a, b) in enumerate(pairs):
                total += (a - b) * 3 ** i
            return total


        def lazy(words):
            out = []
            for i, w in enumerate(w.upper() for w in words):
                out.append(w * 0 + str(2 ** (i + 1)))
            return out


        def last(xs):
            u = None
            for i, x in enumerate(xs):
                u = 5 ** i
            return i, u


        def both(xs):
            return [x for x in xs], _both(xs)


        def _both(xs):
            out = []
            for i, x in enumerate(xs, 3):
                out.append((i, 2 ** i))
            return out
        """,
        "[weights([(3, 1), (5, 2), (0, 4)]), lazy(['a', 'bc']), last('xyz'), both('ab')]",
        probes=("weights([])", "last([])"),
    ),
)
