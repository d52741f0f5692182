"""Write generated variant targets for the predictor corpus: small real Python projects.

    .venv/bin/python benchmarks/corpus/generate.py OUT_DIR [--count 24] [--seed 6]

Each variant is a folder ``OUT_DIR/shapes_NN/`` holding a module ``shapes_NN.py`` made of two to
five program shapes (``shapes.py``) with parameters drawn from ``numpy.random.default_rng([seed,
NN])``, a ``workload.py`` whose ``run()`` takes about 10-30 ms, a fast pytest file pinning the
functions' results (computed here, from the generated code itself) and a ``pyproject.toml`` with
``[tool.evolver]`` like the sample targets. The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import SHAPES, Block

DEFAULT_COUNT, DEFAULT_SEED = 24, 6
MIN_BLOCKS, MAX_BLOCKS = 2, 5
TOTAL_MS = (10.0, 20.0)
COLD_MS = 0.15  # a block this cheap is below the Amdahl cut-off: present but never worth evaluating
COLD_CHANCE = 0.3

PYPROJECT = '''[project]
name = "{name}"
version = "0.1.0"
description = "Generated variant target for the evolver predictor corpus (seed {seed})."
requires-python = ">=3.11"

[tool.evolver]
tests = "pytest tests"
bench = "workload:run"

[tool.pytest.ini_options]
pythonpath = ["."]
testpaths = ["tests"]
'''


@dataclass(frozen=True)
class Variant:
    name: str
    blocks: tuple[Block, ...]
    budgets_ms: tuple[float, ...]

    @property
    def module(self) -> str:
        imports = sorted({name for b in self.blocks for name in b.imports})
        head = f'"""Generated program shapes: {", ".join(b.shape for b in self.blocks)}."""\n\n'
        head += "from __future__ import annotations\n"
        if imports:
            head += "\n" + "".join(f"import {name}\n" for name in imports)
        return head + "".join("\n" + b.code for b in self.blocks)

    @property
    def workload(self) -> str:
        names = sorted({n for b in self.blocks for n in _used(b, b.call)})
        lines = [f'"""The benchmark workload of {self.name}."""', "", "from __future__ import annotations", "",
                 f"from {self.name} import {', '.join(names)}", ""]
        lines += [f"DATA_{i} = {b.data}" for i, b in enumerate(self.blocks) if b.data is not None]
        lines += ["", "", "def run() -> tuple[object, ...]:", "    return ("]
        lines += [f"        {b.call}," for b in self.blocks]
        return "\n".join(lines + ["    )", ""])

    def tests(self, expected: dict[str, object]) -> str:
        names = sorted({n for b in self.blocks for e in b.tests for n in _used(b, e)})
        out = [f'"""Pinned results of {self.name}\'s functions (computed when it was generated)."""', "",
               "from __future__ import annotations", "", f"from {self.name} import {', '.join(names)}", ""]
        for i, (expr, value) in enumerate(expected.items()):
            out += ["", "", f"def test_{i}() -> None:", f"    assert {expr} == {value!r}"]
        return "\n".join(out + [""])

    def meta(self) -> dict[str, object]:
        return {"name": self.name, "blocks": [{"shape": b.shape, "budget_ms": round(ms, 2), **dict(b.params)}
                                              for b, ms in zip(self.blocks, self.budgets_ms)]}


def _used(block: Block, expr: str) -> list[str]:
    defined = re.findall(r"^def (\w+)\(", block.code, flags=re.M)
    return [name for name in defined if re.search(rf"\b{name}\(", expr)]


def variant(seed: int, index: int) -> Variant:
    rng = np.random.default_rng([seed, index])
    kinds = sorted(SHAPES)
    chosen = rng.choice(len(kinds), size=int(rng.integers(MIN_BLOCKS, MAX_BLOCKS + 1)), replace=False)
    total = float(rng.uniform(*TOTAL_MS))
    shares = rng.dirichlet(np.ones(len(chosen)))
    if len(chosen) > 2 and rng.random() < COLD_CHANCE:
        shares[int(rng.integers(len(chosen)))] = 0.0
    budgets = [max(0.5, total * float(s) / shares.sum()) if s > 0 else COLD_MS for s in shares]
    blocks = tuple(SHAPES[kinds[int(c)]](rng, k, ms) for k, (c, ms) in enumerate(zip(chosen, budgets)))
    return Variant(f"shapes_{index:02d}", blocks, tuple(budgets))


def expected_values(v: Variant) -> dict[str, object]:
    """Run the generated module's test expressions here: the pinned values are its own results."""
    namespace: dict[str, object] = {"__name__": v.name}
    exec(compile(v.module, f"<{v.name}>", "exec"), namespace)  # our own generated code
    return {expr: eval(expr, namespace) for b in v.blocks for expr in b.tests}


def write(v: Variant, out: Path, seed: int) -> Path:
    folder = out / v.name
    (folder / "tests").mkdir(parents=True, exist_ok=True)
    (folder / f"{v.name}.py").write_text(v.module, encoding="utf-8")
    (folder / "workload.py").write_text(v.workload, encoding="utf-8")
    (folder / "tests" / f"test_{v.name}.py").write_text(v.tests(expected_values(v)), encoding="utf-8")
    (folder / "pyproject.toml").write_text(PYPROJECT.format(name=v.name.replace("_", "-"), seed=seed),
                                           encoding="utf-8")
    (folder / "variant.json").write_text(json.dumps(v.meta(), indent=1) + "\n", encoding="utf-8")
    return folder


def generate(out: Path, count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> list[Path]:
    return [write(variant(seed, i), out, seed) for i in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for folder in generate(args.out, args.count, args.seed):
        print(folder)


if __name__ == "__main__":
    main()
