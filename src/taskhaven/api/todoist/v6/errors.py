"""The one mapping from core errors to the Sync API's ``{"error_code", "error"}`` objects."""

from __future__ import annotations

from typing import Any

from taskhaven.core.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    Forbidden,
    InvalidArgument,
    InvalidDateArgument,
    InvalidTempId,
    LimitExceeded,
    MissingArgument,
    NotFound,
)

NOT_FOUND_CODES = {
    "project": 20,
    "item": 21,
    "label": 22,
    "note": 23,
    "filter": 24,
    "reminder": 25,
    "invitation": 26,
    "user": 27,
    "upload": 38,
}
INVALID_JSON = 37
TOO_MANY_COMMANDS = 36
TOO_MANY_REQUESTS = 35
UNKNOWN_COMMAND = 17
INVALID_TOKEN = 401


def error_object(code: int, message: str) -> dict[str, Any]:
    return {"error_code": code, "error": message}


def map_error(exc: DomainError) -> tuple[int, dict[str, Any]]:
    """HTTP status and error object for a core error."""
    if isinstance(exc, InvalidTempId):
        return 400, error_object(15, exc.message)
    if isinstance(exc, MissingArgument):
        return 400, error_object(18, exc.message)
    if isinstance(exc, InvalidDateArgument):
        return 400, error_object(19, exc.message)
    if isinstance(exc, InvalidArgument):
        code = INVALID_JSON if exc.message.startswith("Invalid JSON") else 16
        return 400, error_object(code, exc.message)
    if isinstance(exc, NotFound):
        return 404, error_object(NOT_FOUND_CODES.get(exc.kind, 404), exc.message)
    if isinstance(exc, Forbidden):
        return 403, error_object(28, exc.message or "Forbidden")
    if isinstance(exc, Conflict):
        # Only a taken e-mail address is 32; a label name that merely contains "mail" is not.
        code = 32 if exc.argument == "email" else 16
        return 400, error_object(code, exc.message)
    if isinstance(exc, AuthenticationFailed):
        if exc.message == "Login error":
            return 401, error_object(31, exc.message)
        return 401, error_object(INVALID_TOKEN, exc.message)
    if isinstance(exc, LimitExceeded):
        return 429, error_object(TOO_MANY_REQUESTS, exc.message)
    return 400, error_object(16, exc.message)
