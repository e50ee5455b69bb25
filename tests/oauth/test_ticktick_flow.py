"""The TickTick-style flow: authorize (sign in, consent), then ``POST /oauth/token``."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx

from tests.oauth.flow import get_code, new_app, ticktick_token
from tests.servers import RunningServer


def test_code_then_token_as_pyticktick_sends_it(
    server: RunningServer, account: dict[str, Any]
) -> None:
    app = new_app(server)
    got = get_code(server, app, account["email"], scope="tasks:read tasks:write", state="None")
    assert got["state"] == "None"
    answer = ticktick_token(server, app, got["code"])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert uuid.UUID(body["access_token"]).version == 4
    assert body["token_type"] == "bearer"
    assert body["scope"] == "tasks:read tasks:write"
    assert body["expires_in"] == 180 * 86400
    assert answer.headers["cache-control"] == "no-store"


def test_scopes_come_back_in_the_order_pyticktick_needs(
    server: RunningServer, account: dict[str, Any]
) -> None:
    app = new_app(server)
    got = get_code(server, app, account["email"], scope="tasks:write tasks:read")
    assert ticktick_token(server, app, got["code"]).json()["scope"] == "tasks:read tasks:write"


def test_client_credentials_by_basic_auth_and_form(
    server: RunningServer, account: dict[str, Any]
) -> None:
    app = new_app(server)
    for how in ("basic", "form"):
        code = get_code(server, app, account["email"], scope="tasks:read")["code"]
        data = {"grant_type": "authorization_code", "code": code}
        headers = {}
        if how == "basic":
            raw = f"{app.client_id}:{app.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        else:
            data.update(client_id=app.client_id, client_secret=app.client_secret)
        answer = httpx.post(server.url + "/oauth/token", data=data, headers=headers)
        assert answer.status_code == 200, (how, answer.text)
        assert answer.json()["scope"] == "tasks:read"
