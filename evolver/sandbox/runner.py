"""The process backend: run one command isolated in its own session and process group, with
rlimits, a timeout that kills the whole group, bounded output, a scrubbed environment, no network
where the kernel allows it and, when bubblewrap is installed, a read-only view of the file system
(only the given writable paths and a private /tmp can be written) inside a PID namespace.
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import os
import resource
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

OUTPUT_TAIL_BYTES = 64 * 1024
DEFAULT_TIMEOUT_S = 300.0  # a run's wall-clock limit when neither the user nor a measurement set one
TASK_CHECK_S = 0.5  # how often the task count of a run is checked where RLIMIT_NPROC cannot bind
_CLONE_NEWNET = 0x40000000
_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1


@dataclass(frozen=True)
class Limits:
    """Resource limits for one run; ``cpu_s=None`` derives CPU seconds from the timeout."""

    cpu_s: float | None = None
    address_space_mb: int = 4096
    file_size_mb: int = 1024
    nproc: int = 256  # tasks; for the process backend counted on top of the tasks the uid already runs
    cpus: float | None = None  # CPUs a container may use (docker); None: all of the machine's


@dataclass(frozen=True)
class RunResult:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    duration_s: float
    isolation: tuple[str, ...]
    killed: str = ""  # why the sandbox killed the run before it ended, other than the timeout
    cancelled: bool = False  # evolver stopped it (a caller's deadline, the run's time budget)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.killed

    def tail(self, chars: int = 2000) -> str:
        """The end of stdout and stderr together, for reports."""
        return (self.stdout + ("\n" if self.stdout and self.stderr else "") + self.stderr)[-chars:]


def run_isolated(argv: Sequence[str], cwd: Path, *, env: Mapping[str, str] | None = None,
                 timeout_s: float, limits: Limits | None = None, writable: Sequence[Path] | None = None,
                 readable: Sequence[Path] = (), cancel: threading.Event | None = None) -> RunResult:
    """Run ``argv`` in ``cwd`` isolated; ``env`` is added to the scrubbed base environment.

    With bubblewrap only ``writable`` (default: ``cwd``) and a private /tmp can be written; the
    ``readable`` paths stay visible read-only even when they live under /tmp. Setting ``cancel``
    kills the run's whole process group at once (``RunResult.cancelled``).
    """
    limits = limits or Limits()
    network = netns_available()
    jailed = bwrap_available()
    full_env = scrubbed_env(cwd, env)
    if shutil.which(argv[0], path=full_env["PATH"]) is None and not (cwd / argv[0]).is_file():
        return RunResult(127, "", f"cannot start {argv[0]}: no such program", False, 0.0, ())
    if jailed:
        argv = bwrap_argv(argv, cwd, writable or (cwd,), readable, unshare_net=not network,
                          tmp_mb=limits.file_size_mb)
    preexec = functools.partial(_child_setup, _rlimits(limits, timeout_s), network)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(list(argv), cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=err, start_new_session=True, preexec_fn=preexec)  # noqa: PLW1509 - rlimits and unshare, no threads touched
        except (OSError, subprocess.SubprocessError) as exc:
            return RunResult(127, "", f"cannot start {argv[0]}: {exc}", False, 0.0, ())
        timed_out, killed, cancelled = _wait_then_kill_group(proc, timeout_s, _task_cap(limits), cancel)
        duration = time.perf_counter() - start
        return RunResult(proc.returncode, _tail(out), _tail(err), timed_out, duration,
                         isolation(network, jailed), killed, cancelled)


def scrubbed_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """PATH, LANG, HOME and no bytecode writing; nothing else leaks from the caller's environment."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "HOME": str(home),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update(extra or {})
    return env


def interpreter_paths() -> tuple[Path, ...]:
    """What running this interpreter (and its installed packages, pytest among them) needs to see."""
    found = {Path(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    found.add(Path(os.path.realpath(sys.executable)).parent.parent)
    found.add(Path(sys.executable).parent)
    return tuple(sorted(p for p in found if p.exists()))


def _task_cap(limits: Limits) -> int | None:
    """Root is exempt from RLIMIT_NPROC: then the runner counts the run's tasks itself."""
    return limits.nproc if os.getuid() == 0 else None


def _wait_then_kill_group(proc: subprocess.Popen[bytes], timeout_s: float, task_cap: int | None,
                          cancel: threading.Event | None = None) -> tuple[bool, str, bool]:
    """Wait for the leader without reaping it, so its pid (the group id) cannot be reused
    before the group is killed; stray grandchildren die with it either way."""
    deadline = time.monotonic() + timeout_s
    next_count = time.monotonic() + TASK_CHECK_S
    delay = 0.0005
    timed_out, killed, cancelled = False, "", False
    try:
        while os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            now = time.monotonic()
            if now >= deadline:
                timed_out = True
                break
            if cancel is not None and cancel.is_set():
                cancelled = True
                break
            if task_cap is not None and now >= next_count:
                next_count = now + TASK_CHECK_S
                if group_tasks(proc.pid) > task_cap:
                    killed = f"more than {task_cap} processes or threads"
                    break
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
    finally:  # also when evolver itself is interrupted (Ctrl-C, SIGTERM): the group dies with it
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass
        proc.wait()
    return timed_out, killed, cancelled


def group_tasks(pgid: int) -> int:
    """Threads of all processes in the process group ``pgid`` (what RLIMIT_NPROC would count)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            total += int(fields[17])
    return total


def _tail(stream: IO[bytes]) -> str:
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - OUTPUT_TAIL_BYTES))
    return tail_text(stream.read(), size)


def tail_text(data: bytes, size: int) -> str:
    """The last bytes of an output of ``size`` bytes, marked when the front was cut."""
    text = data[-OUTPUT_TAIL_BYTES:].decode("utf-8", errors="replace")
    if size > OUTPUT_TAIL_BYTES:
        return f"[... {size - OUTPUT_TAIL_BYTES} bytes truncated ...]\n{text}"
    return text


def _rlimits(limits: Limits, timeout_s: float) -> tuple[tuple[int, int], ...]:
    wanted = [
        (resource.RLIMIT_CPU, cpu_seconds(limits, timeout_s)),
        (resource.RLIMIT_AS, limits.address_space_mb * 1024 * 1024),
        (resource.RLIMIT_FSIZE, limits.file_size_mb * 1024 * 1024),
        (resource.RLIMIT_NPROC, _tasks_of_uid() + limits.nproc),
    ]
    return tuple((kind, _within_hard(kind, value)) for kind, value in wanted)


def cpu_seconds(limits: Limits, timeout_s: float) -> int:
    cpu = limits.cpu_s if limits.cpu_s is not None else timeout_s * (os.cpu_count() or 1) + 5
    return int(cpu) + 1


def _within_hard(kind: int, value: int) -> int:
    hard = resource.getrlimit(kind)[1]
    return value if hard == resource.RLIM_INFINITY else min(value, hard)


@functools.lru_cache(maxsize=1)
def _tasks_of_uid() -> int:
    """Tasks (threads) this uid runs now: RLIMIT_NPROC counts them all, not just our children."""
    uid, count = os.getuid(), 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in lines if ":" in line)
        if int(fields.get("Uid", "-1 ").split()[0]) == uid:
            count += int(fields.get("Threads", "1").strip())
    return count


def _child_setup(limits: tuple[tuple[int, int], ...], network: bool) -> None:
    """Runs in the child between fork and exec: keep it to system calls."""
    for kind, value in limits:
        resource.setrlimit(kind, (value, resource.getrlimit(kind)[1]))
    if network:
        _enter_empty_netns()


def _enter_empty_netns() -> None:
    """A fresh network namespace with only loopback, brought up so localhost servers still work."""
    if _libc().unshare(_CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET) failed")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | _IFF_UP))


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


@functools.lru_cache(maxsize=1)
def netns_available() -> bool:
    """Probe once: can a child enter an empty network namespace here (root, or a permissive kernel)?"""
    _libc()  # load it in the parent: the child must not take the loader's lock after fork
    return _probe(["true"], functools.partial(_child_setup, (), True))


_netns_available = netns_available  # the name evolver's earlier tests use


def bwrap_argv(argv: Sequence[str], cwd: Path, writable: Iterable[Path], readable: Iterable[Path], *,
               unshare_net: bool, tmp_mb: int = Limits.file_size_mb) -> list[str]:
    """``argv`` wrapped in bubblewrap: the root read-only, /tmp private, ``writable`` bound read-write.

    Capabilities are dropped because root with CAP_SYS_ADMIN could remount the root read-write.
    """
    size = ["--size", str(tmp_mb * 1024 * 1024)] if _bwrap_sizes_tmpfs() else []  # tmpfs lives in RAM
    jail = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            *size, "--tmpfs", "/tmp", *size, "--tmpfs", "/dev/shm",
            "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--cap-drop", "ALL"]
    if unshare_net:
        jail.append("--unshare-net")
    for path in (*interpreter_paths(), *readable):
        jail += ["--ro-bind-try", str(path), str(path)]
    for path in writable:
        jail += ["--bind", str(path), str(path)]
    return [*jail, "--chdir", str(cwd), "--", *argv]


@functools.lru_cache(maxsize=1)
def _bwrap_sizes_tmpfs() -> bool:
    """bubblewrap >= 0.6 can cap a tmpfs (--size)."""
    try:
        return "--size" in subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False


@functools.lru_cache(maxsize=1)
def bwrap_available() -> bool:
    """Probe once: is bubblewrap installed, and can it build its jail here? (EVOLVER_NO_BWRAP=1: never use it.)"""
    if os.environ.get("EVOLVER_NO_BWRAP") or shutil.which("bwrap") is None:
        return False
    return _probe(bwrap_argv(["true"], Path("/"), (), (), unshare_net=not netns_available()), None)


def _probe(argv: list[str], preexec: functools.partial[None] | None) -> bool:
    try:
        proc = subprocess.run(argv, preexec_fn=preexec, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def isolation(network: bool, jailed: bool) -> tuple[str, ...]:
    """The names of the isolation layers a process-backend run gets here."""
    levels = ["process-group", "rlimits", "scrubbed-env"]
    if os.getuid() == 0:
        levels.append(f"nproc-by-polling(root, every {TASK_CHECK_S:g} s)")
    if network:
        levels.append("no-network(unshare)")
    if jailed:
        levels += ["read-only-fs(bwrap)", "private-tmp(bwrap)", "pid-namespace(bwrap)"]
        if not network:
            levels.append("no-network(bwrap)")
    return tuple(levels)
