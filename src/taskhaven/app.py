"""The server application: every protocol adapter mounted on one core."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from taskhaven.api.ticktick.v2.routes import routes as v2_routes
from taskhaven.api.todoist.v6.routes import routes as v6_routes
from taskhaven.core.backend import Backend
from taskhaven.middleware import redact
from taskhaven.middleware.body_limit import BodyLimit
from taskhaven.middleware.slashes import CollapseSlashes
from taskhaven.settings import Settings

log = logging.getLogger("taskhaven")


def _protocol_error(path: str, status: int, message: str) -> Response:
    """An error body in the format of the protocol the path belongs to."""
    if path.lower().startswith("/api/v6"):
        body = {"error_code": status, "error": message}
    else:
        code = "not_found" if status == 404 else "server_error"
        body = {"errorId": code, "errorCode": code, "errorMessage": message, "data": None}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


async def not_found(request: Request, _exc: Exception) -> Response:
    return _protocol_error(request.url.path, 404, f"Unknown path: {request.url.path}")


async def method_not_allowed(request: Request, _exc: Exception) -> Response:
    return _protocol_error(request.url.path, 405, f"Method not allowed: {request.method}")


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _protocol_error(request.url.path, 500, "Internal server error")


async def health(_request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


def create_app(settings: Settings | None = None, backend: Backend | None = None) -> Starlette:
    settings = settings or (backend.settings if backend else Settings())
    backend = backend or Backend(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        redact.install()
        backend.migrate()
        yield

    all_routes: list[BaseRoute] = [Route("/health", health), *v6_routes(), *v2_routes()]
    app = Starlette(
        routes=all_routes,
        middleware=[
            Middleware(CollapseSlashes),
            Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
        ],
        exception_handlers={404: not_found, 405: method_not_allowed, 500: server_error},
        lifespan=lifespan,
    )
    app.state.backend = backend
    return app
