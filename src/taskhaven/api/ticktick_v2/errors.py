"""The one mapping from core errors to TickTick's error envelope."""

from __future__ import annotations

import secrets
from typing import Any

import orjson
from starlette.responses import Response

from taskhaven.core.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    Forbidden,
    InvalidArgument,
    LimitExceeded,
    MissingArgument,
    NotFound,
    SecondFactorExpired,
    SecondFactorIncorrect,
    WrongCredentials,
)


class V2Error(Exception):
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


def map_error(exc: DomainError | V2Error) -> Response:
    if isinstance(exc, V2Error):
        return error_response(exc.status, exc.code, exc.message)
    if isinstance(exc, WrongCredentials):
        return error_response(401, "username_password_not_match", exc.message)
    if isinstance(exc, SecondFactorIncorrect):
        return error_response(401, "incorrect_mfa_code", exc.message)
    if isinstance(exc, SecondFactorExpired):
        return error_response(401, "mfa_expired", exc.message)
    if isinstance(exc, AuthenticationFailed):
        return error_response(401, "user_not_sign_on", exc.message)
    if isinstance(exc, NotFound):
        return error_response(404, "not_existed", exc.message)
    if isinstance(exc, (InvalidArgument, MissingArgument)):
        return error_response(400, "invalid_parameter", exc.message)
    if isinstance(exc, Forbidden):
        return error_response(403, "no_permission", exc.message)
    if isinstance(exc, Conflict):
        return error_response(409, "conflict", exc.message)
    if isinstance(exc, LimitExceeded):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return error_response(429, "exceed_query_limit", exc.message, headers)
    return error_response(400, "invalid_parameter", exc.message)


def batch_code(exc: DomainError) -> str:
    """The ``id2error`` value for one object of a batch write that failed.

    ``EXCEED_QUOTA`` makes pyticktick raise; the other codes are passed to its caller.
    """
    if isinstance(exc, NotFound):
        return "NOT_EXISTED"
    if isinstance(exc, Forbidden):
        return "NO_PROJECT_PERMISSION"
    if isinstance(exc, LimitExceeded):
        return "EXCEED_QUOTA"
    if isinstance(exc, Conflict):
        return "ALREADY_EXISTS"
    return "INVALID_PARAMETER"
