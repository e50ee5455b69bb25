"""Fixed-window limits, counted wherever the backend keeps counters (``core.limitstores``):
Redis, the database, or memory when one process serves alone."""

from __future__ import annotations

import math
import time

from taskhaven.core import events
from taskhaven.core.backend import Backend
from taskhaven.core.errors import LimitExceeded

clock = time.time
"""The wall clock windows are cut from (the same on every process; tests replace it)."""


def retry_after(window_seconds: int, now: float | None = None) -> int:
    """Whole seconds until the current window ends (at least 1)."""
    now = clock() if now is None else now
    end = (int(now // window_seconds) + 1) * window_seconds
    return max(1, math.ceil(end - now))


def _window(window_seconds: int, now: float) -> int:
    return int(now // window_seconds)


def counts_on_loop(backend: Backend) -> bool:
    """Whether a request may count on the event loop: a dictionary update in this process
    (one process serving alone), or one upsert on PostgreSQL; a count that may wait (a
    SQLite writer's lock, a Redis timeout) is made in the thread pool (docs/performance.md,
    the read path)."""
    return backend.counters.on_loop


def hit(backend: Backend, key: str, limit: int, window_seconds: int = 60) -> None:
    """Count one event under ``key``; raise LimitExceeded past ``limit`` per window.

    ``limit == 0`` switches the limit off (and counts nothing). A refusal is announced as
    the event ``rate_limited`` with the key's first part (``v6-sync``, ``v1-write``) as its
    kind.
    """
    if limit <= 0:
        return
    now = clock()
    window = _window(window_seconds, now)
    count = backend.counters.add(key, window, (window + 1) * window_seconds)
    if count > limit:
        events.emit("rate_limited", key.partition(":")[0])
        raise LimitExceeded("Too many requests", retry_after=retry_after(window_seconds, now))


def record(backend: Backend, key: str, window_seconds: int) -> None:
    """Count one event under ``key`` without checking a limit (a failure already refused)."""
    window = _window(window_seconds, clock())
    backend.counters.add(key, window, (window + 1) * window_seconds)


def count(backend: Backend, key: str, window_seconds: int) -> int:
    """Events counted under ``key`` in the current window."""
    return backend.counters.get(key, _window(window_seconds, clock()))
