"""``/healthz`` (the process answers), ``/readyz`` (it can serve), ``/metrics`` (Prometheus).

``/healthz`` touches no database, so a slow database never gets a live process restarted;
``/readyz`` is what a load balancer asks before sending traffic. ``/metrics`` answers only
loopback clients, or anyone presenting ``metrics_token`` (docs/security.md).
"""

from __future__ import annotations

import hmac
import ipaddress

import anyio
import anyio.to_thread
import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from taskhaven.core import health
from taskhaven.core.backend import Backend
from taskhaven.observability import metrics

_OK = b'{"status":"ok"}'


def _json(data: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(data), status, headers, media_type="application/json")


async def healthz(_request: Request) -> Response:
    return Response(_OK, media_type="application/json")


# The check in flight, per backend: while one waits on a database that stopped answering, the
# next probes answer at once instead of each stranding one more worker thread.
_CHECKING: set[int] = set()
_NOT_ANSWERING = {"status": "unready", "database": "not answering"}


async def readyz(request: Request) -> Response:
    backend: Backend = request.app.state.backend
    if id(backend) in _CHECKING:
        return _json(_NOT_ANSWERING, 503)
    _CHECKING.add(id(backend))
    try:
        with anyio.fail_after(backend.settings.readiness_timeout_seconds):
            # Abandoned on timeout: a probe answers within its deadline even when the
            # database holds the connection open and never replies (no driver timeout
            # covers that); the thread ends when the database or the socket does.
            state = await anyio.to_thread.run_sync(
                _readiness_then_release, backend, abandon_on_cancel=True
            )
    except TimeoutError:
        return _json(_NOT_ANSWERING, 503)
    if state.ready:
        return Response(_OK, media_type="application/json")
    return _json({"status": "unready", **state.problems}, 503)


def _readiness_then_release(backend: Backend) -> health.Readiness:
    try:
        return health.readiness(backend)
    finally:
        _CHECKING.discard(id(backend))


def _is_loopback(request: Request) -> bool:
    if request.client is None:
        return False
    try:
        return ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


async def metrics_page(request: Request) -> Response:
    backend: Backend = request.app.state.backend
    token = backend.settings.metrics_token
    if token is not None:
        presented = request.headers.get("authorization", "")
        expected = "Bearer " + token.get_secret_value()
        if not hmac.compare_digest(presented.encode(), expected.encode()):
            return _json(
                {"error": "metrics need the bearer token"},
                401,
                {"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
    elif not _is_loopback(request):
        return _json({"error": "metrics are served to loopback clients only"}, 403)
    body = await run_in_threadpool(metrics.exposition)
    return Response(body, media_type=metrics.CONTENT_TYPE)


def routes() -> list[Route]:
    return [
        Route("/healthz", healthz, methods=["GET"]),
        # The older name, kept for probes configured before /healthz.
        Route("/health", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
