"""thread-pool's prefetch form: which loops it finds, the reasons it gives, and what the rewritten
code does (run in-process here; the adversarial suite runs both sides in fresh interpreters)."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from evolver import transforms
from evolver.analysis.index import ModuleIndex
from evolver.transforms import Context

CTX = Context(module="m")

LOOKUP = """
import time
from urllib.error import URLError

BAD = ("bad", "worse")
CALLS = []


def lookup(key):
    time.sleep(0.02)
    if key in BAD:
        raise URLError("no " + key)
    if key == "boom":
        raise ValueError(key)
    return (key, len(key))
"""

PER_ITEM = LOOKUP + """

def error_row(key, error):
    return {"key": key, "error": str(error)}


def collect(keys):
    out = []
    for k in keys:
        try:
            out.append(lookup(k))
        except URLError as e:
            out.append(error_row(k, e))
    return out
"""


def sites(source: str) -> dict[str, transforms.Site]:
    return {s.id: s for s in transforms.propose(textwrap.dedent(source), CTX) if s.transform == "thread-pool"}


def load(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "m"}
    exec(compile(source, "<m>", "exec"), namespace)
    return namespace


def outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("value", fn(*args))
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


def test_per_item_except_is_made_ahead_and_keeps_results_and_exceptions_in_order() -> None:
    site = sites(PER_ITEM)["thread-pool@m:collect#0"]
    assert site.verdict == "applicable", site.reasons
    out = transforms.apply(PER_ITEM, site.id, CTX)
    assert "with _evolver_prefetch(lambda k: lookup(k), keys) as _evolver_pool:" in out
    assert "out.append(_evolver_call.result())" in out
    before, after = load(PER_ITEM), load(out)
    for keys in (["a", "bad", "bb", "worse", "c"], [], ["a", "boom", "bad", "d"]):
        assert outcome(after["collect"], keys) == outcome(before["collect"], keys)


def test_rewritten_loop_is_already_a_pool_and_keeps_the_numbering_of_later_loops() -> None:
    source = PER_ITEM + """

def twice(keys):
    out = []
    for k in keys:
        try:
            out.append(lookup(k))
        except URLError:
            continue
        for part in k:
            out.append(part)
    more = []
    for k in keys:
        more.append(lookup(k))
    return out, more
"""
    before = sites(source)
    assert before["thread-pool@m:twice#0"].verdict == "applicable"
    assert before["thread-pool@m:twice#2"].verdict == "applicable"  # #1 is the nested loop (no I/O: no site)
    out = transforms.apply(source, "thread-pool@m:twice#0", CTX)
    after = sites(out)
    assert after["thread-pool@m:twice#0"].reasons == ("already runs on a thread pool",)
    assert after["thread-pool@m:twice#2"].verdict == "applicable"
    both = transforms.apply(out, "thread-pool@m:twice#2", CTX)
    assert both.count("def _evolver_prefetch(") == 1 and "_evolver_pool.map(lookup, keys)" in both
    assert outcome(load(both)["twice"], ["ab", "bad"]) == outcome(load(source)["twice"], ["ab", "bad"])


def test_a_module_level_alias_of_a_library_function_is_that_function() -> None:
    source = "import urllib.request\n\nget = urllib.request.urlopen\nfetch = get\n"
    index = ModuleIndex.of(source, "m")
    names = [n for n in index.walk(index.tree) if getattr(n, "id", None) in ("get", "fetch")]
    assert {index.qualified_name(n) for n in names} == {"urllib.request.urlopen"}
    rebound = ModuleIndex.of(source + "get = print\n", "m")
    assert all(rebound.qualified_name(n) is None for n in rebound.walk(rebound.tree) if getattr(n, "id", None) == "get")


ALIAS = """
import urllib.request
from urllib.error import URLError

get = urllib.request.urlopen


def bodies(paths):
    out = []
    for p in paths:
        try:
            out.append(get(f"file://{p}").read())
        except URLError:
            out.append(None)
    return out
"""


def test_io_through_a_module_alias_is_found_and_behaves(tmp_path: Any) -> None:
    site = sites(ALIAS)["thread-pool@m:bodies#0"]
    assert site.verdict == "applicable", site.reasons
    paths = []
    for name in "abc":
        (tmp_path / name).write_text(name * 2)
        paths.append(str(tmp_path / name))
    paths.insert(1, str(tmp_path / "missing"))
    out = transforms.apply(ALIAS, site.id, CTX)
    assert load(out)["bodies"](paths) == load(ALIAS)["bodies"](paths) == [b"aa", None, b"bb", b"cc"]


@pytest.mark.parametrize(("body", "reason"), [
    pytest.param("        try:\n            return lookup(k)\n        except URLError:\n            continue\n",
                 "the loop body has a `return`", id="return"),
    pytest.param("        if k:\n            out.append(lookup(k))\n", "it is under an `if`", id="if"),
    pytest.param("        out.append(lookup(k))\n        time.sleep(0.01)\n", "the loop body waits (time.sleep)",
                 id="sleep"),
    pytest.param("        k = k + 'x'\n        out.append(lookup(k))\n", "the loop variable `k` is rebound", id="rebound"),
    pytest.param("        out.append(lookup(k))\n        CALLS.append(k)\n", "CALLS.append changes `CALLS`",
                 id="body-changes-a-global"),
    pytest.param("        with open(k) as fh:\n            out.append(fh.read())\n", "holds an open file", id="open-file"),
])
def test_shapes_it_cannot_handle_are_listed_with_the_true_reason(body: str, reason: str) -> None:
    source = LOOKUP + "\n\ndef run(keys):\n    out = []\n    for k in keys:\n" + body + "    return out\n"
    site = sites(source)["thread-pool@m:run#0"]
    assert site.verdict == "refused"
    assert any(reason in r for r in site.reasons), site.reasons


def test_unknown_code_in_the_body_relies_on_a_named_assumption() -> None:
    source = LOOKUP + "\nimport json\nfrom somewhere import parse\n\n\ndef run(keys):\n    out = []\n    for k in keys:\n" \
        "        try:\n            answer = lookup(k)\n        except URLError:\n            continue\n" \
        "        out.append(parse(answer))\n    return out\n"
    site = sites(source)["thread-pool@m:run#0"]
    assert site.verdict == "applicable", site.reasons
    assert "foreign-code-contained" in site.assumptions
    off = Context(module="m", assumptions_off=frozenset({"foreign-code-contained"}))
    refused = next(s for s in transforms.propose(source, off) if s.id == site.id)
    assert refused.verdict == "refused" and "foreign-code-contained" in refused.reasons[0]


def test_comprehension_forms() -> None:
    source = LOOKUP + "\n\ndef table(keys):\n    return {k: lookup(k) for k in keys}\n\n\n" \
        "def timed(keys):\n    return [lookup(k) for k in keys if k]\n"
    found = sites(source)
    assert found["thread-pool@m:table#0"].verdict == "applicable"
    assert any("has an `if`" in r for r in found["thread-pool@m:timed#0"].reasons)
    out = transforms.apply(source, "thread-pool@m:table#0", CTX)
    assert "return {k: _evolver_call.result() for k, _evolver_call in _evolver_pool}" in out
    for keys in (["a", "bb", "a"], ["a", "bad"]):
        assert outcome(load(out)["table"], keys) == outcome(load(source)["table"], keys)


def test_the_guard_is_not_tried_when_the_loop_variable_is_not_an_argument() -> None:
    """A map-form candidate whose loop variable reaches the callee only through an expression, over
    a container of unknown type: refused for its shape (the guard once crashed looking for the loop
    variable among the arguments)."""
    source = textwrap.dedent("""\
        def level(sku: str) -> int:
            return len(sku.strip())


        def levels(skus):
            return [level(sku.lower()) for sku in skus]
        """)
    (site,) = [s for s in transforms.propose(source, Context(module="m")) if s.transform == "thread-pool"]
    assert site.verdict == "refused"
    assert "the loop variable `sku` is not passed exactly once as a plain argument" in site.reasons
