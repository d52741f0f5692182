"""precompile-regex: argument mapping, placement, sharing, refusals, and the same results."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolver import transforms
from evolver.analysis.index import ModuleIndex
from evolver.model import Site
from evolver.transforms import Context

CTX = Context(module="m")
NAME = "precompile-regex"


def sites(source: str) -> dict[str, Site]:
    return {s.id: s for s in transforms.get(NAME).sites(ModuleIndex.of(source, CTX.module), CTX)}


def applicable(source: str) -> list[str]:
    return [i for i, s in sites(source).items() if s.verdict == "applicable"]


def load(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "under_test"}
    exec(compile(source, "<test>", "exec", dont_inherit=True), namespace)
    return namespace


def plain(value: Any) -> Any:
    """Match objects and iterators as comparable values."""
    if isinstance(value, re.Match):
        return ("match", value.span(), value.groups(), value.group(0))
    if isinstance(value, re.Pattern):
        return ("pattern", value.pattern, value.flags)
    if isinstance(value, (list, tuple)) or hasattr(value, "__next__"):
        return [plain(v) for v in value]
    return value


def outcome(func: Any, *args: Any) -> tuple[Any, ...]:
    try:
        return ("returned", plain(func(*args)))
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


# every re function, flags positional and by keyword, the other arguments in every position
CALLS = '''
import re
from re import IGNORECASE as IC, finditer


def run(s, n):
    return (
        re.match(r"(\\w)(\\w*)", s),
        re.match(r"a+", s, re.I),
        re.search(r"[aeiou]+", s, flags=re.IGNORECASE | re.MULTILINE),
        re.fullmatch(r"[a-c ]*", s),
        re.findall(r"\\b\\w", s, IC),
        finditer(r"(a)|(b)", s),
        re.split(r"\\s+", s, n),
        re.split(r"[,;]", s, maxsplit=n, flags=re.I),
        re.sub(r"a", "-", s, n, re.I),
        re.sub(r"(b)", lambda m: m.group(1).upper(), s, count=n),
        re.subn(r"\\s", "_", s),
        re.sub(string=s, repl="<\\\\1>", pattern=r"(c)"),
        re.compile(r"x+", re.I).findall(s),
        re.match(rb"\\d+", s.encode()),
        re.search(r"a+", s, re.IGNORECASE),
        re.findall(r"[aeiou]+", s, re.M | re.I),
    )
'''


def test_every_call_is_rewritten_and_agrees() -> None:
    ids = applicable(CALLS)
    assert len(ids) == 16 == len(sites(CALLS))
    out = transforms.apply_many(CALLS, ids, CTX)
    assert "re.match(" not in out.split("def run", 1)[1] and "finditer(r" not in out
    assert out.count("re.compile(") == 14  # two pairs share a compiled pattern
    assert "_EVOLVER_RE_1.search(s)" in out and "_EVOLVER_RE_2.findall(s)" in out
    assert "_EVOLVER_RE_1.match(s)" in out and "_EVOLVER_RE_7.split(s, maxsplit=n)" in out
    assert "_EVOLVER_RE_11.sub(string=s, repl=" in out and "_EVOLVER_RE_6.split(s, n)" in out
    before, after = load(CALLS)["run"], load(out)["run"]

    @given(st.text(alphabet="abcABC ,;_\n1x", max_size=12), st.integers(0, 3))
    @settings(max_examples=150, deadline=None)
    def check(s: str, n: int) -> None:
        assert outcome(after, s, n) == outcome(before, s, n)

    check()
    assert outcome(after, 5, 1) == outcome(before, 5, 1)  # the same TypeError for a wrong argument


def test_same_pattern_and_flags_share_one_compiled_pattern() -> None:
    source = ("import re\n\n\ndef f(s):\n    return re.match('a', s), re.search('a', s), re.match('a', s, re.I), "
              "re.match(b'a', s), re.match('a', s, re.IGNORECASE)\n")
    out = transforms.apply_many(source, applicable(source), CTX)
    assert out.startswith("import re\n\n_EVOLVER_RE_0 = re.compile('a')\n_EVOLVER_RE_1 = re.compile('a', re.I)\n"
                          "_EVOLVER_RE_2 = re.compile(b'a')\n\n\n")
    assert ("return _EVOLVER_RE_0.match(s), _EVOLVER_RE_0.search(s), _EVOLVER_RE_1.match(s), "
            "_EVOLVER_RE_2.match(s), _EVOLVER_RE_1.match(s)\n") in out


def test_ids_are_stable_whatever_the_order() -> None:
    source = "import re\n\n\ndef f(s):\n    return re.sub('a', 'b', re.sub('c', 'd', s))\n"
    forward = transforms.apply_many(source, ["precompile-regex@m:f#0", "precompile-regex@m:f#1"], CTX)
    backward = transforms.apply_many(source, ["precompile-regex@m:f#1", "precompile-regex@m:f#0"], CTX)
    assert forward.count("re.compile(") == backward.count("re.compile(") == 2
    assert all(s.reasons == ("already precompiled",) for s in sites(forward).values())
    assert load(forward)["f"]("cab") == load(backward)["f"]("cab") == load(source)["f"]("cab") == "dbb"


def test_placement_after_docstring_future_and_imports_adding_re() -> None:
    source = ('"""Doc."""\nfrom __future__ import annotations\n\nfrom re import search\n# helpers\n\n\n'
              "def f(s: str) -> bool:\n    return bool(search('x', s))\n")
    out = transforms.apply_many(source, applicable(source), CTX)
    assert out == ('"""Doc."""\nfrom __future__ import annotations\n\nfrom re import search\nimport re\n\n'
                   "_EVOLVER_RE_0 = re.compile('x')\n\n# helpers\n\n\n"
                   "def f(s: str) -> bool:\n    return bool(_EVOLVER_RE_0.search(s))\n")
    assert load(out)["f"]("axe") is True


@pytest.mark.parametrize(("source", "reason"), [
    pytest.param("import re\n\n_EVOLVER_RE_CACHE = None\n\ndef f(p, s):\n    return re.match(p, s)\n",
                 "the name _EVOLVER_RE_CACHE is taken in the module", id="variable-cache-name-taken"),
    pytest.param("import re\n\ndef f(s):\n    return re.match('a', s, 128)\n", "the flags `128` are not constant re flags",
                 id="debug-bit"),
    pytest.param("import re\n\ndef f(s):\n    return re.sub('a', s)\n", "re.sub is called without `string`",
                 id="missing"),
    pytest.param("import re\n\ndef f(s):\n    return re.match('a', s, 0, 1)\n", "its arguments do not map", id="extra"),
    pytest.param("import re\n\ndef f(p, s):\n    return re.match(p, s, re.DEBUG)\n",
                 "the flags `re.DEBUG` include re.DEBUG", id="variable-debug"),
    pytest.param("import re\n\ndef f(s):\n    return re.match(r'\\d', s, re.L)\n", "the pattern does not compile",
                 id="locale-str"),
    pytest.param("import re\nif True:\n    import re\n\ndef f(s):\n    return re.match('a', s)\n",
                 "the module imports `re` after its first import block", id="late-import"),
    pytest.param("import re\n\ndef f(s):\n    re = None\n    return re\n\ndef g(s):\n    global re\n    re = 1\n"
                 "    return __import__('re').match('a', s)\n", None, id="rebound"),
])
def test_refusals(source: str, reason: str | None) -> None:
    found = sites(source)
    assert not applicable(source)
    if reason is not None:
        assert any(r.startswith(reason) for s in found.values() for r in s.reasons), found


def test_names_already_used_are_skipped() -> None:
    source = "import re\n\n_EVOLVER_RE_0 = 'mine'\n\n\ndef f(s):\n    return re.findall('a', s), _EVOLVER_RE_0\n"
    out = transforms.apply(source, "precompile-regex@m:f#0", CTX)
    assert "_EVOLVER_RE_1 = re.compile('a')" in out and "_EVOLVER_RE_0 = 'mine'" in out
    assert load(out)["f"]("aba") == (["a", "a"], "mine")
