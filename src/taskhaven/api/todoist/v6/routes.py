"""The Sync API's HTTP surface under ``/API/v6/`` (and ``/api/v6/``).

Every path accepts GET and POST, with parameters from the query string or the body.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from sqlalchemy import RowMapping
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from taskhaven.api.todoist.v6 import render
from taskhaven.api.todoist.v6.errors import TOO_MANY_COMMANDS, error_object, map_error
from taskhaven.api.todoist.v6.params import Params
from taskhaven.api.todoist.v6.sync import TooManyCommands, handle_sync
from taskhaven.core import ratelimit, users
from taskhaven.core.backend import Backend, utcnow
from taskhaven.core.errors import DomainError, LimitExceeded

log = logging.getLogger(__name__)

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


def sync(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params)
    ratelimit.hit(backend, f"v6-sync:{user['id']}", backend.settings.sync_rate_limit_per_minute)
    return handle_sync(backend, user, params)


def _user_with_token(backend: Backend, row: RowMapping) -> dict[str, Any]:
    token = users.api_token(backend, row)
    now = utcnow()
    with backend.read() as conn:
        done_today = users.completed_today(conn, row, now)
    data = render.user(row, token, now, done_today)
    data["api_token"] = token
    data["seq_no"] = 0
    return data


def login(backend: Backend, params: Params, _request: Request) -> Any:
    row = users.login(backend, params.required("email"), params.required("password"))
    return _user_with_token(backend, row)


def register(backend: Backend, params: Params, _request: Request) -> Any:
    row, _token = users.register(
        backend,
        email=params.required("email"),
        password=params.required("password"),
        full_name=params.text("full_name", "") or "",
        timezone=params.text("timezone", "UTC") or "UTC",
        lang=params.text("lang", "en") or "en",
    )
    return _user_with_token(backend, row)


def delete_user(backend: Backend, params: Params, _request: Request) -> Any:
    user = authenticate(backend, params)
    users.delete_user(backend, user["id"], params.required("current_password"))
    return "ok"


HANDLERS: dict[str, Handler] = {
    "sync": sync,
    "login": login,
    "register": register,
    "delete_user": delete_user,
}


def add_handlers(extra: dict[str, Handler]) -> None:
    HANDLERS.update(extra)


def routes() -> list[Route]:
    from taskhaven.api.todoist.v6 import standard  # noqa: F401  (registers its handlers)

    found: list[Route] = []
    for prefix in ("/API/v6/", "/api/v6/"):
        for name, handler in HANDLERS.items():
            found.append(Route(prefix + name, endpoint(handler), methods=["GET", "POST"]))
    return found
