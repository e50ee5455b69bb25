"""Collapse repeated slashes: some clients join base URLs naively (``/api/v2//user``)."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

_SLASHES = re.compile(r"/{2,}")


class CollapseSlashes:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "//" in scope["path"]:
            scope = dict(scope)
            scope["path"] = _SLASHES.sub("/", scope["path"])
            raw = scope.get("raw_path")
            if raw:
                scope["raw_path"] = _SLASHES.sub("/", raw.decode("latin-1")).encode("latin-1")
        await self.app(scope, receive, send)
