"""The V2 API, mounted at ``/api/v2``; each module contributes its own list of routes."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import BaseRoute

from taskhaven.api.ticktick.codes.errors import error_response
from taskhaven.api.ticktick.v2 import batch, check, closed, tags, task, user
from taskhaven.core.backend import Backend
from taskhaven.middleware.protocol import ProtocolApp, protocol_app

# TickTick's errorCode for the HTTP-level errors this server renders itself.
_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


def routes() -> list[BaseRoute]:
    """Every V2 route, relative to the mount point."""
    found: list[BaseRoute] = []
    found += user.routes("")
    found += check.routes("")
    found += closed.routes("")
    found += batch.routes("")
    found += tags.routes("")
    found += task.routes("")
    return found


def render_error(status: int, message: str) -> Response:
    return error_response(status, _CODES.get(status, "server_error"), message)


def create_app(backend: Backend) -> ProtocolApp:
    """The V2 API as its own app: its routes and TickTick's error envelope."""
    return protocol_app(routes(), render_error, backend)
