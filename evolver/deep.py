"""Run syntax-tree work on a deep stack.

libcst's visitors recurse once per nesting level of the tree, and an implicitly concatenated
string of n parts (a generated table of help texts, say) nests n levels deep: the default
recursion limit of 1,000 stops the analysis of such a module with RecursionError. ``deep`` runs
the decorated function in a thread with a large stack and a high recursion limit (the stack is
reserved address space: only the pages a deep tree touches are used).
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 60_000

F = TypeVar("F", bound=Callable[..., Any])
_state = threading.local()


def deep(fn: F) -> F:
    """Decorate ``fn`` to run on a deep stack (directly when already on one)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if getattr(_state, "deep", False):
            return fn(*args, **kwargs)
        return call_deep(fn, *args, **kwargs)

    return cast(F, wrapper)


def call_deep(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a thread with a ``STACK_BYTES`` stack and a recursion limit of at
    least ``RECURSION_LIMIT``; its result, or its exception re-raised here."""
    outcome: list[Any] = []

    def target() -> None:
        _state.deep = True
        try:
            outcome.append((True, fn(*args, **kwargs)))
        except BaseException as exc:
            outcome.append((False, exc))

    with _raised_limit():
        with _STACK_SIZE_LOCK:
            previous = threading.stack_size(STACK_BYTES)
            try:
                thread = threading.Thread(target=target, name=f"evolver-deep-{fn.__name__}", daemon=True)
                thread.start()
            finally:
                threading.stack_size(previous)
        thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


_STACK_SIZE_LOCK = threading.Lock()
_LIMIT_LOCK = threading.Lock()
_raisers = 0
_saved_limit = 0


@contextlib.contextmanager
def _raised_limit() -> Iterator[None]:
    """The recursion limit is one number for the whole process: raise it while any deep call runs,
    put it back after the last one, so ordinary threads keep the limit their stack can take."""
    global _raisers, _saved_limit
    with _LIMIT_LOCK:
        if _raisers == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_saved_limit, RECURSION_LIMIT))
        _raisers += 1
    try:
        yield
    finally:
        with _LIMIT_LOCK:
            _raisers -= 1
            if _raisers == 0:
                sys.setrecursionlimit(_saved_limit)
