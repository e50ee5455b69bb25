"""The Sync API's ``login`` and ``delete_user`` had no failure limit: wrong passwords there
were unlimited while V2 sign-on for the same account answered 429."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import PASSWORD, register
from tests.v2.clients import signon_raw

WRONG = "wrong password!"


def test_v6_login_is_throttled(make_server: Any) -> None:
    server = make_server(signon_failures_per_account=3)
    user = register(server)
    for _ in range(3):
        wrong = httpx.post(
            server.url + "/API/v6/login", data={"email": user["email"], "password": WRONG}
        )
        assert wrong.status_code == 401
    right = httpx.post(
        server.url + "/API/v6/login", data={"email": user["email"], "password": PASSWORD}
    )
    assert right.status_code == 429 and right.json()["error_code"] == 35
    assert int(right.headers["Retry-After"]) > 0


def test_failures_at_one_door_count_at_the_others(make_server: Any) -> None:
    server = make_server(signon_failures_per_account=4)
    user = register(server)
    for _ in range(2):
        assert signon_raw(server, user["email"], WRONG).status_code != 200
    for _ in range(2):
        wrong = httpx.post(
            server.url + "/API/v6/login", data={"email": user["email"], "password": WRONG}
        )
        assert wrong.status_code == 401
    assert signon_raw(server, user["email"], PASSWORD).status_code == 429
    login = httpx.post(
        server.url + "/API/v6/login", data={"email": user["email"], "password": PASSWORD}
    )
    assert login.status_code == 429


def test_delete_user_password_check_is_throttled(make_server: Any) -> None:
    server = make_server(signon_failures_per_account=2)
    user = register(server)
    for _ in range(2):
        wrong = httpx.post(
            server.url + "/API/v6/delete_user",
            data={"token": user["token"], "current_password": WRONG},
        )
        assert wrong.status_code == 403
    right = httpx.post(
        server.url + "/API/v6/delete_user",
        data={"token": user["token"], "current_password": PASSWORD},
    )
    assert right.status_code == 429
    login = httpx.post(
        server.url + "/API/v6/login", data={"email": user["email"], "password": PASSWORD}
    )
    assert login.status_code == 429
