"""A resolver's use of packaging: filter the released versions of a project by requirement specifiers."""

from __future__ import annotations

from packaging.specifiers import SpecifierSet

RELEASES = [f"{i % 7}.{i % 13}.{i % 29}" + ("rc1" if i % 17 == 0 else "") for i in range(700)]
SPECS = [">=1.2,<4", "~=2.3", "!=3.1.*,>=0.5", "==2.*", ">1.0,<=5.5,!=2.2.2", "==4.1.*", ">=0.9,!=1.*"]


def run() -> list[object]:
    out: list[object] = []
    for spec in SPECS:
        specifiers = SpecifierSet(spec)
        out.append(list(specifiers.filter(RELEASES)))
        out.append(sum(specifiers.contains(v, prereleases=True) for v in RELEASES))
    return out
