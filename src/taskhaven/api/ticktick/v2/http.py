"""Request plumbing for the V2 API: JSON bodies into pydantic models, errors into envelopes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from taskhaven.api.ticktick.v2.errors import V2Error, map_error
from taskhaven.core import columns
from taskhaven.core.backend import Backend
from taskhaven.core.errors import DomainError

T = TypeVar("T")

Handler = Callable[[Backend, Request, Any], Any]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(data), status_code=status, media_type="application/json", headers=headers
    )


SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))


def require_json(request: Request, *, has_body: bool) -> None:
    """Writes carry ``application/json``: the session cookie rides along on a cross-site
    form post, and no form can send that type, so a write cannot rest on ``SameSite``
    alone (a JSON body sent as ``text/plain`` is refused)."""
    if request.method in SAFE_METHODS:
        return
    content_type = request.headers.get("content-type")
    if content_type is None and not has_body:
        return
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise V2Error(415, "invalid_parameter", "Content-Type must be application/json")


async def read_json(request: Request) -> Any:
    body = await request.body()
    if not body.strip():
        raise V2Error(400, "invalid_parameter", "Request body must be JSON")
    require_json(request, has_body=True)
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise V2Error(400, "invalid_parameter", f"Malformed JSON body: {exc}") from exc
    if columns.refused(data):
        raise V2Error(400, "invalid_parameter", "Text may not contain NUL (\\u0000)")
    return data


def parse(model: type[T] | TypeAdapter[T], data: Any) -> T:
    """Validate ``data``; the first problems go back to the caller in plain words."""
    adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        raise V2Error(400, "invalid_parameter", f"Invalid request: {problems}") from exc


def endpoint(
    handler: Callable[[Backend, Request, Any], Any],
    *,
    body: bool = False,
    inline: Callable[[Backend, Request, Any], Any | None] | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """Read the body (when the route has one), run the handler off the event loop, map errors.

    ``inline`` may answer first, on the loop, when it can do so without writing or a long
    read (docs/performance.md, the read path); when it returns None the handler runs.
    """

    async def run(request: Request) -> Response:
        backend: Backend = request.app.state.backend
        try:
            if body:
                payload = await read_json(request)
            else:
                require_json(request, has_body=False)
                payload = None
            result = inline(backend, request, payload) if inline is not None else None
            if result is None:
                result = await run_in_threadpool(handler, backend, request, payload)
        except (DomainError, V2Error) as exc:
            return map_error(exc)
        if isinstance(result, Response):
            return result
        return json_response(result)

    return run


__all__ = ["BaseModel", "Handler", "endpoint", "json_response", "parse", "read_json"]
