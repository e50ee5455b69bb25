"""TickTick's error envelope ``{errorId, errorCode, errorMessage, data}``, which V1 and V2
answer with; each adapter keeps its own table from core errors to status and code, and
``map_error`` reads it alike for both."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import orjson
from starlette.responses import Response

from taskhaven.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidArgument,
    LimitExceeded,
    MissingArgument,
    NotFound,
)

# Status and code per core error, first match wins; each version has its own table.
ErrorTable = tuple[tuple[type[DomainError] | tuple[type[DomainError], ...], int, str], ...]

# The rows V1 and V2 answer alike; none of these errors is a kind of another.
SHARED_ERRORS: ErrorTable = (
    (Forbidden, 403, "no_permission"),
    (NotFound, 404, "not_existed"),
    ((InvalidArgument, MissingArgument), 400, "invalid_parameter"),
    (Conflict, 409, "conflict"),
    (LimitExceeded, 429, "exceed_query_limit"),
)


class TickTickError(Exception):
    """An error decided by the adapter itself (not by core), already in wire terms."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def envelope(code: str, message: str, data: Any = None) -> dict[str, Any]:
    return {
        "errorId": secrets.token_hex(8),
        "errorCode": code,
        "errorMessage": message,
        "data": data,
    }


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(envelope(code, message)),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _same_message(exc: DomainError, _status: int) -> str:
    return exc.message


def _no_headers(_exc: DomainError, _status: int) -> dict[str, str]:
    return {}


def map_error(
    exc: DomainError | TickTickError,
    table: ErrorTable,
    *,
    message: Callable[[DomainError, int], str] = _same_message,
    headers: Callable[[DomainError, int], dict[str, str]] = _no_headers,
) -> Response:
    """The answer to ``exc``: the adapter's own error as it is, a core error by the first row
    of ``table`` it is a kind of (``Retry-After`` when a limit says when; a version may add
    ``headers`` and reword the ``message``), anything else a 400 ``invalid_parameter``."""
    if isinstance(exc, TickTickError):
        return error_response(exc.status, exc.code, exc.message)
    for kinds, status, code in table:
        if isinstance(exc, kinds):
            extra: dict[str, str] = {}
            if isinstance(exc, LimitExceeded) and exc.retry_after:
                extra["Retry-After"] = str(exc.retry_after)
            extra |= headers(exc, status)
            return error_response(status, code, message(exc, status), extra or None)
    return error_response(400, "invalid_parameter", exc.message)
