"""Races and limits: one code, two token requests; rate limits on V1 and on the sign-in page;
an account's deletion ends its apps' tokens."""

from __future__ import annotations

import re
import threading
from typing import Any

import httpx

from tests.conftest import PASSWORD, register
from tests.oauth.flow import authorize_url, csrf, get_code, new_app, ticktick_token, v1_token
from tests.servers import RunningServer
from tests.v1.clients import raw


def test_two_token_requests_with_one_code_get_one_token(
    server: RunningServer, account: dict[str, Any]
) -> None:
    app = new_app(server)
    code = get_code(server, app, account["email"], scope="tasks:read")["code"]
    answers: list[httpx.Response] = []
    start = threading.Barrier(4)

    def redeem() -> None:
        start.wait()
        answers.append(ticktick_token(server, app, code))

    threads = [threading.Thread(target=redeem) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 400, 400, 400]


def test_v1_rate_limit_is_exceed_query_limit(make_server: Any) -> None:
    server = make_server(sync_rate_limit_per_minute=2)
    account = register(server)
    token = v1_token(server, account["email"])
    assert raw(server, token, "GET", "project").status_code == 200
    assert raw(server, token, "GET", "project").status_code == 200
    limited = raw(server, token, "GET", "project")
    assert limited.status_code == 429
    assert limited.json()["errorCode"] == "exceed_query_limit"
    # pyticktick retries a V1 call only when its error text matches this (spec §1.5).
    error_text = f"Response [{limited.status_code}]: {limited.json()}"
    assert re.match(r"^.*exceed\_query\_limit.*$", error_text)
    assert int(limited.headers["retry-after"]) >= 1


def test_sign_in_page_failures_are_limited(make_server: Any) -> None:
    server = make_server(signon_failures_per_account=2)
    account = register(server)
    app = new_app(server)
    url = authorize_url(server, client_id=app.client_id, response_type="code", scope="tasks:read")
    with httpx.Client() as browser:
        page = browser.get(url)
        token = csrf(page)
        statuses = []
        for password in ("wrong", "wrong", PASSWORD):
            answer = browser.post(
                url,
                data={
                    "csrf_token": token,
                    "step": "signin",
                    "email": account["email"],
                    "password": password,
                },
            )
            statuses.append(answer.status_code)
        assert statuses == [401, 401, 429]
        assert "Too many failed sign-in attempts" in answer.text


def test_deleting_the_account_ends_its_tokens(server: RunningServer) -> None:
    account = register(server)
    token = v1_token(server, account["email"])
    assert raw(server, token, "GET", "project").status_code == 200
    gone = httpx.post(
        server.url + "/API/v6/delete_user",
        data={"token": account["token"], "current_password": PASSWORD},
    )
    assert gone.status_code == 200, gone.text
    assert raw(server, token, "GET", "project").status_code == 401
