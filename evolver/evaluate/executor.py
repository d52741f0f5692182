"""Where candidates are evaluated: ``local`` (this machine, the default) or a Dask cluster
(``tcp://host:port``, a scheduler's address). The evolve loop asks its executor for the evaluator of
each cycle; everything else (what to try, the history, the generations) stays in the evolver process.

    executor.py         this seam: ``Executor``, ``LocalExecutor``, ``executor_for``
    executor_dask.py    the client side on a Dask cluster: tasks out, plain data back
    executor_tasks.py   what runs inside a Dask worker: the project snapshot, the test and race tasks
    executor_plain.py   typed values <-> plain data (dicts, lists, numbers, strings)
"""

from __future__ import annotations

import importlib.util
from types import TracebackType
from typing import Protocol

from evolver.config import origin, valid_executor
from evolver.errors import EvolverError
from evolver.evaluate.evaluator import Evaluator, Notify, Parent, Recorder
from evolver.evaluate.resources import Resources
from evolver.model import Settings, Target

LOCAL = "local"


class Executor(Protocol):
    """Gives each cycle the evaluator of its candidates; a context manager for the whole run."""

    name: str

    def __enter__(self) -> Executor: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def evaluator(self, resources: Resources, parent: Parent, *, notify: Notify,
                  recorder: Recorder | None = None) -> Evaluator: ...


class LocalExecutor:
    """Candidates evaluated on this machine, in sandboxed processes (tests two at a time, one race)."""

    name = LOCAL

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        pass

    def evaluator(self, resources: Resources, parent: Parent, *, notify: Notify,
                  recorder: Recorder | None = None) -> Evaluator:
        return Evaluator(resources, parent, notify=notify, recorder=recorder)


def executor_for(target: Target, settings: Settings) -> Executor:
    """The executor ``settings.executor`` names (not yet entered: nothing is contacted)."""
    if valid_executor(settings.executor, origin(settings, "executor")) == LOCAL:
        return LocalExecutor()
    if importlib.util.find_spec("distributed") is None:
        raise EvolverError(f"{origin(settings, 'executor')} {settings.executor}: the Dask executor needs the "
                           "optional package distributed, which is not installed: pip install 'evolver[dask]'")
    from evolver.evaluate.executor_dask import DaskExecutor

    return DaskExecutor(settings.executor, target, settings)
