"""The improvement lifecycle: proposed -> testing -> approved / rejected -> applied -> rolled_back."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from evolver.errors import EvolverError
from evolver.history import History, StatusError


@pytest.mark.parametrize("path, wanted, message", [
    (["testing", "rejected"], "applied",
     r"'rejected' -> 'applied' \(it was rejected: 1.01x, no significant difference; "
     r"only an approved improvement can become applied\)"),
    ([], "applied", r"\(it has not been tested yet; only an approved improvement can become applied\)"),
    (["testing", "approved"], "rolled_back", r"\(it was approved; only an applied improvement can become rolled_back\)"),
    (["testing", "failed"], "testing", r"\(it failed: 1.01x, no significant difference; only a proposed"),
    (["testing", "approved", "applied", "rolled_back"], "applied", r"\(it was rolled back; only an approved"),
])
def test_an_illegal_move_says_why(tmp_path: Path, path: list[str], wanted: str, message: str) -> None:
    with History.open(tmp_path / "h.db") as history:
        session = history.start_session("test")
        imp = history.add_improvement(session, "mod", "memoize@mod:f", "memoize", "0" * 64)
        for status in path:
            history.set_status(imp, status, reason="1.01x, no significant difference")
        with pytest.raises(StatusError, match=message) as caught:
            history.set_status(imp, wanted)
        assert isinstance(caught.value, EvolverError)  # one line and exit 2 at the command line
        assert history.improvement(imp)["status"] == (path[-1] if path else "proposed")


@pytest.mark.parametrize(("raised", "status"), [(None, "ok"), (KeyboardInterrupt, "interrupted"),
                                                 (EvolverError, "refused"), (RuntimeError, "error")])
def test_the_loop_session_ends_with_how_its_block_ended(tmp_path: Path, raised: type[BaseException] | None,
                                                         status: str) -> None:
    from fibproject import make_fib_project

    from evolver import SelfImprovementLoop

    path = make_fib_project(tmp_path / "proj")
    with contextlib.suppress(BaseException), SelfImprovementLoop(path, workspace_path=tmp_path / "ws") as loop:
        assert loop.session_id
        if raised is not None:
            raise raised("stop")
    with History.open(tmp_path / "ws" / ".evolver" / "evolver.db") as history:
        assert [r["status"] for r in history.rows("sessions")] == [status]
