"""Hand a request under a mount's prefix straight to the mounted app.

Starlette's router tries the routes' regular expressions one after another, behind the top
app's exception layer; every request a client sends is under one of the mounts (a protocol
app, the web pages). ``MountIndex`` looks the prefix up in a dictionary and does what the
router does on a match — the same child scope, the same ``Mount.handle`` (tagged for the
metric labels) — so the router is left with what is not under a mount: the top-level
endpoints, a bare prefix (its slash redirect), unknown paths and the lifespan.

Invariant: the index is built from the router's own mounts, and no route before a mount
may match a path under its prefix (checked when the index is built), so the answer is the
one the router would have given.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Receive, Scope, Send


class MountIndex:
    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self._mounts: dict[str, Mount] = {}
        for route in routes:
            if isinstance(route, Mount) and route.path:
                self._mounts.setdefault(route.path, route)
        # Which of two matches the router takes depends on their order; the index cannot
        # tell, so it refuses to be built over such a table.
        for route in routes:
            for prefix in self._mounts:
                path = getattr(route, "path", "")
                if path != prefix and path.startswith(prefix + "/"):
                    raise ValueError(f"route {path} is under mount {prefix}")
        self._depths = sorted({prefix.count("/") for prefix in self._mounts})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("root_path"):
            # Served under a root path: the router works out what is left of the path.
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        for depth in self._depths:
            # The prefix of ``depth`` segments, when a slash follows it.
            end = 0
            for _ in range(depth):
                end = path.find("/", end + 1)
                if end == -1:
                    break
            if end == -1:
                break
            mount = self._mounts.get(path[:end])
            if mount is not None:
                # What ``Mount.matches`` gives the router, applied as the router applies it.
                scope.update(
                    path_params=dict(scope.get("path_params", {})),
                    app_root_path=scope.get("app_root_path", ""),
                    root_path=path[:end],
                    endpoint=mount.app,
                )
                await mount.handle(scope, receive, send)
                return
        await self.app(scope, receive, send)
