"""The sign-in pages' second factor and the grants page, with a plain HTTP client."""

from __future__ import annotations

from typing import Any

import httpx
import pyotp

from taskhaven.core import totp
from tests.oauth.flow import (
    authorize_url,
    consent,
    csrf,
    new_app,
    redirect_params,
    sign_in,
    ticktick_token,
)
from tests.servers import RunningServer
from tests.v1.clients import raw


def test_an_account_with_2fa_needs_the_code(server: RunningServer, account: dict[str, Any]) -> None:
    secret = totp.enable(server.backend, account["id"]).secret
    app = new_app(server)
    url = authorize_url(
        server, client_id=app.client_id, response_type="code", scope="tasks:read", state="2fa"
    )
    with httpx.Client() as browser:
        page = sign_in(browser, url, account["email"], totp=secret)
        params = redirect_params(consent(browser, url, page, "allow"))
    assert params["state"] == "2fa" and params["code"]


def test_a_wrong_second_factor_code_starts_over(
    server: RunningServer, account: dict[str, Any]
) -> None:
    secret = totp.enable(server.backend, account["id"]).secret
    app = new_app(server)
    url = authorize_url(server, client_id=app.client_id, response_type="code", scope="tasks:read")
    with httpx.Client() as browser:
        page = browser.get(url)
        browser.post(
            url,
            data={
                "csrf_token": csrf(page),
                "step": "signin",
                "email": account["email"],
                "password": account["password"],
            },
        )
        page = browser.get(url)
        assert "Two-factor code" in page.text
        wrong = str((int(pyotp.TOTP(secret).now()) + 1) % 1_000_000).zfill(6)
        answer = browser.post(url, data={"csrf_token": csrf(page), "step": "totp", "code": wrong})
        assert answer.status_code == 401
        assert "Sign in again" in answer.text
        assert "Sign in" in browser.get(url).text


def test_the_grants_page_lists_and_revokes(server: RunningServer, account: dict[str, Any]) -> None:
    app = new_app(server, name="Grant Lister")
    url = authorize_url(
        server, client_id=app.client_id, response_type="code", scope="tasks:read tasks:write"
    )
    with httpx.Client() as browser:
        page = sign_in(browser, url, account["email"])
        code = redirect_params(consent(browser, url, page, "allow"))["code"]
        token = ticktick_token(server, app, code).json()["access_token"]
        listing = browser.get(server.url + "/web/apps")
        assert listing.status_code == 200
        assert "Grant Lister" in listing.text
        assert "See your lists and tasks" in listing.text
        assert token not in listing.text
        answer = browser.post(
            server.url + "/web/apps",
            data={"csrf_token": csrf(listing), "step": "revoke", "client_id": app.client_id},
        )
        assert answer.status_code == 303
        assert "Grant Lister" not in browser.get(server.url + "/web/apps").text
    assert raw(server, token, "GET", "project").status_code == 401


def test_the_grants_page_asks_for_sign_in_and_cannot_revoke_for_others(
    server: RunningServer, account: dict[str, Any]
) -> None:
    page = httpx.get(server.url + "/web/apps")
    assert page.status_code == 200 and "Sign in" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    with httpx.Client() as browser:
        listing = sign_in(browser, server.url + "/web/apps", account["email"])
        answer = browser.post(
            server.url + "/web/apps",
            data={"csrf_token": csrf(listing), "step": "revoke", "client_id": "someone-elses"},
        )
        assert answer.status_code == 200
        assert "held nothing" in answer.text


def test_metadata(server: RunningServer) -> None:
    data = httpx.get(server.url + "/.well-known/oauth-authorization-server").json()
    assert data["issuer"] == server.url
    assert data["authorization_endpoint"] == server.url + "/oauth/authorize"
    assert data["token_endpoint"] == server.url + "/oauth/token"
    assert data["revocation_endpoint"] == server.url + "/oauth/revoke"
    assert "tasks:read" in data["scopes_supported"]
    assert "data:read_write" in data["scopes_supported"]
    assert data["code_challenge_methods_supported"] == ["S256", "plain"]


def test_sign_in_as_someone_else(server: RunningServer, account: dict[str, Any]) -> None:
    app = new_app(server)
    url = authorize_url(server, client_id=app.client_id, response_type="code", scope="tasks:read")
    with httpx.Client() as browser:
        page = sign_in(browser, url, account["email"])
        assert f"Not {account['email']}?" in page.text
        answer = browser.post(url, data={"csrf_token": csrf(page), "step": "signout"})
        assert answer.status_code == 303
        assert "Sign in" in browser.get(url).text


def test_each_sub_app_answers_errors_in_its_format(server: RunningServer) -> None:
    oauth = httpx.get(server.url + "/oauth/nope")
    assert (oauth.status_code, oauth.json()["error"]) == (404, "not_found")
    assert httpx.get(server.url + "/oauth/token").json()["error"] == "invalid_request"
    web = httpx.get(server.url + "/web/nope")
    assert web.status_code == 404 and "text/html" in web.headers["content-type"]
    v1 = httpx.get(server.url + "/open/v1/nope")
    assert (v1.status_code, v1.json()["errorCode"]) == (404, "not_found")
    big = b"x" * (server.backend.settings.max_body_bytes + 1)
    too_large = httpx.post(server.url + "/open/v1/task", content=big)
    assert (too_large.status_code, too_large.json()["errorCode"]) == (413, "body_too_large")
    css = httpx.get(server.url + "/web/static/style.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
