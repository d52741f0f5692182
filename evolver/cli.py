"""Command-line front end. Exit codes: 0 success, 1 ran but found nothing / a check failed, 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evolver import __version__, report
from evolver.config import find_workspace, load_settings, resolve_target
from evolver.errors import EvolverError
from evolver.history import History
from evolver.model import Target, to_json


def _db_path(workspace: Path) -> Path:
    return workspace / ".evolver" / "evolver.db"


def _history(args: argparse.Namespace) -> History:
    from evolver.promote import reconcile

    history = History.open(_db_path(args.workspace))
    reconcile(history)  # settle a promote/revert that a crash interrupted
    return history


def _emit_json(data: Any) -> None:
    json.dump(to_json(data), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


def _target_and_settings(args: argparse.Namespace) -> tuple[Target, Any]:
    target = resolve_target(args.path, args.root)
    overrides = {k: getattr(args, k, None) for k in
                 ("tests", "bench", "cycles", "budget_s", "sandbox", "docker_image", "min_effect", "timeout_s")}
    return target, load_settings(target, overrides)


# -- commands -----------------------------------------------------------------------------------
def cmd_evolve(args: argparse.Namespace) -> int:
    from evolver.evolve import evolve

    target, settings = _target_and_settings(args)
    with _history(args) as history, report.Progress() as progress:
        result = evolve(target, settings, args.workspace, history, progress.notify)
    report.evolve_summary(result)
    return 0 if result.generations else 1


def cmd_analyze(args: argparse.Namespace) -> int:
    from evolver.analyze import analyze

    target, settings = _target_and_settings(args)
    with _history(args) as history:
        result = analyze(target, settings, history, profile_run=not args.no_profile)
    if args.json:
        _emit_json(result)
    else:
        report.analysis(result)
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from evolver.generations import GenerationStore

    target = resolve_target(args.path, args.root)
    lineage = GenerationStore(args.workspace / "generations").lineage(target.key)
    if args.json:
        _emit_json([{"id": g.id, "parent": g.parent_id, "manifest": g.manifest} for g in lineage])
    else:
        report.lineage(target, lineage)
    return 0 if lineage else 1


def cmd_diff(args: argparse.Namespace) -> int:
    from evolver.generations import GenerationStore, unified_diff

    store = GenerationStore(args.workspace / "generations")
    new = store.get(args.generation)
    if args.other is not None:
        old, new = new, store.get(args.other)
    elif new.parent_id is None:
        raise EvolverError(f"{new.id} is a root generation: it has no parent to diff against")
    else:
        old = store.get(new.parent_id)
    sys.stdout.write(unified_diff(old, new))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from evolver.compare_cmd import compare_versions, render

    overrides = {k: getattr(args, k) for k in
                 ("tests", "bench", "sandbox", "timeout_s", "min_effect", "max_pairs", "instructions")}
    result = compare_versions(args.a, args.b, workspace=args.workspace, root=args.root, overrides=overrides)
    if args.json:
        _emit_json(result)
    else:
        sys.stdout.write(render(result) + "\n")
    return 0


def cmd_promote(args: argparse.Namespace) -> int:
    from evolver.generations import GenerationStore
    from evolver.promote import promote

    gen = GenerationStore(args.workspace / "generations").get(args.generation)
    with _history(args) as history:
        session = history.start_session("promote", settings={"generation": gen.id})
        done = promote(gen, history, session)
        history.end_session(session, "ok")
    report.say(f"promoted {gen.id} into {done['target']} (previous sha256 {done['previous_hash'][:12]}, "
               f"now {done['new_hash'][:12]}); `evolver revert {done['target']}` restores it")
    return 0


def cmd_revert(args: argparse.Namespace) -> int:
    from evolver.promote import revert

    path = Path(args.path).expanduser()
    if not path.is_file():
        raise EvolverError(f"no such file: {args.path}")
    with _history(args) as history:
        session = history.start_session("revert", settings={"path": str(path.resolve())})
        done = revert(path.resolve(), history, session)
        history.end_session(session, "ok")
    report.say(f"reverted {done['target']} to the bytes it had before {done['generation']} was promoted")
    return 0


def cmd_retrain(args: argparse.Namespace) -> int:
    from evolver.predictor import retrain

    with _history(args) as history:
        summary = retrain(history, args.workspace / ".evolver")
    if args.json:
        _emit_json(summary)
    else:
        report.retrain(summary)
    return 0 if summary["rows"] else 1


def cmd_stats(args: argparse.Namespace) -> int:
    with _history(args) as history:
        stats = history.stats()
    if args.json:
        _emit_json(stats)
    else:
        report.stats(stats)
    return 0


def cmd_transforms(args: argparse.Namespace) -> int:
    from evolver.transforms import all_transforms

    rows = [{"name": t.name, "description": t.description, "preconditions": list(t.preconditions)}
            for t in all_transforms()]
    if args.json:
        _emit_json(rows)
    else:
        report.transforms(rows)
    return 0


# -- parser -------------------------------------------------------------------------------------
def _target_options(p: argparse.ArgumentParser, evolve: bool = False) -> None:
    p.add_argument("path", help="the module to work on (a .py file)")
    p.add_argument("--root", help="project root (default: walk up to pyproject.toml, setup.cfg or .git)")
    p.add_argument("--tests", help='oracle: "pytest <args>", "doctest" or a shell command')
    p.add_argument("--bench", help="workload to benchmark, module:function")
    p.add_argument("--sandbox", choices=("process", "docker"), help="where candidates run")
    p.add_argument("--docker-image", dest="docker_image",
                   help="image for --sandbox docker (default: one evolver builds to run this interpreter)")
    p.add_argument("--timeout", dest="timeout_s", type=float, help="wall-clock limit per sandbox run, seconds")
    if evolve:
        p.add_argument("--cycles", type=int, help="at most this many generations (default 5)")
        p.add_argument("--budget", dest="budget_s", type=float, help="stop starting candidates after this many seconds")
        p.add_argument("--min-effect", dest="min_effect", type=float,
                       help="smallest speedup worth accepting, as a fraction (default 0.03)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evolver", description=__doc__)
    parser.add_argument("--version", action="version", version=f"evolver {__version__}")
    parser.add_argument("--workspace", type=Path, default=None,
                        help="where generations/ and .evolver/ live (default: the project around the cwd)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")

    p = sub.add_parser("evolve", help="analyze, try rewrites, write generations")
    _target_options(p, evolve=True)
    p.set_defaults(func=cmd_evolve)

    p = sub.add_parser("analyze", help="hotspots, bottlenecks, rewrites possible and refused")
    _target_options(p)
    p.add_argument("--no-profile", action="store_true", help="static analysis only (no workload run)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("log", help="the lineage of a target's generations")
    p.add_argument("path")
    p.add_argument("--root")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("diff", help="unified diff of a generation (default: against its parent)")
    p.add_argument("generation")
    p.add_argument("other", nargs="?")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("compare", help="benchmark two versions of a module against each other")
    p.add_argument("a", help="the module as it is in its project: its file, or a generation id")
    p.add_argument("b", help="another version of it: a file, or a generation id")
    p.add_argument("--root", help="project root of <a> (default: walk up to pyproject.toml, setup.cfg or .git)")
    p.add_argument("--tests", help='without --bench, time this test run: "pytest <args>" or "doctest"')
    p.add_argument("--bench", help="workload to benchmark, module:function")
    p.add_argument("--sandbox", choices=("process", "docker"), help="where the versions run")
    p.add_argument("--timeout", dest="timeout_s", type=float, help="wall-clock limit per sandbox run, seconds")
    p.add_argument("--min-effect", dest="min_effect", type=float, help="smallest speedup that counts (default 0.03)")
    p.add_argument("--max-pairs", dest="max_pairs", type=int, help="most A/B pairs to run (default 40)")
    p.add_argument("--instructions", action="store_true", default=None,
                   help="also count instructions under valgrind (recorded, not deciding)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("promote", help="write a generation into the real source file")
    p.add_argument("generation")
    p.set_defaults(func=cmd_promote)

    p = sub.add_parser("revert", help="restore the bytes the file had before the last promote")
    p.add_argument("path")
    p.set_defaults(func=cmd_revert)

    p = sub.add_parser("retrain", help="rebuild the transform predictor from the history")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_retrain)

    p = sub.add_parser("stats", help="counts, success rate, applied and rolled back")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("transforms", help="the transform library")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_transforms)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.workspace = (args.workspace.resolve() if args.workspace is not None else find_workspace())
        return args.func(args)
    except EvolverError as exc:
        print(f"evolver: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("evolver: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
