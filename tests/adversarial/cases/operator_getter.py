"""operator-getter: ``key=lambda p: p[1]`` becomes ``key=operator.itemgetter(1)`` (attrgetter for ``p.a``)."""

from __future__ import annotations

from ..case import apply, refuse

T = "operator-getter"
SHAPE = "constants only, one plain parameter"
CALLER = "handed straight to"
PRIVATE = "name-mangled"

CASES = (
    refuse(
        "operator-getter-parameter-named-operator", T, "a parameter named `operator`: operator.itemgetter would "
        "call the argument",
        """
        def rank(rows, operator):
            return sorted(rows, key=lambda r: r[1])
        """,
        "rank([(1, 'b'), (2, 'a')], '+')",
        reason=r"`operator` is a local name", covers=SHAPE,
    ),
    refuse(
        "operator-getter-operator-of-enclosing-function", T, "`operator` is a parameter of the enclosing function: "
        "the nested function's rewrite reads it",
        """
        def ranker(operator):
            def rank(rows):
                return sorted(rows, key=lambda r: r[1])
            return rank
        """,
        "ranker('+')([(1, 'b'), (2, 'a')])",
        reason=r"`operator` is a local name|enclosing|free variable", covers=SHAPE, site="rank",
    ),
    refuse(
        "operator-getter-operator-loop-variable", T, "a loop over operator names binds `operator` in the function",
        """
        def apply_all(rows, ops):
            out = []
            for operator in ops:
                out.append((operator, max(rows, key=lambda r: r[0])))
            return out
        """,
        "apply_all([(1, 2), (3, 4)], ['+'])",
        reason=r"`operator` is a local name", covers=SHAPE,
    ),
    refuse(
        "operator-getter-module-binds-operator", T, "the module's `operator` is a string",
        """
        operator = "+"


        def rank(rows):
            return sorted(rows, key=lambda r: r[1])
        """,
        "rank([(1, 'b'), (2, 'a')])",
        reason=r"binds `operator` to something other", covers=SHAPE,
    ),
    refuse(
        "operator-getter-list-subclass-sort-reads-key-name", T, "rows: list[...] is a subclass whose sort logs "
        "key.__name__: an itemgetter has none",
        """
        def order(rows: list[tuple[int, int]]) -> list[tuple[int, int]]:
            rows.sort(key=lambda r: r[1])
            return rows
        """,
        "order(Audited([(1, 2), (2, 1)]))",
        setup="""
        class Audited(list):
            def sort(self, *, key=None, reverse=False):
                print("sorting by", key.__name__)
                list.sort(self, key=key, reverse=reverse)
        """,
        reason=r"not provably a list|subclass|exact", covers=CALLER,
    ),
    refuse(
        "operator-getter-kept-in-variable", T, "a lambda kept in a variable could be called with a keyword",
        """
        def by_second(rows):
            key = lambda r: r[1]
            return sorted(rows, key=key), key(r=rows[0])
        """,
        "by_second([(1, 'b'), (2, 'a')])",
        reason=r"not passed straight to a function", covers=CALLER,
    ),
    refuse(
        "operator-getter-partial-of-sorted", T, "functools.partial keeps the key where anything can inspect it",
        """
        import functools


        def sorter():
            order = functools.partial(sorted, key=lambda r: r[0])
            return order.keywords["key"].__name__
        """,
        "sorter()",
        reason=r"not known to only call the lambda", covers=CALLER,
    ),
    refuse(
        "operator-getter-module-sorted", T, "the module's own `sorted` calls the key by keyword",
        """
        def sorted(items, key):
            return [key(p=i) for i in items]


        def firsts(rows):
            return sorted(rows, key=lambda p: p[0])
        """,
        "firsts([(1, 2)])",
        reason=r"not known to only call the lambda", covers=CALLER, site="firsts",
    ),
    refuse(
        "operator-getter-map-two-iterables", T, "map over two iterables passes two arguments",
        """
        def pick(rows, more):
            return list(map(lambda p: p[0], rows, more))
        """,
        "pick([(1,)], [(2,)])",
        reason=r"not known to only call the lambda", covers=CALLER,
    ),
    refuse(
        "operator-getter-private-attribute-in-class", T, "p.__secret is mangled inside a class; attrgetter is not",
        """
        class Vault:
            def __init__(self, n):
                self.__secret = n

            def ranked(self, others):
                return sorted(others, key=lambda p: p.__secret)
        """,
        "Vault(0).ranked([Vault(2), Vault(1)]) is not None",
        reason=r"private attribute", covers=PRIVATE,
    ),
    refuse(
        "operator-getter-private-path-tail", T, "a mangled name at the end of a dotted path",
        """
        class Node:
            def __init__(self, n):
                self.meta = self
                self.__rank = n

            def order(self, nodes):
                return min(nodes, key=lambda p: p.meta.__rank)
        """,
        "Node(0).order([Node(2), Node(1)]) is not None",
        reason=r"private attribute", covers=PRIVATE,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "operator-getter-sorted-by-item", T, "sorted by the second item; an IndexError keeps its message", """
        def by_second(rows):
            return sorted(rows, key=lambda r: r[1])
        """,
        "by_second([(1, 'b'), (2, 'a')])", probes="by_second([(1,), (2, 3)])", covers=CALLER,
    ),
    apply(
        "operator-getter-tuple-of-items", T, "a tuple of fetches becomes itemgetter(1, 0)", """
        def ordered(rows):
            return sorted(rows, key=lambda r: (r[1], r[0]))
        """,
        "ordered([(2, 'a'), (1, 'a'), (0, 'b')])", covers=SHAPE,
    ),
    apply(
        "operator-getter-attribute-path-in-map", T, "map over one iterable with a dotted attribute path", """
        class P:
            def __init__(self, name):
                self.name = name


        def upper_names(people):
            return list(map(lambda p: p.name.upper, people))
        """,
        "[f() for f in upper_names([P('a'), P('b')])]", probes="upper_names([object()])", covers=SHAPE,
    ),
    apply(
        "operator-getter-groupby-key", T, "itertools.groupby with a positional key", """
        import itertools


        def runs(rows):
            return [(k, len(list(g))) for k, g in itertools.groupby(rows, lambda r: r[0])]
        """,
        "runs([('a', 1), ('a', 2), ('b', 3)])", covers=CALLER,
    ),
    apply(
        "operator-getter-dict-key-with-default-max", T, "max with a string key and a default", """
        def richest(accounts):
            return max(accounts, key=lambda a: a["balance"], default=None)
        """,
        "richest([{'balance': 3}, {'balance': 5}])", probes=("richest([])", "richest([{}])"), covers=CALLER,
    ),
)
