"""Values that cost a query but change only with a mark, kept under the marks they were
read at (core/reader.py): a mark only goes up, so a value kept under the current marks is
still the current value, in any process.

One per backend, that is per database: two databases served or tested in one process have
users and marks with the same numbers, and must never answer from each other's values.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Remembered:
    def __init__(self, size: int = 4096) -> None:
        self._values: dict[Hashable, Any] = {}
        self._size = size

    def get(self, key: Hashable) -> Any:
        """What ``put`` kept under ``key`` (which must name the marks it depends on)."""
        return self._values.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        if len(self._values) >= self._size:
            self._values.clear()  # crude, but bounded; a miss only costs the query it saves
        self._values[key] = value

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key in self._values:
            return self._values[key]  # type: ignore[no-any-return]
        value = compute()
        self.put(key, value)
        return value

    def clear(self) -> None:
        self._values.clear()
