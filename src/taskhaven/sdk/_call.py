"""A request described as data, so the sync and async clients share every endpoint's shape."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Call(Generic[T]):
    """One endpoint call: what to send and what the answer validates as (None: no body)."""

    method: str
    path: str
    shape: Any = None
    params: dict[str, Any] | None = None
    json: Any = None
    data: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    safe: bool | None = None  # None: by the method (GET, PUT, DELETE are safe to repeat)
