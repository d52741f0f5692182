"""Rewrite the generated half of docs/soundness.md from the code: the table of assumptions
(evolver/analysis/assumptions.py) and, per transform, its preconditions, the assumptions every
applicable site relies on and its Rewrite safety notes. The handwritten half above the marker is kept.

    .venv/bin/python scripts/soundness_doc.py
"""

from __future__ import annotations

import inspect
import re
import textwrap
from pathlib import Path

from evolver import transforms
from evolver.analysis.assumptions import ASSUMPTIONS

DOC = Path(__file__).resolve().parents[1] / "docs" / "soundness.md"
MARKER = "<!-- generated below by scripts/soundness_doc.py: edit the code, then run it -->\n"
PER_TRANSFORM = """
Two facts of Python that no static analysis can rule out are stated rather than checked:
`finalizers-quiet` (a `__del__`, a weakref callback or a signal handler could run anywhere) and
`frames-not-inspected` (a debugger or `sys._getframe` can read and write any local variable).

## Per transform

Each section lists the preconditions the transform proves (its `preconditions`, which the
adversarial suite attacks: every one has at least two programs that must be refused), the
assumptions every applicable site relies on (a site may list more: `evolver analyze --details`),
and its *Rewrite safety* notes. Open holes are marked in `tests/adversarial/cases/` (`hole=...`).
"""


def generated() -> str:
    out = ["| assumption | what it says |\n|---|---|\n"]
    for name, text in ASSUMPTIONS.items():
        cell = text.replace("|", "\\|")
        out.append(f"| `{name}` | {cell} |\n")
    out.append(PER_TRANSFORM)
    for t in transforms.all_transforms():
        doc = inspect.getdoc(type(t)) or ""
        found = re.search(r"(Rewrite safety|Safety preconditions):(.*)", doc, re.S)
        safety = " ".join(found.group(2).split()) if found else ""
        out.append(f"\n### {t.name}\n\n{t.description}.\n\nPreconditions:\n\n")
        out.extend(f"- {p}\n" for p in t.preconditions)
        assumptions = getattr(t, "assumptions", ())
        if assumptions:
            shown = ", ".join(f"`{a}`" for a in assumptions) + " (a site may add more, as its check needs them)"
        else:
            shown = "only those a site's check needs, listed on the site"
        out.append(f"\nAssumptions: {shown}.\n")
        if safety:
            out.append("\nRewrite safety: " + textwrap.fill(safety, 100) + "\n")
    return "".join(out)


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    head = text.split(MARKER, 1)[0] if MARKER in text else text
    DOC.write_text(head + MARKER + generated(), encoding="utf-8")


if __name__ == "__main__":
    main()
