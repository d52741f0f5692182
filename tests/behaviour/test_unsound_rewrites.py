"""Unsound rewrites whose own tests pass are caught by the behaviour check, with the differing call
shown; their sound counterparts pass. Each case is a small project (tests/behaviour/cases/<name>):
its module, tests and workload, an unsound candidate written by hand (what a buggy transform
would produce) and a sound one. Everything runs for real: pytest in the sandbox, the worker's
trace mode in scratch copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from behaviour_runs import behaviour, case, run_tests

UNSOUND = [
    # memoizing a function that draws from `random`: seeded tests never repeat an argument
    ("dice", "noisy(1000) call 2: returned"),
    # memoizing an os.environ reader: each test reads another variable
    ("greeter", "setting('GREETING', 'Hello') call 3: returned 'Hello', parent returned 'Good morning'"),
    # hoisting dist[i][k] out of the loop that writes row i: only a negative weight shows it, and
    # only a sampled input has one (the tests and the workload use positive weights)
    ("paths", "sampled input shortest("),
    # `in list` -> `in set` over objects whose __eq__ compares names but whose hash is their identity
    ("tags", "is_reserved(Tag(name='Admin')) call 2: returned False, parent returned True"),
    # a thread pool over calls that append to a shared list: the log comes out in completion order
    ("audit", "call 1: left global LOG as ['"),
]


@pytest.mark.parametrize(("name", "evidence"), UNSOUND, ids=[c[0] for c in UNSOUND])
def test_an_unsound_rewrite_whose_tests_pass_is_caught(tmp_path: Path, name: str, evidence: str) -> None:
    found = case(name, tmp_path)
    unsound = found.variant("unsound")
    oracle = run_tests(found.target, found.settings, unsound)
    assert oracle.passed and oracle.tests_run >= 2, oracle
    check = behaviour(found.target, found.settings, found.source, unsound)
    assert check.verdict == "differs", check
    assert check.first is not None and evidence in check.first, check.first
    if name == "audit":  # the order the calls finished in, against the order they were made in
        assert check.first.startswith("send_all(['user-login-from-new-devic...) call 1: left global LOG as ")
        assert check.first.endswith("parent as ['user-login-from-new-device', 'ok', 'password-reset-requ...")
    assert check.summary == f"behaviour differs: {check.first}"
    assert check.parent_trace and check.candidate_trace and check.parent_trace != check.candidate_trace


@pytest.mark.parametrize("name", [c[0] for c in UNSOUND])
def test_the_sound_rewrite_of_the_same_code_passes(tmp_path: Path, name: str) -> None:
    found = case(name, tmp_path)
    sound = found.variant("sound")
    check = behaviour(found.target, found.settings, found.source, sound)
    assert check.verdict == "same", check.differences
    assert check.calls >= 1 and check.changed
    assert "same behaviour on" in check.summary


def test_without_sampled_inputs_the_hoisted_row_read_goes_unseen(tmp_path: Path) -> None:
    """The workload's own calls do not show the Floyd-Warshall bug: the sampled inputs do."""
    found = case("paths", tmp_path, behaviour_samples=0)
    check = behaviour(found.target, found.settings, found.source, found.variant("unsound"))
    assert check.verdict == "same" and check.samples == 0
