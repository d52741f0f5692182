from audit import LOG, send, send_all


def test_send_logs_the_event() -> None:
    assert send("x") == 1
    assert LOG[-1] == "x"


def test_send_all_returns_sizes_in_order() -> None:
    assert send_all(["aaa", "b"]) == [3, 1]
    assert sorted(LOG[-2:]) == ["aaa", "b"]
