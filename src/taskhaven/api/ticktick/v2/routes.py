"""The V2 API's routes under ``/api/v2/``; each module contributes its own list."""

from __future__ import annotations

from starlette.routing import BaseRoute

from taskhaven.api.ticktick.v2 import batch, check, closed, tags, task, user

PREFIX = "/api/v2"


def routes() -> list[BaseRoute]:
    found: list[BaseRoute] = []
    found += user.routes(PREFIX)
    found += check.routes(PREFIX)
    found += closed.routes(PREFIX)
    found += batch.routes(PREFIX)
    found += tags.routes(PREFIX)
    found += task.routes(PREFIX)
    return found
