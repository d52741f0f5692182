"""docs/soundness.md keeps step with the code: every assumption of the model is named and described,
every transform has its section, with every precondition it proves and every assumption it relies on."""

from __future__ import annotations

from pathlib import Path

from evolver import transforms
from evolver.analysis.assumptions import ASSUMPTIONS

DOC = (Path(__file__).parents[2] / "docs" / "soundness.md").read_text(encoding="utf-8")


def test_every_assumption_is_named_and_described() -> None:
    for name, text in ASSUMPTIONS.items():
        assert f"| `{name}` | {text.replace('|', chr(92) + '|')} |" in DOC, name


def test_every_transform_has_its_section_with_its_preconditions_and_assumptions() -> None:
    sections = DOC.split("\n### ")[1:]
    for t in transforms.all_transforms():
        section = next((s for s in sections if s.split("\n", 1)[0].split(" ")[0] == t.name), None)
        assert section is not None, t.name
        for precondition in t.preconditions:
            assert f"- {precondition}\n" in section, (t.name, precondition)
        for assumption in getattr(t, "assumptions", ()):
            assert f"`{assumption}`" in section, (t.name, assumption)
            assert assumption in ASSUMPTIONS


def test_the_generated_half_is_up_to_date() -> None:
    """Run `.venv/bin/python scripts/soundness_doc.py` after changing a transform or an assumption."""
    import importlib.util

    path = Path(__file__).parents[2] / "scripts" / "soundness_doc.py"
    spec = importlib.util.spec_from_file_location("soundness_doc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert DOC.split(module.MARKER, 1)[1] == module.generated()
