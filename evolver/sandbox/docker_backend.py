"""The Docker backend: each command runs in a fresh container, through the Docker SDK.

No network, a read-only root, memory / CPU / pids limits, no capabilities, a private /tmp, and only
the scratch area mounted writable, at the same path as on the host. The image is the user's
(``docker_image``: Python >= 3.11 with pytest and the project's dependencies), or an empty image
evolver imports itself that runs this machine's own interpreter, mounted read-only.
"""

from __future__ import annotations

import functools
import io
import os
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

import docker
import requests
from docker.errors import DockerException, ImageNotFound
from docker.models.containers import Container
from docker.types import LogConfig, Mount, Ulimit

from evolver.errors import EvolverError
from evolver.sandbox.backends import Job
from evolver.sandbox.runner import OUTPUT_TAIL_BYTES, RunResult, cpu_seconds, interpreter_paths, scrubbed_env, tail_text

HOST_IMAGE = "evolver-host-python:empty"
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")
SYSTEM_FILES = ("/etc/passwd", "/etc/group")  # world-readable; lets getpass and pwd answer
PING_TIMEOUT_S = 10
CANCEL_POLL_S = 0.5  # how often a cancellable run checks whether it was cancelled
LOG_MAX = f"{max(1, 4 * OUTPUT_TAIL_BYTES // 1024)}k"
LABEL = {"evolver": "sandbox"}


@functools.cache
def docker_backend(image: str | None) -> DockerBackend:
    """A backend on the engine ``DOCKER_HOST`` names (or the local socket), its image ready."""
    client = _connect()
    if image is None:
        _ensure_host_image(client)
        return DockerBackend(client, HOST_IMAGE, host_interpreter=True)
    try:
        client.images.get(image)
    except ImageNotFound:
        raise EvolverError(f"docker image {image!r} is not on this engine: pull or build it first") from None
    except DockerException as exc:
        raise EvolverError(f"cannot inspect docker image {image!r}: {_line(exc)}") from None
    return DockerBackend(client, image, host_interpreter=False)


class DockerBackend:
    name = "docker"

    def __init__(self, client: docker.DockerClient, image: str, *, host_interpreter: bool) -> None:
        self.client = client
        self.image = image
        self.host_interpreter = host_interpreter

    @property
    def isolation(self) -> tuple[str, ...]:
        source = "host-interpreter(read-only)" if self.host_interpreter else f"image({self.image})"
        return ("container(docker)", "no-network(docker)", "read-only-root(docker)", "private-tmp(docker)",
                "memory-limit(docker)", "cpu-limit(docker)", "pids-limit(docker)", "no-capabilities(docker)",
                source)

    def run(self, job: Job) -> RunResult:
        start = time.perf_counter()
        container = self._create(job)
        try:
            container.start()
            code, timed_out, cancelled = _wait(container, job)
            duration = time.perf_counter() - start
            stdout, stderr = _logs(container, stdout=True), _logs(container, stdout=False)
            killed = _oom(container, job)
        except (DockerException, requests.RequestException) as exc:
            raise EvolverError(f"the docker engine failed running a sandbox: {_line(exc)}") from None
        finally:
            _remove(container)
        return RunResult(code, stdout, stderr, timed_out, duration, self.isolation, killed, cancelled)

    def _create(self, job: Job) -> Container:
        try:
            return self.client.containers.create(self.image, self._argv(job), **self._options(job))
        except (DockerException, requests.RequestException) as exc:
            raise EvolverError(f"cannot create a docker sandbox from {self.image}: {_line(exc)}") from None

    def _argv(self, job: Job) -> list[str]:
        if self.host_interpreter:
            return list(job.argv)
        return ["python" if word == sys.executable else word for word in job.argv]  # the image's own

    def _options(self, job: Job) -> dict[str, Any]:
        limits = job.limits
        env = scrubbed_env(job.cwd, job.env)
        if not self.host_interpreter:
            env.pop("PATH")  # the image knows where its programs are
        cpu = cpu_seconds(limits, job.timeout_s)
        fsize = limits.file_size_mb * 1024 * 1024
        memory = limits.address_space_mb * 1024 * 1024  # RLIMIT_DATA: a huge allocation fails at once
        return {
            "working_dir": str(job.cwd), "environment": env, "user": f"{os.getuid()}:{os.getgid()}",
            "network_mode": "none", "read_only": True, "mounts": self._mounts(job),
            "tmpfs": {"/tmp": f"rw,nosuid,nodev,size={limits.file_size_mb}m,mode=1777"},
            "mem_limit": f"{limits.address_space_mb}m", "memswap_limit": f"{limits.address_space_mb}m",
            "nano_cpus": int((limits.cpus or os.cpu_count() or 1) * 1e9), "pids_limit": limits.nproc,
            "ulimits": [Ulimit(name="cpu", soft=cpu, hard=cpu), Ulimit(name="fsize", soft=fsize, hard=fsize),
                        Ulimit(name="data", soft=memory, hard=memory)],
            "cap_drop": ["ALL"], "security_opt": ["no-new-privileges"], "labels": LABEL, "stdin_open": False,
            "log_config": LogConfig(type="json-file", config={"max-size": LOG_MAX, "max-file": "1"}),
        }

    def _mounts(self, job: Job) -> list[Mount]:
        readable = [*job.readable]
        if self.host_interpreter:
            readable += [Path(p) for p in (*SYSTEM_DIRS, *SYSTEM_FILES)] + list(interpreter_paths())
        mounts = {str(p): Mount(str(p), str(p), type="bind", read_only=True) for p in readable if p.exists()}
        mounts.update({str(p): Mount(str(p), str(p), type="bind", read_only=False) for p in job.writable})
        return list(mounts.values())


def _wait(container: Container, job: Job) -> tuple[int, bool, bool]:
    """(exit status, timed out, cancelled): -9 when the timeout or ``job.cancel`` killed it."""
    deadline = time.monotonic() + job.timeout_s
    while True:
        step = max(0.05, min(CANCEL_POLL_S if job.cancel is not None else job.timeout_s,
                             deadline - time.monotonic()))
        try:
            return int(container.wait(timeout=step)["StatusCode"]), False, False
        except requests.RequestException:  # no answer within this step: still running
            cancelled = job.cancel is not None and job.cancel.is_set()
            if cancelled or time.monotonic() >= deadline:
                break
    try:
        container.kill()
    except DockerException:
        pass  # it ended on its own in the meantime
    container.wait(timeout=PING_TIMEOUT_S)
    return -9, not cancelled, cancelled


def _logs(container: Container, *, stdout: bool) -> str:
    data = container.logs(stdout=stdout, stderr=not stdout)
    return tail_text(data, len(data))


def _oom(container: Container, job: Job) -> str:
    container.reload()
    if container.attrs.get("State", {}).get("OOMKilled"):
        return f"out of memory: the container's {job.limits.address_space_mb} MB limit was reached"
    return ""


def _remove(container: Container) -> None:
    try:
        container.remove(force=True)
    except DockerException:
        pass  # already gone


def _connect() -> docker.DockerClient:
    try:
        client = docker.from_env(timeout=PING_TIMEOUT_S)
        client.ping()
    except (DockerException, requests.RequestException) as exc:
        where = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
        raise EvolverError(f"no Docker engine is reachable at {where} ({_line(exc)}); start dockerd, "
                           "or use --sandbox process") from None
    return client


def _ensure_host_image(client: docker.DockerClient) -> None:
    """An image with no files at all: the host's interpreter and libraries are mounted into it."""
    try:
        client.images.get(HOST_IMAGE)
        return
    except ImageNotFound:
        pass
    empty = io.BytesIO()
    tarfile.open(fileobj=empty, mode="w").close()
    repository, tag = HOST_IMAGE.split(":")
    try:
        client.api.import_image_from_data(empty.getvalue(), repository=repository, tag=tag)
        client.images.get(HOST_IMAGE)
    except DockerException as exc:
        raise EvolverError(f"cannot create the docker image {HOST_IMAGE}: {_line(exc)}") from None


def _line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__
