"""Collapse repeated slashes: some clients join base URLs naively (``/api/v2//user``).

Starlette's trailing-slash redirect builds ``Location`` from the ``Host`` header, so a forged
header would send the client elsewhere; here such a ``Location`` is rebuilt on the
configured public URL.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_SLASHES = re.compile(r"/{2,}")


class CollapseSlashes:
    def __init__(self, app: ASGIApp, public_url: str) -> None:
        self.app = app
        self.public_url = public_url.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "//" in scope["path"]:
            scope = dict(scope)
            scope["path"] = _SLASHES.sub("/", scope["path"])
            raw = scope.get("raw_path")
            if raw:
                scope["raw_path"] = _SLASHES.sub("/", raw.decode("latin-1")).encode("latin-1")
        path = scope["path"].rstrip("/")

        async def send_public(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (307, 308):
                headers = MutableHeaders(scope=message)
                target = urlsplit(headers.get("location", ""))
                # Only the framework's slash redirect: the same path, one slash more or less
                # (an OAuth redirect to an app's own address is left alone).
                if target.netloc and target.path.rstrip("/") == path:
                    query = f"?{target.query}" if target.query else ""
                    headers["location"] = self.public_url + target.path + query
            await send(message)

        await self.app(scope, receive, send_public)
