"""The one mapping from core errors to TickTick's error envelope."""

from __future__ import annotations

from starlette.responses import Response

from taskhaven.api.ticktick.codes.errors import TickTickError, error_response
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


class V2Error(TickTickError):
    """An error decided by the V2 adapter itself (not by core), already in wire terms."""


# Status and code per core error, first match wins: the credential and second-factor errors
# are kinds of AuthenticationFailed, so they come before it. Anything else is a 400.
_STATUS: tuple[tuple[type[DomainError] | tuple[type[DomainError], ...], int, str], ...] = (
    (WrongCredentials, 401, "username_password_not_match"),
    (SecondFactorIncorrect, 401, "incorrect_mfa_code"),
    (SecondFactorExpired, 401, "mfa_expired"),
    (AuthenticationFailed, 401, "user_not_sign_on"),
    (NotFound, 404, "not_existed"),
    ((InvalidArgument, MissingArgument), 400, "invalid_parameter"),
    (Forbidden, 403, "no_permission"),
    (Conflict, 409, "conflict"),
    (LimitExceeded, 429, "exceed_query_limit"),
)

# The ``id2error`` value for one object of a batch write that failed, first match wins.
# ``EXCEED_QUOTA`` makes pyticktick raise; the other codes are passed to its caller.
_BATCH_CODES: tuple[tuple[type[DomainError], str], ...] = (
    (NotFound, "NOT_EXISTED"),
    (Forbidden, "NO_PROJECT_PERMISSION"),
    (LimitExceeded, "EXCEED_QUOTA"),
    (Conflict, "ALREADY_EXISTS"),
)


def map_error(exc: DomainError | V2Error) -> Response:
    if isinstance(exc, V2Error):
        return error_response(exc.status, exc.code, exc.message)
    for kinds, status, code in _STATUS:
        if isinstance(exc, kinds):
            headers = None
            if isinstance(exc, LimitExceeded) and exc.retry_after:
                headers = {"Retry-After": str(exc.retry_after)}
            return error_response(status, code, exc.message, headers)
    return error_response(400, "invalid_parameter", exc.message)


def batch_code(exc: DomainError) -> str:
    """The ``id2error`` value for one object of a batch write that failed (``_BATCH_CODES``)."""
    for kind, code in _BATCH_CODES:
        if isinstance(exc, kind):
            return code
    return "INVALID_PARAMETER"
