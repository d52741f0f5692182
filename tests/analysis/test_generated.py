"""evolver's own regex cache helpers are read back as the ``re`` calls they stand for (analysis/generated.py)."""

from __future__ import annotations

import pytest

from evolver import transforms
from evolver.analysis.index import ModuleIndex
from evolver.transforms import Context

CTX = Context(module="m")
SOURCE = 'import re\n\nSEP = "[-_.]+"\n\n\ndef norm(word: str) -> str:\n    return re.sub(SEP, "-", word).lower()\n'


def memoize_reasons(source: str) -> tuple[str, ...]:
    site = next(s for s in transforms.get("memoize").sites(ModuleIndex.of(source, "m"), CTX) if s.function == "norm")
    return () if site.verdict == "applicable" else site.reasons


def cached() -> str:
    return transforms.apply(SOURCE, "precompile-regex@m:norm#0", CTX)


def test_a_caller_of_the_helper_stays_pure() -> None:
    out = cached()
    assert "_evolver_re_sub_noflags(SEP" in out
    assert memoize_reasons(SOURCE) == () == memoize_reasons(out)
    index = ModuleIndex.of(out, "m")
    call = next(n for n in index.walk(index.tree) if getattr(getattr(n, "func", None), "id", "") == "_evolver_re_sub_noflags")
    assert index.qualified_name(call.func) == "re.sub"


@pytest.mark.parametrize("edit", [
    lambda out: out.replace("key = pattern  #", "key = pattern.lower()  #"),  # helper changed
    lambda out: out + "\n\ndef poison():\n    _EVOLVER_RE_CACHE[str, SEP, 0] = re.compile('x')\n",  # cache named elsewhere
    lambda out: out.replace("import re\n", "import re\nimport regex as re\n", 1),  # `re` is not the re module
])
def test_a_changed_helper_or_a_shared_cache_is_user_code(edit: object) -> None:
    out = edit(cached())  # type: ignore[operator]
    reasons = memoize_reasons(out)
    assert reasons and any("_evolver_re_sub" in r or "_EVOLVER_RE_CACHE" in r or "re.sub" in r for r in reasons), reasons
