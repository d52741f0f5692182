"""An audit log: each event is sent to a (slow) remote store and appended to the local log."""

from __future__ import annotations

import concurrent.futures
import time

LOG: list[str] = []


def send(event: str) -> int:
    time.sleep(0.002 * len(event))  # the remote store takes longer for longer events
    LOG.append(event)
    return len(event)


def send_all(events: list[str]) -> list[int]:
    sizes = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as _evolver_pool:
        sizes.extend(_evolver_pool.map(send, events))
    return sizes
