"""Incomplete requests were held forever (1,100 slow connections stayed open)."""

from __future__ import annotations

import socket
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    return sock


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


@pytest.mark.parametrize(
    "sent",
    [
        b"",
        b"GET /health HTTP/1.1\r\nHost: x\r\n",
        b"POST /API/v6/sync HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ntoken=",
    ],
    ids=["nothing", "half the headers", "half the body"],
)
def test_an_incomplete_request_is_dropped(make_server: Any, sent: bytes) -> None:
    server = make_server(header_timeout_seconds=1, body_timeout_seconds=1)
    with _connect(server.url) as sock:
        started = time.monotonic()
        sock.sendall(sent)
        # Trickling more keeps nothing alive.
        time.sleep(0.5)
        sock.sendall(b"X" if sent else b"G")
        assert _closed_within(sock, 5)
        assert time.monotonic() - started < 4
    assert httpx.get(server.url + "/health").status_code == 200
