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
