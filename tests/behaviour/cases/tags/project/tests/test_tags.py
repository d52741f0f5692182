from tags import REGISTRY, Tag, is_reserved, register


def test_tags_compare_by_name() -> None:
    assert Tag("News") == Tag("news")


def test_ordinary_tags_are_not_reserved() -> None:
    assert not is_reserved(Tag("python"))


def test_register_keeps_ordinary_tags() -> None:
    register(Tag("gardening"))
    assert REGISTRY[-1] == "gardening"
