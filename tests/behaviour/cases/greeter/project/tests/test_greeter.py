import pytest
from greeter import greet, setting


def test_default_greeting() -> None:
    assert greet("ann") == "Hello, ann!"


def test_setting_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_COLOUR", "green")
    assert setting("COLOUR") == "green"


def test_missing_setting_gives_the_default() -> None:
    assert setting("NOT_SET_ANYWHERE", "x") == "x"
