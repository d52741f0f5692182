from __future__ import annotations

import ast
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import integrator
import workload
from integrator import RemoteExecutor, Task, TaskResult

TEXT_UTILS = integrator.CORPUS_DIR / "text_utils.py"


@pytest.fixture(autouse=True)
def restore_kind_weights() -> Iterator[None]:
    saved = dict(integrator.KIND_WEIGHTS)
    yield
    integrator.KIND_WEIGHTS.clear()
    integrator.KIND_WEIGHTS.update(saved)


@pytest.fixture
def no_latency(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(integrator, "LATENCY", 0.0)


def task(name: str, gain: float = 0.5, kind: str = "retry") -> Task:
    return Task(name, kind, gain, integrator.task_priority(kind, gain))


def flaky_names(count: int) -> list[str]:
    names = (f"m.py:f{i}:retry" for i in range(10_000))
    return [name for name in names if integrator.is_flaky(name)][:count]


def steady_names(count: int) -> list[str]:
    names = (f"m.py:g{i}:retry" for i in range(10_000))
    return [name for name in names if not integrator.is_flaky(name)][:count]


# --- analysis -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x = 1", True),
        ("    y()", True),
        ("", False),
        ("   ", False),
        ("  # note", False),
        ("#", False),
    ],
)
def test_is_code_line(line: str, expected: bool) -> None:
    assert integrator.is_code_line(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x = 1", 1),
        ("if ready:", 3),
        ("while a and not b:", 5),
        ("return [f(x) for x in xs if x]", 5),
        ("format_string = 'iffy forward'", 1),
    ],
)
def test_line_weight(line: str, expected: int) -> None:
    assert integrator.line_weight(line) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1\n", 1),
        ("if a and b:\n    return 1\n", 6),
        ("for x in y:\n    if x:\n        z()\n", 12),
        ("for x in y:\n\n    # skip odd ones\n    if x:\n        z()\n", 12),
        ("def f(n):\n    if n < 2:\n        return n\n    return f(n - 1) + f(n - 2)\n", 12),
        ("", 0),
    ],
)
def test_complexity_score(source: str, expected: int) -> None:
    assert integrator.complexity_score(source) == expected


def test_nesting_costs_more_than_the_same_lines_flat() -> None:
    flat = "if a:\n    x()\nif b:\n    y()\n"
    nested = "if a:\n    x()\n    if b:\n        y()\n"
    assert integrator.complexity_score(nested) > integrator.complexity_score(flat)


def test_block_score_scales_with_depth() -> None:
    lines = ("if a:", "    x()")
    assert integrator.block_score(lines, 0) == 5
    assert integrator.block_score(lines, 2) == 3 * 3 + 1 * 4


def test_token_counts() -> None:
    source = (
        "def sync(ids):\n"
        "    for item in ids:\n"
        "        data = fetch_item(item)\n"
        "        open(item, 'w').write(data)\n"
        "        time.sleep(0.1)\n"
        "    while pending():\n"
        "        urlopen(URL)\n"
    )
    assert integrator.io_weight(source) == 3
    assert integrator.network_weight(source) == 2
    assert integrator.loop_count(source) == 2


def test_recursion_hint_counts_self_calls_only() -> None:
    functions = {f.name: f for f in integrator.extract_functions(TEXT_UTILS.read_text())}
    assert integrator.recursion_hint(functions["edit_distance"].source, "edit_distance") == 4
    assert integrator.recursion_hint(functions["closest"].source, "closest") == 0
    method = (
        "def get(self, key):\n"
        "    value = cache.get(key)\n"
        "    return self.get(key) if value is None else value\n"
    )
    assert integrator.recursion_hint(method, "get") == 1


def test_estimate_gain_by_kind() -> None:
    file_source = TEXT_UTILS.read_text()
    functions = {f.name: f for f in integrator.extract_functions(file_source)}
    recursive = functions["edit_distance"].source
    share = integrator.complexity_score(recursive) / integrator.complexity_score(file_source)
    def gain(kind: str) -> float:
        return integrator.estimate_gain(file_source, recursive, "edit_distance", kind)

    assert gain("memoize") == round(share * 4.5, 4)
    assert gain("parallelize") == gain("retry") == gain("unknown") == 0.0


def test_estimate_gain_for_blocking_calls_in_a_loop() -> None:
    function = (
        "def pull(ids):\n"
        "    out = []\n"
        "    for i in ids:\n"
        "        out.append(fetch_item(i))\n"
        "    return out\n"
    )
    file_source = function + "\n\ndef other():\n    return 1\n"
    share = integrator.complexity_score(function) / integrator.complexity_score(file_source)
    gains = {k: integrator.estimate_gain(file_source, function, "pull", k) for k in integrator.TASK_KINDS}
    expected = {"memoize": 0.0, "parallelize": round(0.5 * share, 4), "retry": round(0.75 * share, 4)}
    assert gains == expected


def test_extract_functions_names_and_bodies() -> None:
    source = (
        "import os\n"
        "\n"
        "def top(a,\n"
        "        b):\n"
        "    def inner():\n"
        "        return a\n"
        "    return inner()\n"
        "\n"
        "\n"
        "class Store:\n"
        "    limit = 3\n"
        "\n"
        "    @property\n"
        "    def size(self):\n"
        "        return 1\n"
        "\n"
        "    async def load(self):\n"
        "        pass\n"
        "\n"
        "def wrapped(\n"
        "    x: int,\n"
        ") -> int:\n"
        "    return x\n"
        "X = 1\n"
    )
    found = integrator.extract_functions(source)
    assert [f.name for f in found] == ["top", "Store.size", "Store.load", "wrapped"]
    assert found[0].source == (
        "def top(a,\n        b):\n    def inner():\n        return a\n    return inner()\n"
    )
    assert found[1].source == "    def size(self):\n        return 1\n"
    assert found[3].source == "def wrapped(\n    x: int,\n) -> int:\n    return x\n"


@pytest.mark.parametrize("path", integrator.corpus_paths(), ids=lambda p: p.name)
def test_extract_functions_agrees_with_ast_on_the_corpus(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    expected = []
    for node in ast.parse(source).body:
        members = node.body if isinstance(node, ast.ClassDef) else [node]
        prefix = f"{node.name}." if isinstance(node, ast.ClassDef) else ""
        for member in members:
            if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = "".join(lines[member.lineno - 1 : member.end_lineno])
                expected.append((prefix + member.name, body))
    assert [(f.name, f.source) for f in integrator.extract_functions(source)] == expected


# --- priorities and plans -------------------------------------------------------------------


def test_task_priority_follows_the_current_kind_weights() -> None:
    assert integrator.task_priority("memoize", 0.25) == 750
    assert integrator.kind_weight("memoize") == 3
    integrator.set_kind_weight("memoize", 10)
    assert integrator.kind_weight("memoize") == 10
    assert integrator.task_priority("memoize", 0.25) == 2500
    assert integrator.task_priority("unheard-of", 0.25) == 250


def test_negative_kind_weight_is_refused() -> None:
    with pytest.raises(ValueError):
        integrator.set_kind_weight("retry", -1)
    assert integrator.kind_weight("retry") == 1


def test_load_sources_keeps_path_order(tmp_path: Path, no_latency: None) -> None:
    paths = [tmp_path / f"m{i}.py" for i in (3, 1, 2)]
    for path in paths:
        path.write_text(f"# {path.stem}\n", encoding="utf-8")
    assert integrator.load_sources(paths) == ["# m3\n", "# m1\n", "# m2\n"]


def test_load_sources_keeps_order_when_later_fetches_finish_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def slow_first(path: Path) -> str:
        time.sleep(0.002 * (5 - int(path.stem)))
        return path.stem

    monkeypatch.setattr(integrator, "fetch_source", slow_first)
    paths = [Path(f"{i}.py") for i in range(5)]
    assert integrator.load_sources(paths) == ["0", "1", "2", "3", "4"]


def test_load_sources_reports_a_missing_artifact(tmp_path: Path, no_latency: None) -> None:
    (tmp_path / "a.py").write_text("", encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        integrator.load_sources([tmp_path / "a.py", tmp_path / "missing.py"])


def test_plan_over_the_corpus(no_latency: None) -> None:
    tasks = integrator.plan(integrator.corpus_paths())
    names = [t.name for t in tasks]
    assert len(names) == len(set(names)) == 32
    assert all(t.gain >= integrator.MIN_GAIN for t in tasks)
    keys = [(-t.priority, t.name) for t in tasks]
    assert keys == sorted(keys)
    assert names[:2] == ["sync_worker.py:sync:parallelize", "text_utils.py:edit_distance:memoize"]
    assert "graph_search.py:count_paths:memoize" in names
    assert "sync_worker.py:fetch_all:parallelize" in names
    assert not any(name.startswith("metrics.py:") for name in names)


def test_plan_order_reflects_kind_weights(no_latency: None) -> None:
    integrator.set_kind_weight("retry", 100)
    tasks = integrator.plan(integrator.corpus_paths())
    assert tasks[0].name == "sync_worker.py:sync:retry"
    assert tasks[0].priority == 100 * round(tasks[0].gain * 1000)


# --- remote execution -----------------------------------------------------------------------


def test_is_flaky_uses_a_stable_checksum() -> None:
    for name in ["a:f:retry", "b:g:memoize", *flaky_names(2)]:
        checksum = zlib.crc32(name.encode("utf-8"))
        assert integrator.is_flaky(name) is (checksum % integrator.FLAKY_MODULUS == 0)
    assert integrator.is_flaky("a:f:retry", modulus=1)


def test_flaky_submission_fails_once_then_succeeds() -> None:
    executor = RemoteExecutor(latency=0.0)
    job = task(flaky_names(1)[0], gain=0.5)
    with pytest.raises(ConnectionError):
        executor.submit(job)
    result = executor.submit(job)
    assert result == TaskResult(job.name, "retry", "applied", 125.0)
    assert executor.attempts[job.name] == 2


def test_submit_is_idempotent() -> None:
    executor = RemoteExecutor(latency=0.0)
    job = task(steady_names(1)[0], gain=0.05)
    first = executor.submit(job)
    assert first == TaskResult(job.name, "retry", "deferred", 12.5)
    assert executor.submit(job) is first
    assert list(executor.completed) == [job.name]


def test_failing_attempts_is_honoured() -> None:
    executor = RemoteExecutor(latency=0.0, failing_attempts=3)
    job = task(flaky_names(1)[0])
    for _ in range(3):
        with pytest.raises(ConnectionError):
            executor.submit(job)
    assert executor.submit(job).name == job.name


def test_run_plan_recovers_every_dropped_task() -> None:
    names = steady_names(4) + flaky_names(3)
    jobs = [task(name, gain=0.01 * (i + 1)) for i, name in enumerate(names)]
    reliable = integrator.run_plan(jobs, RemoteExecutor(latency=0.0, failing_attempts=0))
    report = integrator.run_plan(jobs, RemoteExecutor(latency=0.0))
    assert report.results == reliable.results
    assert [r.name for r in report.results] == sorted(j.name for j in jobs)
    assert report.abandoned == ()
    assert reliable.failures == 0
    assert 0 <= report.failures <= 3


def test_run_plan_gives_up_after_max_attempts() -> None:
    doomed = flaky_names(1)
    jobs = [task(name) for name in steady_names(2) + doomed]
    report = integrator.run_plan(jobs, RemoteExecutor(latency=0.0, failing_attempts=10_000))
    assert report.abandoned == tuple(doomed)
    assert [r.name for r in report.results] == sorted(steady_names(2))
    assert report.failures == integrator.MAX_ATTEMPTS


def test_integrate_uses_the_given_executor(no_latency: None) -> None:
    executor = RemoteExecutor(latency=0.0)
    report = integrator.integrate(integrator.corpus_paths(), executor)
    assert sorted(executor.completed) == [r.name for r in report.results]
    assert len(report.results) == 32


# --- the workload ---------------------------------------------------------------------------


def test_workload_summary_is_deterministic(no_latency: None) -> None:
    first = workload.run()
    assert workload.run() == first
    assert first["files"] == 12
    assert first["tasks"] == len(first["outcomes"]) == 32
    assert first["applied"] == 17
    assert first["saved_ms"] == 1978.94
    assert first["abandoned"] == ()
    assert ("text_utils.py:edit_distance:memoize", "applied", 169.25) in first["outcomes"]
