"""How uvicorn serves the app: read deadlines, so an incomplete request is never held forever.

uvicorn's keep-alive timer only runs between requests, and any byte received cancels it; a
client that trickles its headers or body (or sends nothing at all) would hold a connection
and a file descriptor for as long as it likes. Here each request must arrive whole in time:
its headers within ``header_timeout_seconds`` of the connection (or of the previous answer),
its body within ``body_timeout_seconds`` of its headers; otherwise the connection is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from taskhaven.observability import logs
from taskhaven.settings import Settings


class DeadlineH11Protocol(H11Protocol):
    header_timeout = 10.0
    body_timeout = 60.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_for: object = None

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
            # connection_lost tells a handler waiting for the body that the client is gone.
            self.transport.close()

    def _follow(self) -> None:
        state = self.conn.their_state
        if state is h11.IDLE:
            if self._deadline is None:
                self._arm(self.header_timeout)
        elif state is h11.SEND_BODY:
            if self._waiting_for is not h11.SEND_BODY:
                self._arm(self.body_timeout)
        else:
            self._disarm()
        self._waiting_for = state

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout)
        self._waiting_for = h11.IDLE

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()
        self._waiting_for = None
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def protocol_for(settings: Settings) -> type[H11Protocol]:
    return type(
        "DeadlineH11Protocol",
        (DeadlineH11Protocol,),
        {
            "header_timeout": float(settings.header_timeout_seconds),
            "body_timeout": float(settings.body_timeout_seconds),
        },
    )


def config(app: Any, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """The uvicorn configuration the server runs with (tests use it too)."""
    values: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "log_config": logs.config(settings.log_format, settings.log_level),
        "proxy_headers": True,
        "http": protocol_for(settings),
        "timeout_keep_alive": min(5, settings.header_timeout_seconds),
        # Headers larger than this are refused by h11 (431) before the app is called.
        "h11_max_incomplete_event_size": 64 * 1024,
    }
    values.update(overrides)
    if "log_level" in overrides:
        values["log_config"] = logs.config(settings.log_format, str(overrides["log_level"]))
    return uvicorn.Config(app, **values)
