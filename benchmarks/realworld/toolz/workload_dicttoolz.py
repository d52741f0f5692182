"""A configuration loader with toolz: layered settings merged and queried by path."""

from __future__ import annotations

from toolz import dicttoolz as dt

LAYERS = [{"db": {"host": "localhost", "port": 5432 + i, "pool": {"size": i % 7}}, "debug": i % 2 == 0,
           f"feature_{i % 9}": True} for i in range(40)]
PATHS = [["db", "host"], ["db", "pool", "size"], ["db", "missing", "x"], ["debug"], ["feature_3"]]


def run() -> list[object]:
    out: list[object] = []
    for i in range(3000):
        merged = dt.merge_with(lambda vs: vs[-1], *LAYERS[i % 10:i % 10 + 20])
        nested = dt.merge(*[l["db"] for l in LAYERS[:10]])
        out.append([dt.get_in(p, merged, default=None) for p in PATHS])
        out.append(dt.assoc_in(merged, ["db", "pool", "size"], i)["db"]["pool"])
        out.append(sorted(dt.valmap(str, nested).items()))
        out.append(sorted(dt.keyfilter(lambda k: k.startswith("feature"), merged)))
    return out
