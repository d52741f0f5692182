"""The call trace on real worker runs: what is compared, what is left out, what is unknown."""

from __future__ import annotations

import json
from pathlib import Path

from behaviour_runs import behaviour, benches, project

from evolver.errors import EvolverError
from evolver.evaluate.behaviour import trace
from evolver.sandbox.tracer import FIRST_CALLS

FIB = """\
    import functools

    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)
"""
FIB_WORKLOAD = """\
    import fib


    def run():
        return [fib.fib(18), fib.fib(18), fib.fib(12)]
"""


def test_a_sound_memoization_compares_the_callers_calls_not_the_recursion(tmp_path: Path) -> None:
    target, settings = project(tmp_path, "fib", FIB, FIB_WORKLOAD)
    memoized = FIB.replace("    def fib", "    @functools.lru_cache(maxsize=None, typed=True)\n    def fib")
    import textwrap

    check = behaviour(target, settings, textwrap.dedent(FIB), textwrap.dedent(memoized))
    assert check.verdict == "same", check.differences
    assert check.calls == 3  # the workload's three calls; the recursion inside them is the rewrite's own
    assert check.changed == ("fib",)


def test_a_helper_the_rewrite_adds_is_internal(tmp_path: Path) -> None:
    import textwrap

    target, settings = project(tmp_path, "fib", FIB, FIB_WORKLOAD)
    helper = textwrap.dedent("""\
        import functools

        @functools.lru_cache(maxsize=None, typed=True)
        def _evolver_fib(n):
            return n if n < 2 else _evolver_fib(n - 1) + _evolver_fib(n - 2)

        def fib(n):
            return _evolver_fib(n)
    """)
    check = behaviour(target, settings, textwrap.dedent(FIB), helper)
    assert check.verdict == "same", check.differences
    assert check.calls == 3


COUNTER = """\
    import time

    class Counter:
        def __init__(self):
            self.count = 0
            self.seen = []

        def add(self, item):
            self.count += 1
            self.seen.append(item)
            return self.count

    def stamp(x):
        return (x, time.perf_counter_ns())

    def check(x):
        if x < 0:
            raise ValueError(f"negative: {x}")
        return x

    def pairs(n):
        for i in range(n):
            yield i * i
"""
COUNTER_WORKLOAD = """\
    import counter


    def run():
        c = counter.Counter()
        for word in ["a", "b", "a"]:
            c.add(word)
        try:
            counter.check(-2)
        except ValueError:
            pass
        counter.stamp(1)
        return sum(counter.pairs(4))
"""


def counter_check(tmp_path: Path, old: str, new: str) -> object:
    import textwrap

    target, settings = project(tmp_path, "counter", COUNTER, COUNTER_WORKLOAD)
    source = textwrap.dedent(COUNTER)
    assert textwrap.dedent(old) in source
    return behaviour(target, settings, source, source.replace(textwrap.dedent(old), textwrap.dedent(new)))


def test_a_method_that_leaves_self_otherwise_differs(tmp_path: Path) -> None:
    check = counter_check(tmp_path, "        self.seen.append(item)\n", "        self.seen.insert(0, item)\n")
    assert check.verdict == "differs"  # type: ignore[attr-defined]
    assert check.first == ("Counter.add(Counter(count=1, seen=['a']), 'b') call 2: left self as "  # type: ignore[attr-defined]
                           "Counter(count=2, seen=['b', 'a']), parent as Counter(count=2, seen=['a', 'b'])")


def test_another_exception_message_differs(tmp_path: Path) -> None:
    check = counter_check(tmp_path, 'f"negative: {x}"', 'f"below zero: {x}"')
    assert check.first == ("check(-2) call 1: raised ValueError: below zero: -2, "  # type: ignore[attr-defined]
                           "parent raised ValueError: negative: -2")


def test_what_a_generator_yields_is_compared(tmp_path: Path) -> None:
    check = counter_check(tmp_path, "yield i * i", "yield i * 2")
    assert check.first == "pairs(4) call 1: yielded another value as item 2"  # type: ignore[attr-defined]


def test_a_nondeterministic_parent_is_not_a_difference(tmp_path: Path) -> None:
    check = counter_check(tmp_path, "return (x, time.perf_counter_ns())", "return (x + 0, time.perf_counter_ns())")
    assert check.verdict == "same", check.differences  # type: ignore[attr-defined]
    assert any("differ between two runs of the parent" in n for n in check.notes)  # type: ignore[attr-defined]


def test_an_unknown_value_is_never_the_same(tmp_path: Path) -> None:
    import textwrap

    source = "import threading\n\ndef make():\n    return threading.Lock()\n"
    target, settings = project(tmp_path, "locks", source, "import locks\n\ndef run():\n    locks.make()\n")
    check = behaviour(target, settings, source, source.replace("return threading.Lock()",
                                                                "lock = threading.Lock()\n    return lock"))
    assert check.verdict == "same" and check.unknown >= 1
    assert "could not be compared (unknown, not counted as same)" in check.summary
    as_list = textwrap.dedent(source).replace("return threading.Lock()", "return [threading.Lock()]")
    check = behaviour(target, settings, source, as_list)
    assert check.first is not None and "make() call 1: returned" in check.first  # another type: a difference


def test_files_the_workload_writes_are_compared(tmp_path: Path) -> None:
    source = "def save(path, rows):\n    with open(path, 'w') as f:\n        f.write(','.join(rows))\n"
    workload = "import store\n\ndef run():\n    store.save('out.csv', ['a', 'b'])\n"
    target, settings = project(tmp_path, "store", source, workload)
    check = behaviour(target, settings, source, source.replace("','.join", "';'.join"))
    assert check.verdict == "differs"
    assert "after the workload: wrote other contents to out.csv" in check.differences


def test_a_transient_failure_the_candidate_recovers_from_is_tolerated(tmp_path: Path) -> None:
    source = """\
        class Remote:
            def __init__(self):
                self.calls = 0

            def fetch(self, key):
                self.calls += 1
                if self.calls == 2:
                    raise ConnectionError("dropped")
                return key.upper()

        def fetch_all(remote, keys):
            failures = 0
            out = []
            for key in keys:
                try:
                    out.append(remote.fetch(key))
                except ConnectionError:
                    failures += 1
            return out, failures
    """
    retry = source.replace("out.append(remote.fetch(key))",
                           "out.append(_evolver_retry(remote.fetch, key))").replace(
        "def fetch_all", "def _evolver_retry(f, *args):\n"
        "            for _ in range(3):\n"
        "                try:\n"
        "                    return f(*args)\n"
        "                except ConnectionError:\n"
        "                    pass\n"
        "            return f(*args)\n\n"
        "        def fetch_all")
    workload = "import remote\n\ndef run():\n    return len(remote.fetch_all(remote.Remote(), ['a', 'b', 'c'])[0]) > 0\n"
    import textwrap

    target, settings = project(tmp_path, "remote", source, workload)
    check = behaviour(target, settings, textwrap.dedent(source), textwrap.dedent(retry))
    assert check.verdict == "same", check.differences
    assert check.tolerated >= 1 and "transient failures not compared" in check.summary


def test_sampled_inputs_stop_at_io(tmp_path: Path) -> None:
    source = "def note(text):\n    with open('notes.txt', 'a') as f:\n        f.write(text)\n    return len(text)\n"
    workload = "import notes\n\ndef run():\n    return notes.note('hello')\n"
    target, settings = project(tmp_path, "notes", source, workload, sample_io=True)
    check = behaviour(target, settings, source, source.replace("len(text)", "len(text) + 0"))
    assert check.verdict == "same", check.differences
    assert any("sampled inputs stopped early (I/O (open" in n for n in check.notes), check.notes
    target, settings = project(tmp_path / "2", "notes", source, workload)  # by default: not sampled at all
    check = behaviour(target, settings, source, source.replace("len(text)", "len(text) + 0"))
    assert check.samples == 0 and not any("sampled" in n for n in check.notes)


def test_without_hypothesis_sampled_inputs_are_skipped_with_a_note(tmp_path: Path) -> None:
    source = "def double(x):\n    return 2 * x\n"
    target, settings = project(tmp_path, "twice", source, "import twice\n\ndef run():\n    return twice.double(4)\n")
    (target.root / "hypothesis.py").write_text("raise ImportError('no hypothesis here')\n")
    check = behaviour(target, settings, source, source.replace("2 * x", "x + x"))
    assert check.verdict == "same" and check.samples == 0
    assert "double: no sampled inputs (hypothesis is not importable in the sandbox)" in check.notes


def test_the_trace_size_is_bounded_per_function(tmp_path: Path) -> None:
    source = "def inc(x):\n    return x + 1\n"
    workload = "import counting\n\ndef run():\n    return sum(counting.inc(i) for i in range(2000))\n"
    target, settings = project(tmp_path, "counting", source, workload)
    request = {"changed": ["inc"], "callees": [], "exclude_globals": [], "sample": [], "seed": 0}
    with benches(target, settings, source, source) as (parent, _):
        answer = trace(parent, request, EvolverError)
    assert answer["complete"] and answer["functions"]["inc"]["calls"] == 2000  # every call counted
    # recorded: the first FIRST_CALLS, then the indexes 2^6 ... 2^10, while recording has time left
    indexes = [r["i"] for r in answer["calls"]]
    assert 8 <= len(indexes) <= FIRST_CALLS + 5
    assert all(i < FIRST_CALLS or i & (i - 1) == 0 for i in indexes)
    assert len(json.dumps(answer)) < 100_000


def test_the_wrappers_come_out_once_they_have_used_the_traces_share_of_the_time(tmp_path: Path) -> None:
    """A tiny function called a million times: a wrapper per call would cost more than the calls, so
    the trace stops (the calls made so far stay recorded and compared; the counts are not)."""
    source = "def inc(x):\n    return x + 1\n"
    workload = "import counting\n\ndef run():\n    return sum(counting.inc(i) for i in range(1_000_000))\n"
    target, settings = project(tmp_path, "counting", source, workload)
    request = {"changed": ["inc"], "callees": [], "exclude_globals": [], "sample": [], "seed": 0}
    with benches(target, settings, source, source) as (parent, _):
        answer = trace(parent, request, EvolverError)
    assert not answer["complete"]
    assert 0 < answer["functions"]["inc"]["calls"] < 1_000_000
    assert [r["i"] for r in answer["calls"]][:8] == list(range(8))  # recording is cheap here: the first ones
    assert any(n.startswith("the trace stopped after ") for n in answer["notes"])
    slower = source.replace("return x + 1", "return sum([x, 1])")
    check = behaviour(target, settings, source, slower)
    assert check.verdict == "same", check.differences  # the counts, which depend on timing, are not compared
    assert check.calls >= 8
    assert "call counts not compared: a run's trace stopped early (its time share was used)" in check.notes


def test_paths_inside_the_scratch_copy_are_the_same_on_both_sides(tmp_path: Path) -> None:
    source = "from pathlib import Path\n\nHERE = Path(__file__).parent\n\ndef where(name):\n    return str(HERE / name)\n"
    workload = "import places\n\ndef run():\n    return places.where('data.txt').endswith('data.txt')\n"
    target, settings = project(tmp_path, "places", source, workload)
    check = behaviour(target, settings, source, source.replace("str(HERE / name)", "str(HERE.joinpath(name))"))
    assert check.verdict == "same", check.differences
    assert check.samples >= 1  # the sampled inputs got the path of the candidate's own copy


def test_what_a_call_prints_is_compared(tmp_path: Path) -> None:
    source = "def first(names):\n    for name in names:\n        print('looking at', name)\n    return min(names)\n"
    workload = "import shout\n\ndef run():\n    return shout.first(['b', 'a'])\n"
    target, settings = project(tmp_path, "shout", source, workload)
    check = behaviour(target, settings, source, source.replace("    for name in names:\n        print('looking at', name)\n",
                                                                "    print('looking at', names[0])\n"))
    assert check.first == ("first(['b', 'a']) call 1: printed 'looking at b\\n' (13 characters), "
                           "parent printed 'looking at b\\nlooking at a\\n' (26 characters)")


def test_a_private_method_is_traced_under_its_mangled_name(tmp_path: Path) -> None:
    source = "class Box:\n    def __init__(self):\n        self.items = []\n\n    def __add(self, x):\n" \
             "        self.items.append(x)\n        return len(self.items)\n\n    def add(self, x):\n" \
             "        return self.__add(x)\n"
    workload = "import box\n\ndef run():\n    b = box.Box()\n    return [b.add(1), b.add(2)]\n"
    target, settings = project(tmp_path, "box", source, workload)
    check = behaviour(target, settings, source, source.replace("self.items.append(x)", "self.items.insert(0, x)"))
    assert check.changed == ("Box.__add",) and check.calls == 2
    assert check.verdict == "differs" and check.first is not None and "Box.__add(" in check.first


def test_a_cache_evolver_writes_into_both_versions_is_not_compared(tmp_path: Path) -> None:
    """A parent that is itself a generation may hold evolver's cache global (``_EVOLVER_RE_CACHE``)
    too: what the cache holds after a call is the rewrite's own state, not the module's."""
    import textwrap

    source = textwrap.dedent("""\
        import re

        _EVOLVER_RE_CACHE = {}

        def words(text, pattern):
            key = (type(pattern), pattern, 0)
            if key not in _EVOLVER_RE_CACHE:
                _EVOLVER_RE_CACHE[key] = str(pattern)  # plain data, so that the trace could compare it
            return re.findall(_EVOLVER_RE_CACHE[key], text)
    """)
    workload = textwrap.dedent("""\
        import words


        def run():
            return [words.words("a b c", r"\\w"), words.words("a-b", r"[a-z]")]
    """)
    target, settings = project(tmp_path, "words", source, workload)
    cached_once = source.replace("    return re.findall(_EVOLVER_RE_CACHE[key], text)",
                                 "    found = re.findall(_EVOLVER_RE_CACHE[key], text)\n"
                                 "    _EVOLVER_RE_CACHE.clear()\n    return found")
    assert cached_once != source
    check = behaviour(target, settings, source, cached_once)
    assert check.verdict == "same" and check.changed == ("words",), check
