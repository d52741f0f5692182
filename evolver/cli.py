"""evolver: make a Python module faster, safely, with proof from measurement.

Exit codes: 0 done, 1 ran but found nothing, 2 bad input or a refused operation (one line on
stderr; no file of yours is changed), 130 interrupted, 143 terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from evolver import __version__, report, views
from evolver.config import check_workload, find_workspace, load_settings, resolve_package, resolve_target
from evolver.errors import EvolverError
from evolver.generations import GenerationStore
from evolver.history import History
from evolver.model import Package, Settings, Target, to_json
from evolver.promote import reconcile

STATE = ".evolver"
# What `.evolver/.gitignore` holds: evolver's state (history, predictor) is private to this
# checkout; `generations/` is the user's to commit or ignore.
GITIGNORE = "# evolver's own state (history, predictor): not for version control\n*\n"


# -- the workspace: generations/ and .evolver/ --------------------------------------------------
def _db_path(workspace: Path) -> Path:
    return workspace / STATE / "evolver.db"


def _store(args: argparse.Namespace) -> GenerationStore:
    return GenerationStore(args.workspace / "generations")


@contextmanager
def _history(args: argparse.Namespace) -> Iterator[History]:
    """The workspace's history, created if needed (with ``.evolver/.gitignore``). When this
    command created it and is then refused, everything it created is removed again: a refused
    command leaves no trace in a folder that had none."""
    db = _db_path(args.workspace)
    made = [p for p in (args.workspace, db.parent, db) if not p.exists()]
    db.parent.mkdir(parents=True, exist_ok=True)
    if db.parent in made:
        (db.parent / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    history = History.open(db)
    try:
        reconcile(history)  # settle a promote/revert that a crash interrupted
        yield history
    except EvolverError:
        history.close()
        if db in made:
            _undo_creation(made, db)
        raise
    finally:
        history.close()


def _undo_creation(made: Sequence[Path], db: Path) -> None:
    with History.open(db) as history:
        if any(row["pid"] != os.getpid() for row in history.rows("sessions")):
            return  # another process wrote to it meanwhile: it stays
    if db.parent in made:
        shutil.rmtree(db.parent)  # made by this command, holding only what it wrote
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    for folder in made:
        if folder not in (db, db.parent):  # the workspace folder itself
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty: something else lives there now


def _existing_history(args: argparse.Namespace) -> History | None:
    """The history when there is one; read-only commands never create it."""
    db = _db_path(args.workspace)
    return History.open(db) if db.is_file() else None


def _emit_json(data: Any) -> None:
    """Strict JSON (NaN and infinities, which JSON has not, become null)."""
    json.dump(_finite(to_json(data)), sys.stdout, indent=2, sort_keys=True, allow_nan=False, default=str)
    sys.stdout.write("\n")


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


_SETTING_FLAGS = ("tests", "bench", "cycles", "budget_s", "sandbox", "docker_image", "min_effect", "timeout_s",
                  "max_pairs", "windows", "transient", "idempotent", "behaviour", "executor", "fault_rate")


def _target_and_settings(args: argparse.Namespace) -> tuple[Target, Settings]:
    target = resolve_target(args.path, args.root)
    overrides = {k: getattr(args, k, None) for k in _SETTING_FLAGS}
    for key in ("transient", "idempotent"):  # repeated and/or comma-separated
        given: list[str] | None = overrides[key]
        if given is not None:
            overrides[key] = [name.strip() for text in given for name in text.split(",") if name.strip()]
    settings = load_settings(target, overrides)
    check_workload(target, settings)
    return target, settings


# -- commands -----------------------------------------------------------------------------------
def _package_and_settings(args: argparse.Namespace) -> tuple[Package, Settings]:
    package = resolve_package(args.path, args.root)
    overrides = {k: getattr(args, k, None) for k in (*_SETTING_FLAGS, "modules")}
    for key in ("transient", "idempotent"):  # repeated and/or comma-separated
        given: list[str] | None = overrides[key]
        if given is not None:
            overrides[key] = [name.strip() for text in given for name in text.split(",") if name.strip()]
    settings = load_settings(package.modules[0], overrides)  # one project: the same settings for every module
    check_workload(package.modules[0], settings)
    return package, settings


def cmd_evolve(args: argparse.Namespace) -> int:
    from evolver.evolve import evolve

    if Path(args.path).expanduser().is_dir():
        from evolver.package import evolve_package

        package, settings = _package_and_settings(args)
        with _history(args) as history, report.Progress() as progress:
            found = evolve_package(package, settings, args.workspace, history, progress.notify)
        view = views.package_view(found, _store(args))
        if args.json:
            _emit_json(view)
        else:
            report.package(view, details=args.details)
        return 0 if any(run["generations"] for run in view["summary"]) else 1
    target, settings = _target_and_settings(args)
    with _history(args) as history, report.Progress(timed=args.details) as progress:
        result = evolve(target, settings, args.workspace, history, progress.notify)
    view = views.evolve_view(result, _store(args))
    if args.json:
        _emit_json(view)
    else:
        report.evolve(view, details=args.details)
    return 0 if result.generations else 1


def cmd_analyze(args: argparse.Namespace) -> int:
    from evolver.analyze import analyze

    if Path(args.path).expanduser().is_dir():
        from evolver.package import analyze_package

        if args.no_profile:
            raise EvolverError("--no-profile: a folder's modules are chosen by a profiled run; "
                               "give one module file to analyze it without one")
        package, settings = _package_and_settings(args)
        with _history(args) as history:
            found = analyze_package(package, settings, history)
        view = views.package_analysis_view(found)
        if args.json:
            _emit_json(view)
        else:
            report.package_analysis(view, details=args.details)
        return 0
    target, settings = _target_and_settings(args)
    with _history(args) as history:
        result = analyze(target, settings, history, profile_run=not args.no_profile)
    view = views.analysis_view(result)
    if args.json:
        _emit_json(view)
    else:
        report.analysis(view, details=args.details)
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    store = _store(args)
    keys = [resolve_target(args.path, args.root).key] if args.path else store.target_keys()
    view = views.lineage_view(store, keys)
    if args.json:
        _emit_json(view)
    elif args.path and not view["targets"]:
        report.say(f"no generations of {keys[0]} in {store.root} yet (run `evolver evolve {args.path}`)")
    else:
        report.lineage(view, details=args.details)
    return 0 if view["targets"] else 1


def cmd_diff(args: argparse.Namespace) -> int:
    from evolver.generations import unified_diff

    store = _store(args)
    first = store.get(args.generation)
    if args.other is not None:
        old, new = first, store.get(args.other)
        if new.id in {g.id for g in store.ancestry(old)[:-1]}:
            report.note(f"note: {old.id} descends from {new.id}, so this is what going back to {new.id} changes; "
                        f"`evolver diff {new.id} {old.id}` shows what changed since it")
    elif first.parent_id is None:
        raise EvolverError(f"{first.id} is an original (a root generation): it has no parent to diff against; "
                           f"`evolver diff {first.id} <generation>` compares it with another one")
    else:
        old, new = store.get(first.parent_id), first
    patch = unified_diff(old, new)
    if args.json:
        _emit_json(views.diff_view(old, new, patch))
    else:
        sys.stdout.write(patch)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from evolver.compare_cmd import compare_versions, render

    overrides = {k: getattr(args, k) for k in
                 ("tests", "bench", "sandbox", "timeout_s", "min_effect", "max_pairs", "windows", "instructions",
                  "behaviour")}
    result = compare_versions(args.a, args.b, workspace=args.workspace, root=args.root, overrides=overrides)
    if args.json:
        _emit_json(result)
    else:
        report.say(render(result))
    return 1 if result["verdict"] == "behaviour differs" else 0


def cmd_promote(args: argparse.Namespace) -> int:
    from evolver.promote import promote

    gen = _store(args).get(args.generation)
    with _history(args) as history, history.session("promote", settings={"generation": gen.id}) as session:
        done = promote(gen, history, session)
    if args.json:
        _emit_json(done | {"session": session})
    else:
        report.promoted(done)
    return 0


def cmd_revert(args: argparse.Namespace) -> int:
    from evolver.promote import revert

    path = Path(args.path).expanduser()
    if not path.is_file():
        raise EvolverError(f"no such file: {args.path}")
    if not _db_path(args.workspace).is_file():
        raise EvolverError(f"nothing to revert: no history in {args.workspace / STATE} "
                           "(promotions are recorded there; is --workspace right?)")
    with _history(args) as history, history.session("revert", settings={"path": str(path.resolve())}) as session:
        done = revert(path.resolve(), history, session)
    if args.json:
        _emit_json(done | {"session": session})
    else:
        report.reverted(done)
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from evolver.api import SelfImprovementLoop, StopToken, Watch
    from evolver.api.watch import describe, stop_on_signals

    target, _ = _target_and_settings(args)  # flags checked (and the workload found) before anything runs
    overrides = {k: getattr(args, k, None) for k in (*_SETTING_FLAGS, "max_cycles", "cycle_interval", "auto_deploy",
                                                     "performance_threshold")}
    for key in ("transient", "idempotent"):  # repeated and/or comma-separated
        given: list[str] | None = overrides[key]
        if given is not None:
            overrides[key] = [name.strip() for text in given for name in text.split(",") if name.strip()]
    token = StopToken()
    with report.Progress() as progress, stop_on_signals(token), SelfImprovementLoop(
            target.path, workspace_path=args.workspace, root=args.root, notify=progress.notify, **overrides) as loop:
        summary = Watch(loop, token, on_cycle=lambda r: report.say(describe(r))).run()
        if token.signal is not None:
            loop.status = "interrupted"
    if summary.cycles and summary.stopped != f"{len(summary.cycles)} cycles done":
        report.say(describe(summary.cycles[-1]))
    report.say(f"watch ended: {summary.stopped}")
    return 0 if token.signal is None else 128 + token.signal  # 130 Ctrl-C, 143 SIGTERM, as for every command


def cmd_retrain(args: argparse.Namespace) -> int:
    from evolver.predictor import retrain

    history = _existing_history(args)
    if history is None:
        raise EvolverError(f"nothing to train on: no history in {args.workspace / STATE} "
                           "(`evolver evolve <module.py>` records candidates there)")
    with history:
        summary = retrain(history, args.workspace / STATE)
    if args.json:
        _emit_json(summary)
    else:
        report.retrain(summary)
    return 0 if summary["rows"] else 1


def cmd_stats(args: argparse.Namespace) -> int:
    history = _existing_history(args)
    view: dict[str, Any] = {"command": "stats", "workspace": str(args.workspace), "history": None}
    if history is not None:
        with history:
            view |= history.stats() | {"history": str(history.path)}
    if args.json:
        _emit_json(view)
    else:
        report.stats(view)
    return 0


def cmd_transforms(args: argparse.Namespace) -> int:
    from evolver.transforms import all_transforms

    rows = [{"name": t.name, "goal": t.goal, "description": t.description, "preconditions": list(t.preconditions)}
            for t in all_transforms()]
    if args.json:
        _emit_json(rows)
    else:
        report.transforms(rows, long=args.long)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from evolver.html import write_report

    done = write_report(args.workspace, Path(args.path).expanduser(), Path(args.output).expanduser().absolute())
    if args.json:
        _emit_json(done)
    else:
        report.say(f"wrote {done.path} ({done.size / 1024:.0f} KiB; {done.targets} target(s), "
                   f"{done.generations} generation(s)); open it in a browser")
    return 0


# -- parser -------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, naming where to read more."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _sub(sub: Any, name: str, summary: str, examples: str, parents: Sequence[argparse.ArgumentParser]) -> Any:
    return sub.add_parser(name, help=summary, description=summary, parents=parents,
                          epilog="examples:\n" + examples, formatter_class=argparse.RawDescriptionHelpFormatter)


def _target_options(p: argparse.ArgumentParser, evolve: bool = False, folder: bool = False) -> None:
    if folder:
        p.add_argument("path", help="the module to work on (a .py file inside your project), or a package or "
                                    "folder of it: its modules are ranked by their share of the workload's time "
                                    "and the hot ones are worked on, one after the other")
        p.add_argument("--modules", type=int, metavar="N",
                       help="a folder: work on at most the N modules with the largest share (default 5)")
    else:
        p.add_argument("path", help="the module to work on (a .py file inside your project)")
    p.add_argument("--root", help="project root (default: walk up to pyproject.toml, setup.cfg or .git)")
    p.add_argument("--tests", help='the oracle: "pytest <args>", "doctest", or a shell command that exits 0 '
                                   "when the code is right (default: pytest, discovered)")
    p.add_argument("--bench", help="the workload to time, module:function importable from the project root "
                                   "(default: the test run)")
    p.add_argument("--transient", action="append", metavar="NAMES",
                   help="exceptions the retry transform may retry (comma-separated or repeated; "
                        "default ConnectionError,TimeoutError)")
    p.add_argument("--idempotent", action="append", metavar="NAMES",
                   help="callees you declare safe to call again, module:function or module:Class.method")
    p.add_argument("--sandbox", choices=("process", "docker"), help="where candidates run (default process)")
    p.add_argument("--docker-image", dest="docker_image",
                   help="image for --sandbox docker (default: one evolver builds to run this interpreter)")
    p.add_argument("--timeout", dest="timeout_s", type=float, metavar="SECONDS",
                   help="limit of a sandboxed run of the unchanged code (default 300); a candidate may take "
                        "10x the parent's measured workload call or test run, or this if longer")
    if evolve:
        p.add_argument("--cycles", type=int, help="at most this many generations (default 5)")
        p.add_argument("--budget", dest="budget_s", type=float, metavar="SECONDS",
                       help="stop starting candidates after this long")
        p.add_argument("--executor", metavar="WHERE",
                       help="where candidates are evaluated: local (default), or a Dask scheduler as "
                            "tcp://host:port (needs evolver[dask])")
        p.add_argument("--fault-rate", dest="fault_rate", type=float, metavar="SHARE",
                       help="share of a retried callee's distinct calls evolver makes fail when it judges a retry "
                            "(default 0.25; the first call always fails)")
        _harness_options(p)


def _harness_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--min-effect", dest="min_effect", type=float, metavar="FRACTION",
                   help="smallest speedup worth accepting (default 0.03: 3%% faster)")
    p.add_argument("--max-pairs", dest="max_pairs", type=int, metavar="N",
                   help="most A/B timing pairs per comparison (default 40; looks at 10, 20, 40)")
    p.add_argument("--windows", type=int, metavar="N",
                   help="most timing windows each side takes, by turns, per pair (default 6)")
    p.add_argument("--no-behaviour", dest="behaviour", action="store_false", default=None,
                   help="do not compare the candidate's calls with the parent's (warns)")


def _common() -> argparse.ArgumentParser:
    """Options every command takes, before or after its name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", type=Path, default=argparse.SUPPRESS,
                        help="where generations/ and .evolver/ live (default: the project around the cwd)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print the result as JSON (same figures as the text)")
    return common


def _details(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("-v", "--details", action="store_true", help=what)


def build_parser() -> argparse.ArgumentParser:
    common = [_common()]
    parser = _Parser(prog="evolver", description=__doc__, parents=common,
                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=_EXAMPLES)
    parser.add_argument("--version", action="version", version=f"evolver {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command", parser_class=_Parser)

    p = _sub(sub, "evolve", "analyze, try rewrites in a sandbox, store the winners as generations",
             "  evolver evolve mypkg/parse.py\n"
             "  evolver evolve mypkg/parse.py --bench bench:run --cycles 2\n"
             "  evolver evolve mod.py --tests doctest        # a module whose docstrings are its tests\n"
             '  evolver evolve mod.py --tests "make check"   # any command that exits 0 when all is well\n'
             "  evolver evolve src/mypkg/ --bench bench:run  # a package: its hot modules, one lineage each\n",
             common)
    _target_options(p, evolve=True, folder=True)
    _details(p, "progress lines with the seconds since the start; under each candidate: its full verdict, timing "
                "pairs, memory, prediction")
    p.set_defaults(func=cmd_evolve)

    p = _sub(sub, "analyze", "hotspots, bottlenecks, and every rewrite site: applicable, or refused and why",
             "  evolver analyze mypkg/parse.py\n"
             "  evolver analyze mypkg/parse.py --no-profile --details\n"
             "  evolver analyze src/mypkg/                   # which modules the workload spends its time in\n",
             common)
    _target_options(p, folder=True)
    p.add_argument("--no-profile", action="store_true", help="static analysis only (no workload run)")
    _details(p, "every reason of every site (default: the first, and how many more)")
    p.set_defaults(func=cmd_analyze)

    p = _sub(sub, "log", "the generations of a module (of every module, without a path)",
             "  evolver log\n  evolver log mypkg/parse.py --details\n", common)
    p.add_argument("path", nargs="?", help="the module (default: every module with generations)")
    p.add_argument("--root", help="project root of the module")
    _details(p, "list each generation's rewrites")
    p.set_defaults(func=cmd_log)

    p = _sub(sub, "diff", "what changed between two generations, as a unified diff (git's order: old, then new)",
             "  evolver diff integrator/0001                   # against its parent\n"
             "  evolver diff integrator/0000 integrator/0002   # everything since the original\n", common)
    p.add_argument("generation", help="the old side (alone: the generation, against its parent)")
    p.add_argument("other", nargs="?", help="the new side")
    p.set_defaults(func=cmd_diff)

    p = _sub(sub, "compare", "time two versions of a module against each other in the sandbox",
             "  evolver compare mypkg/parse.py parse_v2.py --bench bench:run\n"
             "  evolver compare mypkg/parse.py parse/0003 --json\n", common)
    p.add_argument("a", help="the module as it is in its project: its file, or a generation id")
    p.add_argument("b", help="another version of it: a file, or a generation id")
    p.add_argument("--root", help="project root of <a> (default: walk up to pyproject.toml, setup.cfg or .git)")
    p.add_argument("--tests", help='without --bench, time this test run: "pytest <args>" or "doctest"')
    p.add_argument("--bench", help="workload to time, module:function")
    p.add_argument("--sandbox", choices=("process", "docker"), help="where the versions run")
    p.add_argument("--timeout", dest="timeout_s", type=float, metavar="SECONDS", help="limit per sandbox run")
    _harness_options(p)
    p.add_argument("--instructions", action="store_true", default=None,
                   help="also count instructions under valgrind (recorded, not deciding)")
    p.set_defaults(func=cmd_compare)

    p = _sub(sub, "promote", "write a generation into your source file (atomic; refused if the file changed)",
             "  evolver promote integrator/0001\n", common)
    p.add_argument("generation")
    p.set_defaults(func=cmd_promote)

    p = _sub(sub, "revert", "put back the exact bytes the file had before its last promote",
             "  evolver revert targets/integrator/integrator.py\n", common)
    p.add_argument("path")
    p.set_defaults(func=cmd_revert)

    p = _sub(sub, "report", "one self-contained HTML page: lineage, plots, diffs, why candidates were rejected",
             "  evolver report targets/integrator/integrator.py -o report.html\n"
             "  evolver report targets/   # every target recorded in a folder\n", common)
    p.add_argument("path", help="a module, or a folder: every target recorded inside it")
    p.add_argument("-o", "--output", default="report.html", help="the page to write (default: report.html)")
    p.set_defaults(func=cmd_report)

    p = _sub(sub, "watch", "continuous mode: re-check the promoted version (roll it back when it went bad), "
             "evolve again, deploy with --auto-deploy",
             "  evolver watch mypkg/parse.py --interval 3600 --max-cycles 24\n"
             "  evolver watch mypkg/parse.py --auto-deploy --threshold 0.2\n", common)
    _target_options(p, evolve=True)
    p.add_argument("--max-cycles", dest="max_cycles", type=int, help="watch cycles before stopping (default 10)")
    p.add_argument("--interval", dest="cycle_interval", type=float,
                   help="seconds from the start of one cycle to the next (default 3600)")
    p.add_argument("--auto-deploy", dest="auto_deploy", action="store_true", default=None,
                   help="promote a generation whose gain passes --threshold without asking")
    p.add_argument("--threshold", dest="performance_threshold", type=float,
                   help="least time saved that --auto-deploy promotes, as a fraction (default 0.10)")
    p.set_defaults(func=cmd_watch)

    p = _sub(sub, "retrain", "rebuild the candidate ranking model from the history", "  evolver retrain\n", common)
    p.set_defaults(func=cmd_retrain)

    p = _sub(sub, "stats", "what the history holds, in words", "  evolver stats\n", common)
    p.set_defaults(func=cmd_stats)

    p = _sub(sub, "transforms", "the rewrites evolver knows, one line each",
             "  evolver transforms\n  evolver transforms --long   # with the preconditions each one proves\n",
             common)
    p.add_argument("--long", action="store_true", help="also list each transform's preconditions")
    p.set_defaults(func=cmd_transforms)
    return parser


_EXAMPLES = """\
examples:
  evolver analyze mypkg/parse.py              what could be rewritten, and what is refused and why
  evolver evolve mypkg/parse.py               try the rewrites; store the winners as generations
  evolver log                                 every module's generations and their measured speedups
  evolver diff parse/0000 parse/0001          what changed since the original
  evolver promote parse/0001                  write it into mypkg/parse.py
  evolver revert mypkg/parse.py               put the previous bytes back

`evolver <command> --help` for a command's options; every command takes --json.
"""


# -- main ---------------------------------------------------------------------------------------
class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as an exception so that every ``finally`` runs: sandboxed process groups
    are killed, scratch copies removed, the session ends "interrupted"."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the clean-up short
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, a usage error: argparse has printed it
        return int(exc.code or 0)
    args.json = getattr(args, "json", False)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
    try:
        workspace = getattr(args, "workspace", None)
        args.workspace = workspace.expanduser().resolve() if workspace is not None else find_workspace()
        return int(args.func(args))
    except EvolverError as exc:
        print(f"evolver: error: {exc}", file=sys.stderr)
        if args.json:  # a script reading stdout gets an answer it can parse
            _emit_json({"error": str(exc), "exit_code": exc.exit_code})
        return exc.exit_code
    except BrokenPipeError:  # the reader left (`evolver log | head`): nothing more to say, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Terminated:
        print("evolver: terminated (SIGTERM); sandboxes stopped, scratch copies removed, session ended",
              file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("evolver: interrupted", file=sys.stderr)
        return 130
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
