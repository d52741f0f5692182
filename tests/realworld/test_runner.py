"""The corpus runner's reading of evolver's answers and its Markdown report (no evolver run)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "realworld"))

import corpus
import run

ROWS = {row.name: row for row in corpus.rows()}
GEN = {"id": "roman/0001", "parent": "roman/0000",
       "manifest": {"transforms": [{"site": "memoize@roman:toRoman", "transform": "memoize"}]}}


@pytest.mark.parametrize("answer", [
    [{"id": "roman/0000", "parent": None}, GEN],  # the list evolver log --json once printed
    {"command": "log", "targets": [{"key": "roman", "generations": [{"id": "roman/0000", "parent": None}, GEN]}]},
])
def test_last_generation_reads_both_log_formats(monkeypatch: pytest.MonkeyPatch, answer: Any) -> None:
    monkeypatch.setattr(run, "evolver_json", lambda args, cwd: answer)
    found = run.last_generation(Path("."), Path("."), Path("roman.py"))
    assert found == {"id": "roman/0001", "transforms": ["memoize@roman:toRoman"]}


def test_an_unreadable_log_is_an_error_not_no_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "evolver_json", lambda args, cwd: "rc 2: evolver: no such target")
    with pytest.raises(RuntimeError, match="no such target"):
        run.last_generation(Path("."), Path("."), Path("roman.py"))


def test_evolve_story_tells_why_it_stopped_and_what_it_approved() -> None:
    tail = ("evolve x.py: 0 candidates tried; stopped: time budget used up (120 s)\n\n"
            "no new generation: time budget used up (120 s)\n[stderr]\n"
            "  try memoize@m:f [1/2]\n  approved memoize@m:f: 2.90x faster (95% CI 2.85-2.98)\n"
            "  rejected precompile-regex@m:g#0: no significant difference\n")
    stopped, approved = run.evolve_story({"tail": tail})
    assert stopped == "time budget used up (120 s)"
    assert approved == ["memoize@m:f: 2.90x faster (95% CI 2.85-2.98)"]


def test_markdown_lists_every_row_and_explains_the_misses() -> None:
    found = {"row": "roman", "kind": "opportunity", "evolver": "abc+123", "generation": "roman/0001",
             "retimed": {"speedup": 7.0}, "transforms": ["memoize@roman:toRoman"], "evolve": {"rc": 0},
             "load": [1.0, 2.0], "sites": []}
    missed = {"row": "inflection_pluralize", "kind": "opportunity", "evolver": "abc+123", "generation": None,
              "evolve": {"rc": 1, "tail": "no new generation: no applicable rewrite left"}, "load": [1.0],
              "sites": [{"transform": "precompile-regex", "target": "inflection:pluralize#0",
                         "verdict": "refused", "reasons": ["the pattern `rule` is not a str or bytes literal"]}]}
    text = run.markdown([(ROWS["roman"], found), (ROWS["inflection_pluralize"], missed)], ["pyphen"], 120)
    assert "SUMMARY opportunity rows" in text and "Not run yet: pyphen." in text
    assert "| roman | opportunity |" in text and "| inflection_pluralize | opportunity |" in text
    assert "### roman" not in text  # found rows need no explanation
    assert "### inflection_pluralize (opportunity: missed)" in text
    assert "- evolve stopped: no applicable rewrite left" in text
    assert "the pattern `rule` is not a str or bytes literal" in text
