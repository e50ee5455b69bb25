"""Counters in this process's memory: no write per request, for one process serving alone."""

from __future__ import annotations

import threading
import time


class MemoryCounters:
    name = "memory"
    on_loop = True  # a dictionary update under a lock held for microseconds
    _PRUNE_AT = 10_000

    def __init__(self) -> None:
        # key -> (window, count, expires_at); handlers run on several threads.
        self._counts: dict[str, tuple[int, int, float]] = {}
        self._lock = threading.Lock()
        self._prune_at = self._PRUNE_AT

    def add(self, key: str, window: int, expires_at: float) -> int:
        with self._lock:
            held = self._counts.get(key)
            count = held[1] + 1 if held is not None and held[0] == window else 1
            self._counts[key] = (window, count, expires_at)
            if len(self._counts) >= self._prune_at:
                self._prune()
            return count

    def get(self, key: str, window: int) -> int:
        with self._lock:
            held = self._counts.get(key)
        return held[1] if held is not None and held[0] == window else 0

    def _prune(self) -> None:
        """Drop ended windows; memory stays bounded by the keys counted in one window."""
        now = time.time()
        self._counts = {k: v for k, v in self._counts.items() if v[2] > now}
        self._prune_at = max(self._PRUNE_AT, 2 * len(self._counts))

    def close(self) -> None:
        with self._lock:
            self._counts.clear()
