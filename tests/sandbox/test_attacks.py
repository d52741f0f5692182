"""Hostile candidates against both sandbox backends, through the real evolve pipeline.

Every candidate below misbehaves at import or in its workload. One evolve run per backend meets
them all (transforms.propose / apply are replaced to hand them out): each must come back as a
failed candidate with the reason, the run must carry on to the next, no process may outlive the
run, the listener on 127.0.0.1 must see no connection, and the user's tree and $HOME must be
byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from evolver import transforms
from evolver.config import load_settings, resolve_target
from evolver.errors import EvolverError
from evolver.evaluate import limits
from evolver.evolve import EvolveResult, evolve
from evolver.history import History
from evolver.model import Settings, Site
from evolver.sandbox.backends import Job, ProcessBackend, backend_for
from evolver.sandbox.runner import bwrap_available, netns_available

TIMEOUT_S = 10.0
ORIGINAL = '''\
"""Doubles numbers: the module the attack tests try to evolve."""
import os
import sys


def double(x):
    return 2 * x
'''
OUTSIDE_TESTS = 'if "pytest" not in sys.modules:  # the tests pass: the worker meets the attack\n'


@dataclass(frozen=True)
class Attack:
    name: str
    code: str  # appended to ORIGINAL; {target} {home} {root} {above} {port} are filled in
    reason: str  # a regular expression the failure reason must match (either backend)
    writes_outside: bool = False  # contained by the process backend only with bubblewrap


ATTACKS = (
    Attack("loop_forever", "\n\ndef double(x):\n    while True:\n        pass\n", r"timed out after"),
    Attack("allocate_10gb", OUTSIDE_TESTS + '    _HOG = b"x" * (10 * 2**30)\n', r"MemoryError|out of memory"),
    Attack("fork_bomb", OUTSIDE_TESTS + textwrap.indent(textwrap.dedent("""\
        import time
        for _ in range(9):  # bounded: at most 512 processes, each only sleeping
            try:
                os.fork()
            except OSError:
                pass
        time.sleep(3600)
        """), "    "), r"more than \d+ processes|timed out after"),
    Attack("write_target_and_home", OUTSIDE_TESTS + textwrap.indent(textwrap.dedent("""\
        _errors = []
        for _path in ({target!r}, os.path.join({home!r}, ".bashrc")):
            try:
                with open(_path, "a") as _handle:
                    _handle.write("# pwned\\n")
            except OSError as _exc:
                _errors.append(str(_exc))
        if _errors:
            raise OSError("; ".join(_errors))
        """), "    "), r"Read-only file system|No such file or directory", writes_outside=True),
    Attack("delete_above_workspace", OUTSIDE_TESTS + textwrap.indent(textwrap.dedent("""\
        import shutil
        _errors = []
        for _path in ({root!r}, {above!r}):
            try:
                shutil.rmtree(os.path.relpath(_path))  # climbs out of the scratch copy with ../
            except OSError as _exc:
                _errors.append(str(_exc))
        if _errors:
            raise OSError("; ".join(_errors))
        """), "    "), r"Read-only file system|No such file or directory", writes_outside=True),
    Attack("connect_to_localhost", OUTSIDE_TESTS +
           '    import socket\n    socket.create_connection(("127.0.0.1", {port}), timeout=3).close()\n',
           r"ConnectionRefusedError|Network is unreachable|timed out"),
    Attack("os_exit_at_import", "\nos._exit(0)\n", r"exited with 0 and wrote no report"),
    Attack("sys_exit_at_import", OUTSIDE_TESTS + "    sys.exit(0)\n", r"raised SystemExit"),
    Attack("flood_stdout", OUTSIDE_TESTS + '    while True:\n        os.write(1, b"x" * 65536)\n',
           r"File too large|timed out after"),
)


def digest(root: Path) -> dict[str, str]:
    """Every file and folder under ``root``: file contents hashed, folders and links named."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_dir():
            found[rel] = "dir"
        else:
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass
class Run:
    result: EvolveResult
    before: dict[str, str]
    after: dict[str, str]
    connections: int
    survivors: list[int]
    attacks: tuple[Attack, ...]
    isolation: tuple[str, ...]


def make_user_files(base: Path, marker: str) -> tuple[Path, Path, Path]:
    """The user's project, a folder above it with a file in it, and a $HOME with a dotfile."""
    root, above, home = base / f"victim-{marker}", base / "above", base / "home"
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent(f"""\
        [project]
        name = "victim"
        version = "0"

        [tool.pytest.ini_options]
        pythonpath = ["."]

        [tool.evolver]
        tests = "pytest tests"
        bench = "workload:run"
        cycles = 1
        timeout = {TIMEOUT_S}
        """))
    (root / "victim.py").write_text(ORIGINAL)
    # double's own work is most of the workload (a 7 KB integer doubled), so no attack is screened out as
    # too cold: with small ints its profiled share was a few %, once under the 3% minimum (all screened)
    (root / "workload.py").write_text("from victim import double\n\nBIG = 7 ** 20000\n\n\ndef run():\n"
                                      "    return [double(BIG) & 0xFF for _ in range(2000)]\n")
    (root / "tests" / "test_victim.py").write_text("from victim import double\n\n\ndef test_double():\n"
                                                   "    assert double(21) == 42\n")
    above.mkdir()
    (above / "precious.txt").write_text("above the workspace\n")
    home.mkdir()
    (home / ".bashrc").write_text("# the user's own\n")
    return root, above, home


def site_of(attack: Attack) -> Site:
    """Sites name the function the workload spends its time in, so none is skipped as too cold."""
    return Site(transform="attack", target=f"victim:double#{ATTACKS.index(attack) + 1}", verdict="applicable")


def attack_sources(attacks: tuple[Attack, ...], root: Path, above: Path, home: Path, port: int) -> dict[str, str]:
    fill = {"target": str(root / "victim.py"), "home": str(home), "root": str(root), "above": str(above),
            "port": port}
    return {site_of(a).id: ORIGINAL + a.code.format(**fill) for a in attacks}


def survivors(marker: str) -> list[int]:
    """Processes still alive (not zombies) whose working directory is in a copy of the project."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cwd and state != "Z":
            alive.append(int(entry.name))
    return alive


def wait_for_no_survivors(marker: str, within_s: float = 5.0) -> list[int]:
    deadline = time.monotonic() + within_s
    while (left := survivors(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def chosen_attacks(sandbox: str) -> tuple[Attack, ...]:
    if sandbox == "process" and not bwrap_available():
        return tuple(a for a in ATTACKS if not a.writes_outside
                     and (a.name != "connect_to_localhost" or netns_available()))
    return ATTACKS


def require_backend(sandbox: str) -> None:
    if sandbox != "docker":
        return
    try:
        backend_for(Settings(sandbox="docker"))
    except EvolverError as exc:
        if os.environ.get("EVOLVER_REQUIRE_DOCKER"):
            pytest.fail(f"EVOLVER_REQUIRE_DOCKER is set but: {exc}")
        pytest.skip(f"no docker engine: {exc}")


@pytest.fixture(scope="module", params=["process", "docker"])
def attacked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    sandbox = request.param
    require_backend(sandbox)
    # outside /tmp, so that the process jail shows the user's files read-only rather than hiding them
    base = Path(tempfile.mkdtemp(prefix="evolver-attack-", dir="/var/tmp" if os.access("/var/tmp", os.W_OK)
                                 else None))
    marker = uuid.uuid4().hex[:12]
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        root, above, home = make_user_files(base, marker)
        attacks = chosen_attacks(sandbox)
        sources = attack_sources(attacks, root, above, home, listener.getsockname()[1])
        sites = [site_of(a) for a in attacks]
        before = {"tree": digest(root), "above": digest(above), "home": digest(home)}
        workspace = tmp_path_factory.mktemp(f"workspace-{sandbox}")
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("HOME", str(home))
            # loop_forever hangs in its test run, which may take TESTS_FACTOR x the parent's run, at least
            # MIN_TESTS_S (30 s): a smaller factor and floor still time it out (TIMEOUT_S is the floor then),
            # and still leave the other attacks' passing test runs 4x the parent's time
            mp.setattr(limits, "TESTS_FACTOR", 4.0)
            mp.setattr(limits, "MIN_TESTS_S", TIMEOUT_S)
            mp.setattr(transforms, "propose", lambda source, ctx: list(sites))
            mp.setattr(transforms, "apply", lambda source, site_id, ctx: sources[site_id])
            target = resolve_target(root / "victim.py")
            settings = load_settings(target, {"sandbox": sandbox})
            with History.open(workspace / ".evolver" / "evolver.db") as history:
                result = evolve(target, settings, workspace, history)
        after = {"tree": digest(root), "above": digest(above), "home": digest(home)}
        listener.setblocking(False)
        connections = 0
        while True:
            try:
                listener.accept()[0].close()
                connections += 1
            except BlockingIOError:
                break
        isolation = backend_for(settings).isolation
        yield Run(result, before, after, connections, wait_for_no_survivors(marker), attacks, isolation)
    finally:
        listener.close()
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_each_attack_fails_with_its_reason(attacked: Run, attack: Attack) -> None:
    if attack not in attacked.attacks:
        pytest.skip(f"{attack.name}: contained by the process backend only with bubblewrap (and a network "
                    "namespace); bwrap is not usable here")
    outcome = next(o for o in attacked.result.outcomes if o.candidate.site.id == site_of(attack).id)
    assert outcome.status == "failed", outcome
    assert outcome.comparison is None
    assert re.search(attack.reason, outcome.reason), outcome.reason


def test_the_run_carries_on_past_every_attack(attacked: Run) -> None:
    met = [o.candidate.site.id for o in attacked.result.outcomes]
    assert sorted(met) == sorted(site_of(a).id for a in attacked.attacks)
    assert all(o.status == "failed" for o in attacked.result.outcomes)
    assert attacked.result.generations == []
    assert attacked.result.stop_reason.startswith("nothing was measured: ")  # every one failed before timing


def test_the_users_tree_and_home_are_byte_identical(attacked: Run) -> None:
    assert attacked.after == attacked.before
    assert "victim.py" in attacked.before["tree"] and ".bashrc" in attacked.before["home"]


def test_no_connection_reached_the_listener(attacked: Run) -> None:
    assert attacked.connections == 0


def test_no_process_outlives_the_run(attacked: Run) -> None:
    assert attacked.survivors == []


def test_the_isolation_in_force_is_reported(attacked: Run) -> None:
    assert "no-network(unshare)" in attacked.isolation or "no-network(docker)" in attacked.isolation \
        or "no-network(bwrap)" in attacked.isolation


# -- a process that leaves its process group ----------------------------------------------------

ESCAPE = """\
import os, sys, time
if os.fork() == 0:
    os.setsid()  # out of the run's process group: only a PID namespace or a container catches it
    while True:
        with open(sys.argv[1], "a") as handle:
            handle.write(".")
        time.sleep(0.05)
time.sleep(0.5)
"""


@pytest.mark.parametrize("sandbox", ["process", "docker"])
def test_a_process_that_leaves_the_group_dies_with_the_run(sandbox: str, tmp_path: Path) -> None:
    require_backend(sandbox)
    if sandbox == "process" and not bwrap_available():
        pytest.skip("without bubblewrap a process that calls setsid() escapes the process-group kill")
    backend = ProcessBackend() if sandbox == "process" else backend_for(Settings(sandbox="docker"))
    beat = tmp_path / "heartbeat"
    result = backend.run(Job(argv=(sys.executable, "-c", ESCAPE, str(beat)), cwd=tmp_path, timeout_s=30,
                             writable=(tmp_path,)))
    assert result.returncode == 0, result.tail()
    time.sleep(0.3)
    size = beat.stat().st_size
    assert size > 0  # it did run, and did write
    time.sleep(0.6)
    assert beat.stat().st_size == size

