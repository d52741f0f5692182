"""``evolver compare <a> <b>``: two versions of one module, measured by the harness in the sandbox.

``<a>`` is the module as it is in its project (its file, or a generation id); ``<b>`` is another
version of it (a file, or a generation id of the same module) put in ``<a>``'s place in a scratch
copy of the project. Both are run once first, so a crash is reported as bad input, not measured;
then their behaviour on the workload's calls is compared (``evaluate/behaviour.py``): when it
differs, the verdict is ``behaviour differs``, whatever the timing says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from evolver.config import check_workload, load_settings, read_source, resolve_target
from evolver.errors import EvolverError
from evolver.evaluate.behaviour import BehaviourCheck, check_behaviour, describe, turned_off
from evolver.evaluate.timing import compare
from evolver.evaluate.workers import Bench, check
from evolver.generations import GenerationStore, parse_id
from evolver.model import Comparison, Settings, Target, source_hash
from evolver.sandbox.scratch import Scratch


@dataclass(frozen=True)
class Version:
    """One side of the comparison: what the user named and the source it stands for."""

    spec: str
    kind: Literal["file", "generation"]
    source: str
    target_key: str | None  # the module a generation belongs to; None for a plain file
    path: Path  # the file, or the generation's copy of the module

    @property
    def hash(self) -> str:
        return source_hash(self.source)

    def describe(self) -> dict[str, str]:
        return {"spec": self.spec, "kind": self.kind, "path": str(self.path), "hash": self.hash}


def load_version(spec: str, store: GenerationStore) -> Version:
    """A file when ``spec`` names one, else a generation id; a one-line error otherwise."""
    path = Path(spec).expanduser()
    if path.exists():
        if not path.is_file():
            raise EvolverError(f"{spec} is not a file")
        return Version(spec, "file", read_source(path), None, path.resolve())
    if parse_id(spec) is None:
        raise EvolverError(f"no such file or generation: {spec}")
    gen = store.get(spec)
    return Version(spec, "generation", gen.read_source(), gen.target_key, gen.source_path)


def target_of(a: Version, store: GenerationStore, root: str | None) -> Target:
    """The module ``a`` stands for in its project: the file itself, or the generation's target."""
    if a.kind == "file":
        return resolve_target(a.path, root)
    manifest = store.get(a.spec).manifest["target"]
    target = resolve_target(manifest["path"], root or manifest["root"])
    if target.key != a.target_key:
        raise EvolverError(f"generation {a.spec} is of module {a.target_key}, but its file "
                           f"{manifest['path']} now imports as {target.key}")
    return target


def check_other(b: Version, target: Target) -> None:
    if b.kind == "generation" and b.target_key != target.key:
        raise EvolverError(f"generation {b.spec} is of module {b.target_key}, not of {target.key}")


def compare_versions(a_spec: str, b_spec: str, *, workspace: Path, root: str | None = None,
                     overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Measure ``b`` against ``a`` with the harness; the figures ``evolver compare`` prints."""
    store = GenerationStore(workspace / "generations")
    a, b = load_version(a_spec, store), load_version(b_spec, store)
    target = target_of(a, store, root)
    check_other(b, target)
    overrides, bench_from = with_recorded_bench(overrides, store, a, b)
    settings = load_settings(target, overrides)
    check_workload(target, settings)
    with Scratch(target, a.source, settings) as scratch_a, Scratch(target, b.source, settings) as scratch_b:
        benches = [Bench(scratch, settings, version.hash) for scratch, version in ((scratch_a, a), (scratch_b, b))]
        outputs = [run_once(bench, name, version) for bench, name, version in zip(benches, "ab", (a, b))]
        behaviour = check_behaviour(benches[0], benches[1], a.source, b.source) if settings.behaviour \
            else turned_off()
        comparison = compare(benches[0], benches[1], alpha=settings.alpha, min_effect=settings.min_effect,
                             memory=True)
        workload = benches[0].workload
    return summary(a, b, target, settings, workload, comparison, same_output=outputs[0] == outputs[1],
                   behaviour=behaviour) | {"workload_from": bench_from}


def with_recorded_bench(overrides: dict[str, Any] | None, store: GenerationStore, *versions: Version
                        ) -> tuple[dict[str, Any], str | None]:
    """Without ``--bench``, a generation is re-timed on the workload it was evolved with (its manifest
    says which; the project's default may be another): the overrides to use, and the generation whose
    workload they name (None: the settings' own)."""
    overrides = dict(overrides or {})
    if overrides.get("bench"):
        return overrides, None
    for version in reversed(versions):  # <b> first: the version whose figure is being checked
        if version.kind == "generation":
            bench = store.get(version.spec).manifest.get("measurements", {}).get("bench")
            if bench:
                return overrides | {"bench": bench}, version.spec
    return overrides, None


def run_once(bench: Bench, name: str, version: Version) -> str | None:
    """The workload's output digest on one version; its crash is the user's bad input."""
    try:
        found = check(bench)
    except EvolverError as exc:
        raise EvolverError(f"<{name}> ({version.spec}): {exc}") from None
    if found.error:
        raise EvolverError(f"the workload raises on <{name}> ({version.spec}): {found.error}")
    return found.output


def summary(a: Version, b: Version, target: Target, settings: Settings, workload: str, cmp: Comparison, *,
            same_output: bool, behaviour: BehaviourCheck) -> dict[str, Any]:
    extra = cmp.extra
    return {
        "a": a.describe(), "b": b.describe(), "module": target.module, "project": str(target.root),
        "workload": workload, "verdict": "behaviour differs" if behaviour.differs else cmp.verdict,
        "timing_verdict": cmp.verdict, "behaviour": describe(behaviour), "ratio": cmp.ratio, "ci": [cmp.ci_low, cmp.ci_high],
        "speedup": cmp.speedup, "p_value": cmp.p_value, "pairs": cmp.pairs, "loops": cmp.loops,
        "alpha": settings.alpha, "min_effect": settings.min_effect, "described": cmp.describe(),
        "memory": _brief(extra.get("memory")), "cpu": _brief(extra.get("cpu")),
        "instructions": extra.get("instructions"), "same_output": same_output,
        "sandbox": {"backend": settings.sandbox, "docker_image": settings.docker_image,
                    "isolation": list(extra.get("isolation") or ())},
        "samples": {"a_s": list(cmp.parent_s), "b_s": list(cmp.candidate_s), "seeds": extra.get("seed_pairs"),
                    "order": extra.get("order")},
    }


def _brief(judged: dict[str, Any] | None) -> dict[str, Any] | None:
    """A paired judgement without its raw runs (and so for its tracemalloc part)."""
    if judged is None:
        return None
    kept = {k: v for k, v in judged.items() if not k.endswith("_runs") and k not in ("seed_pairs", "order")}
    if isinstance(kept.get("tracemalloc"), dict):
        kept["tracemalloc"] = _brief(kept["tracemalloc"])
    return kept


def render(result: dict[str, Any]) -> str:
    """The human-readable report of ``compare_versions``."""
    low, high = result["ci"]
    lines = [
        f"{result['module']}: <b> {result['b']['spec']} against <a> {result['a']['spec']}",
        f"workload      {result['workload']}, {result['pairs']} pairs x {result['loops']} loops"
        + (f" (the workload {result['workload_from']} was evolved with)" if result.get("workload_from") else ""),
        f"sandbox       {_sandbox_words(result['sandbox'])}",
        f"time          ratio {result['ratio']:.3f} (95% CI {low:.3f}-{high:.3f}), p = {result['p_value']:.2g}",
        f"              {result['described']}",
        *_memory_lines(result.get("memory")),
        *_cpu_lines(result.get("cpu")),
        *_instruction_lines(result.get("instructions")),
    ]
    if not result["same_output"]:
        lines.append("note          the workload returns different results on <a> and <b>")
    lines += _behaviour_lines(result["behaviour"])
    lines.append(f"verdict       {result['verdict']}")
    return "\n".join(lines)


def _sandbox_words(sandbox: dict[str, Any]) -> str:
    image = f" (image {sandbox['docker_image']})" if sandbox.get("docker_image") else ""
    layers = ", ".join(sandbox.get("isolation") or ()) or "no isolation layer reported"
    return f"{sandbox['backend']}{image}: {layers}"


def _behaviour_lines(behaviour: dict[str, Any]) -> list[str]:
    if behaviour["verdict"] == "off":
        return ["warning       the behaviour check is off: <b> was not checked against <a>'s calls"]
    if behaviour["verdict"] == "same":
        return [f"behaviour     {behaviour['summary']}"]
    first, *more = behaviour["differences"]
    return [f"behaviour     DIFFERS: {first}", *(f"              also: {line}" for line in more)]


def _memory_lines(memory: dict[str, Any] | None) -> list[str]:
    if not memory:
        return []
    low, high = memory["ci"]
    lines = [f"memory        peak {memory['parent_peak_mb']:.1f} MB -> {memory['candidate_peak_mb']:.1f} MB, "
             f"ratio {memory['ratio']:.3f} (95% CI {low:.3f}-{high:.3f})",
             f"              p = {memory['p']:.2g}: {_words(memory['verdict'])}; "
             f"{'OVER' if memory['over_budget'] else 'within'} the {memory['budget']:g}x budget"]
    traced = memory.get("tracemalloc")
    if traced:
        lines.append(f"tracemalloc   peak {traced['parent']:.2f} MB -> {traced['candidate']:.2f} MB, "
                     f"ratio {traced['ratio']:.3f}: {_words(traced['verdict'])}")
    return lines


def _cpu_lines(cpu: dict[str, Any] | None) -> list[str]:
    if not cpu:
        return []
    return [f"cpu           {cpu['parent']:.0f}% -> {cpu['candidate']:.0f}% of wall time: {cpu['verdict']}"]


def _words(verdict: str) -> str:
    return {"more": "more memory", "less": "less memory"}.get(verdict, verdict)


def _instruction_lines(counts: dict[str, Any] | None) -> list[str]:
    if not counts:
        return []
    if "skipped" in counts:
        return [f"instructions  not counted: {counts['skipped']}"]
    ratio = f", ratio {counts['ratio']:.3f}" if counts.get("ratio") is not None else ""
    return [f"instructions  {counts['parent'] / 1e6:.2f}M -> {counts['candidate'] / 1e6:.2f}M per call{ratio}"]
