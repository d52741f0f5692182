"""An agent-integration layer: analyze source files, plan optimization tasks, run them remotely.

The pipeline is ``fetch -> analyze -> plan -> submit``:

* source files are fetched from an artifact store (here the ``corpus/`` folder next to this
  module, behind a simulated network round trip of ``LATENCY`` seconds per fetch);
* every function is scored with a nesting-weighted complexity measure and token-level hints
  (recursion, blocking I/O, network calls);
* one task per (function, kind) whose estimated gain clears ``MIN_GAIN`` is planned, ordered by
  priority;
* tasks are submitted to a ``RemoteExecutor``, which drops some first attempts with a
  ``ConnectionError``; the runner re-queues a dropped task at the end of its queue.
"""

from __future__ import annotations

import re
import time
import zlib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

LATENCY = 0.04  # seconds: one round trip to the artifact store
SUBMIT_LATENCY = 0.0001  # seconds: one round trip to the remote executor
FLAKY_MODULUS = 8  # a task whose crc32(name) % FLAKY_MODULUS == 0 loses its first attempt
MAX_ATTEMPTS = 5  # the runner gives a task up after this many failed submissions

TASK_KINDS = ("memoize", "parallelize", "retry")
MIN_GAIN = 0.02
APPLY_GAIN = 0.1

CODE_LINE_PATTERN = r"\s*[^\s#]"
WORD_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*"
BRANCH_KEYWORDS = frozenset({"if", "elif", "for", "while", "except", "with", "case", "lambda"})
BOOLEAN_KEYWORDS = frozenset({"and", "or", "not"})
IO_CALL_PATTERN = r"\b(?:open|urlopen|sleep|(?:read|write)_(?:text|bytes)|unlink|mkdir|glob|os\.replace)\s*\("
NETWORK_PATTERN = r"\b(?:urlopen|request\w*|fetch\w*|get_json|post_json|download|acquire)\s*\("
CALL_PATTERN = r"(?:\bself\.|(?<![\w.]))([A-Za-z_][A-Za-z0-9_]*)\s*\("
DEF_PATTERN = r"\s*(?:async\s+)?def\s+([A-Za-z_][A-Za-z0-9_]*)"
CLASS_PATTERN = r"class\s+([A-Za-z_][A-Za-z0-9_]*)"
CLOSER_PATTERN = r"\s*[)\]}]"
LOOP_PATTERN = r"^\s*(?:for|while)\b"

KIND_WEIGHTS: dict[str, int] = {"memoize": 3, "parallelize": 2, "retry": 1}


@dataclass(frozen=True)
class FunctionSource:
    """One function (or method, as ``Class.method``) of a fetched file, with its source text."""

    name: str
    source: str


@dataclass(frozen=True)
class Task:
    name: str  # "<file>:<function>:<kind>", unique in a plan
    kind: str
    gain: float
    priority: int


@dataclass(frozen=True)
class TaskResult:
    name: str
    kind: str
    status: str  # "applied" or "deferred"
    saved_ms: float


@dataclass(frozen=True)
class RunReport:
    results: tuple[TaskResult, ...]  # sorted by task name
    abandoned: tuple[str, ...]  # names of tasks given up after MAX_ATTEMPTS failures
    failures: int  # submissions that failed with a ConnectionError


# --- fetching -------------------------------------------------------------------------------


def corpus_paths(folder: Path = CORPUS_DIR) -> list[Path]:
    return sorted(folder.glob("*.py"))


def fetch_source(path: Path) -> str:
    """Fetch one artifact: read it, then wait for the store's network round trip."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    time.sleep(LATENCY)
    return text


def load_sources(paths: Sequence[Path]) -> list[str]:
    sources = []
    for path in paths:
        sources.append(fetch_source(path))
    return sources


# --- analysis -------------------------------------------------------------------------------


def is_code_line(line: str) -> bool:
    return re.match(CODE_LINE_PATTERN, line) is not None


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def line_weight(line: str) -> int:
    """1 for any statement, +2 per branching keyword, +1 per boolean operator."""
    tokens = re.findall(WORD_PATTERN, line)
    branches = sum(1 for token in tokens if token in BRANCH_KEYWORDS)
    booleans = sum(1 for token in tokens if token in BOOLEAN_KEYWORDS)
    return 1 + 2 * branches + booleans


def block_score(lines: tuple[str, ...], depth: int) -> int:
    """Score a run of lines: each header weighs ``line_weight * (depth + 1)``, bodies recurse."""
    score = 0
    start = 0
    while start < len(lines):
        indent = indent_of(lines[start])
        end = start + 1
        while end < len(lines) and indent_of(lines[end]) > indent:
            end += 1
        score += line_weight(lines[start]) * (depth + 1)
        if end > start + 1:
            score += block_score(lines[start + 1 : end], depth + 1)
        start = end
    return score


def complexity_score(source: str) -> int:
    """Nesting-weighted complexity of Python source (blank lines and comments ignored)."""
    lines = tuple(line for line in source.splitlines() if is_code_line(line))
    return block_score(lines, 0)


def io_weight(source: str) -> int:
    return len(re.findall(IO_CALL_PATTERN, source))


def network_weight(source: str) -> int:
    return len(re.findall(NETWORK_PATTERN, source))


def loop_count(source: str) -> int:
    return len(re.findall(LOOP_PATTERN, source, re.MULTILINE))


def recursion_hint(source: str, name: str) -> int:
    """How often ``name`` is called inside its own source (its definition line excluded)."""
    calls = sum(1 for called in re.findall(CALL_PATTERN, source) if called == name)
    return max(calls - 1, 0)


def estimate_gain(file_source: str, function_source: str, name: str, kind: str) -> float:
    """Gain estimate of a ``kind`` task on a function: its share of the file's complexity, times
    how strongly its tokens call for that kind (self-calls, blocking calls in loops, network calls).
    """
    share = complexity_score(function_source) / max(complexity_score(file_source), 1)
    if kind == "memoize":
        weight = 1.5 * min(recursion_hint(function_source, name), 3)
    elif kind == "parallelize":
        blocking = io_weight(function_source) + network_weight(function_source)
        weight = 0.5 * min(blocking, 4) * min(loop_count(function_source), 2)
    elif kind == "retry":
        weight = 0.75 * min(network_weight(function_source), 4)
    else:
        weight = 0.0
    return round(share * weight, 4)


def kind_weight(kind: str) -> int:
    """The current weight of a task kind (``set_kind_weight`` changes it)."""
    return KIND_WEIGHTS.get(kind, 1)


def task_priority(kind: str, gain: float) -> int:
    """Priority of a task: its gain in thousandths, times the current weight of its kind."""
    return kind_weight(kind) * round(gain * 1000)


def set_kind_weight(kind: str, weight: int) -> None:
    """Change how much tasks of ``kind`` count when plans are ordered."""
    if weight < 0:
        raise ValueError("a kind weight cannot be negative")
    KIND_WEIGHTS[kind] = weight


def block_end(lines: Sequence[str], start: int) -> int:
    """Index just past the block whose header is ``lines[start]`` (trailing blank lines excluded).

    A line that starts by closing a bracket continues a multi-line header instead of ending it.
    """
    indent = indent_of(lines[start])
    end = start + 1
    last = start + 1
    while end < len(lines):
        line = lines[end]
        if is_code_line(line):
            if indent_of(line) <= indent and re.match(CLOSER_PATTERN, line) is None:
                break
            last = end + 1
        end += 1
    return last


def extract_functions(source: str) -> tuple[FunctionSource, ...]:
    """Top-level functions and class methods (as ``Class.method``) in file order.

    Line-based like the scoring, so a file that does not parse (yet) can still be planned on.
    Nested functions stay part of the function that defines them.
    """
    lines = source.splitlines(keepends=True)
    found: list[FunctionSource] = []
    class_name = ""
    member_indent = 0
    for number, line in enumerate(lines):
        if not is_code_line(line):
            continue
        indent = indent_of(line)
        if indent == 0:
            header = re.match(CLASS_PATTERN, line)
            class_name = header.group(1) if header else ""
            member_indent = 0
        definition = re.match(DEF_PATTERN, line)
        if definition is None:
            continue
        if indent == 0:
            name = definition.group(1)
        elif class_name and member_indent in (0, indent):
            member_indent = indent
            name = f"{class_name}.{definition.group(1)}"
        else:
            continue
        found.append(FunctionSource(name, "".join(lines[number : block_end(lines, number)])))
    return tuple(found)


# --- planning -------------------------------------------------------------------------------


def plan_file(file_name: str, source: str) -> list[Task]:
    tasks = []
    for function in extract_functions(source):
        short_name = function.name.rpartition(".")[2]
        for kind in TASK_KINDS:
            gain = estimate_gain(source, function.source, short_name, kind)
            if gain >= MIN_GAIN:
                name = f"{file_name}:{function.name}:{kind}"
                tasks.append(Task(name, kind, gain, task_priority(kind, gain)))
    return tasks


def plan(paths: Sequence[Path]) -> list[Task]:
    """Fetch every file and plan its tasks, highest priority first (ties by name)."""
    tasks: list[Task] = []
    for path, source in zip(paths, load_sources(paths)):
        tasks.extend(plan_file(path.name, source))
    return sorted(tasks, key=lambda task: (-task.priority, task.name))


# --- execution ------------------------------------------------------------------------------


def is_flaky(task_name: str, modulus: int = FLAKY_MODULUS) -> bool:
    return zlib.crc32(task_name.encode("utf-8")) % modulus == 0


class RemoteExecutor:
    """Client of the remote task runner.

    ``submit`` is idempotent: results are keyed by task name, so submitting a task again returns
    the recorded result without running it twice. Flaky tasks (see ``is_flaky``) lose their first
    ``failing_attempts`` submissions to a dropped connection.
    """

    def __init__(
        self,
        latency: float = SUBMIT_LATENCY,
        flaky_modulus: int = FLAKY_MODULUS,
        failing_attempts: int = 1,
    ) -> None:
        self.latency = latency
        self.flaky_modulus = flaky_modulus
        self.failing_attempts = failing_attempts
        self.attempts: dict[str, int] = {}
        self.completed: dict[str, TaskResult] = {}

    def submit(self, task: Task) -> TaskResult:
        time.sleep(self.latency)
        attempt = self.attempts.get(task.name, 0) + 1
        self.attempts[task.name] = attempt
        if attempt <= self.failing_attempts and is_flaky(task.name, self.flaky_modulus):
            raise ConnectionError(f"connection to executor dropped while submitting {task.name}")
        if task.name not in self.completed:
            self.completed[task.name] = self._execute(task)
        return self.completed[task.name]

    def _execute(self, task: Task) -> TaskResult:
        status = "applied" if task.gain >= APPLY_GAIN else "deferred"
        return TaskResult(task.name, task.kind, status, round(task.gain * 250.0, 2))


def run_plan(tasks: Sequence[Task], executor: RemoteExecutor) -> RunReport:
    """Submit every task; a dropped submission is counted and re-queued at the end."""
    queue = deque(tasks)
    attempts: dict[str, int] = {}
    results: dict[str, TaskResult] = {}
    abandoned: list[str] = []
    failures = 0
    while queue:
        task = queue.popleft()
        attempts[task.name] = attempts.get(task.name, 0) + 1
        try:
            result = executor.submit(task)
        except ConnectionError:
            failures += 1
            if attempts[task.name] >= MAX_ATTEMPTS:
                abandoned.append(task.name)
            else:
                queue.append(task)
            continue
        results[task.name] = result
    ordered = tuple(results[name] for name in sorted(results))
    return RunReport(ordered, tuple(sorted(abandoned)), failures)


def integrate(paths: Sequence[Path], executor: RemoteExecutor | None = None) -> RunReport:
    """Plan tasks for ``paths`` and run them on ``executor`` (a fresh one by default)."""
    return run_plan(plan(paths), executor or RemoteExecutor())
