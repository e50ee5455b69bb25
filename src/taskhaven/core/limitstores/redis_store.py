"""Counters in Redis: INCR and EXPIREAT in one MULTI/EXEC, no database write per request.

When Redis cannot be reached the count goes to the database instead (logged once per
outage), so limits stay shared and enforced rather than failing every request.
"""

from __future__ import annotations

import logging
import threading

import redis

from taskhaven.core.limitstores.database import DatabaseCounters

log = logging.getLogger(__name__)


class RedisCounters:
    name = "redis"
    on_loop = False  # a Redis that stopped answering holds a call for its timeout

    def __init__(self, url: str, fallback: DatabaseCounters, prefix: str) -> None:
        # Short timeouts: an unreachable Redis costs a request one second, not thirty.
        self._client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._fallback = fallback
        self._prefix = prefix
        self._down = False
        self._lock = threading.Lock()

    def _key(self, key: str, window: int) -> str:
        return f"{self._prefix}{key}:{window}"

    def _outage(self, exc: Exception) -> None:
        with self._lock:
            if not self._down:
                log.warning("Redis unreachable, counting in the database: %s", exc)
            self._down = True

    def _recovered(self) -> None:
        if self._down:
            with self._lock:
                if self._down:
                    log.warning("Redis reachable again, counting there")
                self._down = False

    def add(self, key: str, window: int, expires_at: float) -> int:
        name = self._key(key, window)
        pipe = self._client.pipeline(transaction=True)
        pipe.incr(name)
        # EXPIREAT of the window's end is the same on every hit: no race between writers.
        pipe.expireat(name, int(expires_at) + 1)
        try:
            count, _ = pipe.execute()
        except redis.RedisError as exc:
            self._outage(exc)
            return self._fallback.add(key, window, expires_at)
        self._recovered()
        return int(count)

    def get(self, key: str, window: int) -> int:
        try:
            value = self._client.get(self._key(key, window))
        except redis.RedisError as exc:
            self._outage(exc)
            return self._fallback.get(key, window)
        self._recovered()
        return int(value or 0)  # type: ignore[arg-type]

    def close(self) -> None:
        self._client.close()
