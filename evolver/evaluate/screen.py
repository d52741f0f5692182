"""Screening before measuring: a candidate that cannot give a gain worth having is not timed.

The rules read only the parent's survey (profile, argument repeats, surfaced failures), never a
candidate's measurement, so they spend no alpha:

- Amdahl's bound: a rewrite confined to a function that takes a share ``s`` of the workload saves
  at most ``s``; below ``min_effect`` it cannot be accepted. A rewrite that only changes how the
  function's own bytecode finds names (``OWN_TIME``) saves at most the function's own time, not
  the time of what it calls.
- A compiled pattern gains only what ``re``'s own code costs (the wrapper of ``re.match`` and the
  like, the pattern cache, compiling a pattern it had not cached): precompile-regex is bounded by
  the time the function's calls of ``re``'s functions spent there (``FunctionProfile.regex_s``,
  with a margin: ``REGEX_MARGIN``), not by the function's time, most of which is the matching itself.
- A cache gains only from repeated calls: a memoized function called once per workload run, or
  whose every call was keyed and none repeated earlier arguments, cannot hit its cache.
- A sturdiness rewrite (retry) is judged by injecting faults at what it retries (sturdiness.py):
  worth trying unless the function it rewrites never runs in the workload (then no injected fault
  can reach it, and none surfaces on its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evolver import transforms
from evolver.model import FunctionProfile, Profile
from evolver.rank import Candidate, function_of
from evolver.sandbox.worker import REPEAT_KEYS

# Transforms whose whole gain is cache hits on the rewritten function's own repeated calls.
CACHING = frozenset({"memoize"})
# Transforms whose whole gain is in the rewritten function's own frame (name lookups made cheaper):
# bounded by its own time in the profile (cProfile's tottime), callees excluded.
OWN_TIME = frozenset({"local-alias"})
# Transforms whose whole gain is the time spent in re's own code by the function's re calls.
REGEX = frozenset({"precompile-regex"})
# The profile's figure for that time is no strict bound: cProfile's cost per call distorts every
# share, either way. On the pricing sample parse_sku's re calls spent 20% of the profiled run in re's
# own code and precompiling saved 15-26% (1.30x, 95% CI 1.18-1.36): screened only below half the
# minimum effect.
REGEX_MARGIN = 2.0


@dataclass(frozen=True)
class Screened:
    """A candidate left out before any measurement, and why."""

    candidate: Candidate
    reason: str


def screen(candidates: Sequence[Candidate], profile: Profile | None, *, min_effect: float,
           parent_errors: int) -> tuple[list[Candidate], list[Screened]]:
    """(candidates worth timing, in their order; those screened out, with the reason)."""
    functions = {f.qualname: f for f in profile.functions} if profile is not None else {}
    kept: list[Candidate] = []
    out: list[Screened] = []
    for cand in candidates:
        reason = why_not(cand, profile, functions.get(function_of(cand.site)), min_effect=min_effect,
                         parent_errors=parent_errors)
        if reason:
            out.append(Screened(cand, reason))
        else:
            kept.append(cand)
    return kept, out


def why_not(cand: Candidate, profile: Profile | None, seen: FunctionProfile | None, *, min_effect: float,
            parent_errors: int) -> str:
    """Why ``cand`` cannot give a measurable gain ("" when it may)."""
    site = cand.site
    name = function_of(site)
    if transforms.goal_of(site.transform) == "sturdiness":
        if parent_errors > 0 or profile is None or (seen is not None and seen.calls > 0):
            return ""
        return f"{name} does not run in the workload: no injected fault could reach the call it retries"
    if profile is None:
        return ""
    share = seen.share if seen is not None else 0.0
    if share < min_effect:
        return (f"{name} takes {share:.1%} of the workload: even removing it entirely is below the "
                f"{min_effect:.0%} minimum effect")
    own = seen.tottime_s / profile.total_s if seen is not None and profile.total_s > 0 else share
    if site.transform in OWN_TIME and own < min_effect:
        return (f"{name}'s own code (callees excluded) takes {own:.1%} of the workload: a faster lookup "
                f"of names there cannot reach the {min_effect:.0%} minimum effect")
    if site.transform in REGEX and seen is not None and seen.regex_s is not None and profile.total_s > 0:
        regex = seen.regex_s / profile.total_s
        if REGEX_MARGIN * regex < min_effect:
            return (f"{name}'s calls of re's functions spend {regex:.1%} of the workload in re's own code "
                    f"(its wrappers and pattern cache): even {REGEX_MARGIN:g} times that, compiling the pattern "
                    f"once cannot reach the {min_effect:.0%} minimum effect")
    if site.transform in CACHING and seen is not None:
        if seen.calls <= 1:
            return f"{name} is called once per workload run: a cache cannot hit"
        if (seen.repeat_rate == 0 and seen.keyed_calls is not None and seen.keyed_calls == seen.calls
                and seen.keyed_calls <= REPEAT_KEYS):
            return (f"{name}'s arguments never repeat in a workload run ({seen.calls} calls): "
                    "a cache cannot hit")
    return ""
