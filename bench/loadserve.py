"""One server process of the load test: taskhaven, or the bare Starlette baseline.

Both are served the same way as ``taskhaven serve`` serves the app (``serving.config``: the
same uvicorn protocol class, event loop and keep-alive), so the ratio between them is the
cost of the app, not of the serving. The socket is bound with ``SO_REUSEPORT``: several
processes started on one port share its connections (the kernel spreads new connections
over them), which is how the load test runs N workers until ``taskhaven serve`` has its
own flag for it.

Run as ``python bench/loadserve.py taskhaven --port P`` (settings from ``TASKHAVEN_*``) or
``python bench/loadserve.py bare --port P --bodies FILE``.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from taskhaven import serving
from taskhaven.settings import Settings


def bare_app(bodies_file: Path | None) -> Starlette:
    """Parse the same form as ``/API/v6/sync`` and answer a fixed body of the same size.

    ``bodies_file`` holds JSON mapping a token to the body taskhaven answered that token's
    request with, so the baseline sends as many bytes as the server it is compared with.
    It is read at the first sync request: the load test writes it after the servers start.
    """
    fallback = b'{"seq_no":1}'
    bodies: dict[str, bytes] = {}
    loaded = False

    async def sync(request: Request) -> Response:
        nonlocal loaded
        if not loaded and bodies_file is not None and bodies_file.exists():
            raw = json.loads(bodies_file.read_text())
            bodies.update({token: body.encode() for token, body in raw.items()})
            loaded = True
        form = await request.form()
        token = str(form.get("token", ""))
        int(str(form.get("seq_no", "0")) or 0)
        json.loads(str(form.get("resource_types", "[]")))
        return Response(bodies.get(token, fallback), media_type="application/json")

    async def health(_request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return Starlette(
        routes=[
            Route("/API/v6/sync", sync, methods=["GET", "POST"]),
            Route("/health", health),
        ]
    )


def shared_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=("taskhaven", "bare"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bodies", type=Path, help="bare: JSON {token: body} to answer with")
    args = parser.parse_args()
    settings = Settings().model_copy(update={"host": args.host, "port": args.port})
    app: Starlette
    if args.kind == "bare":
        # Settled like taskhaven below: the comparison is of the apps, not of the collector.
        app = serving.settled(bare_app(args.bodies))
    else:
        from taskhaven.app import create_app

        app = serving.settled(create_app(settings))
    sock = shared_socket(args.host, args.port)
    uvicorn.Server(serving.config(app, settings)).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
