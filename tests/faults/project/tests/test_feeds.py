import feeds


def test_titles() -> None:
    assert feeds.titles(["alpha", "mu"]) == ["Alpha News Of The Day", "Mu News Of The Day"]


def test_a_missing_feed_is_noted() -> None:
    assert feeds.titles(["nope"]) == ["unavailable: nope (URLError)"]


def test_publish_counts_what_was_sent() -> None:
    before = len(feeds.SENT)
    assert feeds.publish("x") == before + 1
