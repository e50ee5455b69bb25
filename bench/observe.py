"""The observability middleware's cost per request: requests/s with and without it.

Two measurements, each alternating the two apps so both meet the same load:

- the ASGI call alone (no server, no socket): a bare Starlette route, and the same app
  behind ``Observe`` with its route tagged; the difference is the middleware's own work
  (request id, route label, two metric updates, the header added);
- through a real socket: uvicorn on loopback, a keep-alive client sending requests one
  after another, so parsing and the network stack are counted as a client sees them.

Run: ``PYTHONPATH=src python bench/observe.py``.
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import threading
import time
from collections.abc import MutableMapping
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from taskhaven.observability import routes as route_labels
from taskhaven.observability.asgi import Observe


async def ping(_request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


def bare() -> Starlette:
    return Starlette(routes=[Route("/ping", ping)])


def observed() -> Starlette:
    routes = [Route("/ping", ping)]
    route_labels.tag(routes)
    return Starlette(routes=routes, middleware=[Middleware(Observe)])


SCOPE: dict[str, Any] = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "GET",
    "scheme": "http",
    "path": "/ping",
    "raw_path": b"/ping",
    "root_path": "",
    "query_string": b"",
    "headers": [(b"host", b"localhost"), (b"user-agent", b"bench")],
    "client": ("127.0.0.1", 1),
    "server": ("127.0.0.1", 80),
}


async def _asgi_rate(app: Starlette, n: int) -> float:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: MutableMapping[str, Any]) -> None:
        return None

    # CPU time, not wall time: steadier when other processes compete for the cores.
    started = time.process_time()
    for _ in range(n):
        await app(dict(SCOPE), receive, send)
    return n / (time.process_time() - started)


def asgi_rates(rounds: int, n: int) -> tuple[float, float]:
    plain, wrapped = bare(), observed()
    plain_rates, wrapped_rates = [], []
    for _ in range(rounds):
        plain_rates.append(asyncio.run(_asgi_rate(plain, n)))
        wrapped_rates.append(asyncio.run(_asgi_rate(wrapped, n)))
    return statistics.median(plain_rates), statistics.median(wrapped_rates)


def _serve(app: Starlette) -> tuple[uvicorn.Server, threading.Thread, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread, port


def _socket_rate(port: int, n: int) -> float:
    request = b"GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port)) as conn:
        started = time.perf_counter()
        for _ in range(n):
            conn.sendall(request)
            seen = b""
            while not seen.endswith(b'{"status":"ok"}'):
                seen += conn.recv(4096)
        return n / (time.perf_counter() - started)


def socket_rates(rounds: int, n: int) -> tuple[float, float]:
    servers = [_serve(bare()), _serve(observed())]
    try:
        plain_rates, wrapped_rates = [], []
        for _ in range(rounds):
            plain_rates.append(_socket_rate(servers[0][2], n))
            wrapped_rates.append(_socket_rate(servers[1][2], n))
        return statistics.median(plain_rates), statistics.median(wrapped_rates)
    finally:
        for server, thread, _port in servers:
            server.should_exit = True
            thread.join(timeout=10)


def main() -> None:
    for name, (plain, wrapped) in (
        ("ASGI call (CPU)", asgi_rates(rounds=9, n=5000)),
        ("loopback socket", socket_rates(rounds=5, n=2000)),
    ):
        cost_us = (1 / wrapped - 1 / plain) * 1e6
        print(
            f"{name:16} bare {plain:9.0f} req/s   with Observe {wrapped:9.0f} req/s   "
            f"ratio {wrapped / plain:.2f}   cost {cost_us:.1f} µs/request"
        )


if __name__ == "__main__":
    main()
