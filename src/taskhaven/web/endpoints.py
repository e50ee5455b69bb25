"""The OAuth2 endpoints apps call directly: tokens (both spellings), revocation, metadata.

Errors are RFC 6749's ``{"error", "error_description"}`` JSON, produced by Authlib.
"""

from __future__ import annotations

import orjson
from authlib.oauth2.rfc6749 import InsecureTransportError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from taskhaven.core.backend import Backend
from taskhaven.core.oauth import apps, grants
from taskhaven.web import bounds, public
from taskhaven.web.oauth_server import StarletteServer, WireRequest, metadata

MAX_BODY = 16 * 1024


async def _wire(request: Request, *, default_grant: str | None = None) -> WireRequest | Response:
    body = await request.body()
    if len(body) > MAX_BODY:
        return JSONResponse(
            {"error": "invalid_request", "error_description": "Body too large"}, 413
        )
    form = (await request.form()).multi_items() if body else []
    query = request.query_params.multi_items()
    refused = bounds.first_problem([*query, *form], bounds.OAUTH)
    if refused is not None:
        name, problem = refused
        return JSONResponse(
            {"error": "invalid_request", "error_description": f"{name} is {problem}"}, 400
        )
    if default_grant and not any(k == "grant_type" for k, _ in [*query, *form]):
        # Todoist's token exchange sends client_id, client_secret and code only.
        query = [*query, ("grant_type", default_grant)]
    backend: Backend = request.app.state.backend
    try:
        return WireRequest(
            request.method,
            public.uri(backend, request),
            request.headers,
            query,
            [(k, str(v)) for k, v in form],
        )
    except InsecureTransportError as error:
        return JSONResponse(
            {"error": error.error, "error_description": "OAuth 2 needs HTTPS here"}, 400
        )


async def token(request: Request) -> Response:
    """TickTick style: ``{access_token (UUID4), token_type: "bearer", expires_in, scope}``."""
    server: StarletteServer = request.app.state.oauth_server
    wire = await _wire(request)
    if isinstance(wire, Response):
        return wire
    return await run_in_threadpool(server.create_token_response, wire)  # type: ignore[no-any-return]


async def access_token(request: Request) -> Response:
    """Todoist style: ``{access_token, token_type: "Bearer"}``."""
    server: StarletteServer = request.app.state.todoist_server
    wire = await _wire(request, default_grant="authorization_code")
    if isinstance(wire, Response):
        return wire
    return await run_in_threadpool(server.create_token_response, wire)  # type: ignore[no-any-return]


async def revoke(request: Request) -> Response:
    """RFC 7009: the app revokes one of its tokens."""
    server: StarletteServer = request.app.state.oauth_server
    wire = await _wire(request)
    if isinstance(wire, Response):
        return wire
    return await run_in_threadpool(  # type: ignore[no-any-return]
        server.create_endpoint_response, "revocation", wire
    )


async def todoist_revoke(request: Request) -> Response:
    """Todoist's ``POST /api/access_tokens/revoke``: JSON ``{client_id, client_secret,
    access_token}``; 204 when the token is gone (also when it was unknown already)."""
    backend: Backend = request.app.state.backend
    body = await request.body()
    try:
        data = orjson.loads(body) if len(body) <= MAX_BODY else None
    except orjson.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        return JSONResponse({"error": "invalid_request", "error_description": "JSON body"}, 400)
    client_id, secret, token = (
        data.get("client_id"),
        data.get("client_secret"),
        data.get("access_token"),
    )
    if not all(isinstance(v, str) and v for v in (client_id, secret, token)):
        return JSONResponse(
            {
                "error": "invalid_request",
                "error_description": "client_id, client_secret and access_token are required",
            },
            400,
        )
    app = await run_in_threadpool(apps.get, backend, str(client_id))
    valid = app is not None and await run_in_threadpool(
        apps.check_secret, backend, str(client_id), str(secret)
    )
    if app is None or not valid:
        return JSONResponse({"error": "invalid_client"}, 401)
    found = await run_in_threadpool(grants.find_token, backend, str(token))
    if found is not None:
        if found.app_id != app.id:
            return JSONResponse({"error": "invalid_grant"}, 400)
        await run_in_threadpool(grants.revoke_token, backend, found.id)
    return Response(status_code=204)


async def server_metadata(request: Request) -> Response:
    """RFC 8414, at ``/.well-known/oauth-authorization-server``."""
    return JSONResponse(metadata(request.app.state.backend))
