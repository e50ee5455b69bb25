"""The error table walk V1 and V2 share (codes/errors.py map_error)."""

from __future__ import annotations

import orjson

from taskhaven.api.ticktick.codes.errors import SHARED_ERRORS, TickTickError, map_error
from taskhaven.core.errors import (
    Conflict,
    DomainError,
    InvalidDateArgument,
    LimitExceeded,
    MissingArgument,
    NotFound,
)


def _body(response: object) -> dict[str, object]:
    return dict(orjson.loads(response.body))  # type: ignore[attr-defined]


def test_the_adapters_own_error_is_answered_as_it_is() -> None:
    response = map_error(TickTickError(418, "teapot", "short"), SHARED_ERRORS)
    assert response.status_code == 418
    assert _body(response)["errorCode"] == "teapot"
    assert _body(response)["errorMessage"] == "short"


def test_first_matching_row_else_invalid_parameter() -> None:
    for exc, status, code in [
        (NotFound("task"), 404, "not_existed"),
        (MissingArgument("x"), 400, "invalid_parameter"),
        (Conflict("again"), 409, "conflict"),
        (InvalidDateArgument("dueDate"), 400, "invalid_parameter"),
    ]:
        response = map_error(exc, SHARED_ERRORS)
        assert (response.status_code, _body(response)["errorCode"]) == (status, code)
    table = ((NotFound, 410, "gone"), *SHARED_ERRORS)
    assert map_error(NotFound("task"), table).status_code == 410


def test_limits_say_when_and_versions_add_headers_and_reword() -> None:
    exc = LimitExceeded("slow down", retry_after=7)

    def message(err: DomainError, status: int) -> str:
        return f"{status}: {err.message}"

    def headers(_err: DomainError, _status: int) -> dict[str, str]:
        return {"X-Extra": "1"}

    response = map_error(exc, SHARED_ERRORS, message=message, headers=headers)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.headers["X-Extra"] == "1"
    assert _body(response)["errorMessage"] == "429: slow down"
    assert "Retry-After" not in map_error(NotFound("task"), SHARED_ERRORS).headers
