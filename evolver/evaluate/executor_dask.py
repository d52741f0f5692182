"""Evaluate candidates on a Dask cluster (``--executor tcp://host:port``), from the evolver process.

The client sends the project once per worker (a hash-named snapshot, ``executor_tasks.Snapshot``),
then, per cycle, one test task per candidate (they spread over the workers) and race tasks of the
candidates that passed (each race is one task: all the timing pairs of a comparison come from one
worker, named in the comparison). Results come back as plain data; the history is written here
only, once per candidate, whatever the workers did: a task whose worker died is run again
elsewhere by the scheduler, and its result, under a key named by its content, arrives once.
"""

from __future__ import annotations

import hashlib
import io
import json
import queue
import tarfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from distributed import Client, Future

from evolver import __version__
from evolver.config import origin
from evolver.errors import EvolverError
from evolver.evaluate import judge
from evolver.evaluate.evaluator import Evaluator, Notify, Parent, Proposal, Recorder, Result
from evolver.evaluate.executor_plain import judgement, measured, plain, seed
from evolver.evaluate.executor_tasks import Snapshot, race_task, test_task
from evolver.evaluate.race import MAX_ARMS
from evolver.evaluate.resources import Resources, Version
from evolver.model import Settings, Target
from evolver.sandbox.scratch import _project_files, _refuse_oversize

CONNECT_S = 10.0  # to reach the scheduler
WORKERS_S = 30.0  # for a first worker to join it
POLL_S = 0.25  # between looks at the tasks, the budget and the progress events


class DaskExecutor:
    """A connection to a Dask scheduler for one evolve run, with the project sent to its workers."""

    name = "dask"

    def __init__(self, address: str, target: Target, settings: Settings) -> None:
        self.address, self.target, self.settings = address, target, settings
        self.run = uuid.uuid4().hex[:12]
        self.topic = f"evolver-{self.run}"
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.client: Client | None = None

    def __enter__(self) -> DaskExecutor:
        where = f"{origin(self.settings, 'executor')} {self.address}"
        try:
            client = Client(self.address, timeout=CONNECT_S, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise EvolverError(f"{where}: cannot reach a Dask scheduler there ({exc})") from None
        self.client = client
        try:
            try:
                client.wait_for_workers(1, timeout=WORKERS_S)
            except TimeoutError:
                raise EvolverError(f"{where}: the scheduler has no worker (waited {WORKERS_S:g} s)") from None
            _same_evolver(client, where)
            digest, data = snapshot(self.target, self.settings)
            self.plugin = Snapshot(self.run, digest, self.target.root.name or "project", data)
            client.register_plugin(self.plugin)
            client.subscribe_topic(self.topic, lambda event: self.events.put(event[1]))
        except BaseException:
            client.close()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.client is None:
            return
        try:
            self.client.unsubscribe_topic(self.topic)
            self.client.unregister_worker_plugin(self.plugin.name)  # its teardown removes the copies
        except Exception:  # the scheduler may be gone already; nothing is left to undo here
            pass
        finally:
            self.client.close()
            self.client = None

    def evaluator(self, resources: Resources, parent: Parent, *, notify: Notify,
                  recorder: Recorder | None = None) -> Evaluator:
        return DaskEvaluator(self, resources, parent, notify=notify, recorder=recorder)

    def workers(self) -> int:
        return max(1, len(self._workers()))

    def hosts(self) -> list[str]:
        """The machines the workers run on (several workers of one machine share its CPUs)."""
        return sorted({info.get("host") or address.rpartition(":")[0] for address, info in self._workers().items()})

    def _workers(self) -> dict[str, dict[str, Any]]:
        assert self.client is not None
        return dict(self.client.scheduler_info().get("workers", {}))


def snapshot(target: Target, settings: Settings) -> tuple[str, bytes]:
    """The project as a scratch copy takes it (``.gitignore`` honoured, the size limit kept): the hash
    of its paths and contents, and a gzipped tarball of it."""
    files, links = _project_files(target.root)
    _refuse_oversize(target.root, files, settings.max_project_mb)
    digest = hashlib.sha256()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for rel in [*files, *links]:
            path = target.root / rel
            if path.is_symlink() and not path.exists():
                continue  # a dangling link: a scratch copy leaves it out too
            is_link = rel in links
            digest.update(rel.as_posix().encode() + b"\0")
            digest.update(str(path.readlink()).encode() if is_link else path.read_bytes())
            archive.add(path, arcname=rel.as_posix(), recursive=False)
    return digest.hexdigest(), buffer.getvalue()


def _same_evolver(client: Client, where: str) -> None:
    """Every worker must run this evolver (the tasks are its functions)."""
    try:
        found = client.run(_evolver_version)
    except Exception as exc:  # a worker that cannot import evolver fails here, with its reason
        raise EvolverError(f"{where}: a worker cannot run evolver ({type(exc).__name__}: {exc}); "
                           "install evolver[dask] on every worker") from None
    other = {w: v for w, v in found.items() if v != __version__}
    if other:
        worker, version = sorted(other.items())[0]
        raise EvolverError(f"{where}: worker {worker} runs evolver {version}, this is {__version__}")


def _evolver_version() -> str:
    from evolver import __version__ as version

    return version


@dataclass
class _Candidate:
    position: int
    proposal: Proposal
    source: str
    measured: dict[str, Any] | None = None
    behaviour: dict[str, Any] | None = None  # its behaviour check, made by its test task


class DaskEvaluator(Evaluator):
    """The candidates of one cycle: test tasks spread over the workers, then race tasks, each pinned
    (by being one task) to one worker; each verdict recorded here once."""

    def __init__(self, executor: DaskExecutor, resources: Resources, parent: Parent, *, notify: Notify,
                 recorder: Recorder | None = None) -> None:
        super().__init__(resources, parent, notify=notify, recorder=recorder, workers=executor.workers())
        self.executor = executor
        assert executor.client is not None
        self.client: Client = executor.client
        self.results: dict[str, Result] = {}
        self.candidates: dict[str, _Candidate] = {}
        self.tests: dict[Future, str] = {}
        self.races: dict[Future, tuple[list[str], str]] = {}  # the candidates of a race, and its host
        self.waiting: list[str] = []
        self.finished: queue.Queue[Future] = queue.Queue()

    def evaluate(self, proposals: Sequence[Proposal]) -> list[Result]:
        total = len(proposals)
        try:
            for position, proposal in enumerate(proposals, start=1):
                self._submit_test(position, proposal, total)
            while self.tests or self.races or self.waiting:
                self._start_races(total)
                done = self._done()
                self._relay_events()
                if self.resources.clock.out_of_time():
                    self._stop("not judged: the time budget is used up", total)
                    break
                for future in done:
                    self._tested(future, total) if future in self.tests else self._raced(future, total)
        finally:
            self.client.cancel([*self.tests, *self.races])
        return [self.results[p.key] for p in proposals if p.key in self.results]

    # -- tasks out --------------------------------------------------------------------------------
    def _submit_test(self, position: int, proposal: Proposal, total: int) -> None:
        key = proposal.key
        if self.resources.clock.out_of_time():
            self._finish_once(key, None, judge.not_measured("not judged: the time budget is used up"), position, total)
            return
        self.recorder.started(key)
        self.notify("candidate", site=key, position=position, total=total, phase="testing",
                    eta_s=self._eta(total - position + 1), **proposal.info)
        try:
            source = proposal.make()
        except EvolverError as exc:
            self._finish_once(key, None, judge.Judgement("failed", str(exc)), position, total)
            return
        self.candidates[key] = _Candidate(position, proposal, source)
        request = self._request(key=key, source=source, tests=_listed(proposal.tests))
        future = self.client.submit(test_task, self.executor.plugin.name, request, key=_key("tests", request))
        self.tests[future] = key
        future.add_done_callback(self.finished.put)

    def _start_races(self, total: int) -> None:
        """Race what passed, on a machine where no race runs (two races on one machine would time
        each other), when a worker would otherwise idle, or a race is full, or every test is done
        (then spread over the machines not racing)."""
        if not self.waiting:
            return
        racing = {host for _, host in self.races.values()}
        free = [host for host in self.executor.hosts() if host not in racing]
        if not free or (self.tests and len(self.waiting) < MAX_ARMS and len(self.tests) >= self.executor.workers()):
            return
        groups = 1 if self.tests else min(len(free), len(self.waiting))
        for k in range(groups):
            keys = self.waiting[k::groups]
            given = [{"key": key, "source": c.source, "tests": _listed(c.proposal.tests), "measured": c.measured,
                      "behaviour": c.behaviour}
                     for key, c in ((key, self.candidates[key]) for key in keys)]
            request = self._request(candidates=given, n_candidates=max(1, total))
            future = self.client.submit(race_task, self.executor.plugin.name, request, self.executor.topic,
                                        key=_key("race", request), workers=[free[k]], allow_other_workers=True)
            self.races[future] = (keys, free[k])
            future.add_done_callback(self.finished.put)
        self.waiting = []

    def _request(self, **task: Any) -> dict[str, Any]:
        """A task's plain data: the target, the settings, the parent as measured, and the task's own."""
        target, parent = self.resources.target, self.parent
        return {"target": {"relpath": target.relpath.as_posix(), "module": target.module,
                           "import_root": target.import_root.relative_to(target.root).as_posix()},
                "settings": plain(self.settings),
                "parent": {"source": parent.version.source, "limits": plain(parent.version.bench.limits),
                           "measured": measured(parent.version), "tests_expected": parent.tests_expected,
                           "errors": parent.errors, "nondeterministic": parent.nondeterministic},
                "budget_left_s": self.resources.clock.left(), **task}

    # -- plain data back ----------------------------------------------------------------------------
    def _tested(self, future: Future, total: int) -> None:
        key = self.tests.pop(future)
        candidate = self.candidates[key]
        try:
            found = future.result()
        except Exception as exc:  # the cluster's failure (e.g. workers that kept dying), not the candidate's
            self._finish_once(key, None, _lost("tests", exc), candidate.position, total)
            return
        candidate.measured, candidate.behaviour = found["measured"], found.get("behaviour")
        self._test_s.append(float(found["seconds"]))
        version = self._local(candidate)
        if version is not None and version.oracle is not None:
            self.recorder.tested(key, version)
        if found["verdict"] is not None:
            self._finish_once(key, version, judgement(found["verdict"]), candidate.position, total)
        elif version is not None:
            self.waiting.append(key)

    def _raced(self, future: Future, total: int) -> None:
        keys, _ = self.races.pop(future)
        try:
            found = future.result()["results"]
        except Exception as exc:  # as in _tested
            for key in keys:
                self._finish_once(key, self._local(self.candidates[key]), _lost("race", exc),
                                  self.candidates[key].position, total)
            return
        for key in keys:
            candidate = self.candidates[key]
            if key not in found:  # the race ended without it (the budget): no verdict came back
                self._finish_once(key, None, judge.not_measured("not judged: the time budget is used up"),
                                  candidate.position, total)
                continue
            candidate.measured = found[key]["measured"] or candidate.measured
            self._finish_once(key, self._local(candidate), judgement(found[key]["verdict"]), candidate.position, total)

    def _local(self, candidate: _Candidate) -> Version | None:
        """The candidate's version in this process (a scratch copy, nothing run in it) holding what the
        workers measured: the evolve loop keeps the winner and records its test run from it."""
        try:
            version = self.resources.version(candidate.source, self.limits)
        except EvolverError:
            return None
        if candidate.measured is not None:
            seed(version, candidate.measured)
        return version

    def _finish_once(self, key: str, version: Version | None, verdict: judge.Judgement, position: int,
                     total: int) -> None:
        if key not in self.results:  # a candidate is recorded once, whatever the cluster did
            self.results[key] = self._finish(key, version, verdict, position, total)

    def _stop(self, reason: str, total: int) -> None:
        self.client.cancel([*self.tests, *self.races])
        for key in [*self.tests.values(), *(k for keys, _ in self.races.values() for k in keys), *self.waiting]:
            self._finish_once(key, None, judge.not_measured(reason), self.candidates[key].position, total)
        self.tests, self.races, self.waiting = {}, {}, []

    def _done(self) -> list[Future]:
        """The tasks that ended since the last look (waiting a little for one)."""
        try:
            done = [self.finished.get(timeout=POLL_S)]
        except queue.Empty:
            return []
        while not self.finished.empty():
            done.append(self.finished.get_nowait())
        return [f for f in done if f in self.tests or f in self.races]

    def _relay_events(self) -> None:
        while True:
            try:
                event = dict(self.executor.events.get_nowait())
            except queue.Empty:
                return
            name = event.pop("event")
            self.notify(name, **event)


def _lost(what: str, exc: BaseException) -> judge.Judgement:
    return judge.not_measured(f"not judged: the cluster could not run its {what} ({type(exc).__name__}: {exc})")


def _listed(tests: tuple[str, ...] | None) -> list[str] | None:
    return None if tests is None else list(tests)


def _key(kind: str, request: dict[str, Any]) -> str:
    """A task's key, named by what it computes: the same request is one task, its result one."""
    content = {k: v for k, v in request.items() if k != "budget_left_s"}
    return f"evolver-{kind}-" + hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:32]
