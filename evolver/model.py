"""Plain data types that travel between the pipeline stages.

analyze -> propose -> rank -> evaluate -> store: each stage takes and returns these values,
never another stage's internals. All are frozen and JSON-friendly through ``to_json``.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Verdict = Literal["applicable", "refused"]
Severity = Literal["low", "medium", "high", "critical"]


def source_hash(source: str | bytes) -> str:
    """The hash recorded for a module's source: sha256 of its exact bytes (UTF-8 for str)."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    return hashlib.sha256(data).hexdigest()


def to_json(value: Any) -> Any:
    """Turn dataclasses, paths and tuples into JSON-serialisable values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


@dataclass(frozen=True)
class Target:
    """One module of a user's project.

    ``module`` is its import name as seen from ``import_root`` (the project root, or its ``src/``).
    """

    path: Path
    root: Path
    import_root: Path
    module: str

    @property
    def relpath(self) -> Path:
        return self.path.relative_to(self.root)

    @property
    def key(self) -> str:
        """Folder name of this target's generations: its dotted module name."""
        return self.module


@dataclass(frozen=True)
class Package:
    """A folder of a user's project given as the target: its modules, each a Target of the same project."""

    folder: Path
    root: Path
    modules: tuple[Target, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (file relative to the project, why it is not a module here)


@dataclass(frozen=True)
class Thresholds:
    """Targets for the measured metrics; a metric above its target is a bottleneck."""

    wall_time_ms: float = 100.0
    peak_memory_mb: float = 512.0
    cpu_percent: float = 90.0
    error_count: float = 0.0


@dataclass(frozen=True)
class Settings:
    """How to evolve one target; from ``[tool.evolver]`` and the command line."""

    tests: str | None = None  # "pytest ...", "doctest", any shell command; None: discovered pytest
    bench: str | None = None  # "module:function"; None: the oracle run is the workload
    transient: tuple[str, ...] = ("ConnectionError", "TimeoutError")
    idempotent: tuple[str, ...] = ()  # "mod:func" / "mod:Class.method" the user declares idempotent
    retry_backoff_s: float = 0.01  # first delay between retries (doubles each attempt)
    fault_rate: float = 0.25  # share of a retried callee's distinct calls made to fail (evaluate/sturdiness.py)
    # assumptions of the soundness model (evolver.analysis.assumptions) switched off: every site
    # relying on one is refused; `[tool.evolver] assumptions = {single-thread = false}`
    assumptions_off: tuple[str, ...] = ()
    cycles: int = 5
    modules: int = 5  # a package target: evolve at most this many of its modules, the hottest first
    budget_s: float | None = None  # wall clock of the whole run, the baseline included
    timeout_s: float | None = None  # None: limits scaled from the parent's measured times (evaluate.limits)
    min_effect: float = 0.03
    alpha: float = 0.01
    max_pairs: int = 40  # the harness's last look; looks come at 10, 20, 40, 80 pairs below it
    windows: int = 6  # timing windows per worker process, taken by turns; a sample is the fastest
    pin_cpu: bool = False  # both workers of a pair on one random CPU (measured noisier on a loaded machine)
    memory_budget: float = 1.5  # largest candidate/parent ratio of peak memory (RSS) accepted
    instructions: bool = False  # also count instructions under valgrind (recorded, never deciding)
    behaviour: bool = True  # compare the call traces of parent and candidate on the workload
    behaviour_samples: int = 30  # sampled inputs per rewritten function the workload calls little; 0: none
    sample_io: bool = False  # also sample inputs for functions that do I/O
    sandbox: str = "process"
    docker_image: str | None = None  # sandbox "docker": a user image; None: one running the host interpreter
    max_project_mb: float = 200.0
    executor: str = "local"  # where candidates are evaluated: "local", or a Dask scheduler as tcp://host:port
    thresholds: Thresholds = field(default_factory=Thresholds)
    # continuous mode (`evolver watch`, the Python API)
    max_cycles: int = 10  # watch cycles before stopping
    cycle_interval: float = 3600.0  # seconds from the start of one watch cycle to the next
    auto_deploy: bool = False  # promote, without a prompt, a generation that passes performance_threshold
    performance_threshold: float = 0.10  # least gain auto_deploy promotes: 0.10 = 10% less time per run
    # where each value given came from ("--cycles", "<file>: [tool.evolver] cycles"), for
    # messages; a value not in it is the default
    origins: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class FunctionFacts:
    """Static facts about one function, from libcst and radon."""

    qualname: str  # "pkg.mod:func" or "pkg.mod:Class.method" (nested: "pkg.mod:outer.inner")
    lineno: int
    end_lineno: int
    complexity: int  # radon cyclomatic complexity
    loc: int  # source lines
    loop_depth: int
    is_recursive: bool
    io_calls: tuple[str, ...]  # qualified names of blocking I/O calls it makes directly


@dataclass(frozen=True)
class ModuleFacts:
    module: str
    loc: int
    sloc: int
    maintainability: float  # radon maintainability index
    functions: tuple[FunctionFacts, ...]


@dataclass(frozen=True)
class FunctionProfile:
    qualname: str
    calls: int
    tottime_s: float
    cumtime_s: float
    share: float  # cumtime / total workload time, 0..1
    # share of its calls (with builtin immutable arguments) that repeat an earlier call's
    # arguments, from a separate traced run; None when not measured or no call could be keyed
    repeat_rate: float | None = None
    keyed_calls: int | None = None  # how many calls that rate is over (all remembered: exact)
    # time its calls of re's functions spent in re's own code (wrapper, pattern cache, compiling):
    # what precompiling the pattern can save, as cProfile sees it; None when not measured
    regex_s: float | None = None


@dataclass(frozen=True)
class Profile:
    total_s: float
    functions: tuple[FunctionProfile, ...]


@dataclass(frozen=True)
class Site:
    """One place a transform could rewrite, named stably (not by line number): ``target`` is
    "pkg.mod:func", with "#k" for the k-th site of this transform inside the function. ``function``
    and ``number`` are the same name taken apart; ``line``/``column`` say where the site is in the
    source it was found in (shown to the user, never part of the name)."""

    transform: str
    target: str
    verdict: Verdict
    reasons: tuple[str, ...] = ()  # why it was refused (or notes when applicable)
    features: dict[str, Any] = field(default_factory=dict)  # numeric/categorical facts for ranking
    assumptions: tuple[str, ...] = ()  # the soundness model's assumptions an applicable site relies on
    function: str = ""  # the qualname inside the module ("Class.method"); from ``target`` when not given
    number: int | None = None  # the "#k" of ``target``
    line: int = 0
    column: int = 0

    def __post_init__(self) -> None:
        if not self.function:
            function = self.target.split(":", 1)[-1]
            name, _, number = function.rpartition("#")
            if name and number.isdigit():
                object.__setattr__(self, "function", name)
                object.__setattr__(self, "number", int(number))
            else:
                object.__setattr__(self, "function", function)

    @classmethod
    def at(cls, transform: str, module: str, function: str, number: int | None, verdict: Verdict,
           **facts: Any) -> Site:
        """The site of ``transform`` in ``module:function`` (its ``number``-th there, if numbered)."""
        target = f"{module}:{function}" + (f"#{number}" if number is not None else "")
        return cls(transform=transform, target=target, verdict=verdict, function=function, number=number, **facts)

    @property
    def id(self) -> str:
        return f"{self.transform}@{self.target}"


@dataclass(frozen=True)
class Bottleneck:
    metric: str  # wall_time_ms, peak_memory_mb, cpu_percent, error_count
    value: float
    target: float
    severity: Severity
    impact: float  # 0..100
    where: str | None = None  # a function qualname when the profile points at one


@dataclass(frozen=True)
class OracleResult:
    passed: bool
    tests_run: int  # tests (or doctest examples) executed; -1 when a shell command gives no count
    failed: int
    duration_s: float
    reason: str = ""  # one line when it did not pass
    output_tail: str = ""
    isolation: tuple[str, ...] = ()  # the sandbox layers the tests ran under


@dataclass(frozen=True)
class Comparison:
    """The harness's judgement of a candidate against its parent."""

    verdict: Literal["faster", "slower", "no significant difference"]
    ratio: float  # candidate time / parent time (point estimate; < 1 is faster)
    ci_low: float
    ci_high: float
    p_value: float
    pairs: int
    parent_s: tuple[float, ...]  # per-loop seconds, one per sample
    candidate_s: tuple[float, ...]
    loops: int
    extra: dict[str, Any] = field(default_factory=dict)  # memory, cpu, errors, hashes

    @property
    def speedup(self) -> float:
        return 1.0 / self.ratio if self.ratio > 0 else float("inf")

    @property
    def words(self) -> str:
        """The verdict in words: a gain the interval shows but the decision did not take ("no
        significant difference" while the whole 95% interval is faster) says what it lacked."""
        floor = self.extra.get("min_effect")
        if self.verdict != "no significant difference" or self.ci_high >= 1 or not isinstance(floor, float):
            return self.verdict
        if self.ci_low >= 1 - floor:
            return f"faster by less than the {floor:.0%} minimum effect"
        return f"a gain not shown beyond the {floor:.0%} minimum effect"

    def describe(self) -> str:
        return (
            f"{self.speedup:.2f}x faster (95% CI {1 / self.ci_high:.2f}-{1 / self.ci_low:.2f})"
            if self.verdict == "faster"
            else f"{self.words} ({self.speedup:.2f}x, 95% CI {1 / self.ci_high:.2f}-{1 / self.ci_low:.2f})"
        )
