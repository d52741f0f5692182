"""The Docker backend against a real engine (skipped, with the reason, when none is reachable)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evolver.errors import EvolverError
from evolver.evaluate.timing import compare
from evolver.evaluate.workers import Bench, check
from evolver.model import Settings, Target, source_hash
from evolver.sandbox import docker_backend as dockermod
from evolver.sandbox.backends import Job, backend_for
from evolver.sandbox.docker_backend import DockerBackend
from evolver.sandbox.oracle import run_oracle
from evolver.sandbox.runner import OUTPUT_TAIL_BYTES, Limits
from evolver.sandbox.scratch import Scratch

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sandbox_proj"
CALC = Target(path=FIXTURE / "calc.py", root=FIXTURE, import_root=FIXTURE, module="calc")


@pytest.fixture
def engine() -> DockerBackend:
    try:
        backend = backend_for(Settings(sandbox="docker"))
    except EvolverError as exc:
        if os.environ.get("EVOLVER_REQUIRE_DOCKER"):
            pytest.fail(f"EVOLVER_REQUIRE_DOCKER is set but: {exc}")
        pytest.skip(f"no docker engine: {exc}")
    assert isinstance(backend, DockerBackend)
    return backend


@pytest.fixture
def no_cached_backend() -> Iterator[None]:
    dockermod.docker_backend.cache_clear()
    yield
    dockermod.docker_backend.cache_clear()


def leftovers(backend: DockerBackend) -> list[str]:
    return [c.id for c in backend.client.containers.list(all=True, filters={"label": "evolver=sandbox"})]


def test_no_engine_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       no_cached_backend: None) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    (tmp_path / "m.py").write_text("x = 1\n")
    target = Target(path=tmp_path / "m.py", root=tmp_path, import_root=tmp_path, module="m")
    with pytest.raises(EvolverError) as caught:
        with Scratch(target, "x = 2\n", Settings(sandbox="docker")):
            pass
    message = str(caught.value)
    assert message.startswith(f"no Docker engine is reachable at unix://{tmp_path}/no-engine.sock (")
    assert message.endswith("start dockerd, or use --sandbox process")
    assert "\n" not in message


def test_a_user_image_runs_its_own_python_and_path() -> None:
    backend = DockerBackend(None, "python:3.12-slim", host_interpreter=False)  # type: ignore[arg-type]
    job = Job(argv=(sys.executable, "-P", "/w/worker.py"), cwd=Path("/s/proj"), timeout_s=5,
              writable=(Path("/s"),), readable=(Path(__file__).parent,))
    assert backend._argv(job) == ["python", "-P", "/w/worker.py"]
    wrapped = Job(argv=("valgrind", "-q", sys.executable, "-c", "pass"), cwd=Path("/s"), timeout_s=5, writable=())
    assert backend._argv(wrapped) == ["valgrind", "-q", "python", "-c", "pass"]
    options = backend._options(job)
    assert "PATH" not in options["environment"] and options["environment"]["HOME"] == "/s/proj"
    mounts = {m["Target"]: m["ReadOnly"] for m in options["mounts"]}
    assert mounts == {str(Path(__file__).parent): True, "/s": False}


def test_the_host_image_mounts_the_interpreter_read_only() -> None:
    backend = DockerBackend(None, dockermod.HOST_IMAGE, host_interpreter=True)  # type: ignore[arg-type]
    job = Job(argv=(sys.executable, "-c", "pass"), cwd=Path("/s"), timeout_s=5, writable=(Path("/s"),),
              limits=Limits(address_space_mb=1000, nproc=64, cpus=1.5))
    assert backend._argv(job) == [sys.executable, "-c", "pass"]
    options = backend._options(job)
    mounts = {m["Target"]: m["ReadOnly"] for m in options["mounts"]}
    assert mounts.pop("/s") is False
    assert all(mounts.values())
    assert "/usr" in mounts and sys.base_prefix in mounts
    assert (options["network_mode"], options["read_only"], options["cap_drop"]) == ("none", True, ["ALL"])
    assert (options["mem_limit"], options["pids_limit"], options["nano_cpus"]) == ("1000m", 64, 1_500_000_000)


def test_a_missing_user_image_is_a_clear_error(engine: DockerBackend, no_cached_backend: None) -> None:
    with pytest.raises(EvolverError, match=r"docker image 'evolver-no-such-image:0' is not on this engine"):
        backend_for(Settings(sandbox="docker", docker_image="evolver-no-such-image:0"))


PROBE = """\
import json, os, resource, socket, sys
out = {"uid": os.getuid(), "interfaces": [name for _, name in socket.if_nameindex()],
       "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0], "cpu": resource.getrlimit(resource.RLIMIT_CPU)[0]}
for name, path in (("root", "/evolver-probe"), ("tmp", "/tmp/evolver-probe"), ("readable", sys.argv[2] + "/x"),
                   ("scratch", sys.argv[1] + "/written")):
    try:
        open(path, "w").write("x")
        out[name] = "written"
    except OSError as exc:
        out[name] = exc.strerror
for path in ("/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/pids.max"):
    if os.path.exists(path):
        out["pids_max"] = open(path).read().strip()
print(json.dumps(out))
"""


def test_limits_network_and_mounts_inside_the_container(engine: DockerBackend, tmp_path: Path) -> None:
    scratch, readable = tmp_path / "scratch", tmp_path / "readable"
    scratch.mkdir()
    readable.mkdir()
    job = Job(argv=(sys.executable, "-c", PROBE, str(scratch), str(readable)), cwd=scratch, timeout_s=60,
              writable=(scratch,), readable=(readable,), limits=Limits(file_size_mb=10, nproc=100, cpu_s=20))
    result = engine.run(job)
    assert result.returncode == 0, result.tail()
    seen = json.loads(result.stdout)
    assert seen["uid"] == os.getuid()
    assert seen["interfaces"] == ["lo"]
    assert (seen["fsize"], seen["cpu"]) == (10 * 2**20, 21)
    assert seen["root"] == "Read-only file system" and seen["readable"] == "Read-only file system"
    assert seen["tmp"] == "written" and not Path("/tmp/evolver-probe").exists()
    assert seen["scratch"] == "written" and (scratch / "written").read_text() == "x"
    assert seen.get("pids_max") == "100"
    assert "container(docker)" in result.isolation and "host-interpreter(read-only)" in result.isolation
    assert leftovers(engine) == []


def test_a_timeout_kills_and_removes_the_container(engine: DockerBackend, tmp_path: Path) -> None:
    job = Job(argv=(sys.executable, "-c", "import time\nwhile True: time.sleep(1)"), cwd=tmp_path,
              timeout_s=2, writable=(tmp_path,))
    result = engine.run(job)
    assert result.timed_out and result.returncode == -9
    assert leftovers(engine) == []


def test_a_flood_of_output_is_truncated(engine: DockerBackend, tmp_path: Path) -> None:
    code = "import sys\nsys.stdout.write('x' * 3_000_000 + 'END')\nsys.stderr.write('err')"
    result = engine.run(Job(argv=(sys.executable, "-c", code), cwd=tmp_path, timeout_s=60, writable=(tmp_path,)))
    assert result.returncode == 0
    assert len(result.stdout) < OUTPUT_TAIL_BYTES + 100 and result.stdout.endswith("xxxEND")
    assert result.stderr == "err"


def test_the_oracle_and_the_worker_run_in_containers(engine: DockerBackend) -> None:
    source = (FIXTURE / "calc.py").read_text()
    answers = {}
    for sandbox in ("docker", "process"):
        settings = Settings(sandbox=sandbox, bench="workload:run_calc", timeout_s=60)
        with Scratch(CALC, source, settings) as scratch:
            oracle = run_oracle(scratch, settings)
            answers[sandbox] = check(Bench(scratch, settings, source_hash(source)))
        assert oracle.passed and oracle.tests_run == 3, oracle.reason
        assert ("container(docker)" in oracle.isolation) == (sandbox == "docker")
    assert answers["docker"] == answers["process"]
    assert answers["docker"].hash == source_hash(source)
    assert leftovers(engine) == []


def test_alternating_windows_work_across_the_container_boundary(engine: DockerBackend) -> None:
    """The two workers of a pair run in two containers and take turns over FIFOs in the mounted
    scratch area; a version doing half the work is measured faster."""
    settings = Settings(sandbox="docker", bench="workload:run_calc", timeout_s=120)
    source = CALC.path.read_text()
    half = source.replace("N = 60000", "N = 30000")
    with Scratch(CALC, source, settings) as a, Scratch(CALC, half, settings) as b:
        parent, candidate = Bench(a, settings, source_hash(source)), Bench(b, settings, source_hash(half))
        result = compare(parent, candidate, alpha=0.01, min_effect=0.03, max_pairs=10, memory=False)
    assert result.verdict == "faster" and result.ratio < 0.8
    assert "container(docker)" in result.extra["isolation"]
    assert leftovers(engine) == []
