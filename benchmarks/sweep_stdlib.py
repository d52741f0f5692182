"""Robustness sweep: every registered transform over every module of the standard library.

A first pass proposes every site of every transform (``all_transforms()``, so new ones are picked
up) in every module. A second pass applies a sample of the applicable sites, one at a time, to the
original module and checks each output: it compiles, applying the same site again changes nothing,
it is lossless (outside the edited function only whole new statements - imports, fresh helper
names - are added, or an import gains names), and the site is proposed again identically. It
prints files, sites found / applicable, refusals by normalised reason, crashes (exceptions inside
propose/apply), the check failures (all must be 0) and the CPU time per 1,000 lines.

    .venv/bin/python benchmarks/sweep_stdlib.py                      # the whole stdlib
    .venv/bin/python benchmarks/sweep_stdlib.py --limit 100 --transform memoize
    .venv/bin/python benchmarks/sweep_stdlib.py --root some/project/src --checks 0

Files that do not compile or that libcst cannot parse (Python 2 test data, bad-syntax fixtures)
count as "unparseable", not as crashes. ``--checks K`` applies K sites per transform (default 40,
spread over as many modules as possible, smaller modules first; 0: every applicable site): a check
rewrites the whole tree and analyses the output again, about 2 s of CPU per 1,000 lines of the
module, so checking everything takes hours where the analysis alone takes minutes.
"""

from __future__ import annotations

import argparse
import ast
import collections
import difflib
import json
import multiprocessing
import re
import signal
import sys
import sysconfig
import time
import tokenize
import traceback
import warnings
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import libcst as cst

import evolver
from evolver import transforms
from evolver.analysis.index import ModuleIndex
from evolver.errors import EvolverError
from evolver.model import Site, to_json
from evolver.transforms import Context, Transform, TransformError

CHECKS = ("crash", "compile", "idempotent", "lossless", "duplicate-id", "unstable", "no-op", "timeout")
MUST_BE_ZERO = ("crash", "compile", "idempotent", "lossless", "duplicate-id", "unstable")
LARGE = 1500  # lines: the checks prefer sites in smaller modules (a check costs ~2 s per 1,000 lines)


@dataclass(frozen=True)
class Job:
    path: str
    module: str
    names: tuple[str, ...]  # transforms to run; empty: all
    timeout_s: int
    check: tuple[str, ...] | None = None  # second pass: the site ids to apply and check


@dataclass(frozen=True)
class Problem:
    kind: str  # one of CHECKS
    file: str
    site: str
    detail: str


@dataclass
class FileResult:
    file: str
    lines: int = 0
    status: str = "ok"  # "ok", "unparseable", "timeout"
    analysis_s: float = 0.0
    apply_s: float = 0.0
    transform_s: dict[str, float] = field(default_factory=dict)
    found: collections.Counter[str] = field(default_factory=collections.Counter)
    applicable: collections.Counter[str] = field(default_factory=collections.Counter)
    checked: collections.Counter[str] = field(default_factory=collections.Counter)
    refusals: collections.Counter[str] = field(default_factory=collections.Counter)
    problems: list[Problem] = field(default_factory=list)
    applicable_ids: dict[str, list[str]] = field(default_factory=dict)  # for planning the checks


class Deadline(BaseException):
    """A file took longer than its time limit (a BaseException: ``except Exception`` lets it pass)."""


# --- one file ---------------------------------------------------------------------------------


def sweep_file(job: Job) -> FileResult:
    result = FileResult(file=job.path)
    warnings.simplefilter("ignore")
    source = _readable_source(Path(job.path))
    if source is None:
        result.status = "unparseable"
        return result
    result.lines = len(source.splitlines())
    signal.signal(signal.SIGALRM, _raise_deadline)
    signal.alarm(job.timeout_s)
    try:
        _sweep_source(job, source, result)
    except Deadline:
        result.status = "timeout"
        result.problems.append(Problem("timeout", job.path, "", f"over {job.timeout_s} s"))
    finally:
        signal.alarm(0)
    return result


def _raise_deadline(signum: int, frame: FrameType | None) -> None:
    raise Deadline


def _readable_source(path: Path) -> str | None:
    """The decoded source if CPython itself compiles it, else None."""
    try:
        with tokenize.open(path) as fh:
            source = fh.read()
        compile(source, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        return None
    return source


def _sweep_source(job: Job, source: str, result: FileResult) -> None:
    ctx = Context(module=job.module)
    start = time.process_time()
    index = _index(job, source, result)
    if index is None:
        return
    result.analysis_s = time.process_time() - start
    located = Located.of(source, index) if job.check is not None else None
    for transform in transforms.all_transforms():
        if job.names and transform.name not in job.names:
            continue
        wanted = [i for i in job.check or () if i.startswith(f"{transform.name}@")]
        if job.check is not None and not wanted:
            continue
        start = time.process_time()
        try:
            sites = transform.sites(transforms.index_for(transform, source, ctx), ctx)  # type: ignore[arg-type]
        except Exception as exc:
            result.problems.append(_crash(job.path, f"{transform.name} (sites)", exc))
            continue
        finally:
            result.transform_s[transform.name] = time.process_time() - start
            result.analysis_s += result.transform_s[transform.name]
        if located is None:
            _count_sites(job.path, transform, sites, result)
        else:
            start = time.process_time()
            _check_sites(job.path, transform, index, sites, wanted, ctx, located, result)
            result.apply_s += time.process_time() - start


def _check_sites(path: str, transform: Transform, index: ModuleIndex, sites: Sequence[Site],
                 wanted: Sequence[str], ctx: Context, located: Located, result: FileResult) -> None:
    by_id = {s.id: s for s in sites}
    for site_id in wanted:
        site = by_id.get(site_id)
        if site is None or site.verdict != "applicable":
            result.problems.append(Problem("unstable", path, site_id, "applicable in the first pass, "
                                           f"{'missing' if site is None else 'refused'} in the second"))
            continue
        result.checked[transform.name] += 1
        result.problems.extend(check_site(path, transform, index, site, ctx, located))


def _index(job: Job, source: str, result: FileResult) -> ModuleIndex | None:
    try:
        return ModuleIndex.of(source, job.module)
    except EvolverError:
        result.status = "unparseable"
    except RecursionError as exc:
        if _libcst_parses(source):
            result.problems.append(_crash(job.path, "(index)", exc))
        else:
            result.status = "unparseable"
    except Exception as exc:
        result.problems.append(_crash(job.path, "(index)", exc))
    return None


def _libcst_parses(source: str) -> bool:
    try:
        cst.parse_module(source)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return False
    return True


def _count_sites(path: str, transform: Transform, sites: Sequence[Site], result: FileResult) -> None:
    result.found[transform.name] += len(sites)
    templates = Templates.shared()
    seen: set[str] = set()
    for site in sites:
        if site.id in seen:
            result.problems.append(Problem("duplicate-id", path, site.id, "two sites share this id"))
        seen.add(site.id)
        if site.verdict == "applicable":
            result.applicable[transform.name] += 1
            result.applicable_ids.setdefault(transform.name, []).append(site.id)
        else:
            for reason in site.reasons or ("(no reason given)",):
                result.refusals[f"{transform.name}: {templates.normalise(reason)}"] += 1


def _crash(path: str, site: str, exc: BaseException) -> Problem:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
    return Problem("crash", path, site, f"{type(exc).__name__}: {_one_line(str(exc))}{at}")


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- the checks on one applied site -----------------------------------------------------------


def check_site(path: str, transform: Transform, index: ModuleIndex, site: Site, ctx: Context,
               located: Located) -> list[Problem]:
    """Rewrite one site of the original module; the problems of the output (none when sound).

    ``transform.rewrite`` is what ``transforms.apply`` ends with once it has found the site again
    (by the same ``sites`` call the sweep just made): calling it directly halves the cost."""
    source = index.source
    try:
        rewritten = transform.rewrite(transforms.index_for(transform, source, ctx), site, ctx)  # type: ignore[arg-type]
        output = rewritten if isinstance(rewritten, str) else rewritten.code
    except TransformError as exc:
        if not _libcst_parses(source):  # the ast engine found the site; libcst cannot write the module
            return [Problem("no-op", path, site.id, f"not rewritten: {_one_line(str(exc))}")]
        return [_crash(path, site.id, exc)]
    except Exception as exc:
        return [_crash(path, site.id, exc)]
    if output == source:
        return [Problem("no-op", path, site.id, "applicable, but the output equals the input")]
    try:
        compile(output, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return [Problem("compile", path, site.id, f"{type(exc).__name__}: {_one_line(str(exc))}")]
    problems = []
    idempotence = _idempotence(path, output, site, ctx)
    if idempotence is not None:
        problems.append(idempotence)
    loss = located.lossless(site, output)
    if loss is not None:
        problems.append(Problem("lossless", path, site.id, loss))
    return problems


def _idempotence(path: str, output: str, site: Site, ctx: Context) -> Problem | None:
    try:
        again = transforms.apply(output, site.id, ctx)
    except TransformError:
        return None
    except Exception as exc:
        return _crash(path, f"{site.id} (applied again)", exc)
    if again == output:
        return None
    return Problem("idempotent", path, site.id, "applying the site to its own output changed it again")


@dataclass(frozen=True)
class Located:
    """Where each function of the original module is (decorators included), and its names."""

    lines: tuple[str, ...]
    spans: dict[str, tuple[int, int]]  # qualname -> (first line, last line), 1-based inclusive
    names: frozenset[str]  # every identifier the original module uses

    @classmethod
    def of(cls, source: str, index: ModuleIndex) -> Located:
        tree = ast.parse(source)
        starts = {node.lineno: min([node.lineno] + [d.lineno for d in node.decorator_list])
                  for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
        spans = {}
        for fn in index.functions:
            first, last = index.lines(fn)
            spans[fn.qualname] = (starts.get(first, first), last)
        return cls(tuple(source.splitlines(keepends=True)), spans, frozenset(_identifiers(tree)))

    def lossless(self, site: Site, output: str) -> str | None:
        """Why ``output`` is not the original with only the site's function edited, or None."""
        qualname = site.target.split(":", 1)[1].split("#", 1)[0]
        if qualname not in self.spans:
            return f"cannot locate function {qualname!r} of the site"
        first, last = self.spans[qualname]
        new = output.splitlines(keepends=True)
        matcher = difflib.SequenceMatcher(None, self.lines, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or (first - 1 <= i1 and i2 <= last):
                continue
            old_text, new_text = "".join(self.lines[i1:i2]), "".join(new[j1:j2])
            if tag == "insert" and self._new_statements(new_text):
                continue
            if tag == "insert" and first - 1 <= i1 <= self._blank_after(last) \
                    and self._new_statements(new_text, own=qualname):
                continue  # the edit's own new statements, right after the function (memoize's guarded copy)
            if tag == "replace" and _import_superset(old_text, new_text):
                continue
            where = f"line {i1 + 1}" if i2 <= i1 + 1 else f"lines {i1 + 1}-{i2}"
            return _one_line(f"{tag} at {where}, outside {qualname} (lines {first}-{last}): "
                             f"{old_text[:60]!r} -> {new_text[:60]!r}")
        return None

    def _new_statements(self, text: str, own: str = "") -> bool:
        """Whether ``text`` is whole top-level statements that only import or bind fresh names (or
        ``own``: the edited function's name, which the edit may define anew next to it)."""
        try:
            added = ast.parse(text)
        except SyntaxError:
            return False
        return all(_adds_only(node, self.names - {own}) for node in added.body)

    def _blank_after(self, last: int) -> int:
        """The index of the first line after line ``last`` (1-based) that is not blank."""
        while last < len(self.lines) and not self.lines[last].strip():
            last += 1
        return last


def _adds_only(node: ast.stmt, taken: frozenset[str]) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name not in taken
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return all(isinstance(t, ast.Name) and t.id not in taken for t in targets)
    return False


def _import_superset(old: str, new: str) -> bool:
    """Whether both are import statements and ``new`` keeps every name ``old`` imported."""
    try:
        before, after = ast.parse(old).body, ast.parse(new).body
    except SyntaxError:
        return False
    if not before or not all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in before + after):
        return False
    return _imported(before) <= _imported(after)


def _imported(nodes: list[ast.stmt]) -> set[tuple[str, str, str | None]]:
    found = set()
    for node in nodes:
        module = "." * getattr(node, "level", 0) + (getattr(node, "module", None) or "")
        for alias in node.names:  # type: ignore[attr-defined]
            found.add((module, alias.name, alias.asname))
    return found


def _identifiers(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.arg):
            yield node.arg
        elif isinstance(node, ast.alias):
            yield (node.asname or node.name).split(".")[0]
        elif isinstance(node, ast.Attribute):
            yield node.attr


# --- refusal reasons, with the names taken out -------------------------------------------------


class Templates:
    """The f-strings of the evolver package, as patterns: a reason is shown as the f-string that
    produced it, with ``{}`` where a name (or a nested reason) was filled in. A field that is a
    choice between constants (``{'pure' if p else 'independent'}``) keeps the chosen text."""

    _shared: Templates | None = None

    def __init__(self, package: Path) -> None:
        found: dict[str, Template] = {}
        for path in sorted(package.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.JoinedStr):
                    template = Template.of(node)
                    if len(template.literal.strip()) >= 5 and len(template.parts) > 1:
                        found.setdefault(template.pattern.pattern, template)
        # the most literal text first: the most specific template wins
        self.templates = sorted(found.values(), key=lambda t: -len(t.literal))
        self.memo: dict[str, str] = {}

    @classmethod
    def shared(cls) -> Templates:
        if cls._shared is None:
            cls._shared = cls(Path(evolver.__file__).parent)
        return cls._shared

    def normalise(self, reason: str) -> str:
        if reason not in self.memo:
            shown = (t.show(reason) for t in self.templates)
            self.memo[reason] = next((s for s in shown if s is not None), None) or _strip_names(reason)
        return self.memo[reason]


Part = str | tuple[str, ...] | None  # literal text, a choice between constants, or any text


@dataclass(frozen=True)
class Template:
    parts: tuple[Part, ...]
    pattern: re.Pattern[str]

    @property
    def literal(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))

    @classmethod
    def of(cls, node: ast.JoinedStr) -> Template:
        parts: list[Part] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            elif isinstance(value, ast.FormattedValue) and _choices(value.value):
                parts.append(_choices(value.value))
            elif not parts or parts[-1] is not None:
                parts.append(None)
        return cls(tuple(parts), re.compile("".join(map(_regex, parts)), re.DOTALL))

    def show(self, reason: str) -> str | None:
        match = self.pattern.fullmatch(reason)
        if match is None:
            return None
        groups = iter(match.groups())
        shown = []
        for part in self.parts:
            if isinstance(part, str):
                shown.append(part)
            else:
                chosen = next(groups)
                shown.append(chosen if part else "{}")
        return "".join(shown)


def _regex(part: Part) -> str:
    if isinstance(part, str):
        return re.escape(part)
    return "(" + "|".join(map(re.escape, part)) + ")" if part else "(.+?)"


def _choices(expr: ast.expr) -> tuple[str, ...]:
    """The constant strings ``a if c else b`` (nested) can produce; () when not only constants."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return (expr.value,)
    if isinstance(expr, ast.IfExp):
        body, orelse = _choices(expr.body), _choices(expr.orelse)
        return body + orelse if body and orelse else ()
    return ()


def _strip_names(reason: str) -> str:
    """A reason no template matched: backticked, dotted, snake_case and CamelCase names go."""
    reason = re.sub(r"`[^`]*`", "`{}`", reason)
    reason = re.sub(r"[\w.\[\]]*[.\d\[\]][\w.\[\]]*|\w*_\w*", "{}", reason)
    return re.sub(r"\b[A-Z][a-z0-9]*[A-Z]\w*", "{}", reason)


# --- the whole run ----------------------------------------------------------------------------


def stdlib_files(root: Path) -> list[tuple[Path, str]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "site-packages" in rel.parts or "dist-packages" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        found.append((path, ".".join(parts)))
    return found


def _limited(files: list[tuple[Path, str]], limit: int) -> list[tuple[Path, str]]:
    """``limit`` files spread evenly over the sorted list (so a small run sees every corner)."""
    if limit <= 0 or limit >= len(files):
        return files
    step = len(files) / limit
    return [files[int(i * step)] for i in range(limit)]


def run(args: argparse.Namespace) -> tuple[list[FileResult], list[FileResult]]:
    """The analysis of every file, then the checks of the planned sites (both in parallel)."""
    files = _limited(stdlib_files(args.root), args.limit)
    names = tuple(args.transform)
    jobs = [Job(str(p), m, names, args.file_timeout) for p, m in files]
    analysed = _parallel(jobs, args.workers, "analysed")
    plan = plan_checks(analysed, args.checks)
    modules = {str(p): m for p, m in files}
    checks = [Job(path, modules[path], names, args.file_timeout, tuple(ids)) for path, ids in plan.items()]
    return analysed, _parallel(checks, args.workers, "checked")


def _parallel(jobs: list[Job], workers: int, verb: str) -> list[FileResult]:
    jobs = sorted(jobs, key=lambda j: -Path(j.path).stat().st_size)  # biggest first: the workers finish together
    results: list[FileResult] = []
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=40) as pool:
        for done, result in enumerate(pool.imap_unordered(sweep_file, jobs), 1):
            results.append(result)
            if done % 100 == 0 or done == len(jobs):
                print(f"  {done}/{len(jobs)} files {verb}", file=sys.stderr, flush=True)
    return results


def plan_checks(results: list[FileResult], per_transform: int) -> dict[str, list[str]]:
    """Which applicable sites to apply and check, by file: all of them when ``per_transform`` is 0,
    else that many per transform, spread over as many files as possible, modules of up to
    ``LARGE`` lines first, in an order fixed by the site ids' checksums (so runs are repeatable)."""
    candidates: dict[str, list[tuple[tuple[int, int, int], str, str]]] = collections.defaultdict(list)
    for result in results:
        for name, ids in result.applicable_ids.items():
            ranked = sorted(ids, key=lambda i: zlib.crc32(i.encode()))
            for rank, site_id in enumerate(ranked):
                key = (int(result.lines > LARGE), rank, zlib.crc32(site_id.encode()))
                candidates[name].append((key, result.file, site_id))
    plan: dict[str, list[str]] = collections.defaultdict(list)
    for name in sorted(candidates):
        chosen = sorted(candidates[name])
        for _, path, site_id in chosen[:per_transform] if per_transform > 0 else chosen:
            plan[path].append(site_id)
    return plan


def report(analysed: list[FileResult], checked: list[FileResult], wall_s: float, workers: int,
           names: Sequence[str], top: int) -> int:
    """Print the figures; the exit code is 1 when a must-be-zero check failed."""
    ok = [r for r in analysed if r.status == "ok"]
    lines = sum(r.lines for r in ok)
    problems = [p for r in analysed + checked for p in r.problems]
    kinds = collections.Counter(p.kind for p in problems)
    found, applicable, refusals = (sum((getattr(r, a) for r in analysed), collections.Counter())
                                   for a in ("found", "applicable", "refusals"))
    done = sum((r.checked for r in checked), collections.Counter())
    print(f"\nstandard library sweep: Python {sys.version.split()[0]}, {len(names)} transforms")
    print(f"files: {len(analysed)} ({len(ok)} analysed, "
          f"{sum(r.status == 'unparseable' for r in analysed)} unparseable, "
          f"{sum(r.status == 'timeout' for r in analysed)} timed out), {lines:,} lines analysed")
    print(f"\n{'transform':<20}{'sites':>9}{'applicable':>12}{'refused':>9}{'checked':>9}{'CPU ms/kloc':>13}")
    for name in names:
        ms = sum(r.transform_s.get(name, 0.0) for r in ok) * 1000 / max(lines / 1000, 1e-9)
        print(f"{name:<20}{found[name]:>9}{applicable[name]:>12}{found[name] - applicable[name]:>9}"
              f"{done[name]:>9}{ms:>13.1f}")
    total_found, total_app = sum(found.values()), sum(applicable.values())
    print(f"{'all':<20}{total_found:>9}{total_app:>12}{total_found - total_app:>9}{sum(done.values()):>9}")
    print(f"\ntop {top} refusal reasons (names stripped):")
    for reason, count in refusals.most_common(top):
        print(f"{count:>8}  {_one_line(reason, 110)}")
    print(f"\nchecks ({sum(done.values())} sites applied to the original module, in {len(checked)} files):")
    for kind in CHECKS:
        print(f"  {kind:<14}{kinds[kind]:>6}{' (must be 0)' if kind in MUST_BE_ZERO else ''}")
    for problem in problems:
        if problem.kind != "no-op" or kinds["no-op"] <= 20:
            print(f"  - {problem.kind}: {problem.file} {problem.site}: {problem.detail}")
    analysis = sum(r.analysis_s for r in ok)
    applied = sum(r.apply_s for r in checked)
    print(f"\nCPU time: analysis (index + every transform's sites) {analysis * 1000 / max(lines / 1000, 1e-9):.0f} "
          f"ms per 1,000 lines; apply + checks {applied * 1000 / max(sum(done.values()), 1):.0f} ms per site; "
          f"wall {wall_s:.0f} s with {workers} workers")
    return 1 if any(kinds[k] for k in MUST_BE_ZERO) else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["stdlib"]),
                        help="the tree to sweep (default: the running Python's standard library)")
    parser.add_argument("--limit", type=int, default=0, help="at most N files, spread evenly (0: all)")
    parser.add_argument("--transform", action="append", default=[], help="only this transform (repeatable)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--checks", type=int, default=40,
                        help="applicable sites applied and checked per transform (0: all of them)")
    parser.add_argument("--file-timeout", type=int, default=600, help="seconds per file")
    parser.add_argument("--top", type=int, default=25, help="refusal reasons shown")
    parser.add_argument("--json", type=Path, help="also write every file's result here")
    parser.add_argument("--before", type=Path,
                        help="a --json of an earlier run (another commit): print applicable sites before and now per "
                             "transform, and which sites were lost, with the reasons they are refused now")
    args = parser.parse_args(argv)
    registered = [t.name for t in transforms.all_transforms()]
    unknown = set(args.transform) - set(registered)
    if unknown:
        parser.error(f"unknown transform(s) {sorted(unknown)}; registered: {registered}")
    Templates.shared()  # built once, before the workers fork
    start = time.perf_counter()
    analysed, checked = run(args)
    if args.json:
        args.json.write_text(json.dumps(to_json({"analysed": analysed, "checked": checked}), indent=1),
                             encoding="utf-8")
    status = report(analysed, checked, time.perf_counter() - start, args.workers, args.transform or registered,
                    args.top)
    if args.before:
        compare(json.loads(args.before.read_text(encoding="utf-8"))["analysed"], analysed,
                {str(p): m for p, m in stdlib_files(args.root)}, args.transform or registered, args.top)
    return status


# --- before and now ----------------------------------------------------------------------------


def compare(before: list[dict[str, object]], analysed: list[FileResult], modules: dict[str, str],
            names: Sequence[str], top: int) -> None:
    """Applicable / all sites per transform in an earlier run and now; the sites lost (applicable
    then, not now), each with what the transform says of it now."""
    common = {r["file"] for r in before if r.get("status") == "ok"} & {r.file for r in analysed if r.status == "ok"}
    then_found, then_applicable, then_ids = _totals(
        (r["file"], r.get("found", {}), r.get("applicable", {}), r.get("applicable_ids", {})) for r in before
        if r["file"] in common)
    now_found, now_applicable, now_ids = _totals(
        (r.file, r.found, r.applicable, r.applicable_ids) for r in analysed if r.file in common)
    shown = sorted(set(names) | {n for n in then_found if n in names or not names})
    print(f"\napplicable sites / all sites, before and now (the {len(common)} files analysed in both runs):")
    print(f"{'transform':<20}{'before':>16}{'now':>16}{'applicable':>12}")
    for name in shown:
        old, new = then_applicable[name], now_applicable[name]
        change = f"{(new - old) / old:+.0%}" if old else ("=" if not new else "new")
        print(f"{name:<20}{f'{old}/{then_found[name]}':>16}{f'{new}/{now_found[name]}':>16}{change:>12}")
    for name in shown:
        lost = sorted(then_ids[name] - now_ids[name])
        gained = len(now_ids[name] - then_ids[name])
        if not lost:
            continue
        print(f"\n{name}: {len(lost)} applicable sites lost, {gained} gained; the lost ones now:")
        for path, site_id in lost[:top]:
            print(f"  - {site_id}: {_one_line(_verdict_now(path, modules.get(path, ''), name, site_id), 240)}")


def _totals(rows: Iterator[tuple[object, object, object, object]]
            ) -> tuple[collections.Counter[str], collections.Counter[str], dict[str, set[tuple[str, str]]]]:
    found: collections.Counter[str] = collections.Counter()
    applicable: collections.Counter[str] = collections.Counter()
    ids: dict[str, set[tuple[str, str]]] = collections.defaultdict(set)
    for path, file_found, file_applicable, file_ids in rows:
        found.update(file_found)  # type: ignore[arg-type]
        applicable.update(file_applicable)  # type: ignore[arg-type]
        for name, site_ids in file_ids.items():  # type: ignore[attr-defined]
            ids[name].update((str(path), i) for i in site_ids)
    return found, applicable, ids


def _verdict_now(path: str, module: str, name: str, site_id: str) -> str:
    """What ``name`` says now of the site ``site_id`` of the file (proposed again, in this process)."""
    source = _readable_source(Path(path))
    if source is None:
        return "the file does not compile now"
    ctx = Context(module=module)
    transform = transforms.get(name)
    try:
        sites = transform.sites(transforms.index_for(transform, source, ctx), ctx)  # type: ignore[arg-type]
    except Exception as exc:
        return f"crash: {type(exc).__name__}: {exc}"
    site = next((s for s in sites if s.id == site_id), None)
    if site is None:
        return "no longer a site (not found by the transform)"
    return f"{site.verdict}: {'; '.join(site.reasons)}"


if __name__ == "__main__":
    sys.exit(main())
