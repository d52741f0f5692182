"""Program shapes for the generated corpus: one function per shape, each drawing its parameters
from a seeded RNG so that the transforms' real payoff differs between variants.

A shape returns a ``Block``: module code (functions named with the block's index ``k``), one
workload expression that takes about ``budget_ms`` to run, and small test calls. The costs are
rough per-operation estimates for CPython 3.11 on the recording machine (``COST_NS``), good to a
factor of about two: enough to keep every workload in the 10-30 ms range.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

COST_NS = {
    "loop": 45.0,  # one pass of a small arithmetic loop
    "call": 110.0,  # one Python function call with a couple of arguments
    "recursive_call": 45.0,  # one call of a small recursive function
    "mod_loop": 75.0,  # one pass of ``total += (i * n + m) % k``
    "sleep_overhead": 70_000.0,  # what time.sleep adds beyond the requested delay
    "member": 15.0,  # comparing against one list element in ``x in [...]``
    "copy": 1.2,  # copying one list element
    "regex": 700.0,  # one re.match through the module-level cache
    "sort_item": 100.0,  # sorting one small int (n log n folded in for the sizes used)
}


@dataclass(frozen=True)
class Block:
    shape: str
    code: str  # module-level functions
    call: str  # one workload expression
    tests: tuple[str, ...]  # expressions to evaluate at generation time and pin in the test file
    imports: tuple[str, ...] = ()
    data: str | None = None  # an input built once, at the workload's import, as DATA_<k>
    params: tuple[tuple[str, object], ...] = ()


def _words(rng: np.random.Generator, count: int, vocabulary: int) -> list[str]:
    return [f"w{int(rng.integers(vocabulary))}" for _ in range(count)]


def memo_pure(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """A pure helper called in a loop; the pool of distinct arguments decides what a cache gives."""
    work = int(rng.choice([10, 40, 120, 400]))
    calls = max(4, int(budget_ms * 1e6 / (work * COST_NS["mod_loop"] + COST_NS["call"])))
    pool = max(1, int(calls * float(rng.choice([0.002, 0.02, 0.2, 0.6, 1.0]))))
    mod = int(rng.integers(7, 97))
    code = f'''
def weight_{k}(n: int, m: int) -> int:
    total = 0
    for i in range({work}):
        total += (i * n + m) % {mod}
    return total


def weights_{k}(count: int, pool: int) -> int:
    out = 0
    for j in range(count):
        out += weight_{k}(j % pool, {mod // 2})
    return out
'''
    return Block("memo_pure", code, f"weights_{k}({calls}, {pool})", (f"weights_{k}(9, 4)", f"weight_{k}(3, 5)"),
                 params=(("work", work), ("calls", calls), ("pool", pool)))


def memo_recursive(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """Tree recursion (sub-problems repeat: a cache pays enormously) or a chain (nothing repeats
    within one call)."""
    if rng.random() < 0.5:
        calls = budget_ms * 1e6 / COST_NS["recursive_call"]
        r, c = min(((r, c) for r in range(1, 15) for c in range(r, 15)),
                   key=lambda rc: abs(math.log(2 * math.comb(rc[0] + rc[1], rc[0]) / calls)))
        code = f'''
def paths_{k}(r: int, c: int) -> int:
    if r == 0 or c == 0:
        return 1
    return paths_{k}(r - 1, c) + paths_{k}(r, c - 1)
'''
        return Block("memo_tree", code, f"paths_{k}({r}, {c})", (f"paths_{k}(3, 4)",), params=(("r", r), ("c", c)))
    count = max(10, int(budget_ms * 1e6 / (12 * COST_NS["call"])))
    start = int(rng.integers(10**6, 10**9))
    code = f'''
def digits_{k}(n: int) -> int:
    if n < 10:
        return n
    return n % 10 + digits_{k}(n // 10)


def digit_total_{k}(count: int) -> int:
    total = 0
    for n in range({start}, {start} + count):
        total += digits_{k}(n * 7919)
    return total
'''
    return Block("memo_chain", code, f"digit_total_{k}({count})", (f"digit_total_{k}(5)", f"digits_{k}(98765)"),
                 params=(("count", count),))


def io_loop(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """Blocking calls one after the other: long sleeps make a thread pool pay, none make it cost."""
    delay = float(rng.choice([0.0, 0.00002, 0.0003, 0.001, 0.003]))
    if budget_ms * 1e6 < 2 * (delay * 1e9 + COST_NS["sleep_overhead"]):
        delay = 0.0  # a cold block: one or two calls that cannot wait long
    count = max(1, min(400, int(budget_ms * 1e6 / (delay * 1e9 + COST_NS["sleep_overhead"]))))
    code = f'''
def fetch_{k}(key: str) -> str:
    time.sleep({delay!r})
    return key.upper() + "-{k}"


def fetch_all_{k}(keys: list[str]) -> list[str]:
    out = []
    for key in keys:
        out.append(fetch_{k}(key))
    return out
'''
    keys = f'[f"item{{i}}" for i in range({count})]'
    return Block("io_loop", code, f"fetch_all_{k}(DATA_{k})", (f'fetch_all_{k}(["a", "b", "c"])',),
                 imports=("time",), data=keys, params=(("delay", delay), ("count", count)))


def membership(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """``x in [constants]`` in a loop: the longer the list, the more a set saves."""
    size = int(rng.choice([3, 8, 30, 120]))
    constants = ", ".join(f'"w{3 * i}"' for i in range(size))
    per_word = size * COST_NS["member"] * 0.75 + COST_NS["loop"]
    count = max(10, int(budget_ms * 1e6 / per_word))
    vocabulary = 6 * size
    code = f'''
def count_known_{k}(words: list[str]) -> int:
    hits = 0
    for w in words:
        if w in [{constants}]:
            hits += 1
    return hits
'''
    words = f'[f"w{{(i * 7) % {vocabulary}}}" for i in range({count})]'
    return Block("membership", code, f"count_known_{k}(DATA_{k})", (f'count_known_{k}(["w0", "w1", "w3", "zz"])',),
                 data=words, params=(("size", size), ("count", count)))


def hoist(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """A while loop re-evaluating ``len(xs)`` and an arithmetic invariant on every pass."""
    count = max(10, int(budget_ms * 1e6 / (3 * COST_NS["loop"])))
    reps = int(rng.choice([1, 4, 16]))
    size = max(2, count // reps)
    code = f'''
def scaled_{k}(xs: list[int], r: int) -> int:
    total = 0
    i = 0
    while i < len(xs):
        total += xs[i] * (2 * r + 1)
        i += 1
    return total


def scaled_many_{k}(reps: int, size: int) -> int:
    xs = list(range(size))
    return sum(scaled_{k}(xs, r) for r in range(reps))
'''
    return Block("hoist", code, f"scaled_many_{k}({reps}, {size})", (f"scaled_many_{k}(2, 5)",),
                 params=(("reps", reps), ("size", size)))


def alias(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """A loop dominated by builtin calls (``len``, ``abs``, ``min``)."""
    count = max(10, int(budget_ms * 1e6 / (5 * COST_NS["loop"])))
    target = int(rng.integers(2, 9))
    code = f'''
def spread_{k}(words: list[str]) -> int:
    total = 0
    for w in words:
        total += abs(len(w) - {target}) + min(len(w), {target})
    return total
'''
    words = f'["x" * (i % 13) for i in range({count})]'
    return Block("alias", code, f"spread_{k}(DATA_{k})", (f'spread_{k}(["ab", "abcdefghij", ""])',),
                 data=words, params=(("count", count),))


def join(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """A string built piece by piece with ``+=``."""
    count = max(10, int(budget_ms * 1e6 / (3 * COST_NS["loop"])))
    sep = str(rng.choice([";", ",", "|"]))
    code = f'''
def render_{k}(values: list[int]) -> str:
    out = ""
    for v in values:
        out += f"{{v}}{sep}"
    return out
'''
    return Block("join", code, f"len(render_{k}(DATA_{k}))", (f"render_{k}([1, 22, 333])",),
                 data=f"list(range({count}))", params=(("count", count),))


def smallest(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """``sorted(xs)[0]`` where ``min`` would do; the list size sets the saving."""
    size = int(rng.choice([4, 30, 300, 3000]))
    reps = max(1, int(budget_ms * 1e6 / (size * COST_NS["sort_item"] + COST_NS["call"] * 6)))
    code = f'''
def smallest_{k}(xs: list[int]) -> int:
    if not xs:
        return 0
    return sorted(xs)[0]


def smallest_sum_{k}(reps: int, size: int) -> int:
    total = 0
    for r in range(reps):
        total += smallest_{k}([(i * 7919 + r) % 10007 for i in range(size)])
    return total
'''
    return Block("smallest", code, f"smallest_sum_{k}({reps}, {size})", (f"smallest_sum_{k}(3, 6)",),
                 params=(("size", size), ("reps", reps)))


def regex(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """``re.match`` with a literal pattern, called per line."""
    count = max(10, int(budget_ms * 1e6 / COST_NS["regex"]))
    code = f'''
def tagged_{k}(lines: list[str]) -> int:
    n = 0
    for line in lines:
        if re.match(r"^[a-z]+\\d{{2}}:", line):
            n += 1
    return n
'''
    lines = f'[("ab" if i % 3 else "Q") + str(10 + i % 90) + ":x" for i in range({count})]'
    return Block("regex", code, f"tagged_{k}(DATA_{k})", (f'tagged_{k}(["ab12:", "A12:", "xy9:"])',),
                 imports=("re",), data=lines, params=(("count", count),))


def append_loop(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """An append loop a comprehension can replace."""
    count = max(10, int(budget_ms * 1e6 / COST_NS["loop"]))
    q = int(rng.integers(2, 6))
    code = f'''
def squares_{k}(xs: list[int]) -> list[int]:
    out = []
    for x in xs:
        if x % {q}:
            out.append(x * x)
    return out
'''
    return Block("append_loop", code, f"sum(squares_{k}(DATA_{k}))", (f"squares_{k}(list(range(7)))",),
                 data=f"list(range({count}))", params=(("count", count),))


def getter(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """Sorting pairs by a lambda key."""
    size = int(rng.choice([20, 200, 2000]))
    reps = max(1, int(budget_ms * 1e6 / (size * (COST_NS["sort_item"] + COST_NS["call"]) * 1.4)))
    code = f'''
def ranked_{k}(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(pairs, key=lambda p: p[1])


def top_{k}(reps: int, size: int) -> int:
    total = 0
    for r in range(reps):
        pairs = [(f"n{{i}}", (i * 7919 + r) % 1009) for i in range(size)]
        total += ranked_{k}(pairs)[0][1]
    return total
'''
    return Block("getter", code, f"top_{k}({reps}, {size})", (f'ranked_{k}([("a", 3), ("b", 1), ("c", 2)])',),
                 params=(("size", size), ("reps", reps)))


def concat(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """``acc = acc + [x]``: quadratic copying, which only shows on long lists."""
    size = int(rng.choice([20, 200, 1500]))
    per_run = size * size / 2 * COST_NS["copy"] + size * COST_NS["loop"] * 2
    reps = max(1, int(budget_ms * 1e6 / per_run))
    code = f'''
def doubled_{k}(xs: list[int]) -> list[int]:
    acc = []
    for x in xs:
        acc = acc + [x * 2]
    return acc


def doubled_many_{k}(reps: int, size: int) -> int:
    return sum(len(doubled_{k}(list(range(r, r + size)))) for r in range(reps))
'''
    return Block("concat", code, f"doubled_many_{k}({reps}, {size})", (f"doubled_{k}([1, 2, 3])",),
                 params=(("size", size), ("reps", reps)))


def items(rng: np.random.Generator, k: int, budget_ms: float) -> Block:
    """Iterating a dict's keys and indexing it again."""
    count = max(10, int(budget_ms * 1e6 / (2 * COST_NS["loop"])))
    factor = int(rng.integers(2, 9))
    code = f'''
def total_{k}(prices: dict[str, int]) -> int:
    total = 0
    for name in prices:
        value = prices[name]
        total += value * {factor}
    return total
'''
    table = f'{{f"p{{i}}": i % 97 for i in range({count})}}'
    return Block("items", code, f"total_{k}(DATA_{k})", (f'total_{k}({{"a": 1, "b": 5}})',),
                 data=table, params=(("count", count),))


SHAPES: dict[str, Callable[[np.random.Generator, int, float], Block]] = {
    "memo_pure": memo_pure, "memo_recursive": memo_recursive, "io_loop": io_loop, "membership": membership,
    "hoist": hoist, "alias": alias, "join": join, "smallest": smallest, "regex": regex,
    "append_loop": append_loop, "getter": getter, "concat": concat, "items": items,
}
