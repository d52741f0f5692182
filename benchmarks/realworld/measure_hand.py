"""Measure each row's hand rewrite (and a refuse row's naive rewrite) against the original with
``evolver compare --json`` and write the speedups, with their 95% CI, into manifest.json.

    .venv/bin/python benchmarks/realworld/measure_hand.py --lock /work/team/heavy.lock [--row NAME] [--force]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import corpus
from run import heavy_lock

EVOLVER = Path(sys.executable).with_name("evolver")


def measure(row: corpus.Row, variant: str, max_pairs: int) -> dict[str, Any]:
    with corpus.scratch(row) as root:
        done = subprocess.run([str(EVOLVER), "--workspace", str(root.parent / "ws"), "compare", str(root / row.module),
                               str(row.variant(variant)), "--root", str(root), "--bench", row.bench,
                               "--max-pairs", str(max_pairs), "--json"], cwd=root, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{row.name} {variant}: {done.stderr.strip()[-500:]}")
    found = json.loads(done.stdout)
    low, high = found["ci"]
    return {"speedup": round(1 / found["ratio"], 4), "ci": [round(1 / high, 4), round(1 / low, 4)],
            "measured": {"verdict": found["verdict"], "p": found["p_value"], "pairs": found["pairs"],
                         "same_output": found["same_output"], "load": round(os.getloadavg()[0], 2),
                         "date": time.strftime("%Y-%m-%d")}}


def store(name: str, variant: str, found: dict[str, Any]) -> None:
    """Write one measurement into the manifest as it is now (it may have been edited meanwhile)."""
    manifest = corpus.load_manifest()
    entry = next(e for e in manifest["rows"] if e["row"] == name)
    entry[variant].update(found)
    tmp = corpus.MANIFEST.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1) + "\n")
    tmp.replace(corpus.MANIFEST)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--row", action="append")
    p.add_argument("--force", action="store_true")
    p.add_argument("--max-pairs", type=int, default=20)
    p.add_argument("--lock", type=Path, help="hold this flock file during each measurement")
    args = p.parse_args()
    manifest = corpus.load_manifest()
    for entry, row in zip(manifest["rows"], corpus.rows()):
        if args.row and row.name not in args.row:
            continue
        for variant in ("hand", "naive"):
            slot = entry.get(variant)
            if not slot or not slot.get("file") or (slot.get("speedup") and not args.force):
                continue
            with heavy_lock(args.lock):
                found = measure(row, variant, args.max_pairs)
            slot.update(found)
            store(row.name, variant, found)
            low, high = slot["ci"]
            print(f"{row.name:24} {variant:5} {slot['speedup']:.3f}x (95% CI {low:.3f}-{high:.3f}) "
                  f"{slot['measured']['verdict']}, load {slot['measured']['load']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
