"""Record the history the fast report tests read: a real evolve run of fixtures/shop.

    .venv/bin/python tests/html/record_fixture.py      (a few minutes; run under the heavy lock)

Copies the shop project to a temporary folder, evolves it twice (3 cycles, then 2: the second run
starts again from the original, so the lineage forks), promotes the first new generation, reverts
it, promotes the newest one, then stores the history as SQL text and the
generation store, with the temporary folder's path replaced by ``@TMP@`` (``recorded.load``
puts a real path back).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from evolver.generations import GenerationStore

HERE = Path(__file__).parent
PROJECT = HERE / "fixtures" / "shop"
OUT = HERE / "fixtures" / "recorded"
EVOLVER = [sys.executable, "-m", "evolver.cli"]


def evolver(ws: Path, *args: str) -> str:
    done = subprocess.run([*EVOLVER, "--workspace", str(ws), *args], capture_output=True, text=True)
    print(done.stdout, done.stderr[-2000:], sep="\n")
    if done.returncode != 0:
        raise SystemExit(f"evolver {' '.join(args)} exited {done.returncode}")
    return done.stdout


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, ws = Path(tmp) / "shop", Path(tmp) / "ws"
        shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        evolver(ws, "evolve", str(root / "stock.py"), "--cycles", "3")
        evolver(ws, "evolve", str(root / "stock.py"), "--cycles", "2")
        ids = [g.id for g in GenerationStore(ws / "generations").lineage("stock")]
        if len(ids) < 2:
            raise SystemExit("the run made no generation: nothing to record")
        evolver(ws, "promote", ids[1])
        evolver(ws, "revert", str(root / "stock.py"))
        evolver(ws, "promote", ids[-1])
        save(Path(tmp), ws)


def save(tmp: Path, ws: Path) -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    conn = sqlite3.connect(ws / ".evolver" / "evolver.db")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    sql = "\n".join(conn.iterdump()) + f"\nPRAGMA user_version = {version};\n"
    conn.close()
    (OUT / "history.sql").write_text(sql.replace(str(tmp), "@TMP@"), encoding="utf-8")
    for path in sorted((ws / "generations").rglob("*")):
        if path.is_file():
            dest = OUT / "generations" / path.relative_to(ws / "generations")
            dest.parent.mkdir(parents=True, exist_ok=True)
            data = path.read_text(encoding="utf-8")
            dest.write_text(data.replace(str(tmp), "@TMP@") if path.name == "manifest.json" else data,
                            encoding="utf-8")
    print(f"recorded into {OUT}")


if __name__ == "__main__":
    main()
