"""memoize-helper: a recursion cached on its hashable arguments, for one call."""

from __future__ import annotations

from ..case import apply, refuse

T = "memoize-helper"
SHAPE = "only plain positional-or-keyword"
PASSED = "passes each unhashable parameter as itself"
KEYS = "at least one of them"
DATA = "builtin data with element types"
PURE = "as for memoize"

COIN_CHANGE = """
def ways(n: int, coins: list[int]) -> int:
    if n == 0:
        return 1
    if n < 0 or not coins:
        return 0
    return ways(n - coins[0], coins) + ways(n, coins[1:])
"""

CASES = (
    refuse(
        "memoize-helper-coin-change-slices-coins", T, "the recursion passes coins[1:]: keyed on n alone the "
        "cache would mix sub-problems", COIN_CHANGE,
        "ways(10, [1, 2, 5])", probes="ways(7, [3, 2])",
        reason=r"passes `coins\[1:\]` as `coins`", covers=PASSED,
    ),
    refuse(
        "memoize-helper-passes-a-copy", T, "list(coins) is equal but not the same object: a caller mutating "
        "it later is not the point, the identity is",
        """
        def ways(n: int, coins: list[int]) -> int:
            if n <= 0:
                return int(n == 0)
            return sum(ways(n - c, list(coins)) for c in coins)
        """,
        "ways(6, [1, 2])",
        reason=r"passes `list\(coins\)` as `coins`", covers=PASSED,
    ),
    refuse(
        "memoize-helper-swaps-fixed-params", T, "two fixed parameters passed in each other's place",
        """
        def walk(n: int, left: list[int], right: list[int]) -> int:
            if n == 0:
                return left[0] * 10 + right[0]
            return walk(n - 1, right, left)
        """,
        "walk(3, [1], [2])", probes="walk(4, [1], [2])",
        reason=r"passes `right` as `left`|passes `left` as `right`", covers=PASSED,
    ),
    refuse(
        "memoize-helper-default-left-out", T, "a recursive call that leaves the fixed parameter to its default",
        """
        def depth(n: int, table: tuple[int, ...] | list[int] = (1, 2)) -> int:
            if n <= 0:
                return len(table)
            return depth(n - 1)
        """,
        "depth(3, [7, 8, 9])",
        reason=r"leaves `table` to its default", covers=PASSED,
    ),
    refuse(
        "memoize-helper-star-args", T, "a *rest parameter cannot be split into key and fixed parts",
        """
        def total(n: int, weights: list[int], *rest: int) -> int:
            if n == 0:
                return sum(rest)
            return total(n - 1, weights, *rest) + weights[0]
        """,
        "total(3, [2], 1)",
        reason=r"positional-only, keyword-only or star", covers=SHAPE,
    ),
    refuse(
        "memoize-helper-keyword-only-fixed", T, "a keyword-only fixed parameter",
        """
        def steps(n: int, *, moves: list[int]) -> int:
            if n <= 0:
                return int(n == 0)
            return sum(steps(n - m, moves=moves) for m in moves)
        """,
        "steps(5, moves=[1, 2])",
        reason=r"positional-only, keyword-only or star", covers=SHAPE,
    ),
    refuse(
        "memoize-helper-no-hashable-key", T, "every parameter is unhashable: nothing to key the cache on",
        """
        def flat(rows: list[list[int]], seen: dict[int, int]) -> int:
            if not rows:
                return 0
            return len(rows[-1]) + flat(rows[:-1], seen)
        """,
        "flat([[1], [2, 3]], {})",
        reason=r"no parameter is annotated with an immutable hashable type", covers=KEYS,
    ),
    refuse(
        "memoize-helper-list-key-annotation", T, "the 'key' parameter is a list: only the other one is hashable "
        "and it is not passed unchanged",
        """
        def pick(path: list[int], n: int) -> int:
            if n == 0:
                return len(path)
            return pick(path + [n], n - 1)
        """,
        "pick([], 3)",
        reason=r"passes `path \+ \[n\]` as `path`", covers=PASSED,
    ),
    refuse(
        "memoize-helper-float-key", T, "a float key: 0.0 and -0.0 would share a cache entry",
        """
        import math


        def spread(x: float, table: list[float]) -> str:
            if x > 3:
                return str(x)
            return spread(x + table[0], table) + repr(math.copysign(1.0, x))
        """,
        "spread(-0.0, [2.0])",
        reason=r"0\.0 and -0\.0", covers=KEYS,
    ),
    apply(
        "memoize-helper-bare-list-annotation", T, "a bare `list` may hold objects whose __eq__ does anything: the "
        "cache runs only when a run-time check finds exact ints, else the original recursion",
        """
        def count(n: int, items: list) -> int:
            if n <= 0:
                return 0
            return count(n - 1, items) + count(n - 2, items) + items.count(n)
        """,
        "count(8, [1, 2, 3, 3])", probes=("count(8, box)", "Noisy.calls", "count(5, [True, 1])", "count(5, (1, 2))"),
        setup="""
        class Noisy:
            calls = 0
            def __eq__(self, other):
                Noisy.calls += 1
                print("eq", other)
                return other == 3
        box = [Noisy(), 2]
        """,
        covers=DATA,
    ),
    refuse(
        "memoize-helper-setdefault-on-fixed", T, "dict.setdefault stores into the 'read-only' table",
        """
        def fill(n: int, table: dict[int, int]) -> int:
            if n == 0:
                return len(table)
            table.setdefault(n, n)
            return fill(n - 1, table)
        """,
        "fill(3, box)", setup="box = {}", probes=("fill(3, box)", "box"),
        reason=r"`table`.*(setdefault|could change|is used)", covers=DATA,
    ),
    refuse(
        "memoize-helper-fixed-passed-to-heappush", T, "heapq.heappush mutates the fixed list",
        """
        import heapq


        def drain(n: int, heap: list[int]) -> int:
            if n == 0:
                return heap[0]
            heapq.heappush(heap, n)
            return drain(n - 1, heap)
        """,
        "drain(3, box)", setup="box = [9]", probes="box",
        reason=r"`heap`.*heappush", covers=DATA,
    ),
    refuse(
        "memoize-helper-fixed-captured-by-lambda", T, "a lambda capturing the fixed list could be kept and run "
        "later",
        """
        def score(n: int, weights: list[int]) -> int:
            if n == 0:
                return 0
            pick = lambda k: weights[k % len(weights)]
            return pick(n) + score(n - 1, weights)
        """,
        "score(4, [1, 2, 3])",
        reason=r"`weights`.*captured", covers=DATA,
    ),
    apply(
        "memoize-helper-list-subclass-counting-reads", T, "a list subclass argument counts its reads: only an "
        "exact list of exact ints is cached (tested on entry)",
        """
        def ways(n: int, coins: list[int]) -> int:
            if n == 0:
                return 1
            total = 0
            for c in coins:
                if c <= n:
                    total += ways(n - c, coins)
            return total
        """,
        "ways(8, box)", probes=("box.reads", "ways(8, [1, 2, 3])", "ways(5, box)", "box.reads", "ways(4, [1, True])"),
        setup="""
        class Counting(list):
            reads = 0
            def __iter__(self):
                self.reads += 1
                return list.__iter__(self)
        box = Counting([1, 2, 3])
        """,
        covers=DATA,
    ),
    refuse(
        "memoize-helper-prints", T, "the recursion prints: cached sub-calls would not",
        """
        def trace(n: int, seen: list[int]) -> int:
            print(n)
            if n <= 1:
                return n
            return trace(n - 1, seen) + trace(n - 2, seen)
        """,
        "trace(5, [])",
        reason=r"prints", covers=PURE,
    ),
    refuse(
        "memoize-helper-returns-fresh-list", T, "a list result returned from the cache is shared",
        """
        def chain(n: int, links: dict[int, int]):
            if n not in links:
                return [n]
            return chain(links[n], links) + [n]
        """,
        "chain(3, {3: 2, 2: 1})",
        reason=r"return value .* not provably immutable", covers=PURE,
    ),
    refuse(
        "memoize-helper-recursion-depth-halved", T, "the cached helper adds a C frame per level: RecursionError "
        "at half the depth",
        """
        def down(n: int, step: list[int]) -> int:
            if n <= 0:
                return 0
            return 1 + down(n - step[0], step)
        """,
        "down(300, [1])", setup="import sys\nsys.setrecursionlimit(450)",
        reason=r"recurs", covers=(),
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "memoize-helper-coin-change-by-iteration", T, "the classic count over a fixed list of coins",
        """
        def ways(n: int, coins: list[int]) -> int:
            if n == 0:
                return 1
            if n < 0:
                return 0
            return sum(ways(n - c, coins) for c in coins)
        """,
        "ways(12, [1, 2, 5])", probes=("ways(0, [])", "ways(True, [1])", "ways(3, [])"), covers=PASSED,
    ),
    apply(
        "memoize-helper-graph-paths", T, "paths in a dict of lists, read with .get",
        """
        def paths(node: str, graph: dict[str, list[str]]) -> int:
            if node == "end":
                return 1
            return sum(paths(nxt, graph) for nxt in graph.get(node, []))
        """,
        "paths('a', g)", setup="g = {'a': ['b', 'c'], 'b': ['c', 'end'], 'c': ['end']}",
        probes=("paths('z', g)", "g"), covers=DATA,
    ),
    apply(
        "memoize-helper-copy-then-append", T, "a list(coins) copy that is then appended to is not the parameter",
        """
        def ways(n: int, coins: list[int]) -> int:
            if n == 0:
                return 1
            options = list(coins)
            options.append(n + 1)
            return sum(ways(n - c, coins) for c in options if c <= n)
        """,
        "ways(10, [1, 3])", probes="ways(4, [2])", covers=DATA,
    ),
    refuse(
        "memoize-helper-defaultdict-as-dict", T, "a defaultdict passed as dict[str, list[str]]: reading a "
        "missing node inserts it, so len(graph) changes under the cache",
        """
        def reach(node: str, graph: dict[str, list[str]]) -> int:
            total = len(graph)
            for nxt in graph[node]:
                total += reach(nxt, graph)
            return total
        """,
        "reach('a', g)", probes="sorted(g)",
        setup="""
        import collections
        g = collections.defaultdict(list, {"a": ["b", "c"], "b": ["d"], "c": ["d"]})
        """,
        reason=r"defaultdict|subclass|exact|missing|__missing__", covers=DATA,
    ),
    refuse(
        "memoize-helper-parameter-named-functools", T, "a parameter named `functools`: the helper's decorator "
        "inside the function would read it",
        """
        def ways(n: int, coins: list[int], functools: str = "x") -> int:
            if n <= 0:
                return int(n == 0)
            return sum(ways(n - c, coins, functools) for c in coins)
        """,
        "ways(5, [1, 2])",
        reason=r"`functools` is a local name", covers=SHAPE,
    ),
    # --- fixed parameters without element types: a run-time guard --------------------------------------
    apply(
        "memoize-helper-knapsack-unannotated-lists", T, "the issue's shape: weights and values passed down "
        "unchanged with no annotation; the cache keyed on (cap, i) runs when both are lists of exact ints",
        """
        def best(weights, values, n: int, cap: int, i: int = 0) -> int:
            if i == n or cap == 0:
                return 0
            if weights[i] > cap:
                return best(weights, values, n, cap, i + 1)
            take = values[i] + best(weights, values, n, cap - weights[i], i + 1)
            return max(take, best(weights, values, n, cap, i + 1))
        """,
        "best([3, 4, 5, 9, 4, 2, 7, 1], [3, 4, 4, 10, 4, 1, 8, 2], 8, 20)",
        probes=("best([3, 4], [1.5, 2.25], 2, 7)", "best((3, 4), (1, 2), 2, 7)", "best([True, 2], [5, 6], 2, 3)",
                "best([2, 'x'], [1, 2], 2, 3)", "best([], [], 0, 5)"),
        covers=DATA,
    ),
    apply(
        "memoize-helper-unannotated-list-subclass-counting-reads", T, "a list subclass counting its reads, "
        "unannotated: the exact-type guard sends it to the uncached recursion",
        """
        def ways(n: int, coins) -> int:
            if n == 0:
                return 1
            total = 0
            for c in coins:
                if c <= n:
                    total += ways(n - c, coins)
            return total
        """,
        "ways(8, box)", probes=("box.reads", "ways(8, [1, 2, 3])"),
        setup="""
        class Counting(list):
            reads = 0
            def __iter__(self):
                self.reads += 1
                return list.__iter__(self)
        box = Counting([1, 2, 3])
        """,
        covers=DATA,
    ),
    apply(
        "memoize-helper-unannotated-defaultdict-graph", T, "a defaultdict read with [] inserts missing nodes: not "
        "an exact dict, so the original recursion runs", """
        def reach(node: str, graph) -> int:
            total = len(graph)
            for nxt in graph.get(node, []):
                total += reach(nxt, graph) + reach(nxt, graph)
            return total
        """,
        "reach('a', g)", probes=("sorted(g)", "reach('a', {'a': ['b', 'c'], 'b': ['d'], 'c': ['d']})"),
        setup="""
        import collections
        g = collections.defaultdict(list, {"a": ["b", "c"], "b": ["d"], "c": ["d"]})
        """,
        covers=DATA,
    ),
    refuse(
        "memoize-helper-unannotated-fixed-appended", T, "no annotation, and the body appends to the list: no "
        "element type makes that read-only",
        """
        def walk(n: int, trail) -> int:
            if n <= 0:
                return len(trail)
            trail.append(n)
            return walk(n - 1, trail) + walk(n - 2, trail)
        """,
        "walk(5, box)", setup="box = []", probes="box",
        reason=r"trail\.append changes `trail`", covers=DATA,
    ),
    refuse(
        "memoize-helper-unannotated-fixed-passed-on", T, "no annotation, handed to a callback that may keep or "
        "change it",
        """
        def walk(n: int, table, visit) -> int:
            if n <= 0:
                return 0
            visit(table)
            return walk(n - 1, table, visit) + walk(n - 2, table, visit)
        """,
        "walk(4, box, lambda t: t.append(1))", setup="box = []", probes="box",
        reason=r"calls .*visit|unknown function", covers=DATA,
    ),
    refuse(
        "memoize-helper-guard-builtin-shadowed", T, "the module rebinds `all`: the run-time guard would call it",
        """
        def all(items):
            return True


        def ways(n: int, coins: list) -> int:
            if n <= 0:
                return int(n == 0)
            return sum(ways(n - c, coins) for c in coins if c <= n)
        """,
        "ways(6, [1, 2])", probes="ways(4, [1.5, 1])",
        reason=r"`all` is not the builtin", covers=DATA,
    ),
)
