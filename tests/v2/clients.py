"""Helpers for driving the V2 API: accounts made through the Sync API, pyticktick pointed at us."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
from pyticktick import Client, Settings

from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer

SIGNON_KEYS = {
    "inboxId", "token", "userId", "username", "activeTeamUser", "ds", "freeTrial", "freq",
    "gracePeriod", "needSubscribe", "pro", "proEndDate", "proStartDate", "subscribeFreq",
    "subscribeType", "teamPro", "teamUser", "userCode",
}  # fmt: skip
BROWSER = {"User-Agent": "Mozilla/5.0 (rv:145.0) Firefox/145.0"}


def register(server: RunningServer, email: str | None = None) -> dict[str, Any]:
    """A new account through the Sync API (the other protocol, same core and database)."""
    response = httpx.post(
        server.url + "/API/v6/register",
        data={"email": email or new_email(), "full_name": "Test User", "password": PASSWORD},
    )
    assert response.status_code == 200, response.text
    user: dict[str, Any] = response.json()
    user["password"] = PASSWORD
    return user


def v2_base(server: RunningServer) -> str:
    return server.url + "/api/v2/"


def settings_for(
    server: RunningServer, email: str, password: str = PASSWORD, totp_secret: str | None = None
) -> Settings:
    """Signs on exactly as pyticktick 0.3.0 does (the constructor makes the requests)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "cannot signon to v1": V2 only here
        return Settings(
            v2_username=email,
            v2_password=password,
            v2_totp_secret=totp_secret,
            v2_base_url=v2_base(server),
            override_forbid_extra=False,
        )


def client_for(settings: Settings) -> Client:
    """A Client reusing the settings' token, so it does not sign on again."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return Client(**settings.model_dump())


def signon_raw(server: RunningServer, email: str, password: str = PASSWORD) -> httpx.Response:
    """The sign-on request byte for byte as pyticktick sends it (note the double slash)."""
    return httpx.post(
        server.url + "/api/v2//user/signon?wc=true&remember=true",
        headers=BROWSER,
        json={"username": email, "password": password},
    )


def verify_raw(server: RunningServer, auth_id: str, code: str) -> httpx.Response:
    return httpx.post(
        server.url + "/api/v2//user/sign/mfa/code/verify",
        headers={**BROWSER, "x-verify-id": auth_id},
        json={"code": code, "method": "app"},
    )


def cookie_token(server: RunningServer, email: str) -> str:
    response = signon_raw(server, email)
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def cookie(token: str | None) -> dict[str, str]:
    """The headers of an authenticated call: ``Cookie: t=<token>`` and nothing else."""
    return {**BROWSER, "Cookie": f"t={token}"} if token is not None else dict(BROWSER)


def get(server: RunningServer, path: str, token: str | None) -> httpx.Response:
    return httpx.get(server.url + "/api/v2/" + path, headers=cookie(token))


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errorId", "errorCode", "errorMessage", "data"}
    assert body["errorCode"] == code, body
    assert body["data"] is None
