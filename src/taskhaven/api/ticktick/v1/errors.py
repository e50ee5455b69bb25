"""The one mapping from core errors to the V1 API's answers (spec §1.5).

Bodies use TickTick's envelope ``{errorId, errorCode, errorMessage, data}``; pyticktick shows
the body in its error and retries only when it contains ``exceed_query_limit``.
"""

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
)
from taskhaven.core.oauth.scopes import InsufficientScope


class V1Error(TickTickError):
    """An error decided by the V1 adapter itself (not by core), already in wire terms."""


# First match wins: InsufficientScope is a kind of Forbidden.
_STATUS: tuple[tuple[type[DomainError] | tuple[type[DomainError], ...], int, str], ...] = (
    (AuthenticationFailed, 401, "unauthorized"),
    (InsufficientScope, 403, "insufficient_scope"),
    (Forbidden, 403, "no_permission"),
    (NotFound, 404, "not_existed"),
    ((InvalidArgument, MissingArgument), 400, "invalid_parameter"),
    (Conflict, 409, "conflict"),
    (LimitExceeded, 429, "exceed_query_limit"),
)


def map_error(exc: DomainError | V1Error) -> Response:
    if isinstance(exc, V1Error):
        return error_response(exc.status, exc.code, exc.message)
    for kinds, status, code in _STATUS:
        if isinstance(exc, kinds):
            headers: dict[str, str] = {}
            if isinstance(exc, LimitExceeded) and exc.retry_after:
                headers["Retry-After"] = str(exc.retry_after)
            if status == 401:
                headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            if isinstance(exc, InsufficientScope):
                headers["WWW-Authenticate"] = (
                    f'Bearer error="insufficient_scope", scope="{" ".join(exc.needed)}"'
                )
            # The retry of pyticktick matches the first line of the message: keep the code
            # in it.
            message = f"exceed_query_limit: {exc.message}" if status == 429 else exc.message
            return error_response(status, code, message, headers or None)
    return error_response(400, "invalid_parameter", exc.message)
