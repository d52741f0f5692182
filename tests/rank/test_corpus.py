"""The predictor corpus: the held-out benchmark's counting and split, the variant generator, and
the worker's argument-repeat counts behind the ``repeat_rate`` feature."""

from __future__ import annotations

import importlib.util
import itertools
import math
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from evolver import predictor, transforms
from evolver.config import load_settings, read_source, resolve_target
from evolver.evaluate.workers import Bench, run_worker
from evolver.model import Settings, Target, source_hash
from evolver.sandbox import worker
from evolver.sandbox.scratch import Scratch

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


bench = load(BENCHMARKS / "bench_predictor.py")
generate = load(BENCHMARKS / "corpus" / "generate.py")


def row(target: str, site: str, status: str, ratio: float | None, **features: Any) -> dict[str, Any]:
    transform = site.split("@")[0]
    gain = None if ratio is None else -math.log(ratio)
    return {"target": target, "kind": "sample", "site_id": f"{site}", "transform": transform,
            "status": status, "ratio": ratio, "gain": gain, "features": features}


# -- counting ---------------------------------------------------------------------------------

def test_evaluations_to_best_counts_up_to_the_first_best() -> None:
    assert bench.evaluations_to_best(["a", "b", "c"], {"a"}) == 1
    assert bench.evaluations_to_best(["a", "b", "c"], {"c"}) == 3
    assert bench.evaluations_to_best(["a", "b", "c", "d"], {"d", "b"}) == 2
    with pytest.raises(ValueError):
        bench.evaluations_to_best(["a", "b"], {"z"})


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6])
def test_random_expectation_is_the_mean_over_all_permutations(n: int) -> None:
    for k in range(1, n + 1):
        best = set(range(k))
        positions = [bench.evaluations_to_best(p, best) for p in itertools.permutations(range(n))]
        assert bench.random_expectation(n, k) == pytest.approx(sum(positions) / len(positions))


def test_best_is_the_largest_gain_among_accepted_candidates_only() -> None:
    rows = [row("t", "memoize@m:a", "approved", 0.5), row("t", "memoize@m:b", "rejected", 0.1),
            row("t", "memoize@m:c", "failed", None), row("t", "memoize@m:d", "approved", 0.8)]
    assert bench.best_sites(rows) == ("memoize@m:a",)
    tie = rows + [row("t", "memoize@m:e", "applied", 0.5)]
    assert bench.best_sites(tie) == ("memoize@m:a", "memoize@m:e")
    assert bench.best_sites([r for r in rows if r["status"] != "approved"]) == ()


def corpus(targets: int = 6, flip: str | None = None) -> list[dict[str, Any]]:
    """Per target: set-membership (prior's last choice) wins when its list is long; memoize,
    thread-pool and local-alias always lose. ``flip`` reverses that target's outcomes."""
    rows = []
    for t in range(targets):
        name = f"t{t}"
        for i in range(6):
            long = i % 2 == 0
            wins = long if name != flip else not long
            rows.append(row(name, f"set-membership@m{t}:f{i}", "approved" if wins else "rejected",
                            0.4 if wins else 1.0, loop_depth=2 if long else 0, profile_share=0.3))
            rows.append(row(name, f"memoize@m{t}:g{i}", "approved" if name == flip else "rejected",
                            0.3 if name == flip else 1.0, loop_depth=1, profile_share=0.5, repeat_rate=0.1))
            rows.append(row(name, f"local-alias@m{t}:h{i}", "rejected", 0.98, loop_depth=1, profile_share=0.5))
    return rows


def test_the_held_out_target_never_trains_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, ...]] = []
    fit = predictor.fit

    def spy(data: predictor.Dataset, meta: Any = None) -> predictor.Predictor:
        seen.append(data.targets)
        return fit(data, meta)

    monkeypatch.setattr(predictor, "fit", spy)
    rows = corpus()
    scores, skipped = bench.benchmark(rows)
    assert skipped == 0 and len(scores) == len(seen) == 6
    for s, targets in zip(scores, seen):
        assert s.target not in targets and set(targets) == {f"t{i}" for i in range(6)} - {s.target}


def test_generated_variants_are_held_out_together() -> None:
    rows = corpus() + [{**r, "target": f"g{r['target']}", "kind": "generated"} for r in corpus()]
    train, test = bench.held_out(rows, "gt0")
    assert {r["target"] for r in test} == {"gt0"}
    assert {r["target"] for r in train} == {f"t{i}" for i in range(6)}  # no variant of the same shapes
    train, _ = bench.held_out(rows, "t0")
    assert "t0" not in {r["target"] for r in train} and "gt0" in {r["target"] for r in train}


def test_the_held_out_targets_outcomes_do_not_change_its_learned_order() -> None:
    rows, flipped = corpus(), corpus(flip="t0")
    test = [r for r in rows if r["target"] == "t0"]
    assert bench.order(test, bench.fit_without(rows, "t0")) == bench.order(test, bench.fit_without(flipped, "t0"))
    leaked = predictor.fit(predictor.dataset(bench.history_rows(flipped)))  # what a leak would do
    assert bench.order(test, leaked) != bench.order(test, bench.fit_without(rows, "t0"))


def test_the_learned_order_finds_what_the_prior_misses() -> None:
    scores, _ = bench.benchmark(corpus())
    assert all(s.learned == 1 for s in scores)
    assert all(s.prior > 1 for s in scores)  # the prior puts memoize (0.6) first
    assert all(s.random == pytest.approx((18 + 1) / (3 + 1)) for s in scores)


def test_targets_without_an_accepted_candidate_are_skipped() -> None:
    rows = corpus(3) + [row("lost", "memoize@x:f", "rejected", 1.0), row("lost", "retry@x:g", "failed", None)]
    scores, skipped = bench.benchmark(rows)
    assert skipped == 1 and {s.target for s in scores} == {"t0", "t1", "t2"}


# -- generated variants -----------------------------------------------------------------------

def test_generation_is_seeded(tmp_path: Path) -> None:
    one, two, other = generate.variant(6, 3), generate.variant(6, 3), generate.variant(7, 3)
    assert one.module == two.module and one.workload == two.workload
    assert (one.module, one.workload) != (other.module, other.workload)


@pytest.mark.parametrize("index", [0, 5])
def test_a_generated_variant_is_a_valid_target_whose_tests_pass(tmp_path: Path, index: int) -> None:
    folder = generate.write(generate.variant(6, index), tmp_path, 6)
    name = folder.name
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=folder,
                           capture_output=True, text=True, timeout=60)
    assert tests.returncode == 0, tests.stdout[-2000:]
    assert " passed" in tests.stdout and "failed" not in tests.stdout
    run = subprocess.run([sys.executable, "-c", "import workload; print(len(workload.run()))"], cwd=folder,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and int(run.stdout) == len(generate.variant(6, index).blocks)
    target = resolve_target(folder / f"{name}.py")
    settings = load_settings(target)
    assert settings.bench == "workload:run" and settings.tests == "pytest tests"
    sites = transforms.propose(read_source(target.path), transforms.Context.of(target, settings))
    assert any(s.verdict == "applicable" for s in sites)


def test_pinned_results_catch_a_changed_function(tmp_path: Path) -> None:
    v = generate.variant(6, 0)
    folder = generate.write(v, tmp_path, 6)
    module = folder / f"{folder.name}.py"
    module.write_text(module.read_text().replace("return ", "return 1 + ", 1))
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=folder,
                           capture_output=True, text=True, timeout=60)
    assert tests.returncode != 0


# -- argument repeats (the repeat_rate feature) -----------------------------------------------

SAMPLE = '''
def square(n: int) -> int:
    return n * n


def pair(a, b=("x", 1), *rest, **named):
    return a


def total(xs: list) -> int:
    return sum(xs)


def gen(n: int):
    yield n
    yield n


def run():
    for i in range(100):
        square(i % 4)
    for i in range(10):
        pair(i, k=i % 2)
    pair(frozenset({1, 2}))
    pair(frozenset({2, 1}))
    for _ in range(5):
        total([1, 2])
    list(gen(3))
    return True


def run_raising():
    square(1)
    square(1)
    raise RuntimeError("boom")
'''


def counted(tmp_path: Path, entry: str) -> dict[str, float]:
    path = tmp_path / "sample_mod.py"
    path.write_text(SAMPLE)
    namespace: dict[str, Any] = {}
    exec(compile(SAMPLE, str(path), "exec"), namespace)
    rates = worker.TracedRun(str(path), ()).run(namespace[entry])
    return {name: rate for (_, name), (rate, _) in rates.items()}


def test_repeat_rate_counts_calls_repeating_earlier_arguments(tmp_path: Path) -> None:
    rates = counted(tmp_path, "run")
    assert rates["square"] == pytest.approx(96 / 100)  # 4 distinct arguments in 100 calls
    assert rates["pair"] == pytest.approx(1 / 12)  # the ten (i, k=i % 2) differ; equal frozensets repeat
    assert "total" not in rates  # a list argument is not keyed
    assert "gen" not in rates  # generator resumptions are "call" events too: not counted
    assert rates["run"] == 0.0
    assert sys.gettrace() is None and threading.gettrace() is None


def test_the_counting_run_stops_tracing_when_nothing_is_left_to_count(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "REPEAT_CALLS", 50)
    path = tmp_path / "deep.py"
    path.write_text("import sys\n\n\ndef f(n):\n    return n\n\n\ndef run():\n    [f(i % 3) for i in range(60)]\n"
                    "    return sys.gettrace()\n")
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    hooks: list[object] = []
    rates = worker.TracedRun(str(path), ()).run(lambda: hooks.append(namespace["run"]()))
    assert hooks == [None]  # the hook went once 50 calls were keyed: the rest of the run is plain
    assert rates[(4, "f")] == (pytest.approx(46 / 49), 49)  # run() itself was the first call keyed
    still = worker.TracedRun(str(path), ("ConnectionError",))  # surfaced failures are counted to the end
    still.run(lambda: hooks.append(namespace["run"]()))
    assert hooks[-1] is not None and sys.gettrace() is None


def test_pair_keys_by_value_and_type(tmp_path: Path) -> None:
    code = compile("def f(a, b):\n    return a\n", "x.py", "exec").co_consts[0]
    assert worker.call_key(code, {"a": 1, "b": 2}) != worker.call_key(code, {"a": 1.0, "b": 2})
    assert worker.call_key(code, {"a": 1, "b": (1, "x")}) == worker.call_key(code, {"a": 1, "b": (1, "x")})
    assert worker.call_key(code, {"a": 1, "b": [1]}) is None
    assert worker.call_key(code, {"a": 1, "b": tuple(range(worker.KEY_ITEMS + 5))}) is None


def test_a_raising_workload_leaves_partial_counts(tmp_path: Path) -> None:
    assert counted(tmp_path, "run_raising")["square"] == pytest.approx(0.5)
    assert sys.gettrace() is None


def test_the_survey_mode_reports_repeat_rates(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "sample_mod.py").write_text(SAMPLE)
    (tmp_path / "work.py").write_text("import sample_mod\n\ndef run():\n    return sample_mod.run()\n")
    target = Target(path=tmp_path / "sample_mod.py", root=tmp_path, import_root=tmp_path, module="sample_mod")
    settings = Settings(bench="work:run", timeout_s=60)
    with Scratch(target, SAMPLE, settings) as scratch:
        answer = run_worker(Bench(scratch, settings, source_hash(SAMPLE)), "survey")
    by_name = {f["qualname"]: f for f in answer["functions"]}
    assert by_name["square"]["calls"] == 100 and by_name["square"]["repeat_rate"] == pytest.approx(0.96)
    assert by_name["square"]["keyed_calls"] == 100
    assert by_name["total"]["repeat_rate"] is None
