"""The README's commands, run verbatim on a fresh copy of the repository, do what it says."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODULE = Path("targets/integrator/integrator.py")
# The README's first command is a whole evolve run (two cycles, several minutes); the test gives it
# a flag scripts/evolve-sample passes on to `evolver evolve`, to stop after the first cycle.
SHORTER = ["--cycles", "1"]


def readme_commands() -> list[list[str]]:
    """Each fenced block of the README's quick start, as its command lines (comments removed)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Quick start")
    section = text[start:text.index("\n## ", start + 1)]
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.S)
    return [[line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]
            for block in blocks]


def fresh_copy(dest: Path) -> Path:
    """The repository's tracked files, with its already set-up .venv linked in (so the README's
    set-up step finds it installed instead of reaching for PyPI)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        if (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    stamp = REPO / ".venv" / ".evolver-installed"
    if not stamp.is_file():
        pytest.skip("the repository's .venv is not set up (run bash scripts/setup)")
    (dest / ".venv").symlink_to(REPO / ".venv")
    before = stamp.stat().st_mtime - 1  # installed after this pyproject.toml: setup has nothing to do
    os.utime(dest / "pyproject.toml", (before, before))
    return dest


def run(command: str, cwd: Path, extra: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command + "".join(f" {a}" for a in extra or [])], cwd=cwd,
                          capture_output=True, text=True, timeout=1800)


@pytest.mark.slow
def test_the_readme_commands_do_what_it_says(tmp_path: Path) -> None:
    setup, follow_up = readme_commands()
    assert setup == ["bash scripts/evolve-sample", "bash scripts/test"]
    assert [c.split()[1] for c in follow_up] == ["log", "diff", "promote", "revert"]
    copy = fresh_copy(tmp_path / "evolver")
    original = (copy / MODULE).read_bytes()

    evolve = run(setup[0], copy, SHORTER)  # the second command is the test suite this test is part of
    assert evolve.returncode == 0, evolve.stderr[-3000:]
    suggested = re.search(r"^next: evolver (diff \S+ \S+)", evolve.stdout, re.M)
    assert suggested and follow_up[1] == f".venv/bin/evolver {suggested[1]}"  # the README's diff is the one it names
    generation = copy / "generations" / "integrator" / "0001" / "integrator.py"
    assert (copy / MODULE).read_bytes() == original  # evolve writes generations, never the source

    log = run(follow_up[0], copy)
    assert log.returncode == 0 and re.search(r"^integrator/0001 +integrator/0000 +\d+\.\d\dx ", log.stdout, re.M)

    diff = run(follow_up[1], copy)  # "what changed since the original"
    assert diff.returncode == 0 and diff.stderr == ""
    assert diff.stdout.startswith("--- integrator/0000/integrator.py\n+++ integrator/0001/integrator.py\n")
    new_text, old_text = generation.read_text(), original.decode()
    added = [line[1:] for line in diff.stdout.splitlines()[2:] if line.startswith("+")]
    removed = [line[1:] for line in diff.stdout.splitlines()[2:] if line.startswith("-")]
    assert added and all(line in new_text for line in added)
    assert all(line in old_text for line in removed)

    promote = run(follow_up[2], copy)  # "write it into the source file"
    assert promote.returncode == 0, promote.stderr
    assert (copy / MODULE).read_bytes() == generation.read_bytes()

    revert = run(follow_up[3], copy)  # "restore the exact previous bytes"
    assert revert.returncode == 0, revert.stderr
    assert (copy / MODULE).read_bytes() == original
