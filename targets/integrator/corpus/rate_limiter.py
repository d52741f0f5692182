"""Token-bucket and sliding-window rate limiters for outbound API calls."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable


class TokenBucket:
    def __init__(self, rate: float, capacity: int, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or capacity <= 0:
            raise ValueError("rate and capacity must be positive")
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self.tokens = float(capacity)
        self.updated = clock()
        self.lock = threading.Lock()

    def _refill(self) -> None:
        now = self.clock()
        elapsed = now - self.updated
        if elapsed > 0:
            self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
            self.updated = now

    def try_acquire(self, tokens: int = 1) -> bool:
        with self.lock:
            self._refill()
            if self.tokens >= tokens:
                self.tokens -= tokens
                return True
            return False

    def wait_time(self, tokens: int = 1) -> float:
        with self.lock:
            self._refill()
            missing = tokens - self.tokens
            return 0.0 if missing <= 0 else missing / self.rate

    def acquire(self, tokens: int = 1, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else self.clock() + timeout
        while not self.try_acquire(tokens):
            delay = self.wait_time(tokens)
            if deadline is not None and self.clock() + delay > deadline:
                return False
            time.sleep(delay)
        return True


class SlidingWindow:
    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.events: deque[float] = deque()

    def allow(self) -> bool:
        now = self.clock()
        while self.events and now - self.events[0] >= self.window:
            self.events.popleft()
        if len(self.events) < self.limit:
            self.events.append(now)
            return True
        return False

    def remaining(self) -> int:
        now = self.clock()
        recent = [t for t in self.events if now - t < self.window]
        return max(0, self.limit - len(recent))


def throttled(bucket: TokenBucket, func: Callable[..., object]) -> Callable[..., object]:
    def wrapper(*args: object, **kwargs: object) -> object:
        bucket.acquire()
        return func(*args, **kwargs)

    wrapper.__name__ = getattr(func, "__name__", "throttled")
    return wrapper


def spread_calls(calls: list[Callable[[], object]], per_second: float) -> list[object]:
    bucket = TokenBucket(per_second, max(1, int(per_second)))
    results = []
    for call in calls:
        bucket.acquire()
        results.append(call())
    return results
