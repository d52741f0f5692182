"""The transform library as a whole: sites, ids, errors, lossless rewrites, behaviour of a sample."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from radon.complexity import cc_visit

from evolver import transforms
from evolver.transforms import Context, TransformError


def applicable(source: str, name: str, ctx: Context) -> list[str]:
    return [s.id for s in transforms.propose(source, ctx) if s.transform == name and s.verdict == "applicable"]


# --- sites, ids and errors -------------------------------------------------------------------

SAMPLE = '''"""A sample: pure scoring, slow fetching, a flaky client."""

import time
import typing

LATENCY = 0.001
WEIGHTS = {"a": 2}


def score(word: str, depth: int = 0) -> int:
    if depth > 3 or not word:
        return len(word)
    return score(word[1:], depth + 1) + score(word[:-1], depth + 2) + ord(word[0]) % 7


def weight(word: str) -> int:
    return WEIGHTS.get(word, 1)


def fetch(name):
    time.sleep(LATENCY)
    if name == "boom":
        raise KeyError(name)
    return f"<{name}>"


def fetch_all(names):
    results = []
    for name in names:
        results.append(fetch(name))
    return results


@typing.final  # no subclass may override send: a parameter annotated Client holds a Client
class Client:
    def __init__(self, drops=1):
        self.drops = drops
        self.calls = 0

    def send(self, item):
        self.calls += 1
        if self.calls <= self.drops:
            raise ConnectionError("dropped")
        return item * 2


def send_all(client: Client, items):
    return [client.send(i) for i in items]
'''
CTX = Context(module="sample", idempotent=("sample:Client.send",))


def by_id(source: str, ctx: Context = CTX) -> dict[str, object]:
    return {s.id: s for s in transforms.propose(source, ctx)}


def test_propose_lists_applicable_and_refused_sites_with_features() -> None:
    sites = by_id(SAMPLE)
    assert sites["memoize@sample:score"].verdict == "applicable"
    assert "reads module global WEIGHTS (bound to a mutable dict)" in sites["memoize@sample:weight"].reasons
    assert sites["thread-pool@sample:fetch_all#0"].verdict == "applicable"
    assert sites["retry@sample:send_all#0"].verdict == "applicable"
    assert sites["memoize@sample:Client.send"].reasons == (
        "is a method (a cache would key on the instance, hash it and keep it alive)",
        "writes instance state (self.calls)", "reads instance state (self.calls, self.drops)")
    features = sites["memoize@sample:score"].features
    assert features["recursive"] == 1 and features["loc"] == 4 and features["n_reasons"] == 0
    radon = {block.name: block.complexity for block in cc_visit(SAMPLE)}
    assert features["complexity"] == radon["score"] == 3
    assert sites["thread-pool@sample:fetch_all#0"].features["callee_io_calls"] == 1
    assert sites["memoize@sample:fetch"].features["io_calls"] == 1
    assert sites["memoize@sample:weight"].features["n_reasons"] == len(sites["memoize@sample:weight"].reasons)
    assert all(isinstance(v, (int, float)) for s in sites.values() for v in s.features.values())


def test_undeclared_method_is_not_retried() -> None:
    sites = by_id(SAMPLE, Context(module="sample"))
    site = sites["retry@sample:send_all#0"]
    assert site.verdict == "refused"
    assert site.reasons[0].startswith("not declared or proven idempotent (Client.send stores into self.calls")


def test_declared_method_call_is_wrapped() -> None:
    out = transforms.apply(SAMPLE, "retry@sample:send_all#0", CTX)
    assert "    return [_evolver_retry(client.send, i) for i in items]\n" in out
    assert out.index("def _evolver_retry(") < out.index("LATENCY = 0.001")
    assert out.count("def _evolver_retry(") == 1


def test_apply_refuses_unknown_and_refused_sites() -> None:
    with pytest.raises(TransformError, match="no such site"):
        transforms.apply(SAMPLE, "memoize@sample:nothing", CTX)
    with pytest.raises(TransformError, match="reads module global WEIGHTS"):
        transforms.apply(SAMPLE, "memoize@sample:weight", CTX)
    with pytest.raises(TransformError, match="unknown transform"):
        transforms.apply(SAMPLE, "inline@sample:score", CTX)
    with pytest.raises(TransformError, match="not a site id"):
        transforms.apply(SAMPLE, "memoize", CTX)


def test_site_ids_survive_other_rewrites() -> None:
    ids = ["thread-pool@sample:fetch_all#0", "retry@sample:send_all#0", "memoize@sample:score"]
    out = transforms.apply_many(SAMPLE, ids, CTX)
    for order in (ids[::-1], ids[1:] + ids[:1]):  # the same rewrites; only the import order differs
        assert sorted(transforms.apply_many(SAMPLE, order, CTX).splitlines()) == sorted(out.splitlines())
    after = by_id(out)
    assert after["thread-pool@sample:fetch_all#0"].reasons == ("already runs on a thread pool",)
    assert after["retry@sample:send_all#0"].reasons == ("already retried",)
    assert after["memoize@sample:score"].verdict == "refused"


# --- thread-pool independence -------------------------------------------------------------------

LOOP = "\n\ndef run(items):\n    out = []\n    for item in items:\n        out.append(work(item))\n    return out\n"


@pytest.mark.parametrize(("work", "expected"), [
    pytest.param("SHARED = []\n\ndef work(x):\n    time.sleep(0.01)\n    SHARED.append(x)\n    return x\n",
                 "work SHARED.append changes `SHARED` (a module global)", id="shared-list"),
    pytest.param("COUNT = 0\n\ndef work(x):\n    global COUNT\n    time.sleep(0.01)\n    COUNT += 1\n    return x\n",
                 "work declares global COUNT", id="global-counter"),
    pytest.param("def work(x):\n    return x * 2\n", "work is not proven I/O-bound (no blocking call found)",
                 id="not-io-bound"),
])
def test_thread_pool_refuses_dependent_or_cpu_bound_callees(work: str, expected: str) -> None:
    source = "import time\n\n" + work + LOOP
    site = by_id(source, Context(module="m"))["thread-pool@m:run#0"]
    assert site.verdict == "refused" and expected in site.reasons, site.reasons


def test_thread_pool_refuses_loop_variable_used_after_the_loop() -> None:
    source = "import time\n\ndef work(x):\n    time.sleep(0.01)\n    return x\n" + LOOP.replace(
        "return out", "return out, item")
    site = by_id(source, Context(module="m"))["thread-pool@m:run#0"]
    assert site.reasons == ("the loop variable `item` is used outside the call (e.g. after the loop)",)


def test_thread_pool_invariant_arguments_must_be_bound() -> None:
    source = ("import time\n\ndef work(x, scale):\n    time.sleep(0.01)\n    return x * scale\n\n"
              "def run(items, scale):\n    local = scale\n    a = [work(i, scale) for i in items]\n"
              "    b = [work(i, local) for i in items]\n    c = []\n    for i in items:\n"
              "        c.append(work(i, local))\n        local += 1\n    return a, b, c\n")
    sites = by_id(source, Context(module="m"))
    assert sites["thread-pool@m:run#0"].verdict == "applicable"
    assert sites["thread-pool@m:run#1"].verdict == "applicable"  # bound before the loop: made ahead, it is the same
    assert "_evolver_prefetch(lambda i: work(i, local), items)" in transforms.apply(
        source, "thread-pool@m:run#1", Context(module="m"))
    assert sites["thread-pool@m:run#2"].reasons == (
        "`local` is rebound in the loop: the call made ahead of time would read another value",)


# --- behaviour: the rewritten code computes the same (tests run our own examples in-process) -----


def load(source: str) -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": "sample_under_test"}
    exec(compile(source, "<sample>", "exec"), namespace)
    return namespace


def outcome(func: object, *args: object) -> tuple[object, ...]:
    try:
        return ("returned", func(*args))  # type: ignore[operator]
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


FIRST_THREE = ("memoize", "thread-pool", "retry")  # the sample and ODD are written for these


def test_rewritten_sample_behaves_the_same() -> None:
    ids = [s.id for s in transforms.propose(SAMPLE, CTX)
           if s.verdict == "applicable" and s.transform in FIRST_THREE]
    assert {"memoize@sample:score", "thread-pool@sample:fetch_all#0", "retry@sample:send_all#0"} <= set(ids)
    before, after = load(SAMPLE), load(transforms.apply_many(SAMPLE, ids, CTX))
    for word in ["", "a", "hello", "hello", "naïve", "x" * 40]:
        for depth in (0, 2, 5):
            assert outcome(after["score"], word, depth) == outcome(before["score"], word, depth)
    for names in (["a", "b", "c"] * 7, [], ["a", "boom", "c"], ["boom"]):
        assert outcome(after["fetch_all"], names) == outcome(before["fetch_all"], names)
    assert outcome(after["score"], 3) == outcome(before["score"], 3)  # same TypeError, not cached


def test_retry_recovers_transient_failures_only() -> None:
    before, after = load(SAMPLE), load(transforms.apply(SAMPLE, "retry@sample:send_all#0", CTX))
    # a dropped first attempt: surfaced before, recovered after
    assert outcome(before["send_all"], before["Client"](1), [1, 2])[:2] == ("raised", "ConnectionError")
    assert outcome(after["send_all"], after["Client"](1), [1, 2]) == ("returned", [2, 4])
    # a permanent failure still surfaces, as the same exception type, after three attempts
    client = after["Client"](10)
    assert outcome(after["send_all"], client, [1]) == ("raised", "ConnectionError", "dropped")
    assert client.calls == 3  # type: ignore[attr-defined]
    # a non-transient error is not retried
    for module in (before, after):
        client = module["Client"](0)
        assert outcome(module["send_all"], client, [None]) == (
            "raised", "TypeError", "unsupported operand type(s) for *: 'NoneType' and 'int'")
        assert client.calls == 1  # type: ignore[attr-defined]


@given(st.text(max_size=12), st.integers(min_value=-2, max_value=6))
@settings(max_examples=60, deadline=None)
def test_memoized_score_matches_the_original(word: str, depth: int) -> None:
    assert outcome(MEMOIZED["score"], word, depth) == outcome(ORIGINAL["score"], word, depth)


ORIGINAL = load(SAMPLE)
MEMOIZED = load(transforms.apply(SAMPLE, "memoize@sample:score", CTX))


# --- lossless: everything outside the edit stays byte for byte ---------------------------------

ODD = '''# -*- coding: utf-8 -*-
"""Odd formatting, kept byte for byte."""
import time ;  import math   # two imports on one line

CONST   =  ( 1 ,
   2 )  # a tuple split over lines


def   poly( x :int ,   y: int=CONST[0] )->int :   # spaced oddly
    # a comment inside
    return (x ** 2
            + math.floor(y))   # trailing


def\tfetch(p):  # a tab after def
\ttime.sleep(0.001)  # tabs for indentation
\treturn p


def many(ps):
\tgot = []
\tfor p in ps:   # comment on the for
\t\tgot.append(fetch(p))   # comment on the append
\treturn got
'''


def test_rewrites_are_lossless_outside_the_edit() -> None:
    ctx = Context(module="odd")
    ids = [s.id for s in transforms.propose(ODD, ctx) if s.verdict == "applicable" and s.transform in FIRST_THREE]
    assert sorted(ids) == ["memoize@odd:poly", "thread-pool@odd:many#0"]
    out = transforms.apply_many(ODD, ids, ctx)
    diff = [line for line in difflib.ndiff(ODD.splitlines(), out.splitlines()) if line[:1] in "+-"]
    assert sorted(line for line in diff if line[0] == "-") == [
        "- \t\tgot.append(fetch(p))   # comment on the append",
        "- \tfor p in ps:   # comment on the for",
        "- def   poly( x :int ,   y: int=CONST[0] )->int :   # spaced oddly",  # renamed: the cached copy
    ]
    assert sorted(line for line in diff if line[0] == "+") == sorted([  # libcst puts new imports above a
        "+ ",  # line of several statements, then a blank line
        "+ \t\tgot.extend(_evolver_pool.map(fetch, ps))   # comment on the append",
        "+ \twith concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:   # comment on the for",
        "+ @functools.lru_cache(maxsize=None)",  # the guard admits one type per argument: untyped keys
        "+ import concurrent.futures",
        "+ import functools",
        "+ def   _evolver_poly( x :int ,   y: int=CONST[0] )->int :   # spaced oddly",
        "+ ", "+ ",  # the guard in front of the cached copy, as the function was spaced
        "+ def   poly( x :int ,   y: int=CONST[0] )->int :   # spaced oddly",
        "+     if type(x) is int and type(y) is int:",
        "+         return _evolver_poly(x, y)",
        "+     return _evolver_poly.__wrapped__(x, y)  # not exact: the original, uncached",
    ])
    assert load(out)["poly"](3) == load(ODD)["poly"](3) == 10
    assert load(out)["many"](["a", "b"]) == ["a", "b"]


def test_apply_compatible_skips_sites_an_earlier_rewrite_consumed() -> None:
    """A site that an earlier rewrite consumed is skipped, not an error (apply_many raises)."""
    ctx = Context(module="odd")
    site = "thread-pool@odd:many#0"
    out, applied = transforms.apply_compatible(ODD, [site, site], ctx)
    assert applied == [site]
    assert out == transforms.apply(ODD, site, ctx)
    with pytest.raises(transforms.TransformError):
        transforms.apply_many(ODD, [site, site], ctx)


def test_thread_pool_ids_keep_their_loop_when_an_earlier_loop_is_rewritten() -> None:
    source = ("import time\n\n\ndef fetch(name):\n    time.sleep(0.001)\n    return f'<{name}>'\n\n\n"
              "def both(names, more):\n    first = []\n    for name in names:\n        if name:\n"
              "            first.append(fetch(name))\n    second = []\n    for name in more:\n"
              "        second.append(fetch(name))\n    return first, second\n")
    ctx = Context(module="m")
    assert applicable(source, "thread-pool", ctx) == ["thread-pool@m:both#1"]
    out = transforms.apply(source, "comprehension@m:both#0", ctx)  # the first loop becomes `first = [...]`
    assert "thread-pool@m:both#0" in by_id(out, ctx)  # now a (refused) thread-pool candidate itself
    pooled = transforms.apply(out, "thread-pool@m:both#1", ctx)
    assert "first = [fetch(name) for name in names if name]" in pooled
    assert "second.extend(_evolver_pool.map(fetch, more))" in pooled


def test_helpers_evolver_wrote_are_not_proposed_again() -> None:
    out = transforms.apply(SAMPLE, "retry@sample:send_all#0", CTX)
    assert "def _evolver_retry" in out
    assert not [s.id for s in transforms.propose(out, CTX) if "_evolver_" in s.target]
    assert any(s.id == "memoize@sample:score" for s in transforms.propose(out, CTX))


def test_listing_sites_never_parses_with_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    """The analysis runs on ``ast``; libcst (several times slower) is parsed only to build a rewrite."""
    import libcst

    source = SAMPLE + "\n\ndef lengths(words):\n    out = []\n    for w in words:\n        out.append(len(w))\n    return out\n"
    ctx = Context(module="sample_no_cst")
    real = libcst.parse_module
    monkeypatch.setattr(libcst, "parse_module", lambda *a, **k: pytest.fail("libcst parsed while listing sites"))
    sites = transforms.propose(source, ctx)
    assert "local-alias@sample_no_cst:lengths#0" in {s.id for s in sites if s.verdict == "applicable"}
    monkeypatch.setattr(libcst, "parse_module", real)
    assert "_out_append = out.append" in transforms.apply(source, "local-alias@sample_no_cst:lengths#0", ctx)
