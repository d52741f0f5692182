"""strength-reduction beyond its examples: two powers of one loop reduced one after the other with
stable ids, and the reduced loop computing what the original did."""

from __future__ import annotations

from evolver import transforms
from evolver.transforms import Context

CTX = Context(module="m")
TWO = (
    "def table(n, wide):\n"
    "    base = 16 if wide else 8\n"
    "    rows = []\n"
    "    for i in range(2, n):\n"
    "        # both powers of the index\n"
    "        rows.append((base ** i, 3 ** (i - 2)))\n"
    "        if len(rows) > 40:\n"
    "            break\n"
    "    return rows\n"
)


def _sites(source: str) -> dict[str, str]:
    return {s.id: s.verdict for s in transforms.propose(source, CTX) if s.transform == "strength-reduction"}


def _run(source: str, *args: object) -> object:
    namespace: dict[str, object] = {}
    exec(compile(source, "m", "exec"), namespace)
    return namespace["table"](*args)  # type: ignore[operator]


def test_two_powers_of_one_loop_are_reduced_one_after_the_other() -> None:
    ids = ["strength-reduction@m:table#0", "strength-reduction@m:table#1"]
    assert _sites(TWO) == dict.fromkeys(ids, "applicable")
    source, applied = transforms.apply_compatible(TWO, ids, CTX)
    assert applied == ids
    assert "    _evolver_pow0 = base * base\n    _evolver_pow1 = 1\n    for i in range(2, n):\n" in source
    assert source.endswith("            break\n        _evolver_pow0 *= base\n        _evolver_pow1 *= 3\n    return rows\n")
    assert _sites(source) == dict.fromkeys(ids, "refused")  # "already a running product": ids do not shift
    for args in ((0, True), (2, False), (9, True), (60, False)):
        assert _run(source, *args) == _run(TWO, *args)


def test_a_loop_over_something_else_is_no_site() -> None:
    source = "def f(xs):\n    i = 0\n    for x in xs:\n        i += 1\n        x = 2 ** i\n    return x\n"
    assert _sites(source) == {}
