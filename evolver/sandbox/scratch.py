"""A scratch copy of the target's project with the target module replaced by a candidate source,
and the sandbox backend that runs commands in it."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
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
        self._pristine: dict[Path, tuple[int, int]] = {}  # copied file -> (size, mtime_ns), for reuse

    def __enter__(self) -> Scratch:
        self._backend = backend_for(self.settings)
        files, links = _project_files(self.target.root)
        _refuse_oversize(self.target.root, files, self.settings.max_project_mb)
        self._tmp = Path(tempfile.mkdtemp(prefix="evolver-scratch-"))
        try:
            _copy(self.target.root, self.dir, files, links)
            self._pristine = _snapshot(self.dir)
            self._write_module()
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

    def reuse(self, source: str) -> None:
        """Make this copy hold ``source`` as if freshly made: files the earlier runs added are
        removed, files they changed (or the old module) are copied again from the project."""
        if self._tmp is None:
            raise EvolverError("a scratch copy is used outside its `with` block")
        try:
            _restore(self.target.root, self.dir, self._pristine)
            for folder in self._tmp.iterdir():
                if folder != self.dir:
                    shutil.rmtree(folder, ignore_errors=True)  # io folders left by killed runs
            self.source = source
            self._write_module()
        except OSError as exc:
            raise EvolverError(f"cannot reuse the scratch copy of {self.target.root}: {exc}") from exc

    def _write_module(self) -> None:
        self.module_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.module_path, "w", encoding="utf-8", newline="") as handle:
            handle.write(self.source)

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
            readable: Sequence[Path] = (), limits: Limits | None = None,
            cancel: threading.Event | None = None) -> RunResult:
        """Run ``argv`` in the sandbox; only the scratch area is writable, ``readable`` stays visible.
        Setting ``cancel`` stops the run at once."""
        if self._tmp is None:
            raise EvolverError("a scratch copy is used outside its `with` block")
        job = Job(argv=tuple(argv), cwd=cwd, timeout_s=timeout_s, writable=(self._tmp,), readable=tuple(readable),
                  env=dict(env), limits=limits or Limits(), cancel=cancel)
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


def _snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    """Every file under ``folder`` (links not followed): its size and modification time."""
    found: dict[Path, tuple[int, int]] = {}
    for current, dirnames, filenames in os.walk(folder):
        for name in (*filenames, *(d for d in dirnames if os.path.islink(os.path.join(current, d)))):
            path = Path(current, name)
            info = path.lstat()
            found[path.relative_to(folder)] = (info.st_size, info.st_mtime_ns)
    return found


def _restore(root: Path, dest: Path, pristine: dict[Path, tuple[int, int]]) -> None:
    """Bring the copy ``dest`` back to ``pristine``: remove what was added, re-copy what changed."""
    now = _snapshot(dest)
    for rel in set(now) - set(pristine):
        (dest / rel).unlink()
    kept = {parent for rel in pristine for parent in rel.parents}
    for current, dirnames, _ in os.walk(dest, topdown=False):
        for name in dirnames:
            folder = Path(current, name)
            if folder.relative_to(dest) not in kept and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)
    for rel, mark in pristine.items():
        if now.get(rel) == mark:
            continue
        source, copy = root / rel, dest / rel
        copy.parent.mkdir(parents=True, exist_ok=True)
        if copy.is_symlink() or (copy.exists() and not copy.is_file()):
            copy.unlink() if copy.is_symlink() else shutil.rmtree(copy)
        if source.is_symlink() and source.is_dir():
            os.symlink(os.readlink(source), copy)  # a directory link stays a link, as when copied
        else:
            shutil.copy2(source, copy)


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
