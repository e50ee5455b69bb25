"""Request plumbing for the Sync API: parameters in, handler off the event loop, errors out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import RowMapping
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from taskhaven.api.todoist.v6 import bounds
from taskhaven.api.todoist.v6.errors import TOO_MANY_COMMANDS, error_object, map_error
from taskhaven.api.todoist.v6.params import Params
from taskhaven.api.todoist.v6.sync import TooManyCommands
from taskhaven.core import users
from taskhaven.core.backend import Backend
from taskhaven.core.errors import AuthenticationFailed, DomainError, LimitExceeded
from taskhaven.core.oauth import grants, scopes

Handler = Callable[[Backend, Params, Request], Any]
# A step run on the event loop before the handler: an answer, or None to run the handler.
Inline = Callable[[Backend, Params, Request], Any | None]


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


# What a call needs of an app's token (docs/oauth.md); the account's own API token may
# do everything.
READ = ("data:read",)
WRITE = ("data:read_write",)
DELETE = ("data:delete",)
ADD_TASK = ("data:read_write", "task:add")
NEVER: tuple[str, ...] = ()


def credential(backend: Backend, params: Params) -> tuple[RowMapping, tuple[str, ...] | None]:
    """The user behind ``token``, and the scopes it holds (None: the account's API token)."""
    token = params.raw("token") or ""
    with backend.read() as conn:
        try:
            return users.by_api_token(conn, token), None
        except AuthenticationFailed:
            pass
    grant = grants.authenticate(backend, token, family=scopes.TODOIST)
    return grant.user, grant.scopes


def authenticate(backend: Backend, params: Params, needs: tuple[str, ...] = READ) -> RowMapping:
    """The caller, when its token is the account's API token or an app's token granting one
    of ``needs``."""
    user, held = credential(backend, params)
    scopes.require(held, *needs)
    return user


def command_scopes(kind: str) -> tuple[str, ...]:
    """The scopes one of which an app's token needs to run a command of type ``kind``."""
    if kind == "project_delete":
        return ("project:delete", "data:delete")
    if "delete" in kind:
        return DELETE
    if kind == "item_add":
        return ADD_TASK
    return WRITE


class Endpoint:
    """One call as a plain ASGI app: parse parameters, check them against ``call``'s
    bounds, run the handler off the event loop, map domain errors.

    ``inline`` may answer first, on the loop, when it can do so without writing or a long
    read (docs/performance.md, the read path); when it returns None the handler runs.
    A plain ASGI app rather than a ``request -> response`` function: Starlette then calls it
    without a wrapper of its own, and what escapes it (the framework's ``HTTPException``)
    reaches the protocol app's exception handlers all the same.
    """

    def __init__(self, handler: Handler, call: str = "", inline: Inline | None = None) -> None:
        self.handler = handler
        self.call = call
        self.inline = inline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        response = await self.respond(request)
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        backend: Backend = request.app.state.backend
        try:
            params = await Params.from_request(request, keep=self.inline is not None)
            bounds.check_params(self.call, params.values())
            inline = self.inline
            result = inline(backend, params, request) if inline is not None else None
            if result is None:
                result = await run_in_threadpool(self.handler, backend, params, request)
        except DomainError as exc:
            return error_response(exc)
        if isinstance(result, Response):
            return result
        return json_response(result)
