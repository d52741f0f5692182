from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from evolver.evaluate.workers import Bench, CandidateFailed, check, error_count, run_worker, survey
from evolver.model import Settings, Target, source_hash
from evolver.sandbox.scratch import Scratch

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sandbox_proj"
CALC_SOURCE = (FIXTURE / "calc.py").read_text()
FLAKY_SOURCE = (FIXTURE / "flaky.py").read_text()


def fixture_target(module: str) -> Target:
    return Target(path=FIXTURE / f"{module}.py", root=FIXTURE, import_root=FIXTURE, module=module)


@contextmanager
def bench(module: str, source: str, workload: str | None, *, expected: str | None = None,
          **settings: object) -> Iterator[Bench]:
    chosen = Settings(bench=workload, timeout_s=60, **settings)  # type: ignore[arg-type]
    with Scratch(fixture_target(module), source, chosen) as scratch:
        yield Bench(scratch, chosen, expected or source_hash(source))


def test_check_reports_the_module_hash_and_a_stable_output_digest() -> None:
    with bench("calc", CALC_SOURCE, "workload:run_calc") as first, \
            bench("calc", CALC_SOURCE, "workload:run_calc") as second:
        one, two = check(first), check(second)
    assert one.hash == source_hash(CALC_SOURCE)
    assert one.error is None and one.output is not None and len(one.output) == 64
    assert one.output == two.output


def test_check_output_changes_with_the_result() -> None:
    changed = CALC_SOURCE.replace("return 1\n", "return 2\n")
    with bench("calc", CALC_SOURCE, "workload:run_calc") as a, bench("calc", changed, "workload:run_calc") as b:
        assert check(a).output != check(b).output


def test_check_reports_the_exception_line_of_a_failing_workload() -> None:
    raising = CALC_SOURCE.replace("def work():\n", "def work():\n    raise KeyError('boom')\n")
    with bench("calc", raising, "workload:run_calc") as b:
        answer = check(b)
    assert answer.output is None
    assert answer.error == "KeyError: 'boom'" and answer.outcome == "error: KeyError: 'boom'"


def test_a_wrong_expected_hash_fails_the_candidate() -> None:
    with bench("calc", CALC_SOURCE, "workload:run_calc", expected="0" * 64) as b:
        with pytest.raises(CandidateFailed, match="differs from the expected 000000000000"):
            check(b)


def test_a_candidate_that_does_not_import_fails() -> None:
    with bench("calc", CALC_SOURCE + "\ndef broken(:\n", "workload:run_calc") as b:
        with pytest.raises(CandidateFailed, match="importing calc raised SyntaxError"):
            check(b)


def test_a_worker_killed_mid_run_fails_the_candidate() -> None:
    dying = CALC_SOURCE.replace("def work():\n", "def work():\n    import os; os._exit(3)\n")
    with bench("calc", dying, "workload:run_calc") as b:
        with pytest.raises(CandidateFailed, match="exited with 3 and no answer"):
            check(b)


def test_the_survey_profile_finds_the_hot_function_with_qualnames() -> None:
    with bench("calc", CALC_SOURCE, "workload:run_calc") as b:
        prof = survey(b).profile
    by_name = {f.qualname: f for f in prof.functions}
    assert {"calc:hot", "calc:work", "calc:cold", "calc:Shape.area"} <= set(by_name)
    assert max(prof.functions, key=lambda f: f.tottime_s).qualname == "calc:hot"
    assert by_name["calc:hot"].calls == 2 and by_name["calc:hot"].share > 0.5
    assert all(0 <= f.share <= 1 for f in prof.functions)
    assert by_name["calc:hot"].repeat_rate == 0.0  # hot(60000) and hot(100): no argument repeats
    assert by_name["calc:hot"].keyed_calls == 2
    assert by_name["calc:Shape.area"].repeat_rate is None  # `self` is not a builtin value: not keyed


REGEX_SOURCE = CALC_SOURCE.replace("def work():\n    return [", '''import re


def matches(lines):
    return sum(1 for line in lines if re.match(r"\\s*(\\w+)\\s*=\\s*(\\d+)", line))


def compiles(count):
    return [re.compile(f"x{k}y+") for k in range(count)]


def work():
    matches([" " * 400 + "total = 12"] * 1500)  # most of re.match's time: scanning the blanks
    compiles(700)
    return [''', 1)


def test_the_survey_profile_bounds_what_precompiling_can_save() -> None:
    with bench("calc", REGEX_SOURCE, "workload:run_calc") as b:
        prof = survey(b).profile
    by_name = {f.qualname: f for f in prof.functions}
    matching, compiling, plain = by_name["calc:matches"], by_name["calc:compiles"], by_name["calc:hot"]
    # re.match with a cached pattern: the wrapper and the cache lookup, not the matching
    assert matching.regex_s is not None and 0 < matching.regex_s < 0.5 * matching.cumtime_s
    # re.compile of 700 patterns re's cache never held: compiling is nearly all of the function
    assert compiling.regex_s is not None and compiling.regex_s > 0.8 * compiling.cumtime_s
    assert plain.regex_s == 0.0  # no re call of its own


@pytest.mark.parametrize(("workload", "count"), [
    ("workload:run_caught", 3),  # each reset reaches fetch_caught from Source.fetch
    ("workload:run_recovered", 0),  # all recovered inside _evolver_retry_fetch
    ("workload:run_escaping", 1),  # the last one escapes the retry helper into fetch_retried
    ("workload:run_mixed", 3),  # ValueError is not transient; two caught in worker threads; one escapes
])
def test_errors_counts_surfaced_transient_failures(workload: str, count: int) -> None:
    with bench("flaky", FLAKY_SOURCE, workload) as b:
        assert error_count(b) == count


def test_errors_uses_the_configured_transient_names() -> None:
    with bench("flaky", FLAKY_SOURCE, "workload:run_caught", transient=("TimeoutError",)) as b:
        answer = run_worker(b, "errors")
    assert answer["error_count"] == 0 and answer["by_type"] == {}


def test_the_survey_reports_the_metrics_in_three_workload_calls() -> None:
    # the count lives beside the module, in the scratch copy: the only place a sandbox may write
    counting = CALC_SOURCE.replace(
        "def work():\n", "def work():\n    open(__file__ + '.calls', 'a').write('x')\n"
        "    blob = bytearray(30 * 2**20)\n")
    with bench("calc", counting, "workload:run_calc") as b:
        found = survey(b)
        calls = len(Path(f"{b.scratch.module_path}.calls").read_text())
        metrics = found.metrics()
        calibrated = survey(b, calibrated=True)
    assert calls == 3  # plain, profiled, traced
    assert metrics["wall_time_ms"] > 0 and found.output is not None and found.error is None
    assert "tracemalloc_peak_mb" not in metrics  # the memory mode's (evolver compare), not the survey's
    assert metrics["peak_memory_mb"] >= 30
    assert 0 < metrics["cpu_percent"] <= 200
    assert metrics["error_count"] == 0 and "loops" not in metrics
    assert calibrated.loops is not None and calibrated.loops >= 1 and b.loops == calibrated.loops


def test_the_survey_counts_surfaced_failures() -> None:
    with bench("flaky", FLAKY_SOURCE, "workload:run_caught") as b:
        found = survey(b)
        uncounted = survey(b, failures=False)  # evolve's parent: counted in a fresh run of its own
    assert found.error_count == 3 and found.error_types == {"ConnectionResetError": 3}
    assert uncounted.error_count is None and "error_count" not in uncounted.metrics()


def test_the_survey_stops_at_a_raising_workload() -> None:
    raising = CALC_SOURCE.replace("def work():\n", "def work():\n    raise KeyError('boom')\n")
    with bench("calc", raising, "workload:run_calc") as b:
        found = survey(b)
    assert found.error == "KeyError: 'boom'" and found.profile.functions == ()


def test_user_modules_are_not_shadowed_and_do_not_shadow_the_worker(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "runner.py").write_text("VALUE = 'user'\n")  # a name the worker's own folder also has
    (root / "json.py").write_text("raise RuntimeError('the worker imported the user json')\n")
    (root / "mod.py").write_text("def run():\n    import runner\n    assert runner.VALUE == 'user'\n")
    target = Target(path=root / "mod.py", root=root, import_root=root, module="mod")
    settings = Settings(bench="mod:run", timeout_s=60)
    source = (root / "mod.py").read_text()
    with Scratch(target, source, settings) as scratch:
        answer = check(Bench(scratch, settings, source_hash(source)))
    assert answer.error is None


def test_printing_and_lingering_threads_do_not_disturb_the_answer() -> None:
    noisy = CALC_SOURCE.replace(
        "def work():\n",
        "def work():\n    import threading, time\n    print('x' * 100_000)\n"
        "    threading.Thread(target=time.sleep, args=(60,)).start()\n")
    with bench("calc", noisy, "workload:run_calc", ) as b:
        assert check(b).error is None


def test_the_pytest_workload_runs_the_tests_in_process() -> None:
    broken = CALC_SOURCE.replace("return total", "return total + 1")
    with bench("calc", CALC_SOURCE, None) as good, bench("calc", broken, None) as bad:
        assert good.workload.startswith("pytest:")
        ok, failing = check(good), check(bad)
    assert ok.error is None and failing.error is None
    assert ok.output != failing.output  # pytest's exit code 0 vs 1


# -- the output digest ------------------------------------------------------------------------------

class Plain:
    def __init__(self, value: object) -> None:
        self.value = value


class Slotted:
    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


def test_digest_ignores_addresses_and_set_order_but_not_dict_order() -> None:
    from evolver.sandbox.worker import digest_of

    assert digest_of(object()) == digest_of(object())
    assert digest_of({"b", "a", "c"}) == digest_of({"c", "a", "b"})
    assert digest_of({"a": 1, "b": 2}) != digest_of({"b": 2, "a": 1})
    assert digest_of([1, 1.0, True]) != digest_of([1, 1, 1])
    assert digest_of((1, 2)) != digest_of([1, 2])


def test_digest_sees_the_state_behind_a_default_repr() -> None:
    from evolver.sandbox.worker import digest_of

    assert digest_of(Plain(1)) == digest_of(Plain(1))
    assert digest_of(Plain(1)) != digest_of(Plain(2))
    assert digest_of(Slotted([1])) != digest_of(Slotted([2]))


def test_digest_sees_the_middle_of_a_large_array() -> None:
    import numpy as np

    from evolver.sandbox.worker import digest_of

    a = np.arange(100_000, dtype=np.float64)
    b = a.copy()
    b[50_000] = -1
    assert repr(a) == repr(b)  # numpy elides the middle
    assert digest_of(a) != digest_of(b)
    assert digest_of(a) == digest_of(a.copy())
    assert digest_of(a) != digest_of(a.astype(np.float32))


def test_digest_survives_cycles() -> None:
    from evolver.sandbox.worker import digest_of

    loop: list[object] = [1]
    loop.append(loop)
    assert digest_of(loop) == digest_of(loop)


def test_timing_clears_function_caches_before_each_call(tmp_path: Path) -> None:
    """A memoized function must not look faster just because earlier loops filled its cache."""
    import functools
    import types

    from evolver.sandbox.worker import cache_resetter, timed

    module = types.ModuleType("m")
    calls = []

    @functools.cache
    def work(n: int) -> int:
        calls.append(n)
        return n

    class Holder:
        @functools.cache  # noqa: B019 - the test is about caches on methods
        def method(self, n: int) -> int:
            calls.append(-n)
            return n

    Holder.__module__ = "m"
    module.work, module.Holder = work, Holder
    holder = Holder()
    timed(lambda: (work(3), holder.method(4)), 5, cache_resetter(module))
    assert calls.count(3) == 5 and calls.count(-4) == 5


def test_timing_leaves_out_the_time_spent_waiting_for_a_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from evolver.sandbox import worker

    waits = iter([10.0, 10.0, 10.25, 10.25])  # the scheduler kept this thread off the CPU for 0.25 s of the window
    monkeypatch.setattr(worker, "run_queue_wait", lambda: next(waits))
    elapsed = worker.timed(lambda: time.sleep(0.3), 1, lambda: None)
    assert 0.04 < elapsed < 0.25


def test_a_wait_between_the_clock_and_the_wait_readings_is_not_subtracted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel may switch threads while the wait is read: a wait accounted after the window's
    clock was read does not belong to the window, and subtracting it made near-zero samples."""
    import time

    from evolver.sandbox import worker

    waited = [5.0]
    readings = []

    def run_queue_wait() -> float:
        readings.append(waited[0])
        if len(readings) == 4:  # read just after the end clock: the thread is switched out for 0.2 s
            time.sleep(0.2)
            waited[0] += 0.2
        return waited[0]

    monkeypatch.setattr(worker, "run_queue_wait", run_queue_wait)
    window = worker.window(lambda: time.sleep(0.05), 1, lambda: None)
    assert window.waited == pytest.approx(0.2) and window.elapsed >= 0.25  # the clock was read again after it
    assert 0.04 < window.seconds < 0.2  # not 0.05 - 0.2 (floored at the CPU time: near zero)


def test_a_window_never_counts_less_than_its_own_cpu_time() -> None:
    from evolver.sandbox.worker import Window

    assert Window(elapsed=0.1, waited=0.099, cpu=0.03).seconds == 0.03
    assert Window(elapsed=0.1, waited=0.02, cpu=0.03).seconds == pytest.approx(0.08)
    assert Window(elapsed=0.1, waited=None, cpu=0.03).seconds == 0.1


def _windows(monkeypatch: pytest.MonkeyPatch, *shares: float) -> list[int]:
    """Make ``worker.window`` return windows of 0.1 s that waited ``shares`` of their time, in turn."""
    from evolver.sandbox import worker

    taken = []
    queue = iter(shares)

    def fake(workload: Any, loops: int, reset: Any) -> Any:
        taken.append(loops)
        return worker.Window(elapsed=0.1, waited=0.1 * next(queue), cpu=0.001)

    monkeypatch.setattr(worker, "window", fake)
    return taken


def test_a_window_that_mostly_waited_is_retaken(monkeypatch: pytest.MonkeyPatch) -> None:
    from evolver.sandbox import worker

    taken = _windows(monkeypatch, 0.97, 0.3)
    seconds, retakes = worker.measured(lambda: None, 3, lambda: None)
    assert retakes == 1 and len(taken) == 2 and seconds == pytest.approx(0.07)


def test_a_window_still_mostly_waiting_after_its_retakes_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    from evolver.sandbox import worker

    taken = _windows(monkeypatch, *[0.95] * 10)
    seconds, retakes = worker.measured(lambda: None, 3, lambda: None)
    assert seconds is None and retakes == worker.RETAKES and len(taken) == 1 + worker.RETAKES


def test_the_alternate_worker_answers_dropped_for_a_window_that_is_no_measurement(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from evolver.sandbox import worker

    _windows(monkeypatch, 0.95, 0.95, 0.95, 0.2)
    monkeypatch.setattr(worker, "warmed_up", lambda request: (False, "h", lambda: None, lambda: None))
    (tmp_path / "commands").write_text("time\ntime\nstop\n")
    (tmp_path / "answers").write_text("")  # stands for the FIFO evolver holds open
    answer = worker.mode_alternate({"loops": 2, "commands": str(tmp_path / "commands"),
                                    "answers": str(tmp_path / "answers")})
    assert (tmp_path / "answers").read_text().split() == ["ready", worker.DROPPED, repr(0.08 / 2)]
    assert answer["per_loop_s"] == [None, pytest.approx(0.04)] and answer["retaken"] == 2


def test_timing_falls_back_to_wall_time_where_the_kernel_does_not_say(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from evolver.sandbox import worker

    monkeypatch.setattr(worker, "SCHEDSTAT", "/nonexistent/schedstat")
    assert worker.run_queue_wait() is None and worker.clock_name() == "wall"
    assert worker.timed(lambda: time.sleep(0.05), 2, lambda: None) >= 0.1


def test_timed_answers_say_which_clock_they_used() -> None:
    from evolver.sandbox import worker

    with bench("calc", CALC_SOURCE, "workload:run_calc") as b:
        answer = run_worker(b, "time", loops=1, repeat=2)
    assert len(answer["per_loop_s"]) == 2 and all(t > 0 for t in answer["per_loop_s"])
    assert answer["clock"] == worker.clock_name()


def test_the_survey_cpu_share_of_a_one_millisecond_workload_is_about_one() -> None:
    """Under the jail's RLIMIT_CPU the process CPU clock moves in scheduler ticks: a ~1 ms CPU-bound
    run read 0% or 400% (and a CPU-bound workload then had its timing rounds overlap)."""
    short = CALC_SOURCE.replace("N = 60000\n", "N = 2000\n")
    with bench("calc", short, "workload:run_calc") as b:
        found = [survey(b, failures=False) for _ in range(5)]
    # under 2 ms a 4 ms tick reads 0% or over 200%: only such runs tell the clocks apart
    short_runs = [f for f in found if f.wall_s < 0.002]
    if not short_runs:
        pytest.skip("no run was short on this machine (all five took 2 ms or more)")
    assert all(0.5 < f.cpu_share < 1.5 for f in short_runs), [(f.wall_s, f.cpu_share) for f in found]


def test_the_survey_cpu_share_leaves_out_the_wait_for_a_cpu(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On a busy machine a CPU-bound workload spends most of its wall time waiting for a CPU: its
    CPU share must still read as CPU-bound (it decides whether timing rounds may overlap)."""
    import time
    import types

    from evolver.sandbox import worker

    cpu = [0.0]
    calls = []

    def workload() -> None:  # the first (plain) call: 1 s of wall time, 0.2 s of CPU, 0.8 s waiting for one
        if not calls:
            time.sleep(1.0)
            cpu[0] += 0.2
        calls.append(1)

    readings = iter([10.0, 10.0] + [10.8] * 100)
    monkeypatch.setattr(worker, "run_queue_wait", lambda: next(readings))
    monkeypatch.setattr(worker, "process_cpu_s", lambda: cpu[0])
    module = types.ModuleType("busy")
    (tmp_path / "busy.py").write_text("")
    monkeypatch.setattr(worker, "load_target", lambda request: (module, str(tmp_path / "busy.py"), "h"))
    monkeypatch.setattr(worker, "load_workload", lambda spec: workload)
    answer = worker.mode_survey({"workload": "busy:run"})
    assert answer["wall_s"] >= 1.0
    assert answer["cpu_share"] > 0.5  # 0.2 / (wall - 0.8): about 1; the wall time alone would say 0.2
