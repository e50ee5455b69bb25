"""When to try a request again, and how long to wait first — shared by sync and async clients.

Only requests that are safe to repeat are retried: idempotent methods (GET, HEAD, OPTIONS, PUT,
DELETE) and requests the caller marks safe (a Sync API commit whose every command carries a
uuid: the server runs each uuid once and answers a repeat with the stored result). A 429 waits
the server's ``Retry-After``; other failures back off exponentially with jitter.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from taskhaven.sdk._exceptions import APIError, RateLimitError, TransportError

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRIED_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` in all (1 = never retry); waits grow from `backoff` up to `max_wait`."""

    attempts: int = 4
    backoff: float = 0.5
    max_wait: float = 60.0

    def delay(self, attempt: int, error: Exception, *, safe: bool) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up and raise `error`."""
        if attempt >= self.attempts or not safe:
            return None
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            if error.retry_after > self.max_wait:
                return None  # the server asks for longer than the caller allows
            return float(error.retry_after)
        if isinstance(error, TransportError) or (
            isinstance(error, APIError) and error.status_code in RETRIED_STATUSES
        ):
            wait = self.backoff * 2.0 ** (attempt - 1)
            return min(self.max_wait, wait * (0.5 + random.random() / 2))  # noqa: S311
        return None  # a 500 or a 4xx: repeating the same request would fail the same way


NO_RETRY = RetryPolicy(attempts=1)


def is_safe(method: str, marked: bool | None) -> bool:
    """Whether a request may be repeated: `marked` overrides the method's default."""
    return marked if marked is not None else method.upper() in IDEMPOTENT_METHODS
