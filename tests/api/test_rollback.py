"""Automatic rollback: a promoted generation goes bad when a dependency it calls gets slower.

The target, ``client.py``, fetches values from ``service.py`` (a dependency it imports) and falls
back to a slower local replica when a request is dropped. evolver's retry rewrite is a clear win
while dropped requests fail fast and clear on the next attempt. Then the service is edited: a
dropped request now takes 10 ms to time out and a flaky key stays down for three attempts. The
retrying generation now waits through every timeout that the original answered from the replica
after one: the watch re-measures it against the version it replaced, finds it significantly
slower, and rolls it back, byte for byte, with the reason in the history.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from evolver.api import SelfImprovementLoop, Watch

SERVICE = '''\
"""The remote service: drops the first FAILURES requests for every 4th key."""

import time

FAIL_S = 0.0  # how long a dropped request takes to fail
FAILURES = 1  # attempts dropped per flaky key
_attempts = {}


def reset():
    _attempts.clear()


def get(key):
    time.sleep(0.0005)
    seen = _attempts.get(key, 0)
    _attempts[key] = seen + 1
    if key % 4 == 0 and seen < FAILURES:
        time.sleep(FAIL_S)
        return None
    return key * 2
'''

CLIENT = '''\
"""Fetch values from the service; a dropped request is served from the (slower) local replica."""

import time

import service


def fetch(key):
    reply = service.get(key)
    if reply is None:
        raise ConnectionError(f"request {key} dropped")
    return reply


def replica(key):
    time.sleep(0.002)
    return key * 2


def fetch_all(keys):
    out = []
    for key in keys:
        try:
            out.append(fetch(key))
        except ConnectionError:
            out.append(replica(key))
    return out
'''


def make_project(root: Path) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "clientproj"
        version = "0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.evolver]
        tests = "pytest tests"
        bench = "workload:run"
        idempotent = ["client:fetch"]
        retry_backoff = 0.0001
        cycles = 1
        max_pairs = 10
        """))
    (root / "service.py").write_text(SERVICE)
    (root / "client.py").write_text(CLIENT)
    (root / "workload.py").write_text("import client\nimport service\n\n\ndef run():\n"
                                      "    service.reset()\n    return client.fetch_all(range(24))\n")
    (root / "tests" / "test_client.py").write_text(
        "import client\nimport service\n\n\ndef test_fetch_all():\n    service.reset()\n"
        "    assert client.fetch_all(range(6)) == [0, 2, 4, 6, 8, 10]\n")
    return root / "client.py"


@pytest.mark.slow
def test_a_promoted_generation_that_got_slower_is_rolled_back(tmp_path: Path) -> None:
    path = make_project(tmp_path / "proj")
    original = path.read_bytes()
    with SelfImprovementLoop(path, workspace_path=tmp_path / "ws") as loop:
        suggestions = loop.generate_improvements(max_suggestions=5)
        retry = next(s for s in suggestions if s["suggestion_type"] == "retry")
        tested = loop.test_improvement(retry["id"])
        assert tested["success"], tested
        assert loop.apply_improvement(retry["id"])
        promoted = path.read_bytes()
        assert b"_evolver_retry(fetch, key)" in promoted

        # the dependency gets slower: dropped requests time out, and stay down for 3 attempts
        service = tmp_path / "proj" / "service.py"
        service.write_text(SERVICE.replace("FAIL_S = 0.0", "FAIL_S = 0.01").replace("FAILURES = 1", "FAILURES = 3"))

        started = time.monotonic()
        summary = Watch(loop).run(max_cycles=1, cycle_interval=0)
        print(f"watch cycle: {time.monotonic() - started:.0f} s")
        report = summary.cycles[0]
        assert report.rolled_back == tested["generation"]
        assert report.rollback_reason is not None
        assert "significantly slower than the version it replaced" in report.rollback_reason
        assert path.read_bytes() == original  # byte-identical to its parent

        promotion = loop.history.rows("applied_improvements")[-1]
        assert promotion["generation_id"] == tested["generation"]
        assert promotion["rolled_back_at"] is not None
        assert promotion["rollback_reason"] == report.rollback_reason
        assert loop.history.improvement(retry["id"])["status"] == "rolled_back"
        entry = next(e for e in loop.get_improvement_history(20) if e["id"] == retry["id"])
        assert (entry["status"], entry["rollback_reason"]) == ("rolled_back", report.rollback_reason)
        # and it went on evolving from the parent: the retry rewrite is now judged slower there too
        assert report.clone is None or b"_evolver_retry" not in loop.store.get(report.clone.generation).source_path.read_bytes()
        assert loop.get_stats()["rollbacks"] == 1
