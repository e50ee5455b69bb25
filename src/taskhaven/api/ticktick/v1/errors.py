"""The one mapping from core errors to the V1 API's answers (spec §1.5).

Bodies use TickTick's envelope ``{errorId, errorCode, errorMessage, data}``; pyticktick shows
the body in its error and retries only when it contains ``exceed_query_limit``.
"""

from __future__ import annotations

from starlette.responses import Response

from taskhaven.api.ticktick.codes import errors
from taskhaven.api.ticktick.codes.errors import SHARED_ERRORS, ErrorTable, TickTickError
from taskhaven.core.errors import AuthenticationFailed, DomainError
from taskhaven.core.oauth.scopes import InsufficientScope


class V1Error(TickTickError):
    """An error decided by the V1 adapter itself (not by core), already in wire terms."""


# First match wins: InsufficientScope is a kind of Forbidden.
_STATUS: ErrorTable = (
    (AuthenticationFailed, 401, "unauthorized"),
    (InsufficientScope, 403, "insufficient_scope"),
    *SHARED_ERRORS,
)


def _headers(exc: DomainError, status: int) -> dict[str, str]:
    if isinstance(exc, InsufficientScope):
        scope = " ".join(exc.needed)
        return {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'}
    if status == 401:
        return {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    return {}


def _message(exc: DomainError, status: int) -> str:
    # The retry of pyticktick matches the first line of the message: keep the code in it.
    return f"exceed_query_limit: {exc.message}" if status == 429 else exc.message


def map_error(exc: DomainError | V1Error) -> Response:
    return errors.map_error(exc, _STATUS, message=_message, headers=_headers)
