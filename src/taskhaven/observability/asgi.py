"""One pure ASGI middleware around the whole app: request id, route label, metrics.

Pure ASGI, not ``BaseHTTPMiddleware``: no extra task, no body streaming through a queue;
the per-request cost is a header scan, two context variables and two metric updates
(measured in ``bench/observe.py``, reported in docs/performance.md).
"""

from __future__ import annotations

from time import perf_counter

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from taskhaven.observability import metrics, requestid, routes


class Observe:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        request_id = requestid.choose(scope["headers"])
        id_header = (requestid.HEADER, request_id.encode("ascii"))
        match = scope[routes.SCOPE_KEY] = routes.Match()
        id_token = requestid.current.set(request_id)
        status = 500  # what the server sends when the app fails before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # A new list: the app may reuse its headers list for another answer.
                message["headers"] = [*message.get("headers", ()), id_header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            metrics.observe_request(
                scope["method"], match.label(), status, perf_counter() - started
            )
        # After a failure the id stays set: the server logs the exception after this
        # returns, still in this request's task (each request has its own context).
        requestid.current.reset(id_token)
