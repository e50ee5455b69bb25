"""Request plumbing for the V1 API: the bearer token, its scope, the rate limit, JSON bodies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import RowMapping
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from taskhaven.api.ticktick.v1.errors import V1Error, map_error
from taskhaven.core import columns, ratelimit
from taskhaven.core.backend import Backend
from taskhaven.core.errors import AuthenticationFailed, DomainError
from taskhaven.core.oauth import grants, scopes

T = TypeVar("T")
MAX_AUTHORIZATION = 512


@dataclass(frozen=True)
class Call:
    """One authenticated V1 request: whose data, and the path's parameters."""

    backend: Backend
    user: RowMapping
    params: dict[str, str]
    body: Any

    @property
    def user_id(self) -> int:
        return int(self.user["id"])


Handler = Callable[[Call], Any]


def json_response(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if len(header) > MAX_AUTHORIZATION:
        raise AuthenticationFailed("Invalid token")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Missing bearer token")
    return token.strip()


def authenticate(backend: Backend, request: Request, scope: str) -> RowMapping:
    """The user behind a TickTick-scoped token that grants ``scope``; rate-limited per user."""
    return authenticate_grant(backend, request, scope).user


def authenticate_grant(backend: Backend, request: Request, scope: str) -> grants.Grant:
    """``authenticate``, with the grant (whose ``start`` carries the user's marks)."""
    grant = grants.authenticate(backend, bearer(request), family=scopes.TICKTICK)
    scopes.require(grant.scopes, scope)
    settings = backend.settings
    if request.method in ("GET", "HEAD"):
        ratelimit.hit(backend, f"v1:{grant.user_id}", settings.sync_rate_limit_per_minute)
    else:
        # Writes are never refused by the read limit, only by their own abuse ceiling.
        ratelimit.hit(backend, f"v1-write:{grant.user_id}", settings.write_rate_limit_per_minute)
    return grant


async def read_json(request: Request) -> Any:
    body = await request.body()
    if not body.strip():
        return {}
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise V1Error(400, "invalid_parameter", f"Malformed JSON body: {exc}") from exc
    if columns.refused(data):
        raise V1Error(400, "invalid_parameter", "Text may not contain NUL (\\u0000)")
    return data


def parse(model: type[T], data: Any) -> T:
    """Validate ``data``; the first problems go back to the caller in plain words."""
    try:
        return TypeAdapter(model).validate_python(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        raise V1Error(400, "invalid_parameter", f"Invalid request: {problems}") from exc


def _memo_key(request: Request, grant: grants.Grant) -> tuple[Any, ...] | None:
    """A GET's answer depends only on what its user can see, so it is remembered under
    every one of the user's marks: any change the user could see moves one of them
    (core/marks.py), and the answer is built again."""
    start = grant.start
    if start is None or start.marks is None:
        return None
    return ("v1", request.url.path, grant.user_id, tuple(start.marks.values()))


def endpoint(handler: Handler, *, write: bool) -> Callable[[Request], Awaitable[Response]]:
    """Authenticate (``tasks:write`` for writes, ``tasks:read`` for reads), read the body,
    run the handler off the event loop, map errors. A handler's None is an empty 200."""
    scope = "tasks:write" if write else "tasks:read"

    async def run(request: Request) -> Response:
        backend: Backend = request.app.state.backend
        try:
            body = await read_json(request) if request.method == "POST" else None
            limited = backend.settings.sync_rate_limit_per_minute > 0
            if not write and (not limited or ratelimit.counts_on_loop(backend)):
                # No rate counter, or one that counts on the loop: the token lookup (and
                # the count) is one short statement, on the loop.
                grant = authenticate_grant(backend, request, scope)
            else:
                grant = await run_in_threadpool(authenticate_grant, backend, request, scope)
            call = Call(backend, grant.user, dict(request.path_params), body)
            key = None if write else _memo_key(request, grant)
            result = backend.remembered.get(key) if key is not None else None
            if result is None:
                result = await run_in_threadpool(handler, call)
                if key is not None and result is not None:
                    backend.remembered.put(key, result)
        except (DomainError, V1Error) as exc:
            return map_error(exc)
        if result is None:
            return Response(status_code=200)
        return json_response(result)

    return run
