"""Every error the SDK raises, one shallow tree rooted at `TaskhavenError`.

Wire errors come in three formats: the Sync API's ``{"error_code", "error"}``, TickTick's
``{"errorId", "errorCode", "errorMessage"}`` and bare HTTP statuses (OAuth, V1). `from_response`
is the one place that reads them; each `APIError` keeps the status, the code and the raw body.
"""

from __future__ import annotations

import json
from typing import Any

import httpx


class TaskhavenError(Exception):
    """Base class of every SDK error."""


class TransportError(TaskhavenError):
    """The request did not get an answer (connection refused, timeout, broken stream)."""


class ResponseValidationError(TaskhavenError):
    """An answer did not match the SDK's model of it (the server and the SDK disagree)."""


class TOTPRequiredError(TaskhavenError, ValueError):
    """The account asks for a TOTP code and no TOTP secret was given."""


class OAuthError(TaskhavenError, ValueError):
    """The OAuth authorization step failed (denied, state mismatch, no code)."""


class APIError(TaskhavenError, ValueError):
    """The server answered with an error status or an error object.

    ``ValueError`` is a base so that code written for the seed client's ``ValueError``
    keeps working; ``str()`` is ``Response [<status>]:\\n<body>`` like the seed's.
    """

    def __init__(
        self,
        status_code: int,
        body: Any = None,
        *,
        code: int | str | None = None,
        error_id: str | None = None,
        message: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.code = code
        self.error_id = error_id
        self.message = message
        self.retry_after = retry_after
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        super().__init__(f"Response [{status_code}]:\n{text}")


class BadRequestError(APIError):
    """400: the request was refused as invalid (unknown field, bad value, too many commands)."""


class AuthenticationError(APIError):
    """401: missing, wrong or expired credentials or token."""


class PermissionDeniedError(APIError):
    """403: authenticated, but not allowed (scope, ownership)."""


class NotFoundError(APIError):
    """404: no such object or endpoint."""


class ConflictError(APIError):
    """409: the request conflicts with the current state."""


class PayloadTooLargeError(APIError):
    """413: the request body is over the server's limit."""


class RateLimitError(APIError):
    """429: too many requests; `retry_after` holds the server's ``Retry-After`` in seconds."""


class ServerError(APIError):
    """5xx: the server failed."""


class CommandError(APIError):
    """One Sync API command failed (an error object in ``sync_status``)."""


SignOnError = APIError
"""Sign-on failures are `APIError` (a ``ValueError``, as the seed client raises)."""

_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitError,
}


def error_class(status_code: int) -> type[APIError]:
    """The exception class for an HTTP status (`APIError` for unlisted 4xx)."""
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, APIError)


def retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), else None."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def error_fields(body: Any) -> tuple[int | str | None, str | None, str | None]:
    """(code, error_id, message) from any of the three wire error formats."""
    if not isinstance(body, dict):
        return None, None, None
    if "error_code" in body:  # the Sync API: {"error_code": 15, "error": "Invalid temporary id"}
        code = body["error_code"]
        return (code if isinstance(code, int | str) else None), None, _str(body.get("error"))
    if "errorCode" in body or "errorId" in body:  # TickTick: errorId, errorCode, errorMessage
        code = body.get("errorCode")
        return (
            code if isinstance(code, int | str) else None,
            _str(body.get("errorId")),
            _str(body.get("errorMessage")),
        )
    if isinstance(body.get("error"), str):  # OAuth (RFC 6749 §5.2): error, error_description
        return body["error"], None, _str(body.get("error_description")) or body["error"]
    return None, None, None


def parse_body(response: httpx.Response) -> Any:
    """The JSON body, or the text when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return response.text


def from_response(response: httpx.Response) -> APIError:
    """The `APIError` for an error answer, whichever of the wire formats it uses."""
    body = parse_body(response)
    code, error_id, message = error_fields(body)
    cls = error_class(response.status_code)
    return cls(
        response.status_code,
        body,
        code=code,
        error_id=error_id,
        message=message,
        retry_after=retry_after(response.headers.get("retry-after")),
    )


def from_command_error(body: dict[str, Any]) -> CommandError:
    """A `CommandError` from one Sync API ``sync_status`` error object."""
    code, _, message = error_fields(body)
    status = body.get("http_code")
    return CommandError(
        status if isinstance(status, int) else 400, body, code=code, message=message
    )
