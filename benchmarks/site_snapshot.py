"""Every transform's sites and verdicts over bench_analyze's files, as JSON, to show that a change
meant only to make the analysis faster gives the same answers.

Each file is analysed as ``bench_analyze`` does (one index, every transform in registry order) and
every site is written whole: id, applicable or not, reasons (or notes), features, assumptions and
position. ``--compare`` diffs the run against an earlier snapshot and exits 1 on any difference.

    .venv/bin/python benchmarks/site_snapshot.py --out /tmp/before.json
    .venv/bin/python benchmarks/site_snapshot.py --out /tmp/after.json --compare /tmp/before.json
    .venv/bin/python benchmarks/site_snapshot.py --more 200 ...   # also 200 files spread over the whole stdlib
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import sysconfig
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analyze import files as bench_files
from sweep_stdlib import _limited, stdlib_files

from evolver import transforms
from evolver.errors import EvolverError
from evolver.model import to_json


def snapshot(job: tuple[str, str]) -> tuple[str, list[dict[str, Any]] | str]:
    """The sites of every transform in one file (or why the file was skipped), keyed by the file's
    path under the stdlib or the benchmarks folder (so two checkouts compare)."""
    from evolver.analysis.index import ModuleIndex

    path, module = job
    key = path.removeprefix(sysconfig.get_paths()["stdlib"]).removeprefix(str(Path(__file__).resolve().parent))
    try:
        source = Path(path).read_text(encoding="utf-8")
        compile(source, path, "exec")
        index = ModuleIndex.of(source, module)
    except (UnicodeDecodeError, SyntaxError, ValueError, EvolverError) as exc:
        return key, f"skipped: {type(exc).__name__}"
    ctx = transforms.Context(module=module)
    found = []
    for transform in transforms.all_transforms():
        found.extend(to_json(site) for site in transform.sites(index, ctx))
    return key, found


def jobs(more: int) -> list[tuple[str, str]]:
    chosen = [(str(path), path.stem) for _origin, path in bench_files(None)]
    if more:
        seen = {path for path, _ in chosen}
        spread = _limited(stdlib_files(Path(sysconfig.get_paths()["stdlib"])), more)
        chosen += [(str(p), m) for p, m in spread if str(p) not in seen]
    return chosen


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    found = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        if not isinstance(old, list) or not isinstance(new, list):
            found.append(f"{path}: {str(old)[:80]} -> {str(new)[:80]}")
            continue
        olds = {s["transform"] + "@" + s["target"]: s for s in old}
        news = {s["transform"] + "@" + s["target"]: s for s in new}
        for site in sorted(set(olds) | set(news)):
            if olds.get(site) != news.get(site):
                found.append(f"{path}: {site}:\n  before {json.dumps(olds.get(site))}\n  after  {json.dumps(news.get(site))}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, default=None, help="an earlier snapshot to diff against")
    parser.add_argument("--more", type=int, default=0, help="also N files spread over the whole stdlib")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hash-seed", default=None, help="PYTHONHASHSEED of the workers (default: random)")
    args = parser.parse_args()
    if args.hash_seed is not None:  # the workers are spawned: they read it at start
        os.environ["PYTHONHASHSEED"] = args.hash_seed
    with multiprocessing.get_context("spawn").Pool(args.workers, maxtasksperchild=20) as pool:
        result = dict(pool.imap_unordered(snapshot, jobs(args.more), chunksize=1))
    args.out.write_text(json.dumps(result, sort_keys=True, indent=0), encoding="utf-8")
    sites = sum(len(v) for v in result.values() if isinstance(v, list))
    print(f"{len(result)} files, {sites} sites -> {args.out}")
    if args.compare is None:
        return 0
    found = differences(json.loads(args.compare.read_text(encoding="utf-8")), result)
    print("\n".join(found[:40]))
    print(f"{len(found)} differences against {args.compare}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
