"""Where sandboxed commands run: the process jail (default) or a Docker container.

Both take a ``Job`` and give back the same ``RunResult``; paths are the same inside and outside
the sandbox, so the oracle and the worker need not know which backend runs them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from evolver.errors import EvolverError
from evolver.model import Settings
from evolver.sandbox.runner import Limits, RunResult, bwrap_available, isolation, netns_available, run_isolated

BACKENDS = ("process", "docker")


@dataclass(frozen=True)
class Job:
    """One command to run: only ``writable`` may be written; ``readable`` must stay visible."""

    argv: tuple[str, ...]
    cwd: Path
    timeout_s: float
    writable: tuple[Path, ...]
    readable: tuple[Path, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)  # added to the scrubbed environment
    limits: Limits = field(default_factory=Limits)
    cancel: threading.Event | None = field(default=None, compare=False)  # set: stop the job now


class Backend(Protocol):
    name: str

    @property
    def isolation(self) -> tuple[str, ...]:
        """The isolation layers every run of this backend gets."""

    def run(self, job: Job) -> RunResult:
        """Run the job to its end, its timeout or its limits; never raise for what the job does."""


class ProcessBackend:
    """Processes of this machine: process group, rlimits, no network, bubblewrap when installed."""

    name = "process"

    @property
    def isolation(self) -> tuple[str, ...]:
        return isolation(netns_available(), bwrap_available())

    def run(self, job: Job) -> RunResult:
        return run_isolated(job.argv, job.cwd, env=job.env, timeout_s=job.timeout_s, limits=job.limits,
                            writable=job.writable, readable=job.readable, cancel=job.cancel)


def backend_for(settings: Settings) -> Backend:
    """The backend ``settings.sandbox`` names, ready to run (or a one-line EvolverError)."""
    if settings.sandbox == "process":
        return ProcessBackend()
    if settings.sandbox == "docker":
        from evolver.sandbox.docker_backend import docker_backend  # the SDK loads only when asked for

        return docker_backend(settings.docker_image)
    raise EvolverError(f"unknown sandbox {settings.sandbox!r} (use one of {', '.join(BACKENDS)})")
