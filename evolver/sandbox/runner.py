"""Run one command isolated: its own session and process group, rlimits, a timeout that kills
the whole group, bounded output, a scrubbed environment and, where the kernel allows, no network.
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import os
import resource
import socket
import struct
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

OUTPUT_TAIL_BYTES = 64 * 1024
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
    nproc: int = 256  # counted on top of the tasks the uid already runs; root is exempt


@dataclass(frozen=True)
class RunResult:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    duration_s: float
    isolation: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def tail(self, chars: int = 2000) -> str:
        """The end of stdout and stderr together, for reports."""
        return (self.stdout + ("\n" if self.stdout and self.stderr else "") + self.stderr)[-chars:]


def run_isolated(argv: Sequence[str], cwd: Path, *, env: Mapping[str, str] | None = None,
                 timeout_s: float, limits: Limits | None = None) -> RunResult:
    """Run ``argv`` in ``cwd`` isolated; ``env`` is added to the scrubbed base environment."""
    limits = limits or Limits()
    network = _netns_available()
    preexec = functools.partial(_child_setup, _rlimits(limits, timeout_s), network)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(list(argv), cwd=cwd, env=scrubbed_env(cwd, env), stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=err, start_new_session=True, preexec_fn=preexec)
        except (OSError, subprocess.SubprocessError) as exc:
            return RunResult(127, "", f"cannot start {argv[0]}: {exc}", False, 0.0, ())
        timed_out = _wait_then_kill_group(proc, timeout_s)
        duration = time.perf_counter() - start
        return RunResult(proc.returncode, _tail(out), _tail(err), timed_out, duration, _isolation(network))


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


def _wait_then_kill_group(proc: subprocess.Popen[bytes], timeout_s: float) -> bool:
    """Wait for the leader without reaping it, so its pid (the group id) cannot be reused
    before the group is killed; stray grandchildren die with it either way."""
    deadline = time.monotonic() + timeout_s
    delay = 0.0005
    timed_out = False
    while os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() >= deadline:
            timed_out = True
            break
        time.sleep(delay)
        delay = min(delay * 2, 0.02)
    try:
        os.killpg(proc.pid, 9)
    except ProcessLookupError:
        pass
    proc.wait()
    return timed_out


def _tail(stream: IO[bytes]) -> str:
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - OUTPUT_TAIL_BYTES))
    text = stream.read().decode("utf-8", errors="replace")
    if size > OUTPUT_TAIL_BYTES:
        return f"[... {size - OUTPUT_TAIL_BYTES} bytes truncated ...]\n{text}"
    return text


def _rlimits(limits: Limits, timeout_s: float) -> tuple[tuple[int, int], ...]:
    cpu = limits.cpu_s if limits.cpu_s is not None else timeout_s * (os.cpu_count() or 1) + 5
    wanted = [
        (resource.RLIMIT_CPU, int(cpu) + 1),
        (resource.RLIMIT_AS, limits.address_space_mb * 1024 * 1024),
        (resource.RLIMIT_FSIZE, limits.file_size_mb * 1024 * 1024),
        (resource.RLIMIT_NPROC, _tasks_of_uid() + limits.nproc),
    ]
    return tuple((kind, _within_hard(kind, value)) for kind, value in wanted)


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
def _netns_available() -> bool:
    """Probe once: can a child enter an empty network namespace here (root, or a permissive kernel)?"""
    _libc()  # load it in the parent: the child must not take the loader's lock after fork
    try:
        proc = subprocess.run(["true"], preexec_fn=functools.partial(_child_setup, (), True),
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def _isolation(network: bool) -> tuple[str, ...]:
    levels = ["process-group", "rlimits", "scrubbed-env"]
    if os.getuid() == 0:
        levels.append("nproc-unenforced(root)")
    if network:
        levels.append("no-network(unshare)")
    return tuple(levels)
