"""A protocol's own Starlette app: its routes, its error format, its body limit.

Mounted under the protocol's prefix by ``taskhaven.app``, which knows no error format:
every 404, 405, 413 and 500 under the prefix is rendered by ``render_error``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from taskhaven.core.backend import Backend
from taskhaven.middleware.body_limit import BodyLimit

log = logging.getLogger("taskhaven")

# (HTTP status, plain message) -> the protocol's error response
RenderError = Callable[[int, str], Response]


def protocol_app(
    routes: Sequence[BaseRoute], render_error: RenderError, backend: Backend
) -> Starlette:
    """Handlers find the backend on ``request.app.state``."""

    async def not_found(request: Request, _exc: Exception) -> Response:
        return render_error(404, f"Unknown path: {request.url.path}")

    async def method_not_allowed(request: Request, _exc: Exception) -> Response:
        return render_error(405, f"Method not allowed: {request.method}")

    async def http_error(_request: Request, exc: Exception) -> Response:
        # The framework's own refusals (a malformed or oversized form part) are plain text.
        status = exc.status_code if isinstance(exc, HTTPException) else 400
        detail = exc.detail if isinstance(exc, HTTPException) else "Bad request"
        return render_error(status, str(detail))

    async def server_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, ClientDisconnect):
            # The client left, or its request did not arrive in time (taskhaven.serving).
            return render_error(400, "Incomplete request")
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return render_error(500, "Internal server error")

    def too_large(limit: int) -> Response:
        return render_error(413, f"Request body too large (at most {limit} bytes)")

    app = Starlette(
        routes=list(routes),
        middleware=[
            Middleware(BodyLimit, max_bytes=backend.settings.max_body_bytes, too_large=too_large)
        ],
        exception_handlers={
            HTTPException: http_error,
            404: not_found,
            405: method_not_allowed,
            500: server_error,
        },
    )
    app.state.backend = backend
    return app
