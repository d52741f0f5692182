from textkit.fmt import banner


def test_banner_inline() -> None:
    assert banner("x", 5) == "= x =="
