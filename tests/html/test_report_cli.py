"""`evolver report` on the recorded history of a real run: what the page holds, read-only, bad input."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixtures import Recorded

from evolver.cli import main
from evolver.history import History


class Page(HTMLParser):
    """The elements of a report page that the tests look at, by their attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def having(self, attr: str, tag: str | None = None) -> list[dict[str, str]]:
        return [a for t, a in self.elements if attr in a and (tag is None or t == tag)]

    def ids(self, prefix: str) -> list[str]:
        return [a["id"] for _, a in self.elements if a.get("id", "").startswith(prefix)]


def report(capsys: pytest.CaptureFixture[str], ws: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--workspace", str(ws), "report", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def page(recorded: Recorded, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, Page]:
    out = tmp_path / "report.html"
    code, said, err = report(capsys, recorded.workspace, str(recorded.module), "-o", str(out))
    assert code == 0, err
    assert str(out) in said
    text = out.read_text(encoding="utf-8")
    return text, Page(text)


def test_lineage_holds_every_stored_generation_with_its_status(recorded: Recorded,
                                                               page: tuple[str, Page]) -> None:
    _, parsed = page
    gens = recorded.rows("SELECT id FROM generations ORDER BY number")
    cards = parsed.having("data-generation", "li")
    assert [c["data-generation"] for c in cards] == [g["id"] for g in gens]
    assert len(gens) >= 2
    status = {c["data-generation"]: c["data-status"] for c in cards}
    # record_fixture.py promoted the first new generation, reverted it, then promoted the newest
    assert status[gens[0]["id"]] == "original"
    assert status[gens[1]["id"]] == ("reverted" if len(gens) > 2 else "promoted")
    assert status[gens[-1]["id"]] == "promoted"
    assert all(s == "candidate" for g, s in status.items() if g not in (gens[0]["id"], gens[1]["id"], gens[-1]["id"]))
    lineage = parsed.having("data-generations", "ul")
    assert [u["data-generations"] for u in lineage] == [str(len(gens))]


def test_every_generation_is_a_point_of_the_time_plot(recorded: Recorded, page: tuple[str, Page]) -> None:
    _, parsed = page
    gens = [g["id"] for g in recorded.rows("SELECT id FROM generations ORDER BY number")]
    points = parsed.ids("time-")
    assert sorted(points) == sorted("time-" + re.sub(r"[^0-9A-Za-z]", "-", g) for g in gens)
    # the page's script sends a click on point time-<x> to the card gen-<x>
    cards = set(parsed.ids("gen-"))
    assert {"gen-" + p[len("time-"):] for p in points} <= cards


def test_every_recorded_candidate_and_refusal_is_shown_with_its_reason(recorded: Recorded,
                                                                        page: tuple[str, Page]) -> None:
    text, parsed = page
    tried = recorded.rows("SELECT site_id, reason FROM improvements")
    refused = recorded.rows("SELECT site_id, reasons_json FROM refusals")
    rows = parsed.having("data-outcome", "tr")
    assert len([r for r in rows if r["data-outcome"] != "refused"]) == len(tried)
    assert len([r for r in rows if r["data-outcome"] == "refused"]) == len(refused)
    assert refused, "the recorded run refused memoize on jitter (it calls random)"
    for row in tried:
        assert _escaped(row["reason"]) in text
    assert any("random" in reason for r in refused for reason in json.loads(r["reasons_json"]))


def test_predictions_are_plotted_for_measured_candidates(recorded: Recorded, page: tuple[str, Page]) -> None:
    _, parsed = page
    measured = recorded.rows("SELECT id FROM improvements WHERE ratio IS NOT NULL AND predicted_gain IS NOT NULL")
    assert len(parsed.ids("prediction-")) == len(measured) > 0


def test_the_page_is_self_contained(page: tuple[str, Page]) -> None:
    text, parsed = page
    assert not [a for t, a in parsed.elements if t in ("script", "img", "link", "iframe") and ("src" in a or "href" in a)]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert "url(http" not in text and "@import" not in text
    assert text.startswith("<!DOCTYPE html>")


def test_the_diff_is_highlighted_python(recorded: Recorded, page: tuple[str, Page]) -> None:
    text, parsed = page
    added = parsed.having("class", "tr")
    assert any(a["class"] == "added" for a in added)
    assert '<span class="nd">@functools</span>' in text  # pygments' decorator token inside the diff


def test_report_changes_nothing_but_its_output(recorded: Recorded, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(recorded.workspace), digest(recorded.root)
    out = tmp_path / "out" / "r.html"
    out.parent.mkdir()
    code, _, err = report(capsys, recorded.workspace, str(recorded.root), "-o", str(out))
    assert code == 0, err
    assert (digest(recorded.workspace), digest(recorded.root)) == before
    assert [p.name for p in out.parent.iterdir()] == ["r.html"]  # no temporary file left


def test_a_folder_reports_every_target_inside_it(recorded: Recorded, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    code, _, err = report(capsys, recorded.workspace, str(recorded.root), "-o", str(out))
    assert code == 0, err
    targets = Page(out.read_text()).having("data-target", "section")
    assert [t["data-target"] for t in targets] == [str(recorded.module.resolve())]


def test_an_older_report_is_replaced(recorded: Recorded, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    for _ in range(2):
        code, _, err = report(capsys, recorded.workspace, str(recorded.module), "-o", str(out))
        assert code == 0, err


def _escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


# -- bad input: one line, exit 2, nothing written ------------------------------------------------
def one_line_error(capsys: pytest.CaptureFixture[str], ws: Path, *args: str) -> str:
    code, out, err = report(capsys, ws, *args)
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and err.startswith("evolver: error: ")
    return err


def test_no_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    err = one_line_error(capsys, tmp_path / "ws", str(tmp_path / "m.py"), "-o", str(tmp_path / "r.html"))
    assert "no evolver history" in err
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "ws").exists()


def test_empty_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    History.open(tmp_path / "ws" / ".evolver" / "evolver.db").close()
    (tmp_path / "m.py").write_text("x = 1\n")
    err = one_line_error(capsys, tmp_path / "ws", str(tmp_path / "m.py"), "-o", str(tmp_path / "r.html"))
    assert "is empty" in err and not (tmp_path / "r.html").exists()


def test_not_a_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ws" / ".evolver" / "evolver.db"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not sqlite at all, just some bytes" * 100)
    (tmp_path / "m.py").write_text("x = 1\n")
    err = one_line_error(capsys, tmp_path / "ws", str(tmp_path / "m.py"), "-o", str(tmp_path / "r.html"))
    assert "cannot read the history" in err
    assert db.read_bytes() == b"not sqlite at all, just some bytes" * 100


def test_a_target_the_history_does_not_know(recorded: Recorded, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.py"
    other.write_text("y = 2\n")
    err = one_line_error(capsys, recorded.workspace, str(other), "-o", str(tmp_path / "r.html"))
    assert "has no evolve run of" in err


def test_missing_target(recorded: Recorded, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, recorded.workspace, str(tmp_path / "gone.py"), "-o", str(tmp_path / "r.html"))
    assert "no such file or folder" in err


@pytest.mark.parametrize("name", ["notes.txt", "stock.py", "index.html"])
def test_never_overwrites_a_file_that_is_not_a_report(recorded: Recorded, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str], name: str) -> None:
    victim = recorded.root / name if name == "stock.py" else tmp_path / name
    if not victim.exists():
        victim.write_text("<!DOCTYPE html><p>my own page</p>\n")
    before = victim.read_bytes()
    err = one_line_error(capsys, recorded.workspace, str(recorded.module), "-o", str(victim))
    assert "refusing to overwrite" in err and victim.read_bytes() == before


def test_output_folder_must_exist(recorded: Recorded, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, recorded.workspace, str(recorded.module), "-o", str(tmp_path / "no" / "r.html"))
    assert "no folder" in err
    err = one_line_error(capsys, recorded.workspace, str(recorded.module), "-o", str(tmp_path))
    assert "is a folder" in err


def test_json_says_what_was_written(recorded: Recorded, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    code, said, err = report(capsys, recorded.workspace, str(recorded.module), "-o", str(out), "--json")
    assert code == 0, err
    written = json.loads(said)
    assert written["path"] == str(out) and written["size"] == out.stat().st_size
    assert written["targets"] == 1 and written["generations"] == len(recorded.rows("SELECT id FROM generations"))
