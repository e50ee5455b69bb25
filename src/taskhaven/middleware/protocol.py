"""A protocol's own app: its routes, its error format, its body limit, in one layer.

Mounted under the protocol's prefix by ``taskhaven.app``, which knows no error format:
every 404, 405, 413 and 500 under the prefix is rendered by ``render_error``.

Routing is Starlette's ``Router`` (matching, path parameters, the slash redirect, 404 and
405 raised as ``HTTPException`` because ``scope["app"]`` is set). Around it sits one layer
doing what a ``Starlette`` app's server-error, body-limit and exception middleware do for a
protocol app, one after the other, on every request: the same answers, with one wrapper of
``send`` instead of three (every client request passes here; docs/performance.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from starlette.datastructures import State
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Router
from starlette.types import Message, Receive, Scope, Send

from taskhaven.core.backend import Backend

log = logging.getLogger("taskhaven")

# (HTTP status, plain message) -> the protocol's error response
RenderError = Callable[[int, str], Response]


class BodyTooLarge(Exception):
    pass


class ProtocolApp:
    """Handlers find the backend on ``request.app.state``."""

    def __init__(
        self, routes: Sequence[BaseRoute], render_error: RenderError, backend: Backend
    ) -> None:
        self.router = Router(routes=list(routes))
        self.state = State()
        self.state.backend = backend
        self.render_error = render_error
        self.max_bytes = backend.settings.max_body_bytes

    @property
    def routes(self) -> list[BaseRoute]:
        return self.router.routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.router(scope, receive, send)
            return
        scope["app"] = self
        declared = None
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                declared = value
                break
        if declared is not None and declared.isdigit():
            if int(declared) > self.max_bytes:
                await self._too_large()(scope, receive, send)
                return
            # The server frames the body by its declared length (HTTP/1.1 requires it, and
            # uvicorn's parsers never hand over a byte more): nothing left to count.
            counted = receive
        else:
            counted = self._counting(receive)
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.router(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await self._too_large()(scope, receive, send)
        except HTTPException as exc:
            if started:
                raise RuntimeError("HTTPException after the response started") from exc
            await self._refusal(scope, exc)(scope, receive, send)
            exc.__traceback__ = None  # a reused instance would pile up tracebacks
        except Exception as exc:
            request = Request(scope)
            if isinstance(exc, ClientDisconnect):
                # The client left, or its request did not arrive in time (taskhaven.serving).
                response = self.render_error(400, "Incomplete request")
            else:
                log.exception(
                    "unhandled error on %s %s", request.method, request.url.path, exc_info=exc
                )
                response = self.render_error(500, "Internal server error")
            if not started:
                await response(scope, receive, send)
            raise  # the server logs it too, as it would any error an app raises

    def _counting(self, receive: Receive) -> Receive:
        """``receive`` counting a body of no declared length against the limit."""
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        return limited

    def _too_large(self) -> Response:
        return self.render_error(413, f"Request body too large (at most {self.max_bytes} bytes)")

    def _refusal(self, scope: Scope, exc: HTTPException) -> Response:
        """The framework's own refusals (no route, wrong method, a malformed or oversized
        form part), in the protocol's format."""
        request = Request(scope)
        if exc.status_code == 404:
            return self.render_error(404, f"Unknown path: {request.url.path}")
        if exc.status_code == 405:
            return self.render_error(405, f"Method not allowed: {request.method}")
        return self.render_error(exc.status_code, str(exc.detail))


def protocol_app(
    routes: Sequence[BaseRoute], render_error: RenderError, backend: Backend
) -> ProtocolApp:
    return ProtocolApp(routes, render_error, backend)
