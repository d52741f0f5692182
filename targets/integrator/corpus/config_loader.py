"""Layered configuration: defaults, then a TOML file, then environment variables."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

ENV_PREFIX = "APP_"
DEFAULTS: dict[str, Any] = {
    "server": {"host": "127.0.0.1", "port": 8080, "workers": 4},
    "database": {"url": "sqlite:///app.db", "pool_size": 5, "echo": False},
    "logging": {"level": "INFO", "json": False},
}


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def coerce(raw: str, like: Any) -> Any:
    if isinstance(like, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(raw)
    if isinstance(like, float):
        return float(raw)
    return raw


def from_env(environ: dict[str, str], defaults: dict[str, Any]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        parts = name[len(ENV_PREFIX):].lower().split("__")
        node = defaults
        for part in parts[:-1]:
            node = node.get(part, {}) if isinstance(node, dict) else {}
        like = node.get(parts[-1], "") if isinstance(node, dict) else ""
        target = overrides
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = coerce(raw, like)
    return overrides


def find_config(start: Path, name: str = "app.toml") -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def load(start: Path | None = None, environ: dict[str, str] | None = None) -> dict[str, Any]:
    config = dict(DEFAULTS)
    path = find_config(start or Path.cwd())
    if path is not None:
        with open(path, "rb") as handle:
            config = deep_merge(config, tomllib.load(handle))
    env = dict(os.environ) if environ is None else environ
    return deep_merge(config, from_env(env, config))


def flatten(config: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in config.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            flat.update(flatten(value, dotted))
        else:
            flat[dotted] = value
    return flat
