"""Every command with its stdout on a pipe (a real subprocess, a narrow COLUMNS): the columns are
all there and aligned, and `--json` parses and carries the same figures as the text."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_project import FIB, digest, error_line, make_project, table

from evolver import report

SPEEDUP = re.compile(r"^(\d+\.\d\dx|-)$")
INTERVAL = re.compile(r"^(\d+\.\d\d-\d+\.\d\d|-)$")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def evolver(*args: str | Path, cwd: Path | None = None) -> Run:
    """`evolver ARGS` in a fresh process, stdout and stderr on pipes, a terminal 40 columns wide."""
    done = subprocess.run([sys.executable, "-m", "evolver.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "COLUMNS": "40"}, timeout=600)
    return Run(done.returncode, done.stdout, done.stderr)


@dataclass
class Evolved:
    module: Path
    ws: Path
    text: Run  # `evolve` printing text
    data: Run  # a second `evolve --json` run


@pytest.fixture(scope="module")
def evolved(tmp_path_factory: pytest.TempPathFactory) -> Evolved:
    root = tmp_path_factory.mktemp("output")
    module = make_project(root / "proj")
    ws = root / "ws"
    text = evolver("--workspace", ws, "evolve", module, "--cycles", "1")
    assert text.code == 0, text.err
    data = evolver("evolve", module, "--cycles", "1", "--json", "--workspace", ws)  # flags after the command too
    assert data.code == 0, data.err
    return Evolved(module, ws, text, data)


def figure(value: float | None) -> str:
    return report.speedup(value)


# -- evolve -------------------------------------------------------------------------------------
def test_evolve_on_a_pipe_keeps_every_column(evolved: Evolved) -> None:
    rows = table(evolved.text.out, "status")
    assert rows and all(row["status"] in ("approved", "rejected", "failed") for row in rows)
    for row in rows:
        assert SPEEDUP.match(row["speedup"]) and INTERVAL.match(row["95% CI"]), row
        assert "@" in row["candidate"]
    assert {"status": "approved", "candidate": "memoize@fib:fib"}.items() <= rows[0].items()
    gens = {row["generation"]: row for row in table(evolved.text.out, "generation")}
    assert gens["fib/0000"]["measured against"] == "(the original)"
    assert SPEEDUP.match(gens["fib/0001"]["speedup"]) and gens["fib/0001"]["speedup"] != "-"
    assert "fib/0000 (original)" in gens["fib/0001"]["measured against"]
    closing = [line for line in evolved.text.out.splitlines() if line.startswith("fib/0001: ")]
    assert closing == [f"fib/0001: {gens['fib/0001']['speedup']} faster than the original "
                       f"(95% CI {gens['fib/0001']['95% CI']}; measured at the end of its run, against fib/0000)"]
    assert "evolver diff fib/0000 fib/0001" in evolved.text.out
    assert "cycle 1 from fib/0000" in evolved.text.err and "wrote fib/0001" in evolved.text.err
    assert "  approved memoize@fib:fib: " in evolved.text.err  # verdicts name their candidate
    assert "skipped, not worth timing: 1 candidate (" in evolved.text.out  # memoize@fib:label


def test_evolve_json_carries_the_figures_of_the_text(evolved: Evolved, capsys: pytest.CaptureFixture[str]) -> None:
    view = evolved.data.json()
    capsys.readouterr()
    report.evolve(view)  # what `evolve` prints without --json, from the very same figures
    text = capsys.readouterr().out
    rows = table(text, "status")
    assert [r["candidate"] for r in rows] == [c["site"] for c in view["candidates"]]
    for row, cand in zip(rows, view["candidates"]):
        assert row["status"] == cand["status"] and row["speedup"] == figure(cand["speedup"])
        assert row["95% CI"] == report.interval(cand["ci"])
    final = view["result"]
    assert final["generation"] == "fib/0002" and final["against"] == "fib/0000" and final["against_original"]
    assert f"{final['generation']}: {figure(final['speedup'])} faster than the original" in text
    gens = {g["id"]: g for g in view["generations"]}
    assert gens["fib/0002"]["figure"]["speedup"] == final["speedup"]  # one figure per generation
    assert [s["site"] for s in view["skipped"]] == ["memoize@fib:label"]  # not worth timing, and why
    assert "memoize@fib:label" not in text
    capsys.readouterr()
    report.evolve(view, details=True)
    detailed = capsys.readouterr().out
    assert f"memoize@fib:label           {view['skipped'][0]['reason']}" in detailed


# -- the commands that read what evolve stored ---------------------------------------------------
def test_log_lists_every_target_and_matches_its_json(evolved: Evolved) -> None:
    text, data = evolver("--workspace", evolved.ws, "log"), evolver("--workspace", evolved.ws, "log", "--json")
    assert text.code == data.code == 0
    (target,) = data.json()["targets"]
    rows = {row["generation"]: row for row in table(text.out, "generation")}
    assert list(rows) == [g["id"] for g in target["generations"]] == ["fib/0000", "fib/0001", "fib/0002"]
    for gen in target["generations"]:
        fig = gen["figure"]
        assert rows[gen["id"]]["speedup"] == (figure(fig["speedup"]) if fig else "-")
        assert rows[gen["id"]]["95% CI"] == (report.interval(fig["ci"]) if fig else "-")
    one = evolver("--workspace", evolved.ws, "log", evolved.module, "--json")
    assert one.json()["targets"] == data.json()["targets"]
    first = target["generations"][1]["manifest"]
    assert first["parent"] == "fib/0000" and first["transforms"][0]["site"] == "memoize@fib:fib"
    vs = first["measurements"]["vs_parent"]
    assert vs["verdict"] == "faster" and vs["ci_high"] < 1.0 and vs["pairs"] >= 10


def test_diff_is_in_gits_order_and_its_json_is_the_patch(evolved: Evolved) -> None:
    text = evolver("--workspace", evolved.ws, "diff", "fib/0000", "fib/0001")
    data = evolver("--workspace", evolved.ws, "diff", "fib/0000", "fib/0001", "--json").json()
    assert text.code == 0 and text.err == ""
    assert text.out.startswith("--- fib/0000/fib.py\n+++ fib/0001/fib.py\n")
    assert "\n+@functools.lru_cache(maxsize=None)\n" in text.out
    assert data["patch"] == text.out and (data["from"], data["to"]) == ("fib/0000", "fib/0001")
    body = text.out.splitlines()[2:]
    assert (data["added"], data["removed"]) == (sum(x.startswith("+") for x in body), sum(x.startswith("-") for x in body))
    alone = evolver("--workspace", evolved.ws, "diff", "fib/0001")
    assert alone.out == text.out  # one id: against its parent
    backwards = evolver("--workspace", evolved.ws, "diff", "fib/0001", "fib/0000")
    assert "\n-@functools.lru_cache" in backwards.out and "descends from fib/0000" in backwards.err


def test_stats_in_words_and_its_json(evolved: Evolved) -> None:
    text, data = evolver("--workspace", evolved.ws, "stats"), evolver("--workspace", evolved.ws, "stats", "--json")
    stats = data.json()
    by_status = stats["sessions_by_status"]
    assert by_status["ok"] >= 2 and by_status["running"] == 0
    shown = ", ".join(f"{n} {status}" for status, n in by_status.items() if n)
    assert f"sessions: {stats['sessions']} ({shown})" in text.out
    assert f"candidates: {stats['candidates_tried']} tried, {stats['approved']} approved" in text.out
    assert f"{stats['success_rate']:.0%} of the" in text.out
    assert "success_rate" not in text.out and "None" not in text.out


def test_analyze_on_a_pipe_and_its_json(evolved: Evolved) -> None:
    args = ("--workspace", evolved.ws, "analyze", evolved.module, "--no-profile")
    text, data = evolver(*args), evolver(*args, "--json")
    rows = table(text.out, "verdict")
    sites = data.json()["sites"]
    assert [(r["verdict"], r["site"]) for r in rows] == [(s["verdict"], s["id"]) for s in sites]
    for row, site in zip(rows, sites):
        assert row["why"] == report.first_reason(site["why"])
    details = evolver(*args, "--details").out
    for site in sites:
        for reason in site["why"]:
            assert f"    {reason}\n" in details
        for assumption in site["assumptions"]:  # the soundness model's, where the engine names them
            assert f"    assumes: {assumption}\n" in details


def test_transforms_short_and_long(evolved: Evolved) -> None:
    text, long, data = (evolver("transforms"), evolver("transforms", "--long"),
                        evolver("transforms", "--json").json())
    rows = table(text.out, "transform")
    assert [(r["transform"], r["goal"]) for r in rows] == [(t["name"], t["goal"]) for t in data]
    assert len(text.out.splitlines()) == len(data) + 2  # header, one line each, the hint
    for t in data:
        assert all(f"  - {p}" in long.out for p in t["preconditions"])


def test_promote_and_revert_on_a_pipe_and_in_json(evolved: Evolved) -> None:
    original = evolved.module.read_bytes()
    assert original == FIB.encode()  # evolve never touched it
    done = evolver("--workspace", evolved.ws, "promote", "fib/0001", "--json")
    assert done.code == 0, done.err
    promoted = done.json()
    assert promoted["generation"] == "fib/0001"
    assert b"lru_cache" in evolved.module.read_bytes()
    assert b"# the classic: exponential without a cache" in evolved.module.read_bytes()
    undone = evolver("--workspace", evolved.ws, "revert", evolved.module)
    assert undone.code == 0 and evolved.module.read_bytes() == original
    assert undone.out.startswith(f"reverted {evolved.module} to the bytes it had before fib/0001")
    text = evolver("--workspace", evolved.ws, "promote", "fib/0001")
    assert f"(sha256 {promoted['previous_hash'][:12]} -> {promoted['new_hash'][:12]})" in text.out
    back = evolver("--workspace", evolved.ws, "revert", evolved.module, "--json").json()
    assert back["written"] is True and evolved.module.read_bytes() == original
    stats = evolver("--workspace", evolved.ws, "stats", "--json").json()
    assert stats["applied"] == stats["rolled_back"] == 2


def test_promote_refuses_an_edited_target(evolved: Evolved) -> None:
    original = evolved.module.read_bytes()
    try:
        evolved.module.write_bytes(original + b"\n# edited by hand\n")
        edited = evolved.module.read_bytes()
        refused = evolver("--workspace", evolved.ws, "promote", "fib/0001")
        assert refused.code == 2 and "edited since" in error_line(refused.err)
        assert evolved.module.read_bytes() == edited
    finally:
        evolved.module.write_bytes(original)


def test_refused_promote_and_revert_end_their_session(evolved: Evolved) -> None:
    before = digest(evolved.module.parent)
    root = evolver("--workspace", evolved.ws, "promote", "fib/0000")
    nothing = evolver("--workspace", evolved.ws, "revert", evolved.module)
    assert root.code == nothing.code == 2
    assert "nothing to promote" in root.err and "nothing to revert" in nothing.err
    with sqlite3.connect(evolved.ws / ".evolver" / "evolver.db") as conn:
        last = conn.execute("SELECT command, status, ended_at FROM sessions ORDER BY started_at DESC LIMIT 2")
        assert sorted((c, s) for c, s, ended in last if ended) == [("promote", "refused"), ("revert", "refused")]
        assert conn.execute("SELECT COUNT(*) FROM sessions WHERE status = 'running'").fetchone() == (0,)
    assert digest(evolved.module.parent) == before


def test_compare_says_which_sandbox_ran(evolved: Evolved) -> None:
    result = evolver("--workspace", evolved.ws, "compare", evolved.module, "fib/0001", "--max-pairs", "10",
                     "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["sandbox"]["backend"] == "process" and data["sandbox"]["isolation"]
    from evolver.compare_cmd import render

    assert f"sandbox       process: {', '.join(data['sandbox']['isolation'])}" in render(data)


def test_retrain_text_and_json(evolved: Evolved) -> None:
    text, data = evolver("--workspace", evolved.ws, "retrain"), evolver("--workspace", evolved.ws, "retrain", "--json")
    summary = data.json()
    assert text.out.startswith(f"predictor rebuilt from {summary['rows']} decided candidates")
    assert summary["transforms"]["memoize"]["approved"] >= 1


def test_git_sees_generations_but_not_evolvers_state(evolved: Evolved) -> None:
    subprocess.run(["git", "init", "-q", str(evolved.ws)], check=True)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=evolved.ws, capture_output=True, text=True,
                            check=True)
    assert status.stdout.splitlines() == ["?? generations/"]  # .evolver/ ignores itself; generations/ is yours
