"""Record real evaluations for the predictor corpus: one evolve cycle per target, every sampled
candidate evaluated, exported to ``benchmarks/corpus/recorded.json``.

    nohup .venv/bin/python benchmarks/corpus/record.py [--work /tmp/evolver-corpus] \\
        [--variants 24] [--seed 6] [--max-candidates 5] [--budget-min 60] > record.log 2>&1 &

Targets: copies of the sample targets (``targets/*``) and generated variants (``generate.py``),
all under ``--work``, so the repository is never modified. Each target runs the real pipeline
(``evolver.evolve.Evolution``: baseline tests, profile, propose, rank, the Amdahl cut-off, then
oracle + output check + harness for each candidate) into one history,
``--work/workspace/.evolver/evolver.db``, with two changes for recording:

- at most ``--max-candidates`` of the candidates that pass the Amdahl cut-off are evaluated, a
  seeded random sample (not the ranking's first ones, which would favour the ranking measured
  later); the sizes before and after are exported;
- approved candidates are not composed into a generation (that costs two more comparisons and
  adds no per-candidate row).

Resumable: a target whose evolve session ended "ok" is skipped. Starts no new target after
``--budget-min`` minutes. The export is rewritten after every target.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evolver import predictor
from evolver.config import load_settings, resolve_target
from evolver.evolve import Evolution
from evolver.history import History
from evolver.model import Settings, Target
from evolver.rank import Candidate

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

REPO = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "recorded.json"
FORMAT = "evolver-corpus/1"
# Fewer pairs and windows than the defaults (40, 6): the sample workloads take 0.1-0.6 s each,
# and the whole recording has to fit in about an hour of a shared 2-vCPU machine.
HARNESS = {"max_pairs": 20, "windows": 3}


class RecordingEvolution(Evolution):
    """The evolve pipeline, evaluating a seeded sample of at most ``cap`` worthwhile candidates
    and never composing them."""

    def __init__(self, target: Target, settings: Settings, workspace: Path, history: History,
                 cap: int, seed: int) -> None:
        super().__init__(target, settings, workspace, history, notify=self.say)
        self.cap, self.seed = cap, seed
        self.eligible: list[str] = []
        self.chosen: frozenset[str] = frozenset()
        self.started = time.monotonic()

    def say(self, event: str, **data: Any) -> None:
        clock = f"{time.monotonic() - self.started:6.0f}s"
        if event == "candidate":
            print(f"  {clock} try {data['site']}", flush=True)
        elif event == "outcome":
            print(f"  {clock}   {data['status']}: {data['reason'][:110]}", flush=True)
        elif event == "stage":
            print(f"  {clock} {data['text']}", flush=True)

    def choose(self, worthwhile: Sequence[Candidate]) -> list[Candidate]:
        self.eligible = sorted(c.site.id for c in worthwhile)
        rng = random.Random(f"{self.seed}:{self.target.module}")
        self.chosen = frozenset(rng.sample(self.eligible, min(self.cap, len(self.eligible))))
        print(f"  {len(self.eligible)} past the screening, {len(self.chosen)} sampled", flush=True)
        return [c for c in worthwhile if c.site.id in self.chosen]

    def _compose(self, *args: Any, **kwargs: Any) -> None:
        return None


# -- targets ---------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Entry:
    name: str  # the module's import name, unique in the corpus
    kind: str  # "sample" or "generated"
    module_path: Path
    variant: dict[str, Any] | None


def prepare(work: Path, variants: int, seed: int) -> list[Entry]:
    """Copy the sample targets and write the generated variants under ``work/targets`` (once)."""
    entries = []
    for folder in sorted(p for p in (REPO / "targets").iterdir() if (p / "pyproject.toml").exists()):
        dest = work / "targets" / "samples" / folder.name
        if not dest.exists():
            shutil.copytree(folder, dest, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache",
                                                                        "generations", ".evolver"))
        entries.append(Entry(folder.name, "sample", dest / f"{folder.name}.py", None))
    out = work / "targets" / "generated"
    for index in range(variants):
        v = generate.variant(seed, index)
        if not (out / v.name).exists():
            generate.write(v, out, seed)
        entries.append(Entry(v.name, "generated", out / v.name / f"{v.name}.py", v.meta()))
    return entries


def interleaved(entries: Sequence[Entry]) -> list[Entry]:
    """Samples spread among the variants, so that a recording cut short still has both kinds."""
    samples = [e for e in entries if e.kind == "sample"]
    others = [e for e in entries if e.kind != "sample"]
    step = max(1, round(len(others) / max(1, len(samples))))
    out: list[Entry] = []
    for i, sample in enumerate(samples):
        out += [sample, *others[i * step:(i + 1) * step]]
    return out + others[len(samples) * step:]


def recorded_sessions(history: History) -> dict[str, str]:
    """module -> the newest evolve session that ended ok."""
    return {s["module"]: s["id"] for s in history.rows("sessions") if s["command"] == "evolve" and s["status"] == "ok"}


def record_one(entry: Entry, work: Path, history: History, cap: int, seed: int) -> dict[str, Any]:
    target = resolve_target(entry.module_path)
    settings = load_settings(target, {"cycles": 1, **HARNESS})
    load_before, start, code = os.getloadavg()[0], time.monotonic(), git_state()
    evolution = RecordingEvolution(target, settings, work / "workspace", history, cap, seed)
    result = evolution.run()
    return {"name": entry.name, "kind": entry.kind, "variant": entry.variant, "session": result.session_id,
            "eligible": len(evolution.eligible), "sampled": len(evolution.chosen),
            "evaluated": len(result.outcomes), "seconds": round(time.monotonic() - start, 1),
            "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)], "evolver": code}


# -- export ----------------------------------------------------------------------------------

def _json(text: Any) -> Any:
    try:
        return json.loads(text or "null")
    except ValueError:
        return None


def _seconds(row: dict[str, Any]) -> float | None:
    try:
        return round((datetime.fromisoformat(row["updated_at"]) - datetime.fromisoformat(row["created_at"]))
                     .total_seconds(), 1)
    except (TypeError, ValueError):
        return None


def export_rows(history: History, sessions: dict[str, str], kinds: dict[str, str]) -> list[dict[str, Any]]:
    """The decided candidates of each target's recorded session, with their outcome."""
    oracle = {t["improvement_id"]: bool(t["passed"]) for t in history.rows("test_results") if t["improvement_id"]}
    wanted = {sid: module for module, sid in sessions.items()}
    rows = []
    for r in history.rows("improvements"):
        if r["session_id"] not in wanted or r["status"] not in predictor.DECIDED:
            continue
        ratio = r["ratio"]
        measurement = _json(r["measurement_json"]) or {}
        rows.append({
            "target": wanted[r["session_id"]], "kind": kinds.get(wanted[r["session_id"]], ""),
            "site_id": r["site_id"], "transform": r["transform"], "status": r["status"],
            "features": _json(r["features_json"]) or {}, "oracle_passed": oracle.get(r["id"]),
            "verdict": measurement.get("verdict"), "ratio": ratio,
            "gain": -math.log(ratio) if isinstance(ratio, (int, float)) and ratio > 0 else None,
            "p_value": r["p_value"], "ci": [r["ci_low"], r["ci_high"]], "pairs": measurement.get("pairs"),
            "reason": (r["reason"] or "")[:240], "seconds": _seconds(r),
        })
    return rows


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
    return {"commit": git("rev-parse", "HEAD"), "dirty_evolver": bool(git("status", "--porcelain", "evolver"))}


def export(history: History, targets: dict[str, dict[str, Any]], settings: dict[str, Any]) -> dict[str, Any]:
    sessions = recorded_sessions(history)
    done = {name: t for name, t in targets.items() if sessions.get(name) == t.get("session")}
    codes = [t["evolver"] for t in done.values() if "evolver" in t]
    loads = [x for t in done.values() for x in t["load_1min"]]
    data = {
        "format": FORMAT, "feature_version": predictor.FEATURE_VERSION,
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "evolver": {"commits": sorted({c["commit"] for c in codes}),
                    "dirty_evolver": any(c["dirty_evolver"] for c in codes)},
        "python": sys.version.split()[0],
        "machine": {"cpus": os.cpu_count(), "load_1min_mean": round(sum(loads) / len(loads), 2) if loads else None,
                    "load_1min_max": max(loads, default=None)},
        "settings": settings, "seconds": round(sum(t["seconds"] for t in done.values()), 1),
        "targets": list(done.values()),
        "rows": export_rows(history, {n: sessions[n] for n in done}, {n: t["kind"] for n, t in done.items()}),
    }
    tmp = OUT.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True, allow_nan=False) + "\n", encoding="utf-8")
    tmp.replace(OUT)
    return data


# -- main ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/evolver-corpus"))
    parser.add_argument("--variants", type=int, default=generate.DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--max-candidates", type=int, default=5)
    parser.add_argument("--budget-min", type=float, default=60.0)
    parser.add_argument("--only", nargs="*", default=None, help="record only these targets")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    entries = [e for e in interleaved(prepare(work, args.variants, args.seed))
               if args.only is None or e.name in args.only]
    meta_path = work / "targets.json"
    targets: dict[str, dict[str, Any]] = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    settings = {"variants": args.variants, "seed": args.seed, "max_candidates": args.max_candidates,
                "cycles": 1, "composition": False, **HARNESS}
    deadline = time.monotonic() + 60 * args.budget_min
    print(f"recording {len(entries)} targets into {work}: per target one evolve cycle, at most "
          f"{args.max_candidates} candidates (a seeded random sample of those past the Amdahl cut-off), "
          f"harness {HARNESS}, no composition; no new target after {args.budget_min:g} min", flush=True)
    with History.open(work / "workspace" / ".evolver" / "evolver.db") as history:
        for n, entry in enumerate(entries, start=1):
            if entry.name in recorded_sessions(history) and entry.name in targets:
                print(f"[{n}/{len(entries)}] {entry.name}: recorded already", flush=True)
                continue
            if time.monotonic() > deadline:
                print(f"[{n}/{len(entries)}] budget of {args.budget_min:g} min used up: stopping", flush=True)
                break
            print(f"[{n}/{len(entries)}] {entry.name} ({entry.kind}), load {os.getloadavg()[0]:.2f}", flush=True)
            try:
                targets[entry.name] = record_one(entry, work, history, args.max_candidates, args.seed)
            except Exception as exc:
                print(f"  not recorded: {type(exc).__name__}: {exc}", flush=True)
                continue
            meta_path.write_text(json.dumps(targets, indent=1), encoding="utf-8")
            data = export(history, targets, settings)
            t = targets[entry.name]
            print(f"  done in {t['seconds']:.0f} s: {t['evaluated']} evaluated of {t['eligible']} eligible; "
                  f"corpus {len(data['targets'])} targets, {len(data['rows'])} rows", flush=True)
        export(history, targets, settings)


if __name__ == "__main__":
    main()
