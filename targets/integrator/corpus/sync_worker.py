"""Mirror a remote catalogue: list items, fetch each one, store what changed."""

from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.request
from pathlib import Path

log = logging.getLogger(__name__)
API = "https://catalogue.example.com/api/v2"


def fetch_index(session_token: str) -> list[dict[str, str]]:
    request = urllib.request.Request(f"{API}/items", headers={"Authorization": f"Bearer {session_token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def fetch_item(item_id: str, session_token: str) -> bytes:
    request = urllib.request.Request(f"{API}/items/{item_id}", headers={"Authorization": f"Bearer {session_token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_manifest(folder: Path) -> dict[str, str]:
    path = folder / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def save_manifest(folder: Path, manifest: dict[str, str]) -> None:
    tmp = folder / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(folder / "manifest.json")


def fetch_all(item_ids: list[str], session_token: str) -> list[bytes]:
    payloads = []
    for item_id in item_ids:
        payloads.append(fetch_item(item_id, session_token))
    return payloads


def sync(folder: Path, session_token: str, pause: float = 0.0) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(folder)
    index = fetch_index(session_token)
    ids = [entry["id"] for entry in index]
    stats = {"unchanged": 0, "updated": 0, "removed": 0, "failed": 0}
    for item_id in ids:
        try:
            payload = fetch_item(item_id, session_token)
        except OSError as exc:
            log.warning("could not fetch %s: %s", item_id, exc)
            stats["failed"] += 1
            continue
        checksum = digest(payload)
        if manifest.get(item_id) == checksum:
            stats["unchanged"] += 1
        else:
            (folder / f"{item_id}.bin").write_bytes(payload)
            manifest[item_id] = checksum
            stats["updated"] += 1
        if pause:
            time.sleep(pause)
    for stale in sorted(set(manifest) - set(ids)):
        (folder / f"{stale}.bin").unlink(missing_ok=True)
        del manifest[stale]
        stats["removed"] += 1
    save_manifest(folder, manifest)
    return stats


def verify_folder(folder: Path) -> list[str]:
    manifest = load_manifest(folder)
    broken = []
    for item_id, checksum in sorted(manifest.items()):
        path = folder / f"{item_id}.bin"
        if not path.exists() or digest(path.read_bytes()) != checksum:
            broken.append(item_id)
    return broken
