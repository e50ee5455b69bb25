"""The route template a request matched, for metric labels: never the raw path.

Each ``Mount`` and ``Route`` of the app is tagged once at start-up: when the router hands a
request to it, it notes its own path template (``/api/v2``, ``/task/{taskId}``) in the
request's ``Match``. The label is the mounts' templates joined with the route's, so
``/api/v2/task/5f…`` counts as ``/api/v2/task/{taskId}``. A path no route matched counts
as its mount's ``…/{unmatched}`` (or ``{unmatched}`` outside every mount): a client's text
never becomes a label.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send

UNMATCHED = "{unmatched}"
_TAGGED = "_taskhaven_tagged"


class Match:
    """What one request matched so far (set by the tagged routes, read after the answer)."""

    __slots__ = ("mounts", "route")

    def __init__(self) -> None:
        self.mounts: list[str] = []
        self.route: str | None = None

    def label(self) -> str:
        if self.route is not None:
            return "".join(self.mounts) + self.route
        if self.mounts:
            return "".join(self.mounts) + "/" + UNMATCHED
        return UNMATCHED


# Where a request's ``Match`` rides: in its scope, which the routers hand down in place
# (a middleware that copies the scope copies the reference to the same ``Match``).
SCOPE_KEY = "taskhaven.route_match"


def tag(routes: Iterable[BaseRoute]) -> None:
    """Tag ``routes`` and every route under their mounts (each object once: one sub-app
    may be mounted at two prefixes)."""
    for route in routes:
        if getattr(route, _TAGGED, False):
            continue
        if isinstance(route, Mount):
            _tag_mount(route)
            tag(route.routes)
        elif isinstance(route, Route):
            _tag_route(route)


def _tag_mount(mount: Mount) -> None:
    handle = mount.handle
    path = mount.path
    # A mount of a plain ASGI app (static files) has no routes of its own to tell.
    leaf = None if mount.routes else "/{path}"

    async def tagged(scope: Scope, receive: Receive, send: Send) -> None:
        match = scope.get(SCOPE_KEY)
        if match is not None:
            match.mounts.append(path)
            if leaf is not None:
                match.route = leaf
        await handle(scope, receive, send)

    # An instance attribute shadows the method: the router calls ``route.handle``.
    setattr(mount, "handle", tagged)  # noqa: B010
    setattr(mount, _TAGGED, True)


def _tag_route(route: Route) -> None:
    handle = route.handle
    path = route.path

    async def tagged(scope: Scope, receive: Receive, send: Send) -> None:
        match = scope.get(SCOPE_KEY)
        if match is not None:
            match.route = path
        await handle(scope, receive, send)

    setattr(route, "handle", tagged)  # noqa: B010
    setattr(route, _TAGGED, True)
