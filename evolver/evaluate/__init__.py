"""The evaluation stage: is a candidate at least as correct as its parent, and is it faster?

    judge.py       the checks, in order, each a named Gate; the verdict a typed Judgement
    evaluator.py   a cycle's candidates against one parent: test in parallel, race, judge, progress
    race.py        timing rounds shared by the candidates still racing, looks, early verdicts
    stats.py       paired statistics, the looks and the alpha each spends, the verdict's label
    timing.py      race entries -> Comparison; ``compare`` for one candidate
    footprint.py   memory and CPU judged beside the time; instruction counts (recorded only)
    screen.py      what is not worth timing (Amdahl's bound, caches that cannot hit)
    selection.py   which tests reach which function (coverage contexts), to run only those
    limits.py      how long a run may take, scaled from the parent's measured times
    resources.py   scratch copies (reused), live versions, the clock of the time budget
    workers.py     the client of the sandboxed measuring worker

``evaluate_candidate`` is the seam for callers that hold plain data (the Python API, a cluster
executor): one candidate's source against its parent's, judged like in an evolve cycle.
"""

from __future__ import annotations

from evolver.evaluate.api import evaluate_candidate
from evolver.evaluate.judge import Gate, Judgement
from evolver.evaluate.resources import Resources

__all__ = ["Gate", "Judgement", "Resources", "evaluate_candidate"]
