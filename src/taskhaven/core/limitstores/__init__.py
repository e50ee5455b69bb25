"""Where fixed-window counters live: Redis, the database, or this process's memory.

Every counter a request depends on (rate limits, sign-on failures) must be seen by every
process serving the database, or a client spreading its requests over several workers gets
a multiple of its limit. So memory is chosen only while this process provably serves alone:
it holds an exclusive claim on the SQLite database (``claim``), which every process counting
elsewhere holds shared.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy import Engine

from taskhaven.core.limitstores.claim import Claim, ClaimRefused, claim
from taskhaven.core.limitstores.database import DatabaseCounters, RunFirst
from taskhaven.core.limitstores.memory import MemoryCounters
from taskhaven.settings import Settings

log = logging.getLogger(__name__)

__all__ = [
    "ClaimRefused",
    "Counters",
    "DatabaseCounters",
    "MemoryCounters",
    "Opened",
    "open_for_serving",
]


class Counters(Protocol):
    """Counts per ``(key, window)``; a window's count is dropped once ``expires_at`` passed."""

    name: str
    # Whether ``add`` is bounded and short enough to run on the event loop.
    on_loop: bool

    def add(self, key: str, window: int, expires_at: float) -> int:
        """Count one event; the window's count including it. Atomic across processes."""
        ...

    def get(self, key: str, window: int) -> int:
        """The window's count so far (0 when none)."""
        ...

    def close(self) -> None: ...


class Opened:
    """The counters a server uses, with the claim that keeps them consistent."""

    def __init__(self, counters: Counters, held: Claim | None) -> None:
        self.counters = counters
        self._held = held

    def close(self) -> None:
        self.counters.close()
        if self._held is not None:
            self._held.release()


def _redis(settings: Settings, engine: Engine, run_first: RunFirst) -> Counters:
    from taskhaven.core.limitstores.redis_store import RedisCounters

    assert settings.redis_url
    return RedisCounters(
        settings.redis_url,
        fallback=DatabaseCounters(engine, run_first),
        prefix=settings.redis_key_prefix + "limit:",
    )


def open_for_serving(settings: Settings, engine: Engine, run_first: RunFirst) -> Opened:
    """The counters of a server process, chosen by ``settings.rate_limit_store``.

    ``run_first`` is the backend's ``loop_first``: database counters on PostgreSQL count
    with it, on the event loop when called there (``DatabaseCounters``).

    Raises ClaimRefused when this choice would disagree with another process serving the
    same SQLite database (one counts in memory, so the other's counts would not add up).
    """
    store = settings.rate_limit_store
    if store == "auto":
        if settings.redis_url:
            store = "redis"
        elif settings.workers == 1 and engine.dialect.name == "sqlite":
            alone = claim(engine, exclusive=True)
            if alone is not None:
                return Opened(MemoryCounters(), alone)
            store = "database"
        else:
            store = "database"
    if store == "memory":
        # Settings refuse memory with several workers; the claim refuses a second process.
        return Opened(MemoryCounters(), claim(engine, exclusive=True, required=True))
    shared = claim(engine, exclusive=False, required=True)
    counters = (
        _redis(settings, engine, run_first)
        if store == "redis"
        else DatabaseCounters(engine, run_first)
    )
    log.info("rate-limit counters: %s", counters.name)
    return Opened(counters, shared)
