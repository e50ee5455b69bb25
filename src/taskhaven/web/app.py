"""The sub-apps of the OAuth2 provider and the web pages, each with its own error format.

- ``/oauth``: ``authorize`` (HTML pages), ``token`` and ``access_token`` (JSON), ``revoke``.
- ``/.well-known``: RFC 8414 metadata.
- ``/api/access_tokens``: Todoist's ``revoke``.
- ``/web``: the pages of the web app (``apps``: what the user authorised) and its stylesheet.
"""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from taskhaven.core.backend import Backend
from taskhaven.web import apps_page, authorize, endpoints
from taskhaven.web.oauth_server import StarletteServer, TodoistServer
from taskhaven.web.render import page

log = logging.getLogger("taskhaven.web")


def _oauth_error(status: int, error: str, description: str) -> Response:
    return JSONResponse({"error": error, "error_description": description}, status)


async def _oauth_404(request: Request, _exc: Exception) -> Response:
    return _oauth_error(404, "not_found", f"Unknown path: {request.url.path}")


async def _oauth_405(request: Request, _exc: Exception) -> Response:
    return _oauth_error(405, "invalid_request", f"Method not allowed: {request.method}")


async def _oauth_500(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _oauth_error(500, "server_error", "Internal server error")


async def _page_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    if status >= 500:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    title = {404: "Page not found", 405: "Method not allowed"}.get(status, "Something went wrong")
    return page("error.html", status, title=title, message=title + ".", user=None)


def _state(app: Starlette, backend: Backend) -> Starlette:
    app.state.backend = backend
    app.state.oauth_server = StarletteServer(backend)
    app.state.todoist_server = TodoistServer(backend)
    return app


def oauth_app(backend: Backend) -> Starlette:
    return _state(
        Starlette(
            routes=[
                Route("/authorize", authorize.authorize, methods=["GET", "POST"]),
                Route("/token", endpoints.token, methods=["POST"]),
                Route("/access_token", endpoints.access_token, methods=["POST"]),
                Route("/revoke", endpoints.revoke, methods=["POST"]),
            ],
            exception_handlers={404: _oauth_404, 405: _oauth_405, 500: _oauth_500},
        ),
        backend,
    )


def well_known_app(backend: Backend) -> Starlette:
    return _state(
        Starlette(
            routes=[Route("/oauth-authorization-server", endpoints.server_metadata)],
            exception_handlers={404: _oauth_404, 405: _oauth_405, 500: _oauth_500},
        ),
        backend,
    )


def todoist_tokens_app(backend: Backend) -> Starlette:
    return _state(
        Starlette(
            routes=[Route("/revoke", endpoints.todoist_revoke, methods=["POST"])],
            exception_handlers={404: _oauth_404, 405: _oauth_405, 500: _oauth_500},
        ),
        backend,
    )


def pages_app(backend: Backend) -> Starlette:
    return _state(
        Starlette(
            routes=[
                Route("/apps", apps_page.apps, methods=["GET", "POST"]),
                Mount("/static", StaticFiles(packages=[("taskhaven.web", "static")])),
            ],
            exception_handlers={404: _page_error, 405: _page_error, 500: _page_error},
        ),
        backend,
    )


def mounts(backend: Backend) -> list[Mount]:
    return [
        Mount("/oauth", app=oauth_app(backend)),
        Mount("/.well-known", app=well_known_app(backend)),
        Mount("/api/access_tokens", app=todoist_tokens_app(backend)),
        Mount("/web", app=pages_app(backend)),
    ]
