"""The one mapping from core errors to TickTick's error envelope."""

from __future__ import annotations

from starlette.responses import Response

from taskhaven.api.ticktick.codes import errors
from taskhaven.api.ticktick.codes.errors import SHARED_ERRORS, ErrorTable, TickTickError
from taskhaven.core.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    Forbidden,
    LimitExceeded,
    NotFound,
    SecondFactorExpired,
    SecondFactorIncorrect,
    WrongCredentials,
)


class V2Error(TickTickError):
    """An error decided by the V2 adapter itself (not by core), already in wire terms."""


# Status and code per core error, first match wins: the credential and second-factor errors
# are kinds of AuthenticationFailed, so they come before it. Anything else is a 400.
_STATUS: ErrorTable = (
    (WrongCredentials, 401, "username_password_not_match"),
    (SecondFactorIncorrect, 401, "incorrect_mfa_code"),
    (SecondFactorExpired, 401, "mfa_expired"),
    (AuthenticationFailed, 401, "user_not_sign_on"),
    *SHARED_ERRORS,
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
    return errors.map_error(exc, _STATUS)


def batch_code(exc: DomainError) -> str:
    """The ``id2error`` value for one object of a batch write that failed (``_BATCH_CODES``)."""
    for kind, code in _BATCH_CODES:
        if isinstance(exc, kind):
            return code
    return "INVALID_PARAMETER"
