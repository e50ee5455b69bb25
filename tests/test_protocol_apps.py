"""Each protocol app renders its own 404, 405, 413 and 500; outside every mount, a plain 404.

In-process (Starlette's TestClient): nothing here needs a real socket.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from taskhaven.api.ticktick.v2 import check
from taskhaven.api.todoist.v6 import routes as v6_routes
from taskhaven.app import create_app
from taskhaven.core.backend import Backend

LIMIT = 1024
BIG = b"x" * (4 * LIMIT)


@pytest.fixture(scope="module")
def client(core_backend: Backend) -> Iterator[TestClient]:
    settings = core_backend.settings.model_copy(update={"max_body_bytes": LIMIT})
    backend = Backend(settings, engine=core_backend.engine)
    yield TestClient(create_app(settings, backend), raise_server_exceptions=False)


def chunks() -> Iterator[bytes]:
    """A body without Content-Length: the limit has to count what arrives."""
    for _ in range(4):
        yield b"x" * LIMIT


def v6_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error_code", "error"} and body["error_code"] == status
    return body


def v2_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errorId", "errorCode", "errorMessage", "data"}
    assert body["errorCode"] == code and body["data"] is None


@pytest.mark.parametrize("prefix", ["/API/v6", "/api/v6"])
def test_sync_api_errors_are_sync_api_objects(client: TestClient, prefix: str) -> None:
    v6_error(client.get(prefix + "/nope"), 404)
    v6_error(client.put(prefix + "/sync"), 405)
    assert "too large" in v6_error(client.post(prefix + "/sync", content=BIG), 413)["error"]
    form = {"content-type": "application/x-www-form-urlencoded"}
    v6_error(client.post(prefix + "/sync", content=chunks(), headers=form), 413)


def test_v2_errors_are_ticktick_envelopes(client: TestClient) -> None:
    v2_error(client.get("/api/v2/nope"), 404, "not_found")
    v2_error(client.get("/api/v2/user/signon"), 405, "method_not_allowed")
    v2_error(client.post("/api/v2/user/signon", content=BIG), 413, "body_too_large")
    v2_error(client.post("/api/v2//user/signon", content=chunks()), 413, "body_too_large")


def test_unhandled_errors_are_500_in_each_format(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(v6_routes, "credential", boom)
    monkeypatch.setattr(check, "current_user", boom)
    v6_error(client.get("/API/v6/sync"), 500)
    v2_error(client.get("/api/v2/batch/check/0"), 500, "server_error")


def test_outside_every_protocol_a_plain_404(client: TestClient) -> None:
    for response in (client.get("/nope"), client.post("/api/v3/sync", content=BIG)):
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/plain")


def test_slashes_collapse_and_both_sync_api_spellings_are_served(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    v2_error(client.post("/api/v2//user/signon", json={}), 400, "invalid_parameter")
    for prefix in ("/API/v6", "/api/v6", "/API//v6/"):
        v6_error(client.get(prefix + "/sync", params={"token": "nope"}), 401)
