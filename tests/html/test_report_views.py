"""The report's reading of the history: defensive about what other versions wrote, never inventing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from report_fixtures import Recorded

from evolver.html import diffs
from evolver.html.collect import collect, outcome, scope_of, tree
from evolver.html.records import read_records
from evolver.html.render import render
from evolver.html.views import Diff, GenerationView, TargetView


def views_of(recorded: Recorded) -> TargetView:
    [target] = collect(read_records(recorded.workspace), scope_of(recorded.module))
    return target


def manifest_of(recorded: Recorded, number: int) -> Path:
    return next((recorded.workspace / "generations").glob(f"*/{number:04d}/manifest.json"))


@pytest.mark.parametrize("status, reason, expected", [
    ("approved", "1.50x faster (95% CI 1.40-1.60)", "passed"),
    ("applied", "", "passed"),
    ("failed", "tests fail: 1 failed, 3 passed", "tests failed"),
    ("failed", "fewer tests ran (3 < 4)", "tests failed"),
    ("failed", "workload output differs from the parent's", "behaviour differs"),
    ("failed", "behaviour differs on 2 of 40 recorded calls", "behaviour differs"),
    ("failed", "the candidate timed out after 30 s", "timed out"),
    ("failed", "not measured (timed out after 12 s): 10x the parent's tests", "timed out"),
    ("failed", "not judged: the time budget is used up", "not judged: time budget used up"),
    ("failed", "worker died: exit code -9", "failed to run"),
    ("rejected", "no significant difference (1.00x, 95% CI 0.97-1.04)", "no significant gain"),
    ("rejected", "slower (0.80x, 95% CI 0.75-0.85)", "slower"),
    ("rejected", "1.30x faster (95% CI 1.2-1.4) but uses too much memory (2.10x peak)", "too much memory"),
    ("testing", "", "not decided (the run stopped)"),
    ("interrupted", "not judged: the time budget is used up", "not judged: time budget used up"),
    ("interrupted", "not judged: 6 timing rounds in a row gave no measurement (...: the machine is too busy)",
     "not judged: machine too busy"),
    ("interrupted", "", "not decided (the run stopped)"),
    ("some_future_status", "", "some_future_status"),
])
def test_outcome_of_a_recorded_candidate(status: str, reason: str, expected: str) -> None:
    assert outcome({"status": status, "reason": reason}) == expected


def test_a_behaviour_difference_is_told_by_the_recorded_check_not_by_the_reason_text() -> None:
    differs = json.dumps({"behaviour": {"verdict": "differs", "first": "f(1) call 2: returned 2, parent returned 1"}})
    same = json.dumps({"behaviour": {"verdict": "same"}})
    assert outcome({"status": "failed", "reason": "rejected", "measurement_json": differs}) == "behaviour differs"
    assert outcome({"status": "failed", "reason": "worker died: exit code -9", "measurement_json": same}) \
        == "failed to run"
    assert outcome({"status": "failed", "reason": "worker died", "measurement_json": "not json"}) == "failed to run"


def test_tree_continues_a_chain_and_branches_at_a_fork() -> None:
    def gen(gen_id: str, parent: str | None) -> GenerationView:
        return GenerationView(
            id=gen_id, number=int(gen_id[-1]), parent_id=parent, created_at="", session_id=None, source_hash="h",
            transforms=(), vs_parent=None, verdict=None, p_value=None, pairs=None, vs_root=None, memory=None,
            errors=None, status="candidate", promotions=(), timing=None, cycle=None, diff=Diff())

    views = [gen("m/0", None), gen("m/1", "m/0"), gen("m/2", "m/1"), gen("m/3", "m/2"), gen("m/4", "m/2"),
             gen("m/5", "m/4")]
    [root] = tree(views)
    assert [g.id for g in root.nodes] == ["m/0", "m/1", "m/2"]
    assert [[g.id for g in b.nodes] for b in root.children] == [["m/3"], ["m/4", "m/5"]]


def test_diff_numbers_and_highlights_the_changed_lines() -> None:
    parent = "import os\n\n\ndef f(x):\n    return x\n"
    child = "import functools\nimport os\n\n\ndef f(x):\n    return x + 1\n"
    d = diffs.diff(parent, child)
    assert (d.added, d.removed) == (2, 1)
    lines = [line for hunk in d.hunks for line in hunk]
    assert [(line.kind, line.old, line.new) for line in lines if line.kind != "context"] == [
        ("added", None, 1), ("removed", 5, None), ("added", None, 6)]
    assert '<span class="kn">import</span>' in lines[0].html


def test_diff_keeps_multiline_strings_on_their_lines() -> None:
    lines = diffs.highlighted('s = """a\nb"""\nt = 1\n')
    assert len(lines) == 3 and "b" in lines[1] and "t" in lines[2]


def test_missing_figures_are_not_measured_and_unknown_statuses_shown(recorded: Recorded) -> None:
    newest = max(int(p.parent.name) for p in (recorded.workspace / "generations").glob("*/*/manifest.json"))
    path = manifest_of(recorded, newest)
    manifest = json.loads(path.read_text())
    manifest["measurements"] = {"vs_parent": {"verdict": "faster"}}  # no ratio, no samples, no memory
    manifest["status"] = "rolled_back"  # a status a later evolver keeps in the manifest
    manifest["something_new"] = {"nested": [1, 2]}
    path.write_text(json.dumps(manifest))
    target = views_of(recorded)
    gen = target.generations[-1]
    assert gen.status == "rolled back"
    assert gen.vs_parent is None and gen.memory is None and gen.vs_root is None
    page = render([target], workspace=recorded.workspace, history=recorded.db)
    assert "not measured" in page and "rolled back" in page


def test_an_unreadable_manifest_is_reported_not_fatal(recorded: Recorded) -> None:
    manifest_of(recorded, 1).write_text("{ not json")
    records = read_records(recorded.workspace)
    assert any("0001" in p for p in records.problems)
    [target] = collect(records, scope_of(recorded.module))
    assert "0001" not in [g.id[-4:] for g in target.generations]
    assert any("in the history but not in the generation store" in p for p in target.problems)


def test_a_history_from_before_refusals_were_recorded(recorded: Recorded) -> None:
    conn = sqlite3.connect(recorded.db)
    conn.execute("DROP TABLE refusals")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    target = views_of(recorded)
    assert not any(g.cycle and g.cycle.refusals for g in target.generations)
    assert len(target.generations) >= 2


def test_a_missing_source_falls_back_to_the_stored_patch(recorded: Recorded) -> None:
    folder = manifest_of(recorded, 1).parent
    (folder / "stock.py").unlink()
    gen = next(g for g in views_of(recorded).generations if g.number == 1)
    assert gen.diff.raw_html and "source not readable" in (gen.diff.missing or "")


def test_without_the_generation_store_the_history_still_tells_the_candidates(recorded: Recorded) -> None:
    import shutil

    shutil.rmtree(recorded.workspace / "generations")
    target = views_of(recorded)
    assert target.generations == () and target.tree == ()
    tried = recorded.rows("SELECT id FROM improvements")
    assert len(target.candidates) == len(tried) and all(c.produced is None for c in target.idle_cycles)
    assert sum("in the history but not in the generation store" in p for p in target.problems) == len(
        recorded.rows("SELECT id FROM generations"))
    page = render([target], workspace=recorded.workspace, history=recorded.db)
    assert "No generation of this target is in the generation store" in page
