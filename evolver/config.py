"""Find a target's project, its import name and its settings; validate what the user gave us."""

from __future__ import annotations

import ast
import dataclasses
import io
import tokenize
import tomllib
from pathlib import Path
from typing import Any

from evolver.errors import EvolverError
from evolver.model import Settings, Target, Thresholds

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


_LIST_KEYS = {"transient", "idempotent"}
_FLOAT_KEYS = {"budget_s", "timeout_s", "min_effect", "alpha", "max_project_mb", "memory_budget",
               "retry_backoff_s"}
_BOOL_KEYS = {"instructions", "pin_cpu"}
_ALIASES = {"budget": "budget_s", "timeout": "timeout_s", "retry_backoff": "retry_backoff_s"}


def _coerce(key: str, value: Any) -> Any:
    if key in _LIST_KEYS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise EvolverError(f"[tool.evolver] {key} must be a list of strings")
        return tuple(value)
    if key in _FLOAT_KEYS:
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise EvolverError(f"[tool.evolver] {key} must be a non-negative number")
        return float(value)
    if key in ("cycles", "max_pairs", "windows"):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise EvolverError(f"[tool.evolver] {key} must be a positive integer")
        return value
    if key in _BOOL_KEYS:
        if not isinstance(value, bool):
            raise EvolverError(f"[tool.evolver] {key} must be true or false")
        return value
    if key == "thresholds":
        if not isinstance(value, dict):
            raise EvolverError("[tool.evolver] thresholds must be a table")
        known = {f.name for f in dataclasses.fields(Thresholds)}
        unknown = set(value) - known
        if unknown:
            raise EvolverError(f"[tool.evolver.thresholds] unknown key {sorted(unknown)[0]!r}")
        return Thresholds(**{k: float(v) for k, v in value.items()})
    if not isinstance(value, str):
        raise EvolverError(f"[tool.evolver] {key} must be a string")
    return value


def load_settings(target: Target, overrides: dict[str, Any] | None = None) -> Settings:
    """``[tool.evolver]`` of the target's ``pyproject.toml``, then non-None ``overrides``."""
    values: dict[str, Any] = {}
    pyproject = target.root / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("evolver", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise EvolverError(f"{pyproject}: invalid TOML ({exc})") from None
        values.update(table)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    known = {f.name for f in dataclasses.fields(Settings)}
    settings: dict[str, Any] = {}
    for raw_key, value in values.items():
        key = _ALIASES.get(raw_key, raw_key)
        if key not in known:
            raise EvolverError(f"[tool.evolver] unknown setting {raw_key!r}")
        settings[key] = _coerce(key, value)
    if settings.get("sandbox", "process") not in ("process", "docker"):
        raise EvolverError(f"unknown sandbox {settings['sandbox']!r} (use process or docker)")
    bench = settings.get("bench")
    if bench is not None and (bench.count(":") != 1 or not all(bench.split(":"))):
        raise EvolverError(f"--bench {bench!r} must look like module:function")
    return Settings(**settings)
