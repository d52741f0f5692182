"""Every rewrite evolver would offer on a row, judged without timing: for each site evolver calls
applicable in the row's functions (and for all of them together), write the rewrite into a scratch
copy of the project and run the row's own tests and, on a refuse row, its extra check.

``run.py`` judges what evolve *wrote* (what won its timing race); this judges everything evolve *could*
write on the row, so a refuse row is covered even when no candidate won. It imports evolver's
transforms (``run.py`` uses only the command line); it times nothing, so it needs no heavy lock.

    .venv/bin/python benchmarks/realworld/check_sites.py              # the refuse rows
    .venv/bin/python benchmarks/realworld/check_sites.py --kind gate --row pyphen

Exit status 1 when a rewrite fails a row's tests or its extra check.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import corpus

from evolver import transforms
from evolver.transforms import Context


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--row", action="append", help="only this row (repeatable)")
    p.add_argument("--kind", choices=corpus.KINDS, default="refuse")
    args = p.parse_args(argv)
    rows = [r for r in corpus.rows() if (r.name in args.row if args.row else r.kind == args.kind)]
    failed = 0
    for row in rows:
        ids = applicable(row)
        print(f"{row.name} ({row.kind}): {len(ids)} applicable site(s) in its functions", flush=True)
        for chosen in [[i] for i in ids] + ([ids] if len(ids) > 1 else []):
            verdict = judge(row, chosen)
            failed += verdict.startswith("FAILS")
            print(f"    {' + '.join(chosen)}: {verdict}", flush=True)
    print(f"SUMMARY rewrites failing a row's tests or extra check: {failed}")
    return 1 if failed else 0


def module_name(row: corpus.Row) -> str:
    return row.module.removesuffix(".py").replace("/", ".").removesuffix(".__init__")


def applicable(row: corpus.Row) -> list[str]:
    source = (row.project_dir / row.module).read_text()
    sites = transforms.propose(source, Context(module=module_name(row)))
    return [s.id for s in sites if s.verdict == "applicable" and s.target.split("#")[0] in row.sites]


def judge(row: corpus.Row, site_ids: list[str]) -> str:
    source = (row.project_dir / row.module).read_text()
    rewritten, applied = transforms.apply_compatible(source, site_ids, Context(module=module_name(row)))
    if not applied:
        return "not applicable together"
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(rewritten)
    variant = Path(handle.name)
    try:
        with corpus.scratch(row, variant) as root:
            tests = corpus.run_tests(row, root)
            check = corpus.run_check(row, root) if row.check is not None else None
    finally:
        variant.unlink()
    problems = ([f"its tests fail ({last_line(tests.stdout + tests.stderr)})"] if tests.returncode else []) + (
        [f"the extra check fails ({last_line(check.stdout + check.stderr)})"] if check and check.returncode else [])
    done = "tests pass" + (", extra check passes" if check is not None else "")
    return f"FAILS: {'; '.join(problems)}" if problems else done


def last_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1][:160] if lines else ""


if __name__ == "__main__":
    sys.exit(main())
