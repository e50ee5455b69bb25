"""Every answer carries a request id, and every log line written while handling it too."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from taskhaven.observability.requestid import RequestIdFilter
from tests.observability.helpers import app_client

SAFE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with app_client(tmp_path_factory.mktemp("ids")) as (c, _app):
        yield c


def test_a_fresh_id_when_the_client_sends_none(client: TestClient) -> None:
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/api/v2/nowhere").headers["x-request-id"]  # a protocol's 404 too
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert first != second


def test_a_sane_incoming_id_is_kept(client: TestClient) -> None:
    answer = client.get("/healthz", headers={"X-Request-Id": "lb-7f3a.2:9_x"})
    assert answer.headers["x-request-id"] == "lb-7f3a.2:9_x"


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(incoming=st.text(st.characters(codec="latin-1"), max_size=100))
def test_an_unsafe_incoming_id_is_replaced(client: TestClient, incoming: str) -> None:
    headers = {"X-Request-Id": incoming.encode("latin-1")}
    answer = client.get("/healthz", headers=headers)  # type: ignore[dict-item]
    if answer.status_code != 200:
        return  # a header value h11 itself refuses never reaches the app
    given_back = answer.headers.get_list("x-request-id")
    assert len(given_back) == 1 and SAFE.fullmatch(given_back[0])
    assert (given_back[0] == incoming) == bool(SAFE.fullmatch(incoming))


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_log_lines_written_while_handling_carry_the_id(tmp_path: Path) -> None:
    handler = Records()
    logger = logging.getLogger("taskhaven")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with app_client(tmp_path) as (client, _app):
            # The sign-on refusal is logged by core on a worker thread, not the event loop.
            answer = client.post(
                "/API/v6/login",
                data={"email": "nobody@example.com", "password": "wrong"},
                headers={"X-Request-Id": "req-login-1"},
            )
            assert answer.status_code == 401
            assert answer.headers["x-request-id"] == "req-login-1"
            logging.getLogger("taskhaven.test").info("outside any request")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    refused = [r for r in handler.records if "sign-on refused" in r.getMessage()]
    assert [r.request_id for r in refused] == ["req-login-1"]  # type: ignore[attr-defined]
    outside = [r for r in handler.records if r.getMessage() == "outside any request"]
    assert [r.request_id for r in outside] == ["-"]  # type: ignore[attr-defined]


def test_fresh_ids_differ_and_a_forked_child_does_not_repeat_its_parent() -> None:
    from taskhaven.observability import requestid

    seen = {requestid.choose([]) for _ in range(1000)}
    assert len(seen) == 1000
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its next id and leave
        os.write(write, requestid.choose([]).encode())
        os._exit(0)
    os.close(write)
    child = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    parent = requestid.choose([])
    assert child and child[:8] != parent[:8] and child not in seen
