"""The server application: one sub-app per protocol, mounted on one core.

The top-level app knows no error format: each protocol app renders its own 404, 405, 413
and 500 (``taskhaven.middleware.protocol``); anything outside every mount gets a plain 404.
A new protocol is one more entry in ``mounts``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp

from taskhaven.api.ticktick.v1 import routes as v1
from taskhaven.api.ticktick.v2 import routes as v2
from taskhaven.api.todoist.v6 import routes as v6
from taskhaven.core import keycheck
from taskhaven.core.backend import Backend
from taskhaven.middleware import redact
from taskhaven.middleware.mounts import MountIndex
from taskhaven.middleware.slashes import CollapseSlashes
from taskhaven.observability import endpoints, metrics
from taskhaven.observability import routes as route_labels
from taskhaven.observability.asgi import Observe
from taskhaven.settings import Settings
from taskhaven.web.app import mounts as web_mounts


def mounts(backend: Backend) -> list[BaseRoute]:
    """Each protocol at its prefix (the Sync API answers at both spellings clients use)."""
    sync_api = v6.create_app(backend)
    return [
        Mount("/API/v6", app=sync_api),
        Mount("/api/v6", app=sync_api),
        Mount("/api/v2", app=v2.create_app(backend)),
        Mount("/open/v1", app=v1.create_app(backend)),
        *web_mounts(backend),
    ]


def any_character(routes: list[BaseRoute]) -> list[BaseRoute]:
    """Let a mount's rest of the path hold any character.

    Starlette matches it with ``.*``, which stops at a newline: ``/api/v2/task/%0A`` would miss
    the V2 app and get the top level's plain-text 404 instead of the protocol's error object.
    """
    for route in routes:
        if isinstance(route, Mount):
            route.path_regex = re.compile(route.path_regex.pattern, re.DOTALL)
    return routes


class App(Starlette):
    """The top-level app, with its ``front`` middleware outside Starlette's own stack.

    Every request a client sends is under a mount (``MountIndex`` hands it over), and each
    mounted app has its own error layer in its protocol's format: the top app's server-error
    and exception layers would only be passed through. They still wrap the top-level
    endpoints, unknown paths and the lifespan.
    """

    def __init__(self, *, front: Sequence[Middleware], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._front = list(front)

    def build_middleware_stack(self) -> ASGIApp:
        app = super().build_middleware_stack()
        for cls, args, options in reversed(self._front):
            app = cls(app, *args, **options)
        return app


def create_app(settings: Settings | None = None, backend: Backend | None = None) -> Starlette:
    settings = settings or (backend.settings if backend else Settings())
    backend = backend or Backend(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        redact.install()
        backend.start_serving()
        try:
            await run_in_threadpool(keycheck.warn_on_mismatch, backend)
            yield
        finally:
            backend.stop_serving()

    routes = any_character([*endpoints.routes(), *mounts(backend)])
    route_labels.tag(routes)
    metrics.install()
    app = App(
        routes=routes,
        # Observe first: the request id and the timing cover everything after it.
        front=[
            Middleware(Observe),
            Middleware(CollapseSlashes, public_url=settings.base_url),
            Middleware(MountIndex, routes=routes),
        ],
        lifespan=lifespan,
    )
    app.state.backend = backend
    return app
