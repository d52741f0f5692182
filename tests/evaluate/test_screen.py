"""Screening: which candidates are not worth timing, from the parent's survey alone."""

from __future__ import annotations

import pytest

from evolver.evaluate.screen import screen
from evolver.model import FunctionProfile, Profile, Site
from evolver.rank import Candidate

PROFILE = Profile(total_s=1.0, functions=(
    FunctionProfile("m:hot", calls=500, tottime_s=0.02, cumtime_s=0.6, share=0.6, repeat_rate=0.9, keyed_calls=500),
    FunctionProfile("m:once", calls=1, tottime_s=0.3, cumtime_s=0.3, share=0.3),
    FunctionProfile("m:unique", calls=80, tottime_s=0.2, cumtime_s=0.2, share=0.2, repeat_rate=0.0, keyed_calls=80),
    FunctionProfile("m:partly", calls=80, tottime_s=0.2, cumtime_s=0.2, share=0.2, repeat_rate=0.0, keyed_calls=40),
    FunctionProfile("m:cold", calls=3, tottime_s=0.01, cumtime_s=0.01, share=0.01),
    FunctionProfile("m:matches", calls=900, tottime_s=0.05, cumtime_s=0.4, share=0.4, regex_s=0.01),
    FunctionProfile("m:near", calls=900, tottime_s=0.05, cumtime_s=0.4, share=0.4, regex_s=0.02),
    FunctionProfile("m:compiles", calls=900, tottime_s=0.05, cumtime_s=0.4, share=0.4, regex_s=0.25),
))


def cand(site_id: str) -> Candidate:
    transform, _, target = site_id.partition("@")
    return Candidate(Site(transform, target, "applicable"), 0.5, 0.1)


@pytest.mark.parametrize(("site_id", "errors", "reason"), [
    ("memoize@m:hot", 0, ""),
    ("memoize@m:once", 0, "called once per workload run: a cache cannot hit"),
    ("memoize@m:unique", 0, "arguments never repeat in a workload run (80 calls)"),
    ("memoize@m:partly", 0, ""),  # half its calls were not keyed: they may repeat
    ("memoize@m:cold", 0, "takes 1.0% of the workload"),
    ("memoize@m:unseen", 0, "takes 0.0% of the workload"),
    ("local-alias@m:hot#0", 0, "own code (callees excluded) takes 2.0% of the workload"),
    ("hoist-invariant@m:hot#0", 0, ""),  # a hoisted call saves its callee's time too
    ("local-alias@m:once#0", 0, ""),  # its own time is 30%: worth timing
    ("thread-pool@m:once#0", 0, ""),  # a loop in a function called once still pays
    ("retry@m:cold#0", 0, ""),  # judged by injecting faults at what it retries
    ("retry@m:unseen#0", 0, "does not run in the workload: no injected fault could reach"),
    ("retry@m:unseen#0", 2, ""),  # failures surface anyway
    # 40% of the time, but its re calls spend 1% in re's own code: the rest is the matching itself
    ("precompile-regex@m:matches#0", 0, "spend 1.0% of the workload in re's own code"),
    ("precompile-regex@m:near#0", 0, ""),  # 2%: the profile's figure may be short of the truth
    ("precompile-regex@m:compiles#0", 0, ""),  # 25% in re's own code (a pattern cache that misses)
    ("precompile-regex@m:once#0", 0, ""),  # not measured: the function's share bounds it
    ("memoize@m:matches", 0, ""),  # the bound is precompile-regex's alone
])
def test_screen(site_id: str, errors: int, reason: str) -> None:
    kept, out = screen([cand(site_id)], PROFILE, min_effect=0.03, parent_errors=errors)
    if reason:
        assert not kept and reason in out[0].reason
    else:
        assert [c.site.id for c in kept] == [site_id] and not out


def test_without_a_profile_nothing_is_screened() -> None:
    kept, out = screen([cand("memoize@m:x"), cand("retry@m:x#0")], None, min_effect=0.03, parent_errors=0)
    assert [c.site.id for c in kept] == ["memoize@m:x", "retry@m:x#0"] and not out
