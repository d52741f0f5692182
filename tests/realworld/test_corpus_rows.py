"""The real-world corpus (benchmarks/realworld): every row is complete and its variants behave.

Each row's own tests pass on the original module and on the hand rewrite (with the same workload
result); each refuse row's extra check passes on the original and fails on the naive rewrite.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "realworld"))

import corpus

ROWS = corpus.rows()
BY_NAME = {row.name: row for row in ROWS}
slow = pytest.mark.slow


def test_manifest_is_complete() -> None:
    manifest = corpus.load_manifest()
    assert len(ROWS) >= 25
    assert len({(r.project, r.module) for r in ROWS}) >= 25
    assert len({r.project for r in ROWS}) >= 8
    assert len({r.name for r in ROWS}) == len(ROWS)
    for row in ROWS:
        project = manifest["projects"][row.project]
        assert project["upstream"].startswith("https://") and project["license"] and project["sdist_sha256"]
        for name in project["license_files"]:
            assert (row.project_dir / name).is_file(), f"{row.project}: {name}"
        assert (row.project_dir / "pyproject.toml").is_file()
        assert (row.project_dir / row.module).is_file()
        assert (row.project_dir / (row.bench.split(":")[0] + ".py")).is_file()
        assert row.kind in corpus.KINDS and row.sites
        if row.kind != "refuse":
            assert row.hand is not None and row.hand.is_file() and row.hand_description, row.name
        else:
            assert row.naive is not None and row.naive.is_file() and row.check is not None and row.check.is_file()
            assert row.data["naive"]["why_unsound"], row.name
        if row.hand is not None:
            assert row.hand.read_text() != (row.project_dir / row.module).read_text(), row.name


def test_every_kind_is_represented() -> None:
    kinds = [row.kind for row in ROWS]
    assert kinds.count("gate") >= 5 and kinds.count("refuse") >= 5 and kinds.count("opportunity") >= 5


@slow
@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_row_tests_pass_on_original_and_hand(name: str) -> None:
    row = BY_NAME[name]

    def tested(variant: str | None) -> str:
        with corpus.scratch(row, variant) as root:
            done = corpus.run_tests(row, root)
            assert done.returncode == 0, f"{name} {variant or 'original'}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
            ran = corpus.run_workload(row, root)
            assert ran.returncode == 0, ran.stderr[-2000:]
            return ran.stdout

    # the two variants in their own copies and processes, at once (nothing here is timed): half the wait on 2 CPUs
    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(tested, (None, "hand") if row.hand else (None,)))
    assert len(set(outputs)) == 1, f"{name}: the hand rewrite changes the workload's result"


@slow
@pytest.mark.parametrize("name", sorted(n for n, r in BY_NAME.items() if r.kind == "refuse"))
def test_extra_check_passes_on_original_and_fails_on_naive(name: str) -> None:
    row = BY_NAME[name]
    with corpus.scratch(row) as root:
        done = corpus.run_check(row, root)
        assert done.returncode == 0, done.stdout + done.stderr
    with corpus.scratch(row, "naive") as root:
        done = corpus.run_check(row, root)
        assert done.returncode != 0, f"{name}: the extra check does not see the naive rewrite"
        assert "AssertionError" in done.stderr, done.stderr[-2000:]
    if row.hand is not None:
        with corpus.scratch(row, "hand") as root:
            assert corpus.run_check(row, root).returncode == 0
