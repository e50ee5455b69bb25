"""A password changed through the Sync API ends the account's V2 web sessions."""

from __future__ import annotations

import httpx
import orjson

from tests.servers import RunningServer
from tests.v2.clients import cookie_token, register


def test_password_change_ends_v2_sessions_but_keeps_the_api_token(server: RunningServer) -> None:
    user = register(server)
    cookie = cookie_token(server, user["email"])
    profile = httpx.get(server.url + "/api/v2/user/profile", cookies={"t": cookie})
    assert profile.status_code == 200

    command = {"type": "user_update", "uuid": "pw-1", "args": {"password": "a new long password"}}
    body = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": user["token"], "commands": orjson.dumps([command]).decode()},
    ).json()
    assert body["SyncStatus"]["pw-1"] == "ok"

    after = httpx.get(server.url + "/api/v2/user/profile", cookies={"t": cookie})
    assert after.status_code == 401 and after.json()["errorCode"] == "user_not_sign_on"
    still = httpx.post(
        server.url + "/API/v6/sync", data={"token": user["token"], "resource_types": '["user"]'}
    )
    assert still.status_code == 200 and still.json()["User"]["email"] == user["email"]
