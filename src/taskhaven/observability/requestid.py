"""Each request's id: the client's ``X-Request-Id`` when it is sane, else a fresh one.

The id lives in a context variable for the request's task; Starlette runs sync handlers in
threads with a copy of that context, so a log line written anywhere while the request is
handled can carry it (``RequestIdFilter``).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import secrets
from contextvars import ContextVar

HEADER = b"x-request-id"
MAX_LENGTH = 64
# Letters, digits and a few separators: nothing that could forge a log line or a header.
_SAFE = re.compile(rb"[A-Za-z0-9._:-]{1,%d}" % MAX_LENGTH)

current: ContextVar[str | None] = ContextVar("taskhaven_request_id", default=None)


def choose(headers: list[tuple[bytes, bytes]]) -> str:
    """The incoming id if it is 1-64 safe characters, else a new random one."""
    for name, value in headers:
        if name == HEADER:
            if _SAFE.fullmatch(value):
                return value.decode("ascii")
            break
    return _fresh()


# A random prefix per process and a counter: unique across processes and restarts without
# a trip to the kernel's random source per request. Ids name requests in logs; they are
# not secrets and grant nothing.
_PREFIX = secrets.token_hex(4)
_COUNTER = itertools.count(1)


def _reseed() -> None:
    # A forked worker must not repeat its parent's ids.
    global _PREFIX, _COUNTER
    _PREFIX, _COUNTER = secrets.token_hex(4), itertools.count(1)


os.register_at_fork(after_in_child=_reseed)


def _fresh() -> str:
    return f"{_PREFIX}{next(_COUNTER):08x}"


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id`` attribute ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current.get() or "-"
        return True
