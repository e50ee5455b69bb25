"""How uvicorn serves the app: read deadlines, so an incomplete request is never held forever.

uvicorn's keep-alive timer only runs between requests, and any byte received cancels it; a
client that trickles its headers or body (or sends nothing at all) would hold a connection
and a file descriptor for as long as it likes. Here each request must arrive whole in time:
its headers within ``header_timeout_seconds`` of the connection (or of the previous answer),
its body within ``body_timeout_seconds`` of its headers; otherwise the connection is closed.

Both of uvicorn's HTTP/1.1 parsers are served this way: httptools (compiled, the default)
and h11 (pure Python, ``TASKHAVEN_HTTP_PARSER=h11``). The deadline logic is one mixin; each
parser's subclass only says what the connection is waiting for. The subclasses use uvicorn
internals (``conn``, ``cycle``, ``pipeline``, ``on_response_complete``), which is why
pyproject pins uvicorn's minor version and ``tests/regressions/test_slow_requests.py`` runs
against both parsers.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any, Literal

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from taskhaven.observability import logs
from taskhaven.settings import Settings

MAX_HEADER_BYTES = 64 * 1024
"""A request line and headers longer than this are refused (400) by either parser."""

Waiting = Literal["headers", "body"] | None
"""What a connection waits for from its client: a request's headers, its body, or nothing
(a request is being answered)."""


class ServerConfig(uvicorn.Config):
    """uvicorn's configuration plus the read deadlines; a module-level class, so it pickles
    into the worker processes of ``taskhaven serve --workers N``."""

    def __init__(
        self, app: Any, *, header_timeout: float, body_timeout: float, **kwargs: Any
    ) -> None:
        super().__init__(app, **kwargs)
        self.header_timeout = header_timeout
        self.body_timeout = body_timeout


class ReadDeadlines:
    """The timer shared by both parsers' protocols.

    Invariant: a deadline runs only while the connection waits for the client (``waiting()``
    is not None); the header deadline is armed once per request, so trickling bytes never
    extends it, and the body deadline once, when the headers are complete.
    """

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    header_timeout = 10.0
    body_timeout = 60.0

    def _init_deadlines(self, config: uvicorn.Config) -> None:
        if isinstance(config, ServerConfig):
            self.header_timeout = config.header_timeout
            self.body_timeout = config.body_timeout
        self._deadline: asyncio.TimerHandle | None = None
        self._armed_for: Waiting = None

    def waiting(self) -> Waiting:
        raise NotImplementedError

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.waiting() is not None:
            # connection_lost tells a handler waiting for the body that the client is gone.
            self.transport.close()

    def _follow(self) -> None:
        """Arm, keep or cancel the deadline after the connection's state may have moved."""
        waiting = self.waiting()
        if waiting == "headers":
            if self._deadline is None or self._armed_for != "headers":
                self._arm(self.header_timeout)
        elif waiting == "body":
            if self._armed_for != "body":
                self._arm(self.body_timeout)
        else:
            self._disarm()
        self._armed_for = waiting

    def _restart(self) -> None:
        """An answer is complete: the next request's deadlines start now."""
        self._disarm()
        self._armed_for = None
        self._follow()

    # The protocol's own hooks, around the parser's (the mixin comes first in the MRO).
    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._follow()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # type: ignore[misc]
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._restart()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]


class DeadlineH11Protocol(ReadDeadlines, H11Protocol):  # type: ignore[misc]
    """h11: its own state machine says what the client is expected to send."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self._init_deadlines(config)

    def waiting(self) -> Waiting:
        state = self.conn.their_state
        if state is h11.IDLE:
            return "headers"
        if state is h11.SEND_BODY:
            return "body"
        return None


class DeadlineHttpToolsProtocol(ReadDeadlines, HttpToolsProtocol):  # type: ignore[misc]
    """httptools: the parser's callbacks say how far the current request has arrived."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self._init_deadlines(config)
        self._reading: Waiting = None
        self._header_bytes = 0

    def waiting(self) -> Waiting:
        if self.pipeline:
            # A pipelined request waits for the answer before it; uvicorn paused reading.
            return None
        if self._reading == "body":
            return "body"
        if self.cycle is not None and not self.cycle.response_complete:
            return None  # answering a request that arrived whole
        return "headers"  # idle, or the next request's headers are arriving

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._reading = "headers"
        self._header_bytes = 0

    def _count(self, size: int) -> None:
        # httptools buffers any amount of headers; h11 stops at its incomplete-event size.
        self._header_bytes += size
        if self._header_bytes > MAX_HEADER_BYTES:
            # Raised inside a parser callback: uvicorn answers 400 and closes, as with h11.
            raise ValueError("request headers too large")

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._reading = "body"

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading = None


PROTOCOLS: dict[str, type[ReadDeadlines]] = {
    "httptools": DeadlineHttpToolsProtocol,
    "h11": DeadlineH11Protocol,
}


def config(app: Any, settings: Settings, **overrides: Any) -> ServerConfig:
    """The uvicorn configuration the server runs with (tests use it too).

    ``app`` is the application, or with ``factory=True`` the import string of a function
    making it (what worker processes need).
    """
    values: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "log_config": logs.config(settings.log_format, settings.log_level),
        "proxy_headers": True,
        "http": PROTOCOLS[settings.http_parser],
        "timeout_keep_alive": min(5, settings.header_timeout_seconds),
        # Larger headers are refused (400) before the app is called.
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "header_timeout": float(settings.header_timeout_seconds),
        "body_timeout": float(settings.body_timeout_seconds),
    }
    values.update(overrides)
    if "log_level" in overrides:
        values["log_config"] = logs.config(settings.log_format, str(overrides["log_level"]))
    return ServerConfig(app, **values)


def settled(app: Any) -> Any:
    """``app``, with everything alive so far moved out of the garbage collector's sight.

    A server process builds its long-lived objects (modules, the app, the schema, compiled
    statements) before the first request; ``gc.freeze`` keeps every later collection from
    walking them again, which the collector otherwise does in each full pass while requests
    allocate (measured: 15-20% more empty syncs per second, docs/performance.md). Objects
    created later are collected as usual; only cycles among the frozen ones outlive their use,
    and those are the process's own furniture.
    """
    gc.collect()
    gc.freeze()
    return app


def worker_app() -> Any:
    """The app of one worker process of ``taskhaven serve --workers N``.

    Settings come from the environment, where ``serve`` put its command-line options before
    starting the workers; the parent already ran the migrations and made the server key.
    """
    from taskhaven.app import create_app

    return settled(create_app(Settings()))
