"""Request plumbing for the Sync API: parameters in, handler off the event loop, errors out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from sqlalchemy import RowMapping
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from taskhaven.api.todoist.v6.errors import TOO_MANY_COMMANDS, error_object, map_error
from taskhaven.api.todoist.v6.params import Params
from taskhaven.api.todoist.v6.sync import TooManyCommands
from taskhaven.core import users
from taskhaven.core.backend import Backend
from taskhaven.core.errors import DomainError, LimitExceeded

Handler = Callable[[Backend, Params, Request], Any]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(data), status_code=status, media_type="application/json", headers=headers
    )


def error_response(exc: DomainError) -> Response:
    if isinstance(exc, TooManyCommands):
        return json_response(error_object(TOO_MANY_COMMANDS, exc.message), 400)
    status, body = map_error(exc)
    headers = None
    if isinstance(exc, LimitExceeded) and exc.retry_after:
        headers = {"Retry-After": str(exc.retry_after)}
    return json_response(body, status, headers)


def render_error(status: int, message: str) -> Response:
    """An HTTP-level error (unknown path, wrong method, body too large, server error)."""
    return json_response(error_object(status, message), status)


def authenticate(backend: Backend, params: Params) -> RowMapping:
    with backend.read() as conn:
        return users.by_api_token(conn, params.raw("token") or "")


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Parse parameters, run the handler off the event loop, map domain errors."""

    async def run(request: Request) -> Response:
        backend: Backend = request.app.state.backend
        try:
            params = await Params.from_request(request)
            result = await run_in_threadpool(handler, backend, params, request)
        except DomainError as exc:
            return error_response(exc)
        if isinstance(result, Response):
            return result
        return json_response(result)

    return run
