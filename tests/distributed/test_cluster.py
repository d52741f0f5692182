"""Evolve runs through a real Dask cluster (``distributed.LocalCluster``, two worker processes): the
same generations and verdicts as the local executor, and a worker killed in the middle of a race.

The target is chosen so that its verdicts do not hang on the machine's noise: memoizing an
exponential ``fib`` makes the workload about 100x faster (approved on any machine), a list
comprehension in ``table`` changes nothing measurable (rejected: it cannot reach the 3% minimum
effect at alpha 0.01), and a cache on ``once`` is screened out (called once per run).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sqlite3
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip("distributed")

from evolver.config import load_settings, resolve_target  # noqa: E402
from evolver.evaluate.api import evaluate_candidate  # noqa: E402
from evolver.evaluate.executor_tasks import SNAPSHOT_TOPIC  # noqa: E402
from evolver.evolve import EvolveResult, evolve  # noqa: E402
from evolver.history import History  # noqa: E402

pytestmark = pytest.mark.slow

MODULE = '''\
"""An exponential pure function, one with a loop, one called once."""


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def table(n: int) -> list[int]:
    out = []
    for i in range(n):
        out.append(fib(i % 18))
    return out


def once(n: int) -> int:
    return sum(fib(i) for i in range(n))
'''

TESTS = '''\
from mod import fib, once, table


def test_fib():
    assert [fib(i) for i in range(10)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]


def test_table():
    assert table(3) == [0, 1, 1]


def test_once():
    assert once(5) == 7
'''


def make_project(root: Path) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "proj"
        version = "0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.evolver]
        tests = "pytest tests"
        bench = "workload:run"
        cycles = 1
        """))
    (root / "mod.py").write_text(MODULE)
    (root / "workload.py").write_text("import mod\n\n\ndef run():\n    return mod.table(40), mod.once(18)\n")
    (root / "tests" / "test_mod.py").write_text(TESTS)
    return root / "mod.py"


@pytest.fixture(scope="module")  # one cluster for the module (it starts in 2-20 s): the kill test comes last
def cluster() -> Iterator[tuple[Any, Any]]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as local, \
            distributed.Client(local, set_as_default=False) as client:
        yield local, client


def run(root: Path, workspace: Path, executor: str) -> tuple[EvolveResult, Path]:
    target = resolve_target(make_project(root))
    settings = load_settings(target, {"executor": executor})
    db = workspace / ".evolver" / "evolver.db"
    with History.open(db) as history:
        return evolve(target, settings, workspace, history), db


def verdicts(result: EvolveResult) -> dict[str, tuple[str, str | None]]:
    return {o.candidate.site.id: (o.status, o.comparison.verdict if o.status == "approved" and o.comparison else None)
            for o in result.outcomes}


def behaviour(result: EvolveResult) -> dict[str, tuple[str, bool] | None]:
    """Each candidate's behaviour check: its verdict, and whether it compared calls with both traces'
    digests recorded (the digests and how many calls fit the recording budget vary from run to run)."""
    return {o.candidate.site.id: None if o.judgement.behaviour is None else
            (o.judgement.behaviour["verdict"], o.judgement.behaviour["calls"] > 0
             and bool(o.judgement.behaviour["parent_trace"] and o.judgement.behaviour["candidate_trace"]))
            for o in result.outcomes}


def rows(db: Path, sql: str, *args: Any) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, args).fetchall()]


def check_history(result: EvolveResult, history: Path) -> list[dict[str, Any]]:
    """One row per candidate, each with its verdict; one test run recorded per candidate tested."""
    found = rows(history, "SELECT * FROM improvements WHERE session_id = ?", result.session_id)
    assert sorted(r["site_id"] for r in found) == sorted(o.candidate.site.id for o in result.outcomes)
    assert {r["site_id"]: r["status"] for r in found} == {o.candidate.site.id: o.status for o in result.outcomes}
    tested = rows(history, "SELECT improvement_id, COUNT(*) AS n FROM test_results WHERE session_id = ? "
                           "AND improvement_id IS NOT NULL GROUP BY improvement_id", result.session_id)
    assert {r["improvement_id"] for r in tested} == {r["id"] for r in found}
    assert all(r["n"] == 1 for r in tested)
    generations = rows(history, "SELECT id, source_hash FROM generations WHERE parent_id IS NOT NULL")
    assert [(g["id"], g["source_hash"]) for g in generations] == \
        [(g.id, g.manifest["source_hash"]) for g in result.generations]
    return found


def orphans(marker: str) -> list[int]:
    """Sandboxed runs the killed worker had started and left behind (a timing worker blocks on its
    FIFOs once the process at their other end is gone: see the report): ended here, by their id."""
    found = []
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = status.read_bytes().split(b"\0")
            request = next((Path(a.decode()) for a in argv if a.endswith(b"request.json")), None)
            if request is not None and marker in request.read_text(encoding="utf-8"):
                found.append(int(status.parent.name))
        except (OSError, ValueError):
            continue
    for pid in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for copy in Path(tempfile.gettempdir()).glob(f"evolver-scratch-*/{marker}"):
        shutil.rmtree(copy.parent, ignore_errors=True)  # the killed worker's scratch copies
    return found


def test_through_the_cluster_the_same_generations_and_verdicts_as_locally(tmp_path: Path, cluster: Any) -> None:
    local_cluster, client = cluster
    here, history_here = run(tmp_path / "a", tmp_path / "wa", "local")
    since = time.time()
    there, history_there = run(tmp_path / "b", tmp_path / "wb", local_cluster.scheduler_address)
    assert verdicts(there) == verdicts(here)
    assert verdicts(here)["memoize@mod:fib"] == ("approved", "faster")
    assert behaviour(there) == behaviour(here)  # the same calls traced, on the workers
    assert behaviour(here)["memoize@mod:fib"] == ("same", True)
    assert {c.site.id for c, _ in there.screened} == {c.site.id for c, _ in here.screened}
    assert [g.manifest["source_hash"] for g in there.generations] == [g.manifest["source_hash"] for g in here.generations]
    assert [[t["site"] for t in g.manifest["transforms"]] for g in there.generations] == \
        [[t["site"] for t in g.manifest["transforms"]] for g in here.generations]
    check_history(here, history_here)
    measured = {r["site_id"]: json.loads(r["measurement_json"]) for r in check_history(there, history_there)}

    workers = set(client.scheduler_info()["workers"])
    for outcome in there.outcomes:  # the worker that measured, in the comparison and the history
        if outcome.comparison is not None:
            assert outcome.comparison.extra["worker"]["address"] in workers
            assert measured[outcome.candidate.site.id]["extra"]["worker"] == outcome.comparison.extra["worker"]
    assert there.generations[0].manifest["measurements"]["vs_parent"]["extra"]["worker"]["address"] in workers
    assert all("worker" not in (o.comparison.extra if o.comparison else {}) for o in here.outcomes)

    unpacked = [e for stamp, e in client.get_events(SNAPSHOT_TOPIC) if stamp >= since]
    assert len(unpacked) == 2 and len({e["run"] for e in unpacked}) == 1  # once per worker...
    tasks = len(there.outcomes) + 1  # ...for a test task per candidate and at least one race
    assert tasks > len(unpacked)


def test_the_python_api_judges_a_candidate_through_the_cluster(tmp_path: Path, cluster: Any) -> None:
    """``[tool.evolver] executor`` holds for the API's judge too (``SelfImprovementLoop.test_improvement``)."""
    local_cluster, client = cluster
    target = resolve_target(make_project(tmp_path / "api"))
    settings = load_settings(target, {"executor": local_cluster.scheduler_address})
    parent = target.path.read_text(encoding="utf-8")
    memoized = parent.replace("def fib(", "@functools.cache\ndef fib(").replace('"""\n', '"""\nimport functools\n', 1)
    verdict = evaluate_candidate(target, settings, parent, memoized)
    assert verdict.status == "approved", verdict.reason
    assert verdict.comparison is not None
    assert verdict.comparison.extra["worker"]["address"] in set(client.scheduler_info()["workers"])
    broken = parent.replace("return n if n < 2 else", "return n + 1 if n < 2 else")
    failed = evaluate_candidate(target, settings, parent, broken)
    assert failed.status == "failed" and "test" in failed.reason


@pytest.mark.slow  # a real run of 10 s or more: CI's whole suite runs it
def test_a_worker_killed_in_the_middle_of_a_race(tmp_path: Path, cluster: Any) -> None:
    local_cluster, client = cluster
    killed: dict[str, Any] = {}
    stop = threading.Event()

    def kill_a_racing_worker() -> None:
        while not stop.is_set():
            for address, keys in client.processing().items():
                racing = [k for k in keys if str(k).startswith("evolver-race-")]
                if racing:
                    pid = client.run(os.getpid, workers=[address])[address]
                    time.sleep(1.0)  # the race has started its timing rounds
                    os.kill(pid, signal.SIGKILL)
                    killed.update(address=address, pid=pid, keys=racing)
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_racing_worker, daemon=True)
    killer.start()
    root = tmp_path / f"killed-{os.getpid()}"
    try:
        result, history = run(root, tmp_path / "ws", local_cluster.scheduler_address)
    finally:
        stop.set()
        killer.join(10)
        orphans(root.name)
    assert killed, "no race was seen to kill"
    with pytest.raises(ProcessLookupError):
        os.kill(killed["pid"], 0)  # really dead

    assert verdicts(result)["memoize@mod:fib"] == ("approved", "faster")
    assert len(result.generations) == 1
    check_history(result, history)  # nothing lost, nothing twice
    assert sorted(p.name for p in (tmp_path / "ws" / "generations" / "mod").iterdir()) == ["0000", "0001"]
    for outcome in result.outcomes:  # every comparison was measured whole on a live worker
        if outcome.comparison is not None:
            assert outcome.comparison.extra["worker"]["pid"] != killed["pid"]
    assert all(o.reason and "cluster" not in o.reason for o in result.outcomes)
