"""The V2 API's routes under ``/api/v2/``; each module contributes its own list."""

from __future__ import annotations

from starlette.routing import BaseRoute

from taskhaven.api.ticktick_v2 import user

PREFIX = "/api/v2"


def routes() -> list[BaseRoute]:
    found: list[BaseRoute] = []
    found += user.routes(PREFIX)
    return found
