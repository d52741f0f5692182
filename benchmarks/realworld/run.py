"""Run evolver over the real-world corpus and compare what it finds with the hand rewrites.

For each row: copy the project into a temporary folder, ``evolver evolve`` the row's module there
(own workspace, the row's tests and workload, ``--budget`` seconds), re-time evolver's last
generation against the original with ``evolver compare --json``, run a refuse row's extra check on
what evolver wrote, and read ``evolver analyze --json`` for the row's sites. Results are cached per
row, evolver version and budget in ``--results`` (resumable); ``--force`` runs cached rows again.

    .venv/bin/python benchmarks/realworld/run.py --budget 180 --lock /work/team/heavy.lock
    .venv/bin/python benchmarks/realworld/run.py --row roman --row inflect
    .venv/bin/python benchmarks/realworld/run.py --kind gate --report-only

Only evolver's command line is used (no import of its internals), so the runner keeps working
while the engine changes.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import corpus

REPO = corpus.HERE.parents[1]
EVOLVER = Path(sys.executable).with_name("evolver")
RESULTS = corpus.HERE / "results.json"
REACH = 0.8  # a row is "found" when evolver reaches this share of the hand rewrite's log-speedup


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    selected = [r for r in corpus.rows() if (not args.row or r.name in args.row) and (not args.kind or r.kind == args.kind)]
    if args.row:  # in the order given
        selected.sort(key=lambda r: args.row.index(r.name))
    unknown = set(args.row or ()) - {r.name for r in corpus.rows()}
    if unknown:
        print(f"run.py: no such row: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    cache = load_results(args.results)
    version = evolver_version()
    print(f"evolver {version}; {len(selected)} rows; budget {args.budget:g} s; load {os.getloadavg()[0]:.2f}",
          flush=True)
    lock = ChunkedLock(args.lock, args.hold)
    for number, row in enumerate(selected, start=1):
        key = cache_key(row, version, args.budget)
        if not args.report_only and (args.force or key not in cache["rows"]):
            with lock:
                cache["rows"][key] = run_row(row, args)
            save_results(args.results, cache)
            print(f"[{number}/{len(selected)}] {render_row(row, cache['rows'][key]).splitlines()[0]}",
                  file=sys.stderr, flush=True)
    current = []
    for row in selected:
        result = cache["rows"].get(cache_key(row, version, args.budget)) or (
            latest(cache, row, args.budget) if args.report_only else None)
        if result is None:
            print(f"{row.name:24} (not run for this evolver version)", flush=True)
            continue
        print(render_row(row, result), flush=True)
        current.append((row, result))
    lock.release()
    versions = sorted({result["evolver"] for _, result in current})
    print(summary(current) + (f" [evolver {', '.join(versions)}]" if len(versions) > 1 else ""))
    if args.markdown:
        missing = [row.name for row in selected if row.name not in {r.name for r, _ in current}]
        args.markdown.write_text(markdown(current, missing, args.budget, version))
        print(f"wrote {args.markdown}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--row", action="append", help="only this row (repeatable; rows run in the order given)")
    p.add_argument("--kind", choices=corpus.KINDS)
    p.add_argument("--budget", type=float, default=180, help="evolve --budget per row, seconds (default 180)")
    p.add_argument("--max-pairs", type=int, default=20, help="A/B pairs of the re-timing (default 20)")
    p.add_argument("--results", type=Path, default=RESULTS)
    p.add_argument("--lock", type=Path, help="hold this flock file while rows run (e.g. /work/team/heavy.lock);"
                   " whole rows, so their test runs do not disturb another job's timings")
    p.add_argument("--hold", type=float, default=420, metavar="SECONDS",
                   help="keep the lock across rows until it has been held this long, then let other jobs have it"
                   " (default 420: with a row of up to ~8 min, a hold stays under ~15 min; 0: one row per hold)")
    p.add_argument("--force", action="store_true", help="run rows again even when cached")
    p.add_argument("--report-only", action="store_true",
                   help="print the cached results (the newest of each row when none is of this evolver version)")
    p.add_argument("--markdown", type=Path, metavar="FILE",
                   help="also write the report as Markdown to FILE (RESULTS.md: the rows, evolver's reasons on the"
                   " rows it missed or refused, and the manifest's review of those reasons)")
    return p.parse_args(argv)


# --- one row -----------------------------------------------------------------------------------

def run_row(row: corpus.Row, args: argparse.Namespace) -> dict[str, Any]:
    started = time.time()
    result: dict[str, Any] = {"row": row.name, "kind": row.kind, "budget_s": args.budget,
                              "evolver": evolver_version(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    with tempfile.TemporaryDirectory(prefix=f"realworld-run-{row.name}-") as tmp:
        result["load"] = [round(os.getloadavg()[0], 2)]
        root = Path(tmp) / row.project
        shutil.copytree(row.project_dir, root, ignore=corpus.IGNORED)
        workspace = Path(tmp) / "workspace"
        workspace.mkdir()
        module = root / row.module
        result["evolve"] = evolve(row, root, workspace, module, args.budget)
        try:
            generation = last_generation(root, workspace, module)
            result["generation"] = generation and generation["id"]
            if generation:
                result["retimed"] = retime(row, root, workspace, module, generation["id"], args.max_pairs)
                result["transforms"] = generation.get("transforms")
                written = generation_source(workspace, generation["id"])
                result["written_tests_pass"] = passes_tests(row, written)
                if row.kind == "refuse":
                    result["check_passes"] = passes_check(row, written)
        except (RuntimeError, subprocess.SubprocessError) as exc:  # the row is reported with the error
            result["error"] = str(exc)[:500]
        result["sites"] = row_sites(row, root, workspace, module)
        result["load"].append(round(os.getloadavg()[0], 2))
    result["duration_s"] = round(time.time() - started, 1)
    return result


def evolve(row: corpus.Row, root: Path, workspace: Path, module: Path, budget: float) -> dict[str, Any]:
    cmd = [str(EVOLVER), "--workspace", str(workspace), "evolve", str(module), "--root", str(root),
           "--tests", row.tests, "--bench", row.bench, "--budget", f"{budget:g}"]
    t0 = time.time()
    try:
        done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=budget * 4 + 900)
    except subprocess.TimeoutExpired as exc:
        return {"rc": None, "duration_s": round(time.time() - t0, 1), "error": f"timed out after {exc.timeout:.0f} s"}
    return {"rc": done.returncode, "duration_s": round(time.time() - t0, 1),
            "tail": (done.stdout[-3000:] + ("\n[stderr]\n" + done.stderr[-2000:] if done.stderr.strip() else ""))}


def last_generation(root: Path, workspace: Path, module: Path) -> dict[str, Any] | None:
    """The newest generation evolver wrote beyond the original (None when it wrote none)."""
    done = evolver_json(["--workspace", str(workspace), "log", str(module), "--root", str(root), "--json"], root)
    if isinstance(done, dict):  # {"command": "log", "targets": [{"generations": [...]}]}
        done = [g for target in done.get("targets", []) for g in target.get("generations", [])]
    if not isinstance(done, list):
        raise RuntimeError(f"evolver log --json: unexpected answer {str(done)[:300]}")
    written = [g for g in done if g.get("parent")]
    if not written:
        return None
    newest = max(written, key=lambda g: g["id"])
    lineage = [t for g in sorted(written, key=lambda g: g["id"]) for t in _transforms(g.get("manifest") or {})]
    return {"id": newest["id"], "transforms": lineage}  # every rewrite from the original to the newest


def _transforms(manifest: dict[str, Any]) -> list[str]:
    found = manifest.get("transforms") or manifest.get("applied") or []
    names = []
    for item in found if isinstance(found, list) else []:
        if isinstance(item, dict):
            names.append(item.get("site") or item.get("transform") or item.get("name") or json.dumps(item))
        else:
            names.append(str(item))
    return names


def generation_source(workspace: Path, gen_id: str) -> Path:
    key, number = gen_id.rsplit("/", 1)
    folder = workspace / "generations" / key / number
    sources = list(folder.glob("*.py"))
    if len(sources) != 1:
        raise RuntimeError(f"generation {gen_id}: expected one module file in {folder}, found {sources}")
    return sources[0]


def retime(row: corpus.Row, root: Path, workspace: Path, module: Path, gen_id: str, max_pairs: int) -> dict[str, Any]:
    """The generation against the original on the row's own workload, as evolve timed it (the project's
    default bench is another row's when several rows share a project)."""
    done = evolver_json(["--workspace", str(workspace), "compare", str(module), gen_id, "--root", str(root),
                         "--bench", row.bench, "--max-pairs", str(max_pairs), "--json"], root)
    if not isinstance(done, dict) or "ratio" not in done:
        return {"error": str(done)[:500]}
    low, high = done["ci"]
    return {"speedup": 1 / done["ratio"], "ci": [1 / high, 1 / low], "verdict": done["verdict"],
            "p": done["p_value"], "pairs": done["pairs"], "same_output": done.get("same_output")}


def passes_tests(row: corpus.Row, variant: Path) -> bool:
    with corpus.scratch(row, variant) as root:
        return corpus.run_tests(row, root).returncode == 0


def passes_check(row: corpus.Row, variant: Path) -> bool:
    with corpus.scratch(row, variant) as root:
        return corpus.run_check(row, root).returncode == 0


def row_sites(row: corpus.Row, root: Path, workspace: Path, module: Path) -> list[dict[str, Any]]:
    """evolver's verdicts and reasons for the sites in the functions the row is about."""
    done = evolver_json(["--workspace", str(workspace), "analyze", str(module), "--root", str(root),
                         "--no-profile", "--json"], root)
    if not isinstance(done, dict):
        return [{"error": str(done)[:500]}]
    wanted = tuple(row.sites)
    return [{"transform": s.get("transform"), "target": s.get("target"), "verdict": s.get("verdict"),
             "reasons": s.get("reasons")} for s in done.get("sites", [])
            if str(s.get("target", "")).split("#")[0] in wanted]


def evolver_json(args: list[str], cwd: Path) -> Any:
    done = subprocess.run([str(EVOLVER), *args], cwd=cwd, capture_output=True, text=True, timeout=1800)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        return f"rc {done.returncode}: {done.stderr.strip()[-400:] or done.stdout.strip()[-400:]}"


# --- judging -----------------------------------------------------------------------------------

def outcome(row: corpus.Row, result: dict[str, Any]) -> dict[str, Any]:
    retimed = result.get("retimed") or {}
    speedup = retimed.get("speedup")
    out: dict[str, Any] = {"wrote": bool(result.get("generation")), "evolver_speedup": speedup}
    hand = row.hand_speedup
    if speedup and hand and hand > 1:
        out["log_ratio"] = math.log(speedup) / math.log(hand)
    if row.kind == "opportunity":
        out["found"] = out.get("log_ratio", 0.0) >= REACH
    elif row.kind == "gate":
        out["claimed_win"] = out["wrote"]
    else:
        out["unsound_write"] = out["wrote"] and not result.get("check_passes", True)
    if out["wrote"] and result.get("written_tests_pass") is False:
        out["broke_tests"] = True
    return out


def render_row(row: corpus.Row, result: dict[str, Any]) -> str:
    out = outcome(row, result)
    hand = f"{row.hand_speedup:.2f}x" if row.hand_speedup else "-"
    evo = f"{out['evolver_speedup']:.2f}x" if out.get("evolver_speedup") else "-"
    lr = f" log ratio {out['log_ratio']:.2f}" if "log_ratio" in out else ""
    line = f"{row.name:24} {row.kind:11} hand {hand:>7}  evolver {evo:>7}{lr}  {verdict(row, out)}"
    if result.get("transforms"):
        line += f"  [{', '.join(result['transforms'])}]"
    if out.get("broke_tests"):
        line += "  (its generation FAILS the row's tests)"
    if result.get("error"):
        line += f"  (runner error: {result['error'][:200]})"
    if result["evolve"].get("rc") not in (0, 1):
        line += f"  (evolve rc {result['evolve'].get('rc')}: {result['evolve'].get('error') or last_line(result['evolve'])})"
    if row.kind != "gate" and (not out["wrote"] or row.kind == "refuse" or not out.get("found")):
        for site in result.get("sites", []):
            reasons = "; ".join(site.get("reasons") or []) or site.get("verdict") or ""
            line += f"\n    {site.get('transform')} {site.get('target')}: {reasons[:300]}"
    return line


def last_line(evolve_result: dict[str, Any]) -> str:
    lines = [ln for ln in (evolve_result.get("tail") or "").splitlines() if ln.strip()]
    return lines[-1][:200] if lines else ""


def summary(results: list[tuple[corpus.Row, dict[str, Any]]]) -> str:
    """The one line: judged with the manifest's current hand speedups (they are not cached)."""
    judged = [(row.kind, outcome(row, result)) for row, result in results]
    opp = [o for kind, o in judged if kind == "opportunity"]
    gate = [o for kind, o in judged if kind == "gate"]
    refuse = [o for kind, o in judged if kind == "refuse"]
    found = sum(1 for o in opp if o.get("found"))
    claimed = sum(1 for o in gate if o.get("claimed_win"))
    unsound = sum(1 for o in refuse if o.get("unsound_write"))
    broke = sum(1 for _, o in judged if o.get("broke_tests"))
    share = f"{found}/{len(opp)} = {found / len(opp):.0%}" if opp else "0/0"
    return (f"SUMMARY opportunity rows reaching >= {REACH:.0%} of the hand log-speedup: {share} (target >= 70%); "
            f"wins claimed on gate rows: {claimed}/{len(gate)} (target 0); unsound writes on refuse rows: "
            f"{unsound}/{len(refuse)} (target 0); generations failing their row's tests: {broke}")


def markdown(results: list[tuple[corpus.Row, dict[str, Any]]], missing: list[str], budget: float,
             version: str = "") -> str:
    """RESULTS.md: the summary, one table line per row, then evolver's reasons on each row it did not
    find (or refused), beside the manifest's ``review`` of them (the shape that would find the row, and
    which of evolver's reasons are wrong), with the evolver version the review was made against."""
    versions = sorted({result["evolver"] for _, result in results})
    budgets = sorted({result.get("budget_s", 0) for _, result in results})
    out = ["# Real-world corpus: evolver against the hand rewrites", "",
           f"Generated by `run.py --report-only --budget {budget:g} --markdown` from `results.json` (evolve budget "
           f"{', '.join(f'{b:g}' for b in budgets) or '-'} s per row, evolver {', '.join(versions) or '-'}: each row "
           f"is its newest run, with the budget {budget:g} s when it has one). Do not edit: re-run the runner. Hand speedups are from "
           "`manifest.json` (`measure_hand.py`); evolver's speedup is its last generation re-timed against the "
           f"original with `evolver compare`; *found* means log(evolver) >= {REACH:g} x log(hand).", "",
           "```", summary(results), "```", ""]
    digest = version.split("+")[-1]
    own = [(row, result) for row, result in results if result["evolver"].split("+")[-1] == digest]
    if digest and len(own) < len(results):
        out += [f"Of which the {len(own)} rows run with this checkout's engine ({version}): "
                f"{', '.join(row.name for row, _ in own) or 'none'}:", "", "```", summary(own), "```", ""]
    if missing:
        out += [f"Not run yet: {', '.join(missing)}.", ""]
    out += ["| row | kind | hand | evolver (re-timed) | evolve said | log ratio | verdict | transforms | load | budget |"
            " evolver version |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row, result in results:
        o = outcome(row, result)
        hand = f"{row.hand_speedup:.2f}x" if row.hand_speedup else "-"
        evo = f"{o['evolver_speedup']:.2f}x" if o.get("evolver_speedup") else "-"
        ratio = f"{o['log_ratio']:.2f}" if "log_ratio" in o else "-"
        load = "-".join(f"{x:g}" for x in result.get("load", [])) or "-"
        said = evolve_claim(result["evolve"])
        out.append(f"| {row.name} | {row.kind} | {hand} | {evo} | {said} | {ratio} | {verdict(row, o)} | "
                   f"{', '.join(result.get('transforms') or []) or '-'} | {load} | {result.get('budget_s', 0):g} s | "
                   f"{result['evolver']} |")
    out += ["", "## Rows evolver did not find, and refusals", ""]
    for row, result in results:
        o = outcome(row, result)
        if (row.kind == "gate" and not o["claimed_win"]) or (row.kind == "opportunity" and o["found"]):
            continue
        out.append(f"### {row.name} ({row.kind}: {verdict(row, o)})")
        out.append("")
        out.append(f"- hand rewrite: {row.hand_description or '-'}")
        if row.kind == "refuse":
            out.append(f"- why the naive rewrite is unsound: {row.data['naive'].get('why_unsound', '-')}")
        stopped, approved = evolve_story(result["evolve"])
        if stopped:
            out.append(f"- evolve stopped: {stopped}" + (f" (approved on the way: {'; '.join(approved)})"
                                                          if approved and not o["wrote"] else ""))
        if result.get("error"):
            out.append(f"- runner error: {result['error']}")
        sites = result.get("sites") or []
        if not sites:
            out.append("- evolver lists no site in the row's functions")
        for site in sites:
            reasons = "; ".join(site.get("reasons") or []) or site.get("error") or ""
            out.append(f"- evolver: `{site.get('transform')}` on `{site.get('target')}`: "
                       f"{site.get('verdict') or ''}{': ' + reasons if reasons else ''}")
        review = row.data.get("review")
        if review:
            same = str(review.get("evolver", "")).split("+")[-1] == result["evolver"].split("+")[-1]  # the engine's digest
            stale = "" if same else \
                f" (reviewed against evolver {review.get('evolver')}; this run is {result['evolver']})"
            if review.get("shape"):
                out.append(f"- shape that would find it: {review['shape']}")
            if review.get("reasons"):
                out.append(f"- review of evolver's reasons{stale}: {review['reasons']}")
        out.append("")
    return "\n".join(out)


def evolve_story(evolve_result: dict[str, Any]) -> tuple[str, list[str]]:
    """Why evolve stopped, and the candidates it approved, from the tail of its output."""
    tail = evolve_result.get("tail") or evolve_result.get("error") or ""
    stopped = ""
    approved = []
    for line in tail.splitlines():
        line = line.strip()
        if line.startswith("no new generation: ") or (line.startswith("evolve ") and "stopped: " in line):
            stopped = line.split(": ", 1)[1] if line.startswith("no new") else line.split("stopped: ", 1)[1]
        elif line.startswith("approved "):
            approved.append(line[len("approved "):])
    return stopped, approved


def evolve_claim(evolve_result: dict[str, Any]) -> str:
    """The speedup evolve itself reported for its newest generation (before the runner's re-timing)."""
    for line in (evolve_result.get("tail") or "").splitlines():
        head, _, rest = line.partition(": ")
        if "/" in head and " " not in head and "x faster than the original" in rest:
            return rest.split(" faster")[0]
    return "-"


def verdict(row: corpus.Row, out: dict[str, Any]) -> str:
    if row.kind == "opportunity":
        return "FOUND" if out["found"] else ("partial" if out["wrote"] else "missed")
    if row.kind == "gate":
        return "CLAIMED A WIN" if out["claimed_win"] else "no claim (ok)"
    return ("UNSOUND WRITE" if out["unsound_write"] else "wrote, check passes") if out["wrote"] else "refused (ok)"


# --- bookkeeping -------------------------------------------------------------------------------

def evolver_version() -> str:
    """The commit of the evolver checkout, plus a digest of its engine files (uncommitted edits count).

    Results are cached by the digest alone: a commit that leaves ``evolver/`` as it was (this corpus's
    own, say) does not invalidate them.
    """
    digest = hashlib.sha256()
    for path in sorted((REPO / "evolver").rglob("*.py")):
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=10", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    return f"{commit}+{digest.hexdigest()[:10]}"


def cache_key(row: corpus.Row, version: str, budget: float) -> str:
    what = {k: row.data[k] for k in ("project", "module", "tests", "bench", "check")
            if k in row.data}  # not the measured hand speedups: re-measuring them must not re-run evolver
    digest = hashlib.sha256(json.dumps(what, sort_keys=True).encode())
    if row.check is not None:
        digest.update(row.check.read_bytes())
    for path in sorted(row.project_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(corpus.HERE).as_posix().encode() + path.read_bytes())
    return f"{row.name}|{version.split('+')[-1]}|{budget:g}|{digest.hexdigest()[:10]}"


def latest(cache: dict[str, Any], row: corpus.Row, budget: float) -> dict[str, Any] | None:
    """With --report-only: the newest result of this row and budget, whatever evolver version made it (the
    newest of any budget when the row never ran with this one; the report names each row's budget)."""
    found = [r for k, r in cache["rows"].items() if k.split("|")[0] == row.name]
    same = [r for r in found if r.get("budget_s") == budget]
    return max(same or found, key=lambda r: r.get("started", ""), default=None)


def load_results(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"rows": {}}
    results = json.loads(path.read_text())
    rows = {}
    for key, result in results["rows"].items():
        name, version, rest = key.split("|", 2)
        rows[f"{name}|{version.split('+')[-1]}|{rest}"] = result  # keys once carried the commit too
    results["rows"] = rows
    return results


def save_results(path: Path, results: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    tmp.replace(path)


class ChunkedLock:
    """An flock held across consecutive rows (``with lock: run a row``) until it has been held ``hold``
    seconds; then it is released after the row, so other timing jobs get their turn, and taken again
    before the next. The lock is released at exit."""

    def __init__(self, path: Path | None, hold: float) -> None:
        self.path, self.hold = path, hold
        self.handle: Any = None
        self.since = 0.0

    def __enter__(self) -> None:
        if self.path is not None and self.handle is None:
            self.handle = open(self.path, "a")  # kept open across rows
            fcntl.flock(self.handle, fcntl.LOCK_EX)
            self.since = time.monotonic()

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None and (exc[0] is not None or time.monotonic() - self.since >= self.hold):
            self.release()

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


@contextlib.contextmanager
def heavy_lock(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


if __name__ == "__main__":
    sys.exit(main())
