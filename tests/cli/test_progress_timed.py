"""`evolver evolve --details`: each progress line says when it came (seconds since the start)."""

from __future__ import annotations

import re

import pytest

from evolver import report


@pytest.mark.parametrize("timed", [True, False])
def test_progress_lines_carry_the_time_only_with_details(timed: bool, capsys: pytest.CaptureFixture[str]) -> None:
    with report.Progress(timed=timed) as progress:
        progress.notify("cycle", number=1, parent="mod/0000")
        progress.notify("outcome", site="memoize@mod:f", status="approved", reason="2.00x faster")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and lines[1].endswith("approved memoize@mod:f: 2.00x faster")
    stamped = [re.match(r"^ *\d+\.\ds ", line) is not None for line in lines]
    assert stamped == [timed, timed]


def test_the_try_line_shows_the_prediction_with_what_it_rests_on(capsys: pytest.CaptureFixture[str]) -> None:
    """On unseen code the line says the prior is all there is (not a bare "gain 20.00x")."""
    said = "no history for this kind of site: success 50% (26%-74%) (the prior), gain at most 20.00x (Amdahl's bound)"
    with report.Progress(timed=False) as progress:
        progress.notify("candidate", site="thread-pool@mod:f#0", position=1, total=2, success=0.5, gain=2.99,
                        prediction=said, history=0)
        progress.notify("candidate", site="memoize@mod:g", success=0.6, gain=0.69)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].endswith(f"try thread-pool@mod:f#0 [1/2]  (predicted: {said})")
    assert lines[1].endswith("try memoize@mod:g  (predicted: success 60%, gain 1.99x)")
