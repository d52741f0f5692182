"""Target resolution and settings: what the user gives is validated with one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from evolver.config import find_workspace, load_settings, resolve_target
from evolver.errors import EvolverError
from evolver.model import Thresholds


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_module_name_from_project_root(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")
    mod = write(tmp_path / "pkg" / "sub" / "mod.py", "x = 1\n")
    target = resolve_target(mod)
    assert target.root == tmp_path.resolve()
    assert target.module == "pkg.sub.mod"
    assert target.relpath == Path("pkg/sub/mod.py")


def test_src_layout_and_package_init(tmp_path: Path) -> None:
    write(tmp_path / "setup.cfg", "")
    init = write(tmp_path / "src" / "pkg" / "__init__.py", "")
    target = resolve_target(init)
    assert target.import_root == (tmp_path / "src").resolve()
    assert target.module == "pkg"


def test_explicit_root_must_contain_the_module(tmp_path: Path) -> None:
    mod = write(tmp_path / "a" / "m.py", "")
    (tmp_path / "b").mkdir()
    with pytest.raises(EvolverError, match="not inside the project root"):
        resolve_target(mod, tmp_path / "b")
    assert resolve_target(mod, tmp_path).module == "a.m"


def test_unimportable_name(tmp_path: Path) -> None:
    mod = write(tmp_path / "my-module.py", "")
    with pytest.raises(EvolverError, match="cannot be imported"):
        resolve_target(mod, tmp_path)


def test_non_utf8_declared_encoding_is_refused(tmp_path: Path) -> None:
    mod = tmp_path / "latin.py"
    mod.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n")
    with pytest.raises(EvolverError, match="UTF-8"):
        resolve_target(mod, tmp_path)


def test_null_bytes(tmp_path: Path) -> None:
    mod = tmp_path / "nul.py"
    mod.write_bytes(b"x = 1\x00\n")
    with pytest.raises(EvolverError):
        resolve_target(mod, tmp_path)


def test_settings_from_pyproject_and_overrides(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", """
[tool.evolver]
tests = "pytest tests"
bench = "workload:run"
idempotent = ["m:f"]
cycles = 3
budget = 60
[tool.evolver.thresholds]
wall_time_ms = 20
""")
    target = resolve_target(write(tmp_path / "m.py", ""))
    settings = load_settings(target, {"cycles": 7, "bench": None})
    assert settings.tests == "pytest tests" and settings.bench == "workload:run"
    assert settings.idempotent == ("m:f",) and settings.cycles == 7 and settings.budget_s == 60.0
    assert settings.thresholds == Thresholds(wall_time_ms=20.0)


@pytest.mark.parametrize("toml, message", [
    ("[tool.evolver]\nfrobnicate = 1\n", "unknown setting 'frobnicate'"),
    ("[tool.evolver]\ncycles = 0\n", r"pyproject.toml: \[tool.evolver\] cycles must be a positive integer, got 0"),
    ("[tool.evolver]\nidempotent = 3\n", "idempotent must be a list of strings"),
    ("[tool.evolver]\nbench = 'nocolon'\n", "module:function"),
    ("[tool.evolver]\nsandbox = 'vm'\n", "unknown sandbox"),
    ("[tool.evolver\n", "invalid TOML"),
])
def test_bad_settings(tmp_path: Path, toml: str, message: str) -> None:
    write(tmp_path / "pyproject.toml", toml)
    target = resolve_target(write(tmp_path / "m.py", ""))
    with pytest.raises(EvolverError, match=message):
        load_settings(target)


def test_workspace_is_the_project_around_cwd(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    assert find_workspace(tmp_path / "deep" / "er") == tmp_path.resolve()
