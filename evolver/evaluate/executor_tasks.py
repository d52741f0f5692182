"""What runs inside a Dask worker: the project snapshot it keeps, and the two tasks evolver sends.

A run registers one ``Snapshot`` worker plugin: the project's files as a tarball named by their
hash, sent once to each worker (and to any worker that joins later or replaces a dead one), unpacked
into the worker's own folder. Tasks carry only plain data: the candidate's source, the parent's
measured facts, the settings. Each task runs the same evaluator as a local run, on scratch copies
of the unpacked project: the sandboxed subprocesses start from the worker, never run code of the
candidate in the worker's own process. A task returns plain data, tagged with the worker that ran it.

- ``test_task``: one candidate's tests and the checks before timing. Tasks of different candidates
  spread over the workers.
- ``race_task``: candidates that passed raced against the parent. A race is one task, so every
  timing pair of a comparison is measured on one worker; a worker races one at a time. The
  behaviour check made by a candidate's test task travels with it, so it is not traced twice.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import tarfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin, get_worker

from evolver.evaluate.behaviour import BehaviourCheck
from evolver.evaluate.evaluator import Evaluator, Parent, Proposal
from evolver.evaluate.executor_plain import measured, plain, seed, typed
from evolver.evaluate.limits import Limits
from evolver.evaluate.resources import Clock, Resources, Version
from evolver.model import Settings, Target

SNAPSHOT_TOPIC = "evolver-snapshot"  # one event each time a worker unpacks a run's project


class Snapshot(WorkerPlugin):
    """The project of one run, unpacked once per worker; the run's scratch copies there."""

    def __init__(self, run: str, digest: str, root_name: str, data: bytes) -> None:
        self.name = f"evolver-{run}"
        self.run, self.digest, self.root_name, self.data = run, digest, root_name, data

    def setup(self, worker: Any) -> None:
        self.folder = Path(worker.local_directory) / "evolver" / self.digest
        with tarfile.open(fileobj=io.BytesIO(self.data), mode="r:gz") as archive:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
                archive.extractall(self.folder / self.root_name, filter="data")
            else:
                archive.extractall(self.folder / self.root_name)  # our own archive, made by the client
        worker.log_event(SNAPSHOT_TOPIC, {"run": self.run, "digest": self.digest, "bytes": len(self.data)})
        self.data = b""  # unpacked: the bytes are no longer needed in this worker
        self.lock, self.racing = threading.Lock(), threading.Lock()
        self.resources: Resources | None = None

    def teardown(self, worker: Any) -> None:
        if getattr(self, "resources", None) is not None:
            self.resources.__exit__(None, None, None)  # type: ignore[union-attr]
        shutil.rmtree(getattr(self, "folder", ""), ignore_errors=True)

    def evaluator(self, request: dict[str, Any], notify: Callable[..., None]) -> Evaluator:
        """The evaluator of the request's parent, as the client's would be, on this worker's copies."""
        settings = typed(Settings, request["settings"])
        with self.lock:
            if self.resources is None:
                clock = Clock(request["budget_left_s"])
                self.resources = Resources(self._target(request["target"]), settings, clock).__enter__()
            resources = self.resources
            given = request["parent"]
            version = resources.version(given["source"], typed(Limits, given["limits"]))
            seed(version, given["measured"])
        parent = Parent(version=version, tests_expected=given["tests_expected"], errors=given["errors"],
                        nondeterministic=given["nondeterministic"])
        return Evaluator(resources, parent, notify=notify, workers=1)

    def release(self, version: Version | None, parent: Version) -> None:
        if version is not None and version is not parent and self.resources is not None:
            self.resources.release(version)

    def _target(self, given: dict[str, str]) -> Target:
        root = self.folder / self.root_name
        path = root / given["relpath"]
        return Target(path=path, root=root, import_root=root / given["import_root"], module=given["module"])


def test_task(plugin_name: str, request: dict[str, Any]) -> dict[str, Any]:
    """One candidate's tests and output check on this worker."""
    start = time.monotonic()
    snapshot = _snapshot(plugin_name)
    evaluator = snapshot.evaluator(request, _quiet)
    proposal = Proposal(request["key"], _constant(request["source"]), tests=_tests(request["tests"]))
    version, verdict = evaluator.test(proposal)
    behaviour = None if version is None else evaluator.behaviour(version)
    found = {"verdict": None if verdict is None else plain(verdict),
             "measured": None if version is None else measured(version),
             "behaviour": None if behaviour is None else plain(behaviour), "worker": where(),
             "seconds": time.monotonic() - start}
    snapshot.release(version, evaluator.parent.version)
    return found


def race_task(plugin_name: str, request: dict[str, Any], topic: str) -> dict[str, Any]:
    """Race the request's candidates (their tests passed elsewhere) against the parent, here."""
    snapshot = _snapshot(plugin_name)
    with snapshot.racing:  # one race at a time on a worker: races must not time each other
        evaluator = snapshot.evaluator(request, _relay(topic))
        evaluator.n_candidates = request["n_candidates"]
        proposals = []
        for given in request["candidates"]:
            version = evaluator.resources.version(given["source"], evaluator.limits)
            seed(version, given["measured"])
            if given.get("behaviour") is not None:  # checked by its test task: not traced twice
                evaluator.given_behaviour(version, typed(BehaviourCheck, given["behaviour"]))
            proposals.append(Proposal(given["key"], _constant(given["source"]), tests=_tests(given["tests"])))
        worker = where()
        found = {}
        for result in evaluator.evaluate(proposals):
            verdict = plain(result.judgement)
            if verdict["comparison"] is not None:
                verdict["comparison"]["extra"]["worker"] = worker
            found[result.key] = {"verdict": verdict,
                                 "measured": None if result.version is None else measured(result.version)}
            snapshot.release(result.version, evaluator.parent.version)
    return {"results": found, "worker": worker}


def where() -> dict[str, Any]:
    """The worker running this task: its address, name, host and process."""
    worker = get_worker()
    return {"address": worker.address, "name": str(worker.name), "host": socket.gethostname(), "pid": os.getpid()}


def _snapshot(name: str) -> Snapshot:
    plugin = get_worker().plugins.get(name)
    if not isinstance(plugin, Snapshot):
        raise RuntimeError(f"this worker has no project snapshot {name} (the evolver run that sent it has ended)")
    return plugin


def _relay(topic: str) -> Callable[..., None]:
    """Progress of a race, as events of the run's topic (the client shows them)."""
    worker = get_worker()

    def notify(event: str, **data: Any) -> None:
        if event == "race":
            worker.log_event(topic, {"event": event, **data})

    return notify


def _quiet(event: str, **data: Any) -> None:
    """Say nothing."""


def _constant(source: str) -> Callable[[], str]:
    return lambda: source


def _tests(given: list[str] | None) -> tuple[str, ...] | None:
    return None if given is None else tuple(given)
