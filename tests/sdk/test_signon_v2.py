"""`Settings` signs on to the V2 API of a real server: password, TOTP, and each refusal."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pyotp
import pytest
from pydantic import ValidationError

from taskhaven.core import totp
from taskhaven.sdk import (
    APIError,
    AuthenticationError,
    RateLimitError,
    Settings,
    TOTPRequiredError,
    UserSignOnV2,
)
from tests.conftest import PASSWORD, register
from tests.servers import RunningServer

TOTP_MESSAGE = "Sign on requires TOTP verification, but no TOTP was provided."


def settings(server: RunningServer, user: dict[str, Any], **values: Any) -> Settings:
    values.setdefault("v2_password", PASSWORD)
    return Settings(v2_username=user["email"], v2_base_url=server.url + "/api/v2/", **values)


def profile(server: RunningServer, s: Settings) -> httpx.Response:
    return httpx.get(
        server.url + "/api/v2/user/profile", headers=s.v2_headers, cookies=s.v2_cookies
    )


def test_building_settings_signs_on_with_the_password(server: RunningServer) -> None:
    user = register(server)
    s = settings(server, user)
    assert s.v2_token
    answer = profile(server, s)
    assert answer.status_code == 200 and answer.json()["username"] == user["email"]


def test_each_build_is_a_new_session(server: RunningServer) -> None:
    user = register(server)
    assert settings(server, user).v2_token != settings(server, user).v2_token


def test_a_base_url_without_trailing_slash(server: RunningServer) -> None:
    user = register(server)
    s = Settings(
        v2_username=user["email"], v2_password=PASSWORD, v2_base_url=server.url + "/api/v2"
    )
    assert profile(server, s).status_code == 200


def test_v2_signon_returns_the_whole_answer(server: RunningServer) -> None:
    user = register(server)
    s = settings(server, user)
    answer = Settings.v2_signon(
        user["email"], PASSWORD, None, server.url + "/api/v2/", s.v2_headers
    )
    assert isinstance(answer, UserSignOnV2)
    assert answer.username == user["email"]
    assert answer.inbox_id == "inbox" + answer.user_id
    assert answer.user_code.version == 4


def test_two_factor_sign_on(server: RunningServer) -> None:
    user = register(server)
    secret = totp.enable(server.backend, user["id"]).secret
    s = settings(server, user, v2_totp_secret=secret)
    assert profile(server, s).status_code == 200


def test_two_factor_without_a_secret_is_the_seeds_error(server: RunningServer) -> None:
    user = register(server)
    totp.enable(server.backend, user["id"])
    with pytest.raises(ValidationError, match=TOTP_MESSAGE):
        settings(server, user)
    with pytest.raises(TOTPRequiredError) as caught:
        Settings.v2_signon(user["email"], PASSWORD, None, server.url + "/api/v2/", {})
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == TOTP_MESSAGE


def test_two_factor_with_the_wrong_secret(server: RunningServer) -> None:
    user = register(server)
    totp.enable(server.backend, user["id"])
    wrong = pyotp.random_base32(32)
    with pytest.raises(AuthenticationError) as caught:
        Settings.v2_signon(user["email"], PASSWORD, wrong, server.url + "/api/v2/", {})
    assert caught.value.status_code == 401
    assert caught.value.code == "incorrect_mfa_code"


def test_the_wrong_password(server: RunningServer) -> None:
    user = register(server)
    with pytest.raises(ValidationError, match=r"Response \[401\]"):
        settings(server, user, v2_password="not the password")
    with pytest.raises(AuthenticationError) as caught:
        Settings.v2_signon(user["email"], "not the password", None, server.url + "/api/v2/", {})
    error = caught.value
    assert isinstance(error, APIError) and isinstance(error, ValueError)
    assert error.status_code == 401
    assert error.code == "username_password_not_match"
    assert error.error_id
    assert str(error).startswith("Response [401]:\n")


def test_a_token_is_used_as_is(server: RunningServer) -> None:
    user = register(server)
    token = settings(server, user).v2_token
    started = time.monotonic()
    s = Settings(v2_username=user["email"], v2_password="wrong", v2_token=token)
    assert time.monotonic() - started < 1
    assert profile(server, s.model_copy(update={})).status_code == 200


def test_a_429_at_sign_on_points_at_the_headers() -> None:
    mock = httpx.MockTransport(lambda request: httpx.Response(429, json={"errorCode": "x"}))
    with pytest.raises(RateLimitError) as caught, httpx.Client(transport=mock) as client:
        Settings.v2_signon("a@example.com", "pw", None, "http://h/api/v2/", {}, client=client)
    assert any("v2_user_agent" in note for note in caught.value.__notes__)
