"""A scratch copy of the target's project with the target module replaced by a candidate source,
and the sandbox backend that runs commands in it."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import pathspec

from evolver.errors import EvolverError
from evolver.model import Settings, Target
from evolver.sandbox.backends import Backend, Job, backend_for
from evolver.sandbox.runner import Limits, RunResult

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "generations", ".evolver", "node_modules",
    ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis",
})
SKIP_SUFFIXES = (".egg-info", ".pyc")
_MB = 1024 * 1024


class Scratch:
    """Context manager: a private copy of ``target.root`` whose ``target.relpath`` holds ``source``.

    The copy honours ``.gitignore`` files and skips VCS folders, virtualenvs, caches and evolver's
    own state; it is removed on exit. Commands run through ``run``, in the backend ``settings.sandbox``
    names, may write only inside the scratch area: the copy and the ``io_dir`` folders beside it.
    """

    def __init__(self, target: Target, source: str, settings: Settings) -> None:
        self.target = target
        self.source = source
        self.settings = settings
        self._tmp: Path | None = None
        self._backend: Backend | None = None

    def __enter__(self) -> Scratch:
        self._backend = backend_for(self.settings)
        files, links = _project_files(self.target.root)
        _refuse_oversize(self.target.root, files, self.settings.max_project_mb)
        self._tmp = Path(tempfile.mkdtemp(prefix="evolver-scratch-"))
        try:
            _copy(self.target.root, self.dir, files, links)
            self.module_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.module_path, "w", encoding="utf-8", newline="") as handle:
                handle.write(self.source)
        except OSError as exc:
            self._remove()
            raise EvolverError(f"cannot make a scratch copy of {self.target.root}: {exc}") from exc
        except BaseException:
            self._remove()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._remove()

    @property
    def dir(self) -> Path:
        """Root of the copy; named like the project root, because some tests read their folder's name."""
        if self._tmp is None:
            raise EvolverError("a scratch copy is used outside its `with` block")
        return self._tmp / (self.target.root.name or "project")

    @property
    def import_root(self) -> Path:
        return self.dir / self.target.import_root.relative_to(self.target.root)

    @property
    def module_path(self) -> Path:
        return self.dir / self.target.relpath

    @property
    def isolation(self) -> tuple[str, ...]:
        """The isolation layers the commands of this scratch run under."""
        return self._live_backend().isolation

    def io_dir(self) -> tempfile.TemporaryDirectory[str]:
        """A fresh folder beside the copy for a run's requests and answers, writable in the sandbox."""
        if self._tmp is None:
            raise EvolverError("a scratch copy is used outside its `with` block")
        return tempfile.TemporaryDirectory(prefix="io-", dir=self._tmp)

    def run(self, argv: Sequence[str], cwd: Path, *, env: Mapping[str, str], timeout_s: float,
            readable: Sequence[Path] = (), limits: Limits | None = None) -> RunResult:
        """Run ``argv`` in the sandbox; only the scratch area is writable, ``readable`` stays visible."""
        if self._tmp is None:
            raise EvolverError("a scratch copy is used outside its `with` block")
        job = Job(argv=tuple(argv), cwd=cwd, timeout_s=timeout_s, writable=(self._tmp,), readable=tuple(readable),
                  env=dict(env), limits=limits or Limits())
        return self._live_backend().run(job)

    def _live_backend(self) -> Backend:
        if self._backend is None:
            raise EvolverError("a scratch copy is used outside its `with` block")
        return self._backend

    def _remove(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def _project_files(root: Path) -> tuple[list[Path], list[Path]]:
    """Files and directory symlinks to copy, relative to ``root``, in walk order."""
    files: list[Path] = []
    links: list[Path] = []
    for rel_dir, dirnames, filenames, specs in _walk(root):
        keep_dirs = []
        for name in sorted(dirnames):
            rel = rel_dir / name
            if _skipped(name) or _ignored(specs, rel, is_dir=True):
                continue
            if (root / rel).is_symlink():
                links.append(rel)
            else:
                keep_dirs.append(name)
        dirnames[:] = keep_dirs
        files.extend(rel_dir / name for name in sorted(filenames)
                     if not _skipped(name) and not _ignored(specs, rel_dir / name, is_dir=False))
    return files, links


def _walk(root: Path) -> Iterator[tuple[Path, list[str], list[str], list[tuple[Path, pathspec.PathSpec]]]]:
    """os.walk with the ``.gitignore`` specs that apply to each directory (outermost first)."""
    specs_by_dir: dict[Path, list[tuple[Path, pathspec.PathSpec]]] = {}
    for current, dirnames, filenames in os.walk(root):
        rel_dir = Path(current).relative_to(root)
        inherited = specs_by_dir.get(rel_dir.parent, []) if rel_dir != Path(".") else []
        specs = inherited + _gitignore(root, rel_dir)
        specs_by_dir[rel_dir] = specs
        yield rel_dir, dirnames, filenames, specs


def _gitignore(root: Path, rel_dir: Path) -> list[tuple[Path, pathspec.PathSpec]]:
    path = root / rel_dir / ".gitignore"
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [(rel_dir, pathspec.GitIgnoreSpec.from_lines(lines))]


def _ignored(specs: list[tuple[Path, pathspec.PathSpec]], rel: Path, *, is_dir: bool) -> bool:
    """Git's rule: the deepest .gitignore that has an opinion on the path decides."""
    verdict = False
    for base, spec in specs:
        local = rel.relative_to(base).as_posix() + ("/" if is_dir else "")
        result = spec.check_file(local)
        if result.include is not None:
            verdict = result.include
    return verdict


def _skipped(name: str) -> bool:
    return name in SKIP_DIRS or name.endswith(SKIP_SUFFIXES)


def _refuse_oversize(root: Path, files: list[Path], max_mb: float) -> None:
    total = sum((root / rel).stat().st_size for rel in files if (root / rel).exists())
    if total > max_mb * _MB:
        raise EvolverError(f"project at {root} is {_megabytes(total)} MB, above the {max_mb:g} MB sandbox "
                           "limit (set max_project_mb)")


def _megabytes(size: int) -> str:
    return f"{size / _MB:.0f}" if size >= 10 * _MB else f"{size / _MB:.1f}"


def _copy(root: Path, dest: Path, files: list[Path], links: list[Path]) -> None:
    dest.mkdir(parents=True)
    for rel in files:
        source, target = root / rel, dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink() and not source.exists():
            continue  # a dangling link: nothing to copy
        shutil.copy2(source, target)  # follows file links: a candidate must not write through them
    for rel in links:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.readlink(root / rel), dest / rel)
