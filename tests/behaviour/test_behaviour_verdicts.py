"""The behaviour check in every evaluation: the evolve judge (with the history) and `evolver compare`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from behaviour_runs import case

from evolver.cli import main
from evolver.evaluate import evaluate_candidate
from evolver.evolve import Evolution, _Recorder
from evolver.history import History
from evolver.html.collect import outcome
from evolver.model import Site
from evolver.rank import Candidate


def test_the_judge_fails_a_candidate_whose_behaviour_differs_and_the_history_records_it(tmp_path: Path) -> None:
    found = case("dice", tmp_path)
    judgement = evaluate_candidate(found.target, found.settings, found.source, found.variant("unsound"))
    assert judgement.status == "failed"
    assert judgement.reason.startswith("behaviour differs: noisy(1000) call 2: returned ")
    assert judgement.comparison is None  # rejected before any timing
    assert [g.check for g in judgement.gates] == ["tests", "test count", "output", "behaviour"]
    assert judgement.behaviour is not None and judgement.behaviour["verdict"] == "differs"
    assert len(judgement.behaviour["parent_trace"]) == len(judgement.behaviour["candidate_trace"]) == 64
    with History.open(tmp_path / "db.sqlite") as history:
        evolution = Evolution(found.target, found.settings, tmp_path, history)
        evolution.session_id = history.start_session("evolve", target=found.target, settings=found.settings)
        site = Site("memoize", "dice:noisy", "applicable")
        recorder = _Recorder(evolution, "0" * 64, {site.id: Candidate(site, 0.5, 0.1)})
        recorder.started(site.id)
        recorder.judged(site.id, judgement, "1" * 64)
        row = history.improvements()[-1]
    assert row["status"] == "failed"
    assert json.loads(row["measurement_json"])["behaviour"] == judgement.behaviour
    assert outcome(row) == outcome({**row, "reason": "failed"}) == "behaviour differs"  # the report reads the check


def run_compare(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["compare", *argv, "--max-pairs", "10"])
    return code, capsys.readouterr().out


@pytest.mark.slow
def test_compare_says_behaviour_differs_with_the_evidence(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    found = case("dice", tmp_path)
    unsound = tmp_path / "unsound.py"
    unsound.write_text(found.variant("unsound"))
    monkeypatch.chdir(found.target.root)
    code, out = run_compare(capsys, str(found.target.path), str(unsound), "--json")
    result = json.loads(out)
    assert code == 1
    assert result["verdict"] == "behaviour differs"
    assert result["timing_verdict"] in ("faster", "slower", "no significant difference")
    assert result["behaviour"]["first"].startswith("noisy(1000) call 2: returned ")
    assert result["behaviour"]["parent_trace"] != result["behaviour"]["candidate_trace"]
    code, out = run_compare(capsys, str(found.target.path), str(unsound))
    assert code == 1
    assert "behaviour     DIFFERS: noisy(1000) call 2: returned " in out
    assert out.rstrip().endswith("verdict       behaviour differs")


@pytest.mark.slow
def test_compare_without_the_behaviour_check_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    found = case("dice", tmp_path)
    unsound = tmp_path / "unsound.py"
    unsound.write_text(found.variant("unsound"))
    monkeypatch.chdir(found.target.root)
    code, out = run_compare(capsys, str(found.target.path), str(unsound), "--no-behaviour")
    assert code == 0
    assert "warning       the behaviour check is off" in out
    assert "verdict       behaviour differs" not in out


@pytest.mark.slow
def test_compare_of_a_sound_rewrite_reports_the_calls_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    found = case("tags", tmp_path)
    sound = tmp_path / "sound.py"
    sound.write_text(found.variant("sound"))
    monkeypatch.chdir(found.target.root)
    code, out = run_compare(capsys, str(found.target.path), str(sound), "--json")
    result = json.loads(out)
    assert code == 0 and result["verdict"] != "behaviour differs"
    assert result["behaviour"]["verdict"] == "same" and result["behaviour"]["calls"] == 4
