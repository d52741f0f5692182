"""Plan a day of deliveries on the road network (the benchmark for evolver)."""

from __future__ import annotations

import routes

TOWNS = sorted({src for src, _, _ in routes.ROADS} | {dst for _, dst, _ in routes.ROADS})
HUBS = ("port", "h1", "h2", "h3", "g1", "g2", "g3", "f1", "f2", "f3", "e1", "e2", "e3")
STARTS = ("depot", "a1", "a2", "a3", "b1")
CLOSURES = (("b2", "c2"), ("e2", "f1"), ("h3", "port"))


def run() -> dict[str, object]:
    counts = {(src, dst): routes.count_routes(src, dst) for src in TOWNS for dst in HUBS}
    plans = []
    try:
        for closure in (None,) + CLOSURES:
            if closure is not None:
                routes.close_road(*closure)
            graph = routes.open_graph()
            plans.append((closure, [routes.count_open_routes(graph, town, "port") for town in STARTS]))
            for town in TOWNS:
                plans.append((closure, town, routes.shortest(town, "port"), routes.shortest(town, "port", heavy=True)))
        reach = routes.reachable("depot")
    finally:
        routes.CLOSED.clear()
    return {"routes": counts, "plans": plans, "reachable": reach}
