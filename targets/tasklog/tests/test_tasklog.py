from __future__ import annotations

from collections.abc import Iterator

import pytest

import tasklog
import workload
from tasklog import Entry


@pytest.fixture(autouse=True)
def empty_log() -> Iterator[None]:
    tasklog.LOG.clear()
    yield
    tasklog.LOG.clear()


def test_banner_prints_every_time(capsys: pytest.CaptureFixture[str]) -> None:
    first = tasklog.banner("report")
    second = tasklog.banner("report")
    out = capsys.readouterr().out
    assert out == first + "\n" + second + "\n"
    assert out.count("REPORT") == 2 and first.splitlines()[0] == "=" * tasklog.WIDTH


def test_warn_prints_every_time(capsys: pytest.CaptureFixture[str]) -> None:
    tasklog.warn("disk full")
    tasklog.warn("disk full")
    assert capsys.readouterr().out == "warning: disk full\nwarning: disk full\n"


@pytest.mark.parametrize(("minutes", "text"), [(0, "0m"), (45, "45m"), (60, "1h00"), (135, "2h15"),
                                               (600, "10h00")])
def test_duration(minutes: int, text: str) -> None:
    assert tasklog.duration(minutes) == text


def test_duration_rejects_negative_values_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="negative duration: -5"):
            tasklog.duration(-5)


def test_row_and_table() -> None:
    assert tasklog.row("write report", 75, "docs") == f"{'write report':<36}     1h15  #docs"
    entries = [Entry("a", 5, "x"), Entry("b" * 50, 61, "y")]
    assert tasklog.table(entries) == tasklog.row("a", 5, "x") + "\n" + tasklog.row("b" * 36, 61, "y") + "\n"
    assert tasklog.table([]) == ""


def test_tags_and_totals_keep_first_seen_order() -> None:
    entries = [Entry("a", 5, "x"), Entry("b", 10, "y"), Entry("c", 20, "x")]
    assert tasklog.tags(entries) == ["x", "y"]
    assert tasklog.totals(entries) == [("x", 25), ("y", 10)]


def test_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert tasklog.main(["add", "write report", "45", "--tag", "docs"]) == 0
    assert tasklog.main(["add", "standup", "15"]) == 0
    assert tasklog.main(["add", "nothing", "0"]) == 1
    assert tasklog.LOG == [Entry("write report", 45, "docs"), Entry("standup", 15, "misc")]
    capsys.readouterr()
    assert tasklog.main(["list", "--tag", "docs"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[1].strip() == "1 ENTRIES" and listing[3].startswith("write report")
    assert tasklog.main(["summary"]) == 0
    summary = capsys.readouterr().out.splitlines()
    assert summary[3:] == [f"{'#docs':<21}{'45m':>10}", f"{'#misc':<21}{'15m':>10}", f"{'total':<21}{'1h00':>10}"]


def test_workload_is_stable() -> None:
    first = workload.run()
    assert first["codes"][-1] == 1 and set(first["codes"][:-1]) == {0}
    assert first == workload.run()
    assert tasklog.LOG == []
