"""precompile-regex's cached form: patterns that are not literals, through a (pattern, flags) cache."""

from __future__ import annotations

import re
import warnings
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.analysis.index import ModuleIndex
from evolver.model import Site
from evolver.transforms import Context

CTX = Context(module="m")
NAME = "precompile-regex"

CALLS = '''
import re


def run(p, s, n):
    return (
        re.match(p, s),
        re.search(p, s, re.I),
        re.fullmatch(p, s, flags=n),
        re.findall(p, s),
        list(re.finditer(p, s)),
        re.split(p, s, n),
        re.sub(p, "-", s, count=n),
        re.subn(p, lambda m: m.group(0) * 2, s),
        re.compile(p).pattern,
    )
'''


def sites(source: str) -> dict[str, Site]:
    return {s.id: s for s in transforms.get(NAME).sites(ModuleIndex.of(source, CTX.module), CTX)}


def applicable(source: str) -> list[str]:
    return [i for i, s in sites(source).items() if s.verdict == "applicable"]


def load(source: str, name: str = "under_test") -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), namespace)
    return namespace


def plain(value: Any) -> Any:
    if isinstance(value, re.Match):
        return ("match", value.span(), value.groups())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def outcome(func: Any, *args: Any) -> tuple[Any, ...]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: tuple[Any, ...] = ("returned", plain(func(*args)))
        except Exception as exc:
            result = ("raised", type(exc).__name__, str(exc))
    return result + tuple((w.category.__name__, str(w.message)) for w in caught)


def test_every_re_function_goes_through_the_cache_and_agrees() -> None:
    ids = applicable(CALLS)
    assert len(ids) == 9 == len(sites(CALLS))
    out = transforms.apply_many(CALLS, ids, CTX)
    assert out.count("_EVOLVER_RE_CACHE = {}") == 1 and out.count("def _evolver_re_") == 9
    assert "re.match(" not in out.split("def run", 1)[1]
    assert all(s.reasons == ("already precompiled",) for s in sites(out).values())
    namespace = load(out)
    before, after = load(CALLS)["run"], namespace["run"]

    def twice(func: Any, *args: Any) -> tuple[Any, ...]:
        re.purge()  # both sides start from empty caches: what warns on a first compile is seen
        namespace["_EVOLVER_RE_CACHE"].clear()
        return outcome(func, *args), outcome(func, *args)

    patterns = st.text(alphabet="ab()[]|*+?^$\\.", max_size=6)

    @given(patterns, st.text(alphabet="abAB ([", max_size=8), st.sampled_from([0, 1, 2, re.I, re.M | re.I]),
           st.booleans())
    @settings(max_examples=200, deadline=None)
    def check(p: str, s: str, n: int, as_bytes: bool) -> None:
        if as_bytes:
            assert twice(after, p.encode(), s.encode(), n) == twice(before, p.encode(), s.encode(), n)
        assert twice(after, p, s, n) == twice(before, p, s, n)  # the second time from the cache

    check()
    for wrong in ([1], 3, None, re.compile("a")):
        assert twice(after, wrong, "a", 0) == twice(before, wrong, "a", 0)
    assert twice(after, "a", b"a", 0) == twice(before, "a", b"a", 0)  # str pattern on bytes: TypeError


def test_helpers_are_shared_and_ids_stable_in_any_order() -> None:
    source = ("import re\n\nRULES = [('(x)$', r'\\1es'), ('$', 's')]\n\n\ndef plural(word):\n"
              "    for rule, repl in RULES:\n        if re.search(rule, word):\n"
              "            return re.sub(rule, repl, word)\n    return word\n\n\n"
              "def hits(rules, word):\n    return sum(1 for r, _ in rules if re.search(r, word))\n")
    ids = applicable(source)
    assert ids == ["precompile-regex@m:plural#0", "precompile-regex@m:plural#1", "precompile-regex@m:hits#0"]
    forward = transforms.apply_many(source, ids, CTX)
    backward = transforms.apply_many(source, ids[::-1], CTX)
    for out in (forward, backward):
        assert out.count("def _evolver_re_search_noflags(") == 1 and out.count("def _evolver_re_sub_noflags(") == 1
        namespace = load(out)
        assert [namespace["plural"](w) for w in ("box", "cat")] == ["boxes", "cats"]
        namespace["RULES"].insert(0, ("(a)t$", r"\1ts!"))  # the table changes: the cache follows the pattern
        assert namespace["plural"]("cat") == "cats!" and namespace["hits"](namespace["RULES"], "cat") == 2
    assert all(s.reasons == ("already precompiled",) for s in sites(forward).values())


def test_a_warning_keeps_the_callers_line() -> None:
    source = "import re\n\n\ndef find(p, s):\n    return bool(re.search(p, s))\n"
    out = transforms.apply(source, "precompile-regex@m:find#0", CTX)
    places = []
    for code, name in ((source, "original"), (out, "rewritten")):
        find = load(code, name)["find"]
        re.purge()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            find("[[x]", "[")
            find("[[x]", "x")  # from the cache: no second warning, as with re's own cache
        places.append([(w.filename, w.lineno, str(w.message)) for w in caught])
    call_line = [code.splitlines().index("def find(p, s):") + 2 for code in (source, out)]
    assert places == [[("<original>", call_line[0], "Possible nested set at position 1")],
                      [("<rewritten>", call_line[1], "Possible nested set at position 1")]]


def test_the_cache_is_bounded() -> None:
    source = "import re\n\n\ndef find(p, s):\n    return re.findall(p, s)\n"
    namespace = load(transforms.apply(source, "precompile-regex@m:find#0", CTX))
    for i in range(2000):
        assert namespace["find"](str(i), "1999") == re.findall(str(i), "1999")
    assert 0 < len(namespace["_EVOLVER_RE_CACHE"]) <= 512


def test_debug_and_compiled_patterns_are_not_kept(capsys: Any) -> None:
    source = "import re\n\n\ndef make(p, flags):\n    return re.compile(p, flags)\n"
    out = transforms.apply(source, "precompile-regex@m:make#0", CTX)
    namespace = load(out)
    compiled = re.compile("q")
    assert namespace["make"](compiled, 0) is compiled
    re.compile("z", re.DEBUG)
    once = capsys.readouterr().out
    namespace["make"]("z", re.DEBUG)
    namespace["make"]("z", re.DEBUG)
    assert once and capsys.readouterr().out == once * 2  # printed at each compile, as re does
    assert namespace["_EVOLVER_RE_CACHE"] == {}


def test_a_compiled_pattern_comes_back_as_itself_whatever_the_flags() -> None:
    """The fast path for a compiled pattern without flags: the same object re gives back (not an equal
    one compiled earlier), and every other flags value goes the long way with re's own errors."""
    source = "import re\n\n\ndef make(p, flags=0):\n    return re.compile(p, flags)\n"
    after = load(transforms.apply(source, "precompile-regex@m:make#0", CTX))["make"]
    before = load(source)["make"]
    first = re.compile("ab+")
    re.purge()
    equal = re.compile("ab+")
    assert first == equal and first is not equal
    for func in (before, after):
        assert func(first) is first and func(equal) is equal and func(first, 0) is first
        assert func(equal, False) is equal and func(equal, re.RegexFlag(0)) is equal
    for flags in (re.I, 2, [], True, re.NOFLAG | re.M):
        assert outcome(after, first, flags) == outcome(before, first, flags)
