"""dict-items: ``for k in d: v = d[k]; ...`` becomes ``for k, v in d.items(): ...``."""

from __future__ import annotations

from ..case import apply, refuse

T = "dict-items"
SHAPE = "whose body starts with"
DICT = "d is provably a dict"
SAME = "names the same dict"

CASES = (
    refuse(
        "dict-items-rebound-by-nonlocal-closure", T, "a closure called in the loop rebinds the dict with nonlocal: "
        "d[k] reads the new dict, items() keeps the old one",
        """
        def tally() -> list[int]:
            d = {"a": 1, "b": 2}

            def swap():
                nonlocal d
                d = {"a": 10, "b": 20}

            out = []
            for k in d:
                v = d[k]
                out.append(v)
                swap()
            return out
        """,
        "tally()",
        reason=r"rebound by the nested function", covers=SAME, site="tally",
    ),
    apply(
        "dict-items-subclass-getitem", T, "a dict[str, str] argument whose __getitem__ decrypts: items() skips it, "
        "so the rewrite is guarded (type(d) is dict) and a subclass runs the original loop",
        """
        def dump(secrets: dict[str, str]) -> list[str]:
            out = []
            for name in secrets:
                value = secrets[name]
                out.append(f"{name}={value}")
            return out
        """,
        "dump(Vault(db='cvv'))",
        setup="""
        class Vault(dict):
            def __getitem__(self, key):
                return dict.__getitem__(self, key).upper()
        """,
        probes="dump({'pin': 'x'})", covers=DICT,
    ),
    refuse(
        "dict-items-subclass-getitem-guard-shadowed", T, "the same Vault, but the module rebinds `type`: the "
        "guard `type(d) is dict` would call the module's own function",
        """
        def dump(secrets: dict[str, str]) -> list[str]:
            out = []
            for name in secrets:
                value = secrets[name]
                out.append(f"{name}={value}")
            return out


        def type(value):
            return dict
        """,
        "dump(Vault(db='cvv'))",
        setup="""
        class Vault(dict):
            def __getitem__(self, key):
                return dict.__getitem__(self, key).upper()
        """,
        reason=r"only annotated.*no run-time guard fits", covers=DICT, site="dump",
    ),
    refuse(
        "dict-items-annotated-defaultdict", T, "a DefaultDict[str, int] parameter may be a defaultdict subclass "
        "with its own __getitem__; the guard lets only plain dicts through",
        """
        import typing


        def total(counts: typing.DefaultDict[str, int]) -> int:
            t = 0
            for name in counts:
                n = counts[name]
                t += n
            return t
        """,
        "total(Doubling(int, a=1))",
        setup="""
        import collections
        class Doubling(collections.defaultdict):
            def __getitem__(self, key):
                return 2 * collections.defaultdict.__getitem__(self, key)
        """,
        reason=r"may be a defaultdict", covers=DICT,
    ),
    refuse(
        "dict-items-key-hash-observable", T, "d[k] hashes the key again on every step; items() never does",
        """
        def total(weights: dict[object, int]) -> int:
            t = 0
            for key in weights:
                w = weights[key]
                t += w
            return t
        """,
        "total({Key('a'): 1, Key('b'): 2})", probes="Key.hashes",
        setup="""
        class Key:
            hashes = 0
            def __init__(self, name):
                self.name = name
            def __hash__(self):
                Key.hashes += 1
                return hash(self.name)
        """,
        reason=r"hash|__eq__|key", covers=DICT,
    ),
    refuse(
        "dict-items-key-mutated-after-insert", T, "a key whose hash changed after insertion: d[k] raises KeyError, "
        "items() finds the entry",
        """
        def names(index: dict[object, str]) -> list[str]:
            out = []
            for key in index:
                name = index[key]
                out.append(name)
            return out
        """,
        "names(table)",
        setup="""
        class Slot:
            def __init__(self, n):
                self.n = n
            def __hash__(self):
                return hash(self.n)
            def __eq__(self, other):
                return isinstance(other, Slot) and other.n == self.n
        _slot = Slot(1)
        table = {_slot: "one"}
        _slot.n = 2
        """,
        reason=r"hash|__eq__|key", covers=DICT,
    ),
    refuse(
        "dict-items-global-rebound-through-globals", T, "a callee rebinds the module dict with globals()[...]: "
        "D[k] reads the new dict, items() the old",
        """
        PRICES = {"a": 1, "b": 2}


        def reprice():
            globals()["PRICES"] = {"a": 10, "b": 20}


        def total():
            t = 0
            for k in PRICES:
                price = PRICES[k]
                t += price
                reprice()
            return t
        """,
        "total()",
        reason=r"rebound|globals|bound more than once", covers=SAME, site="total",
    ),
    refuse(
        "dict-items-global-rebound-through-setattr", T, "a callee rebinds the module dict with setattr(module, ...)",
        """
        import sys

        RATES = {"x": 1, "y": 2}


        def refresh():
            setattr(sys.modules[__name__], "RATES", {"x": 5, "y": 7})


        def total():
            t = 0
            for k in RATES:
                rate = RATES[k]
                t += rate
                refresh()
            return t
        """,
        "total()",
        reason=r"rebound|setattr|bound more than once", covers=SAME, site="total",
    ),
    refuse(
        "dict-items-local-rebound-in-body", T, "the loop rebinds d to another dict",
        """
        def walk(d: dict[str, str]) -> list[str]:
            out = []
            for k in d:
                v = d[k]
                out.append(v)
                d = {"a": "other", "b": "other"}
            return out
        """,
        "walk({'a': 'x', 'b': 'y'})",
        reason=r"`d` is rebound in the loop", covers=SAME,
    ),
    refuse(
        "dict-items-global-bound-twice", T, "a module dict bound twice: a call could rebind it",
        """
        TABLE = {"a": 1}
        TABLE = {"a": 1, "b": 2}


        def total():
            t = 0
            for k in TABLE:
                v = TABLE[k]
                t += v
            return t
        """,
        "total()",
        reason=r"bound more than once", covers=SAME,
    ),
    refuse(
        "dict-items-unannotated-parameter", T, "a Mapping's own __getitem__ may disagree with its items()",
        """
        def dump(m) -> list[str]:
            out = []
            for k in m:
                v = m[k]
                out.append(f"{k}:{v}")
            return out
        """,
        "dump({'a': 1})",
        reason=r"not provably a dict", covers=DICT,
    ),
    refuse(
        "dict-items-mapping-annotation", T, "typing.Mapping is any mapping",
        """
        from typing import Mapping


        def dump(m: Mapping[str, int]) -> list[str]:
            out = []
            for k in m:
                v = m[k]
                out.append(f"{k}:{v}")
            return out
        """,
        "dump({'a': 1})",
        reason=r"not provably a dict", covers=DICT,
    ),
    refuse(
        "dict-items-environ", T, "os.environ decodes on __getitem__",
        """
        import os


        def dump() -> int:
            env = os.environ
            n = 0
            for k in env:
                v = env[k]
                n += len(v) >= 0
            return n
        """,
        "dump() > 0",
        reason=r"not provably a dict|not a local|global", covers=DICT,
    ),
    refuse(
        "dict-items-value-is-key-name", T, "v and k are the same name",
        """
        def last(d: dict[str, str]) -> str:
            out = ""
            for k in d:
                k = d[k]
                out += k
            return out
        """,
        "last({'a': 'b'})",
        reason=r"not three different names", covers=SHAPE,
    ),
    refuse(
        "dict-items-async-loop", T, "an async for over the dict itself (a TypeError either way, but not a plain loop)",
        """
        async def dump(d: dict[str, int]) -> list[int]:
            out = []
            async for k in d:
                v = d[k]
                out.append(v)
            return out
        """,
        "asyncio.run(dump({'a': 1}))", setup="import asyncio",
        reason=r"asynchronous", covers=SHAPE,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "dict-items-plain-local-dict", T, "a dict display built here", """
        def invert(pairs: list[tuple[str, int]]) -> dict[int, str]:
            d = {}
            for k, v in pairs:
                d[k] = v
            out = {}
            for k in d:
                v = d[k]
                out[v] = k
            return out
        """,
        "invert([('a', 1), ('b', 2)])", covers=DICT,
    ),
    apply(
        "dict-items-keys-call-and-value-update", T, "for k in d.keys() while assigning d[k]: values change, "
        "size does not",
        """
        def bump(d: dict[str, int]) -> dict[str, int]:
            for k in d.keys():
                v = d[k]
                d[k] = v + 1
            return d
        """,
        "bump({'a': 1, 'b': 2})", covers=SHAPE,
    ),
    apply(
        "dict-items-size-change-raises", T, "deleting during the loop raises RuntimeError either way",
        """
        def drain(d: dict[str, int]) -> int:
            t = 0
            for k in d:
                v = d[k]
                t += v
                del d[k]
            return t
        """,
        "drain({'a': 1, 'b': 2})", probes="drain({})", covers=SAME,
    ),
    apply(
        "dict-items-defaultdict-local", T, "a defaultdict built here: d[k] of an iterated key never calls "
        "__missing__",
        """
        import collections


        def groups(words: list[str]) -> list[str]:
            d = collections.defaultdict(list)
            for w in words:
                d[w[0]].append(w)
            out = []
            for k in d:
                ws = d[k]
                out.append(k + ":" + ",".join(ws))
            return out
        """,
        "groups(['ab', 'ac', 'b'])", covers=DICT,
    ),
    apply(
        "dict-items-module-constant-dict", T, "a module dict bound once and never rebound", """
        UNITS = {"k": 1000, "M": 1000000}


        def table() -> list[str]:
            out = []
            for unit in UNITS:
                factor = UNITS[unit]
                out.append(f"{unit}={factor}")
            return out
        """,
        "table()", covers=SAME,
    ),
)
