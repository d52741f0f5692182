"""One adversarial case: a small module, the transform it attacks, and what must happen.

See README.md in this folder for the format and how to add a case.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

Expect = Literal["refuse", "apply"]
HoleKind = Literal["behaviour", "reason", "refused"]
TRANSIENT = ("ConnectionError", "TimeoutError")  # evolver's default


@dataclass(frozen=True)
class Hole:
    """A known weakness of today's engine: the case's test is expected to fail, and to fail in this
    way ("behaviour": accepted and the rewrite behaves differently; "reason": refused, but for a
    reason that is missing or false; "refused": a sound rewrite refused)."""

    kind: HoleKind
    what: str


@dataclass(frozen=True)
class Case:
    """A program aimed at one edge of one transform's preconditions.

    ``source`` is the whole module. The driver imports it, runs ``setup`` (statements; the
    module's public names and ``mod`` are in scope), then evaluates ``call`` and each of
    ``probes`` (expressions, or statements) in order, in one fresh interpreter per side.
    """

    name: str
    transform: str
    attack: str  # one line: what the program tries to break
    source: str
    call: str
    expect: Expect
    reason: str | None = None  # refuse: a regex at least one reason of every selected site must match
    covers: tuple[str, ...] = ()  # cues: each a substring of exactly one of the transform's preconditions
    site: str | None = None  # a regex on the site target ("func#k"); None selects every site of the transform
    setup: str = ""
    probes: tuple[str, ...] = ()
    not_reason: str | None = None  # a regex no reason of a selected site may match (a false reason)
    idempotent: tuple[str, ...] = ()  # retry: callees declared idempotent ("victim:func")
    transient: tuple[str, ...] = TRANSIENT  # retry: the exception names the helper retries
    hole: Hole | None = None


def refuse(name: str, transform: str, attack: str, source: str, call: str, *, reason: str,
           covers: str | tuple[str, ...], site: str | None = None, setup: str = "",
           probes: str | tuple[str, ...] = (), not_reason: str | None = None, idempotent: tuple[str, ...] = (),
           transient: tuple[str, ...] = TRANSIENT, hole: Hole | None = None) -> Case:
    """A program the transform must refuse, for a reason matching ``reason``."""
    return Case(name, transform, attack, _code(source), call, "refuse", reason, _tuple(covers), site, _code(setup),
                _tuple(probes), not_reason, idempotent, transient, hole)


def apply(name: str, transform: str, attack: str, source: str, call: str, *, covers: str | tuple[str, ...] = (),
          site: str | None = None, setup: str = "", probes: str | tuple[str, ...] = (),
          idempotent: tuple[str, ...] = (), transient: tuple[str, ...] = TRANSIENT,
          hole: Hole | None = None) -> Case:
    """A program the transform may rewrite: it must, and the rewrite must behave the same."""
    return Case(name, transform, attack, _code(source), call, "apply", None, _tuple(covers), site, _code(setup),
                _tuple(probes), None, idempotent, transient, hole)


def behaviour(what: str) -> Hole:
    return Hole("behaviour", what)


def wrong_reason(what: str) -> Hole:
    return Hole("reason", what)


def refused(what: str) -> Hole:
    return Hole("refused", what)


def _code(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + ("\n" if text.strip() else "")


def _tuple(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else value
