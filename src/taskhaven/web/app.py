"""The sub-apps of the OAuth2 provider and the web pages, each with its own error format.

- ``/oauth``: ``authorize`` (HTML pages), ``token`` and ``access_token`` (JSON), ``revoke``.
- ``/.well-known``: RFC 8414 metadata.
- ``/api/access_tokens``: Todoist's ``revoke``.
- ``/web``: the pages of the web app (``apps``: what the user authorised) and its stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from taskhaven.core.backend import Backend
from taskhaven.middleware.protocol import ProtocolApp, RenderError, protocol_app
from taskhaven.web import apps_page, authorize, endpoints
from taskhaven.web.oauth_server import StarletteServer, TodoistServer
from taskhaven.web.render import page

# RFC 6749's error code for the HTTP-level errors this server renders itself.
_OAUTH_CODES = {404: "not_found", 405: "invalid_request", 413: "invalid_request"}
_TITLES = {404: "Page not found", 405: "Method not allowed", 413: "Request too large"}


def render_oauth_error(status: int, message: str) -> Response:
    code = _OAUTH_CODES.get(status, "server_error")
    return JSONResponse({"error": code, "error_description": message}, status)


def render_page_error(status: int, _message: str) -> Response:
    title = _TITLES.get(status, "Something went wrong")
    return page("error.html", status, title=title, message=title + ".", user=None)


def _app(routes: Sequence[BaseRoute], render_error: RenderError, backend: Backend) -> ProtocolApp:
    app = protocol_app(routes, render_error, backend)
    app.state.oauth_server = StarletteServer(backend)
    app.state.todoist_server = TodoistServer(backend)
    return app


def oauth_app(backend: Backend) -> ProtocolApp:
    routes = [
        Route("/authorize", authorize.authorize, methods=["GET", "POST"]),
        Route("/token", endpoints.token, methods=["POST"]),
        Route("/access_token", endpoints.access_token, methods=["POST"]),
        Route("/revoke", endpoints.revoke, methods=["POST"]),
    ]
    return _app(routes, render_oauth_error, backend)


def well_known_app(backend: Backend) -> ProtocolApp:
    routes = [Route("/oauth-authorization-server", endpoints.server_metadata)]
    return _app(routes, render_oauth_error, backend)


def todoist_tokens_app(backend: Backend) -> ProtocolApp:
    routes = [Route("/revoke", endpoints.todoist_revoke, methods=["POST"])]
    return _app(routes, render_oauth_error, backend)


def pages_app(backend: Backend) -> ProtocolApp:
    routes = [
        Route("/apps", apps_page.apps, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(packages=[("taskhaven.web", "static")])),
    ]
    return _app(routes, render_page_error, backend)


def mounts(backend: Backend) -> list[Mount]:
    return [
        Mount("/oauth", app=oauth_app(backend)),
        Mount("/.well-known", app=well_known_app(backend)),
        Mount("/api/access_tokens", app=todoist_tokens_app(backend)),
        Mount("/web", app=pages_app(backend)),
    ]
