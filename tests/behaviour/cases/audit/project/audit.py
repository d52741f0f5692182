"""An audit log: each event is sent to a (slow) remote store and appended to the local log."""

from __future__ import annotations

import time

LOG: list[str] = []


def send(event: str) -> int:
    time.sleep(0.002 * len(event))  # the remote store takes longer for longer events
    LOG.append(event)
    return len(event)


def send_all(events: list[str]) -> list[int]:
    sizes = []
    for event in events:
        sizes.append(send(event))
    return sizes
