"""One realistic pass of the integrator over the bundled corpus (the benchmark for evolver)."""

from __future__ import annotations

import integrator


def run() -> dict[str, object]:
    """Fetch, analyze, plan and execute over ``corpus/``; return what was decided and done.

    The summary leaves out how many submissions failed on the way: that depends on the transport,
    not on the work, and must not change when the transport is made sturdier.
    """
    paths = integrator.corpus_paths()
    report = integrator.integrate(paths)
    outcomes = tuple((r.name, r.status, r.saved_ms) for r in report.results)
    return {
        "files": len(paths),
        "tasks": len(outcomes),
        "applied": sum(1 for _, status, _ in outcomes if status == "applied"),
        "saved_ms": round(sum(saved for _, _, saved in outcomes), 2),
        "abandoned": report.abandoned,
        "outcomes": outcomes,
    }
