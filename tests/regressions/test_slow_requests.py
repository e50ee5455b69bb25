"""Incomplete requests were held forever (1,100 slow connections stayed open).

Run against both HTTP parsers: the deadlines are a subclass of each of uvicorn's protocol
classes, so a uvicorn upgrade that changes their internals fails here.
"""

from __future__ import annotations

import contextlib
import socket
import time
from importlib.metadata import version
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import httpx
import pytest

from taskhaven import serving

PARSERS = ["httptools", "h11"]


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


def _read_answer(stream: BinaryIO) -> bytes:
    """The status line of one whole answer with a Content-Length body, read from a buffered
    stream (one recv may hold two pipelined answers)."""
    status = stream.readline()
    assert status, "closed before an answer"
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    assert len(stream.read(length)) == length, "closed within an answer"
    return status


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    "sent",
    [
        b"",
        b"GET /health HTTP/1.1\r\nHost: x\r\n",
        b"POST /API/v6/sync HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ntoken=",
    ],
    ids=["nothing", "half the headers", "half the body"],
)
def test_an_incomplete_request_is_dropped(make_server: Any, sent: bytes, parser: str) -> None:
    server = make_server(header_timeout_seconds=1, body_timeout_seconds=1, http_parser=parser)
    with _connect(server.url) as sock:
        started = time.monotonic()
        sock.sendall(sent)
        # Trickling more keeps nothing alive.
        time.sleep(0.5)
        sock.sendall(b"X" if sent else b"G")
        assert _closed_within(sock, 5)
        assert time.monotonic() - started < 4
    assert httpx.get(server.url + "/health").status_code == 200


@pytest.mark.parametrize("parser", PARSERS)
def test_a_kept_alive_connection_gets_a_new_deadline_after_each_answer(
    make_server: Any, parser: str
) -> None:
    """Requests on one connection, each sent whole: none is cut off, however long the
    connection lives; then silence after an answer closes it."""
    server = make_server(header_timeout_seconds=1, body_timeout_seconds=1, http_parser=parser)
    with _connect(server.url) as sock, sock.makefile("rb") as stream:
        for _ in range(3):
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _read_answer(stream).startswith(b"HTTP/1.1 200")
            time.sleep(0.6)  # 1.8 s in all: past one deadline, within each
        started = time.monotonic()
        assert _closed_within(sock, 5)
        assert time.monotonic() - started < 4


@pytest.mark.parametrize("parser", PARSERS)
def test_a_slow_answer_is_not_cut_off_by_a_read_deadline(make_server: Any, parser: str) -> None:
    """While the server answers, the client owes nothing: a pipelined second request waits
    for the first answer and both arrive."""
    server = make_server(header_timeout_seconds=1, body_timeout_seconds=1, http_parser=parser)
    request = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    with _connect(server.url) as sock, sock.makefile("rb") as stream:
        sock.sendall(request + request)
        assert _read_answer(stream).startswith(b"HTTP/1.1 200")
        assert _read_answer(stream).startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize("parser", PARSERS)
def test_headers_larger_than_the_limit_are_refused(make_server: Any, parser: str) -> None:
    server = make_server(http_parser=parser)
    big = b"X-Padding: " + b"a" * (serving.MAX_HEADER_BYTES + 10) + b"\r\n"
    with _connect(server.url) as sock, sock.makefile("rb") as stream:
        # Headers that keep coming: neither parser buffers past the limit.
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n" + big)
        time.sleep(0.2)
        with contextlib.suppress(OSError):
            sock.sendall(b"\r\n")
        assert _read_answer(stream).startswith(b"HTTP/1.1 400")
        stream.read()  # to the end: the server closed the connection (or this times out)
    ok = httpx.get(server.url + "/health", headers={"X-Padding": "a" * 1000})
    assert ok.status_code == 200


def test_the_server_runs_the_compiled_parser_by_default() -> None:
    from taskhaven.settings import Settings

    assert serving.config(None, Settings()).http is serving.DeadlineHttpToolsProtocol
    assert version("httptools")  # installed with uvicorn[standard]


def test_uvicorn_is_the_version_the_protocols_were_written_for() -> None:
    """The subclasses rely on internals of this minor version (see pyproject)."""
    assert version("uvicorn").startswith("0.54."), "re-check serving.py, then widen the pin"
