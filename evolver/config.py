"""Find a target's project, its import name and its settings; validate what the user gave us."""

from __future__ import annotations

import ast
import dataclasses
import importlib.machinery
import io
import os
import re
import sys
import tokenize
import tomllib
from pathlib import Path
from typing import Any

from evolver.analysis.assumptions import ASSUMPTIONS
from evolver.errors import EvolverError
from evolver.model import Package, Settings, Target, Thresholds

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", ".git")


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding a project marker."""
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return None


def find_workspace(cwd: Path | None = None) -> Path:
    """Where evolver keeps generations and history: the project root around ``cwd``, else ``cwd``."""
    here = (cwd or Path.cwd()).resolve()
    return find_project_root(here) or here


def read_source(path: Path) -> str:
    """The module's exact text (UTF-8 only, so it round-trips byte for byte), or a one-line error."""
    data = path.read_bytes()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        raise EvolverError(f"{path}: cannot decode the file as Python source ({exc})") from None
    if encoding != "utf-8":
        # Generations are written as UTF-8 text; promote must give back exactly these bytes.
        raise EvolverError(f"{path}: evolver works on UTF-8 source without a byte-order mark "
                           f"(this file is {encoding})")
    try:
        ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        raise EvolverError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except ValueError as exc:  # e.g. source holds null bytes
        raise EvolverError(f"{path}: not valid Python source ({exc})") from None
    return text


def _module_name(relpath: Path) -> str:
    parts = list(relpath.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(part.isidentifier() for part in parts):
        raise EvolverError(f"{relpath}: cannot be imported as a module (names must be identifiers)")
    return ".".join(parts)


def resolve_target(path: str | Path, root: str | Path | None = None) -> Target:
    """Validate ``path`` as a Python module of a project and name it."""
    file = Path(path).expanduser()
    if not file.exists():
        raise EvolverError(f"no such file: {path}")
    if file.is_dir():
        raise EvolverError(f"{path} is a directory; give one module file (.py)")
    if file.suffix != ".py":
        raise EvolverError(f"{path} is not a Python module (expected a .py file)")
    file = file.resolve()
    read_source(file)
    if root is not None:
        project = Path(root).expanduser().resolve()
        if not project.is_dir():
            raise EvolverError(f"--root {root} is not a directory")
        if project not in file.parents:
            raise EvolverError(f"{path} is not inside the project root {project}")
    else:
        project = find_project_root(file.parent) or file.parent
    import_root = project / "src" if (project / "src") in file.parents else project
    return Target(path=file, root=project, import_root=import_root,
                  module=_module_name(file.relative_to(import_root)))


# Files under a package folder that are not its modules: tests, build and packaging scripts.
_NOT_MODULES = ("test_*.py", "*_test.py", "conftest.py", "setup.py", "noxfile.py", "fabfile.py")
_NOT_MODULE_DIRS = {"tests", "test", "testing", "docs", "examples", "benchmarks", "build", "dist", "generations"}


def resolve_package(path: str | Path, root: str | Path | None = None) -> Package:
    """Validate ``path`` as a folder of a project and name its modules: every ``.py`` file under it
    that the project copy would hold (``.gitignore`` honoured; VCS, virtualenv and cache folders
    skipped), except tests and packaging scripts. A file evolver cannot work on (not UTF-8, a syntax
    error, a name that cannot be imported) is listed in ``skipped`` with the reason, not refused."""
    from evolver.sandbox.scratch import _project_files

    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise EvolverError(f"no such folder: {path}" if not folder.exists() else f"{path} is not a folder")
    folder = folder.resolve()
    if root is not None:
        project = Path(root).expanduser().resolve()
        if not project.is_dir():
            raise EvolverError(f"--root {root} is not a directory")
        if project != folder and project not in folder.parents:
            raise EvolverError(f"{path} is not inside the project root {project}")
    else:
        project = find_project_root(folder) or folder
    files, _ = _project_files(project)
    inside = folder.relative_to(project)
    modules: list[Target] = []
    skipped: list[tuple[str, str]] = []
    for rel in files:
        if rel.suffix != ".py" or (inside.parts and rel.parts[:len(inside.parts)] != inside.parts):
            continue
        if any(part in _NOT_MODULE_DIRS for part in rel.parts[len(inside.parts):-1]) \
                or any(rel.match(pattern) for pattern in _NOT_MODULES):
            continue
        try:
            modules.append(resolve_target(project / rel, project))
        except EvolverError as exc:
            skipped.append((rel.as_posix(), str(exc)))
    if not modules:
        why = f" ({len(skipped)} skipped: {skipped[0][1]})" if skipped else ""
        raise EvolverError(f"{path}: no Python modules to work on in this folder{why}")
    return Package(folder=folder, root=project, modules=tuple(modules), skipped=tuple(skipped))


_LIST_KEYS = {"transient", "idempotent"}
_FLOAT_KEYS = {"budget_s", "timeout_s", "min_effect", "alpha", "max_project_mb", "memory_budget",
               "retry_backoff_s", "cycle_interval", "performance_threshold", "fault_rate"}
_BOOL_KEYS = {"instructions", "pin_cpu", "auto_deploy", "behaviour", "sample_io"}
_INT_KEYS = {"cycles", "max_pairs", "windows", "max_cycles", "modules"}
_ALIASES = {"budget": "budget_s", "timeout": "timeout_s", "retry_backoff": "retry_backoff_s",
            "assumptions": "assumptions_off"}
# The command-line flag of each setting that has one; an override names its flag in messages.
FLAGS = {"tests": "--tests", "bench": "--bench", "cycles": "--cycles", "budget_s": "--budget",
         "timeout_s": "--timeout", "min_effect": "--min-effect", "sandbox": "--sandbox",
         "docker_image": "--docker-image", "max_pairs": "--max-pairs", "windows": "--windows",
         "transient": "--transient", "idempotent": "--idempotent", "instructions": "--instructions",
         "behaviour": "--no-behaviour", "executor": "--executor", "fault_rate": "--fault-rate",
         "modules": "--modules"}
# Bounds beyond the type: (test, what the value must be).
_BOUNDS: dict[str, tuple[Any, str]] = {
    "timeout_s": (lambda v: v > 0, "a positive number of seconds"),
    "min_effect": (lambda v: v < 1, "a fraction below 1 (0.03 asks for at least 3% faster)"),
    "alpha": (lambda v: 0 < v < 1, "a probability between 0 and 1"),
    "memory_budget": (lambda v: v > 0, "a positive ratio"),
    "fault_rate": (lambda v: v <= 1, "a share between 0 and 1 (0: only the first call of a retried callee fails)"),
}


def origin(settings: Settings, key: str) -> str:
    """Where ``settings.<key>`` came from, as the user wrote it: ``--cycles``,
    ``/p/pyproject.toml: [tool.evolver] cycles``, or ``the default``."""
    return settings.origins.get(key, "the default")


def _origin_of_table(raw_key: str, pyproject: Path) -> str:
    return f"{pyproject}: [tool.evolver] {raw_key}"


def _coerce(key: str, value: Any, where: str) -> Any:
    """``value`` as the type of setting ``key``; ``where`` names it in the error."""
    if key in _LIST_KEYS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise EvolverError(f"{where} must be a list of strings, got {value!r}")
        return tuple(value)
    if key in _FLOAT_KEYS:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise EvolverError(f"{where} must be a non-negative number, got {value!r}")
        test, wanted = _BOUNDS.get(key, (lambda v: True, ""))
        if not test(value):
            raise EvolverError(f"{where} must be {wanted}, got {value!r}")
        return float(value)
    if key in _INT_KEYS:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise EvolverError(f"{where} must be a positive integer, got {value!r}")
        return value
    if key == "behaviour_samples":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise EvolverError(f"{where} must be a non-negative integer, got {value!r}")
        return value
    if key in _BOOL_KEYS:
        if not isinstance(value, bool):
            raise EvolverError(f"{where} must be true or false, got {value!r}")
        return value
    if key == "thresholds":
        return _thresholds(value, where)
    if key == "assumptions_off":
        return _assumptions_off(value, where)
    if not isinstance(value, str):
        raise EvolverError(f"{where} must be a string, got {value!r}")
    return value


def _thresholds(value: Any, where: str) -> Thresholds:
    if not isinstance(value, dict):
        raise EvolverError(f"{where} must be a table")
    known = {f.name for f in dataclasses.fields(Thresholds)}
    unknown = set(value) - known
    if unknown:
        raise EvolverError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(known))})")
    bad = [k for k, v in value.items() if not isinstance(v, (int, float)) or isinstance(v, bool)]
    if bad:
        raise EvolverError(f"{where}: {bad[0]} must be a number, got {value[bad[0]]!r}")
    return Thresholds(**{k: float(v) for k, v in value.items()})


def _assumptions_off(value: Any, where: str) -> tuple[str, ...]:
    """``{name = false, ...}``: the assumptions switched off. ``true`` is the default (an assumption
    can be switched off, never on beyond it)."""
    if not isinstance(value, dict):
        raise EvolverError(f"{where} must be a table of assumption = false (e.g. {{single-thread = false}})")
    unknown = sorted(set(value) - set(ASSUMPTIONS))
    if unknown:
        raise EvolverError(f"{where}: unknown assumption {unknown[0]!r} (known: {', '.join(sorted(ASSUMPTIONS))})")
    bad = [name for name, v in value.items() if not isinstance(v, bool)]
    if bad:
        raise EvolverError(f"{where}: {bad[0]} must be true or false, got {value[bad[0]]!r}")
    return tuple(sorted(name for name, on in value.items() if not on))


def load_settings(target: Target, overrides: dict[str, Any] | None = None) -> Settings:
    """``[tool.evolver]`` of the target's ``pyproject.toml``, then the non-None ``overrides``
    (the command line's flags: messages name them by ``FLAGS``). ``Settings.origins`` records
    where each value came from."""
    values: dict[str, tuple[Any, str]] = {}
    pyproject = target.root / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("evolver", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise EvolverError(f"{pyproject}: invalid TOML ({exc})") from None
        for raw_key, value in table.items():
            values[_ALIASES.get(raw_key, raw_key)] = (value, _origin_of_table(raw_key, pyproject))
            if raw_key not in _known():
                raise EvolverError(f"{pyproject}: unknown setting {raw_key!r} in [tool.evolver] "
                                   f"(known: {', '.join(sorted(_settable()))})")
    for key, value in (overrides or {}).items():
        if key not in _known():
            raise EvolverError(f"unknown setting {key!r}")
        if value is not None:
            values[key] = (value, FLAGS.get(key, f"the override {key}"))
    settings = {key: _coerce(key, value, where) for key, (value, where) in values.items()}
    origins = {key: where for key, (_value, where) in values.items()}
    if settings.get("sandbox", "process") not in ("process", "docker"):
        raise EvolverError(f"{origins['sandbox']}: unknown sandbox {settings['sandbox']!r} (use process or docker)")
    if "executor" in settings:
        valid_executor(settings["executor"], origins["executor"])
    bench = settings.get("bench")
    if bench is not None and (bench.count(":") != 1 or not all(bench.split(":"))):
        raise EvolverError(f"{origins['bench']} {bench!r} must look like module:function (e.g. workload:run)")
    return Settings(**settings, origins=origins)


def valid_executor(value: str, where: str) -> str:
    """``value`` as an executor setting (``local`` or ``tcp://host:port``), or a one-line error."""
    if value == "local" or re.match(r"^tcp://[^\s:/]+:\d{1,5}$", value):
        return value
    raise EvolverError(f"{where} {value!r}: the executor must be local, or the address of a Dask scheduler "
                       "as tcp://host:port")


def _known() -> set[str]:
    return {f.name for f in dataclasses.fields(Settings)} - {"origins"} | set(_ALIASES)


def _settable() -> set[str]:
    """The names a user writes in [tool.evolver]: the aliases instead of the ``_s`` fields."""
    return (_known() - set(_ALIASES.values())) | set(_ALIASES)


def check_workload(target: Target, settings: Settings) -> None:
    """Refuse a ``bench`` whose module is neither in the project nor installed, saying where
    evolver looked (before any sandbox is set up). Nothing is imported."""
    if not settings.bench:
        return
    module = settings.bench.partition(":")[0]
    parts = module.split(".")
    where = f"{origin(settings, 'bench')} = {settings.bench!r}"
    if not all(part.isidentifier() for part in parts):
        raise EvolverError(f"{where}: {module!r} is not a module name")
    base = target.import_root
    looked = [base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")]
    if any(path.is_file() for path in looked) or base.joinpath(*parts).is_dir():
        return
    if not base.joinpath(parts[0]).exists() and _installed(parts[0]):
        return  # an installed package: its submodules are the worker's to find
    shown = " and ".join(str(path.relative_to(base)) for path in looked)
    raise EvolverError(f"{where}: cannot find module {module!r}: looked for {shown} in {base} "
                       "(the project's import root, where the workload is imported from) and among the "
                       "installed packages; give --bench as module:function importable from there")


def _installed(name: str) -> bool:
    """Is a top-level module ``name`` importable by this interpreter outside the project?"""
    here = {"", os.getcwd()}
    if name in sys.builtin_module_names:
        return True
    return importlib.machinery.PathFinder.find_spec(name, [p for p in sys.path if p not in here]) is not None


def describe_tests(settings: Settings, target: Target) -> str:
    """The oracle in words, with where it was set."""
    if settings.tests is None:
        return f"evolver ran pytest in {target.root} (the default: no tests setting)"
    return f"tests = {settings.tests!r} from {origin(settings, 'tests')}"


def tests_advice(settings: Settings, target: Target, reason: str, tests_run: int) -> str:
    """Why evolve refuses code whose tests do not pass, and what to do next."""
    given = describe_tests(settings, target)
    if tests_run == 0 and "fail" not in reason:
        return (f"the tests ran nothing on the unchanged code ({reason}; {given}); evolver needs an oracle: "
                "use --tests doctest if the module has docstring examples, or --tests \"<command>\" with a "
                "command that exits 0 when the code is right (or set tests in [tool.evolver])")
    return (f"the tests fail on the unchanged code ({reason}; {given}); evolver only evolves code whose "
            "tests pass: fix them, or point --tests at a command that passes")
