"""A JSON file cache with time-to-live entries and size-bounded eviction."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path


class CacheStore:
    def __init__(self, directory: str | Path, ttl: float = 3600.0, max_entries: int = 1000) -> None:
        self.directory = Path(directory)
        self.ttl = ttl
        self.max_entries = max_entries
        self.directory.mkdir(parents=True, exist_ok=True)

    def _path_for(self, key: str) -> Path:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.json"

    def get(self, key: str, default: object = None) -> object:
        path = self._path_for(key)
        try:
            with open(path, encoding="utf-8") as handle:
                entry = json.load(handle)
        except (FileNotFoundError, json.JSONDecodeError):
            return default
        if entry.get("expires", 0) < time.time():
            self.delete(key)
            return default
        return entry.get("value", default)

    def set(self, key: str, value: object, ttl: float | None = None) -> None:
        path = self._path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"key": key, "value": value, "expires": time.time() + (ttl or self.ttl)}
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(entry, handle)
        os.replace(tmp, path)
        if self.count() > self.max_entries:
            self.evict()

    def delete(self, key: str) -> bool:
        try:
            self._path_for(key).unlink()
        except FileNotFoundError:
            return False
        return True

    def entries(self) -> list[Path]:
        return sorted(self.directory.glob("*/*.json"))

    def count(self) -> int:
        return len(self.entries())

    def evict(self) -> int:
        entries = sorted(self.entries(), key=lambda p: p.stat().st_mtime)
        excess = len(entries) - self.max_entries
        removed = 0
        for path in entries:
            if removed >= excess:
                break
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def purge_expired(self) -> int:
        now = time.time()
        removed = 0
        for path in self.entries():
            try:
                with open(path, encoding="utf-8") as handle:
                    entry = json.load(handle)
            except (OSError, json.JSONDecodeError):
                path.unlink(missing_ok=True)
                removed += 1
                continue
            if entry.get("expires", 0) < now:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def cached(store: CacheStore, key: str, compute: object) -> object:
    marker = object()
    value = store.get(key, marker)
    if value is marker:
        value = compute()  # type: ignore[operator]
        store.set(key, value)
    return value
