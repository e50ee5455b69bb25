"""Fixed-window counters kept in the database, so several server processes share them."""

from __future__ import annotations

import math
import time

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from taskhaven.core import events
from taskhaven.core.backend import Backend
from taskhaven.core.errors import LimitExceeded
from taskhaven.store.schema import rate_counters


def hit(backend: Backend, key: str, limit: int, window_seconds: int = 60) -> None:
    """Count one event under ``key``; raise LimitExceeded past ``limit`` per window.

    ``limit == 0`` switches the limit off. The upsert is atomic on both databases, so two
    processes counting at once never lose a hit. A refusal is announced as the event
    ``rate_limited`` with the key's first part (``v6-sync``, ``v1-write``) as its kind.
    """
    if limit <= 0:
        return
    now = time.time()
    window = int(now // window_seconds)
    count = _add(backend, key, window)
    if count > limit:
        events.emit("rate_limited", key.partition(":")[0])
        retry_after = max(1, math.ceil((window + 1) * window_seconds - now))
        raise LimitExceeded("Too many requests", retry_after=retry_after)


def record(backend: Backend, key: str, window_seconds: int) -> None:
    """Count one event under ``key`` without checking a limit (a failure already refused)."""
    _add(backend, key, int(time.time() // window_seconds))


def _add(backend: Backend, key: str, window: int) -> int:
    insert = pg_insert if backend.engine.dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(rate_counters)
        .values(key=key, window=window, count=1)
        .on_conflict_do_update(
            index_elements=[rate_counters.c.key, rate_counters.c.window],
            set_={"count": rate_counters.c.count + 1},
        )
        .returning(rate_counters.c.count)
    )
    with backend.plain_write() as conn:
        count = int(conn.execute(stmt).scalar_one())
        if count == 1:
            # First hit of a window: forget this key's older windows.
            conn.execute(
                delete(rate_counters).where(
                    rate_counters.c.key == key, rate_counters.c.window < window
                )
            )
    return count


def count(backend: Backend, key: str, window_seconds: int) -> int:
    window = int(time.time() // window_seconds)
    with backend.read() as conn:
        value = conn.execute(
            select(rate_counters.c.count).where(
                rate_counters.c.key == key, rate_counters.c.window == window
            )
        ).scalar()
    return int(value or 0)
