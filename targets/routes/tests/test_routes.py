from __future__ import annotations

from collections.abc import Iterator

import pytest

import routes
import workload


@pytest.fixture(autouse=True)
def no_closures() -> Iterator[None]:
    routes.CLOSED.clear()
    yield
    routes.CLOSED.clear()


def test_neighbours() -> None:
    assert routes.neighbours("depot") == (("a1", 4), ("a2", 6), ("a3", 5))
    assert routes.neighbours("h1") == (("port", 9), ("h2", 1))
    assert routes.neighbours("port") == ()


def test_count_routes() -> None:
    assert routes.count_routes("port", "port") == 1
    assert routes.count_routes("h1", "port") == 3  # direct, via h2, via h2 and h3
    assert routes.count_routes("g3", "port") == 1
    assert routes.count_routes("depot", "port") == 1048
    assert routes.count_routes("port", "depot") == 0


def test_count_routes_ignores_closures() -> None:
    before = routes.count_routes("a1", "port")
    routes.close_road("a1", "b1")
    assert routes.count_routes("a1", "port") == before


def test_shortest() -> None:
    minutes, path = routes.shortest("depot", "port")
    assert minutes == routes.route_minutes(path) == 25
    assert path == ("depot", "a1", "b2", "c1", "d2", "e2", "f1", "g2", "h1", "h2", "h3", "port")
    assert routes.shortest("port", "depot") is None
    assert routes.shortest("c3", "c3") == (0, ("c3",))


def test_heavy_vehicles_avoid_restricted_towns() -> None:
    minutes, path = routes.shortest("a2", "port", heavy=True)
    assert not set(path) & set(routes.RESTRICTED)
    assert routes.shortest("a2", "port")[0] <= minutes
    assert routes.shortest("a3", "port", heavy=True) is None
    assert routes.shortest("d3", "f3", heavy=True) is None
    assert routes.shortest("d3", "f3") == (9, ("d3", "e3", "f3"))


def test_closures_are_honoured_and_undone() -> None:
    assert routes.is_open("h3", "port")
    fastest = routes.shortest("h2", "port")
    assert fastest == (4, ("h2", "h3", "port")) or fastest == (4, ("h2", "port"))
    routes.close_road("h2", "port")
    routes.close_road("h3", "port")
    assert not routes.is_open("h3", "port")
    assert routes.shortest("h2", "port") is None
    assert "port" not in routes.reachable("h2")
    routes.reopen_road("h3", "port")
    assert routes.shortest("h2", "port") == (4, ("h2", "h3", "port"))


def test_reachable() -> None:
    assert routes.reachable("g3") == ["g3", "h3", "port"]
    assert routes.reachable("h1") == ["h1", "port", "h2", "h3"]
    assert len(routes.reachable("depot")) == 26


def test_route_minutes_and_fastest_first() -> None:
    assert routes.route_minutes(("depot", "a1", "b2")) == 7
    with pytest.raises(KeyError):
        routes.route_minutes(("depot", "b1"))
    candidates = [("h1", "port"), ("h1", "h2", "port"), ("h1", "h2", "h3", "port")]
    assert routes.fastest_first(candidates) == ("h1", "h2", "port")  # 5 minutes, first of the two 5s
    with pytest.raises(ValueError):
        routes.fastest_first([])


def test_workload_is_stable_and_leaves_no_closure() -> None:
    result = workload.run()
    assert result["routes"][("depot", "port")] == 1048
    assert routes.CLOSED == set()
    assert result == workload.run()


def test_open_routes_match_all_routes_when_nothing_is_closed():
    graph = routes.open_graph()
    assert routes.count_open_routes(graph, "depot", "port") == routes.count_routes("depot", "port")
    assert routes.count_open_routes(graph, "port", "port") == 1


def test_closing_a_road_removes_the_routes_through_it():
    before = routes.count_open_routes(routes.open_graph(), "depot", "port")
    routes.close_road("h3", "port")
    try:
        after = routes.count_open_routes(routes.open_graph(), "depot", "port")
    finally:
        routes.reopen_road("h3", "port")
    assert 0 < after < before


def test_open_routes_follow_the_graph_given():
    graph = {"x": ["y", "z"], "y": ["z"], "z": []}
    assert routes.count_open_routes(graph, "x", "z") == 2
    graph["x"].remove("y")
    assert routes.count_open_routes(graph, "x", "z") == 1
    assert graph == {"x": ["z"], "y": ["z"], "z": []}
