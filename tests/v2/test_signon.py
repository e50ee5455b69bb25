"""V2 sign-on: password, TOTP second factor, challenges, limits, and hostile input."""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import insert, select

from taskhaven.core import security, totp
from taskhaven.core.backend import utcnow
from taskhaven.core.users import get as get_user
from taskhaven.store.schema import mfa_challenges, users
from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer
from tests.v2.clients import (
    BROWSER,
    SIGNON_KEYS,
    assert_error,
    client_for,
    register,
    settings_for,
    signon_raw,
    verify_raw,
)


def enable_totp(server: RunningServer, user_id: int) -> str:
    return totp.enable(server.backend, user_id).secret


def challenge(server: RunningServer, email: str) -> str:
    response = signon_raw(server, email)
    assert response.status_code == 200, response.text
    auth_id: str = response.json()["authId"]
    return auth_id


# -- without a second factor -----------------------------------------------------------------


def test_pyticktick_signs_on_with_password(server: RunningServer) -> None:
    user = register(server)
    first = settings_for(server, user["email"])
    second = settings_for(server, user["email"])
    assert first.v2_token and second.v2_token
    assert first.v2_token != second.v2_token  # a new session per sign-on
    profile = client_for(first).get_profile_v2()
    assert profile.username == user["email"]


def test_signon_answer_has_exactly_the_model_keys(server: RunningServer) -> None:
    user = register(server)
    response = signon_raw(server, user["email"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == SIGNON_KEYS
    assert body["userId"] == str(user["id"]) and body["userId"].isdigit()
    assert body["inboxId"] == "inbox" + body["userId"]
    assert body["username"] == user["email"]
    assert body["proEndDate"]
    with server.backend.read() as conn:
        stored = get_user(conn, user["id"])["user_code"]
    assert body["userCode"] == stored
    assert uuid.UUID(body["userCode"]).version == 4


def test_signon_sets_the_session_cookie(server: RunningServer) -> None:
    user = register(server)
    response = signon_raw(server, user["email"])
    header = response.headers["set-cookie"]
    token = response.json()["token"]
    assert header.startswith(f"t={token}; ")
    attributes = {part.strip() for part in header.split(";")[1:]}
    assert {"Path=/", "HttpOnly", "SameSite=Lax"} <= attributes
    # The cookie alone authenticates, as a browser would send it.
    profile = httpx.get(server.url + "/api/v2/user/profile", headers={"Cookie": f"t={token}"})
    assert profile.status_code == 200


def test_single_slash_path_works_too(server: RunningServer) -> None:
    user = register(server)
    response = httpx.post(
        server.url + "/api/v2/user/signon?wc=true&remember=true",
        json={"username": user["email"], "password": PASSWORD},
    )
    assert response.status_code == 200, response.text


def test_username_is_case_insensitive(server: RunningServer) -> None:
    user = register(server)
    shouted = user["email"].upper()
    response = signon_raw(server, shouted)
    assert response.status_code == 200, response.text
    assert response.json()["username"] == user["email"]
    assert settings_for(server, shouted).v2_token


def test_wrong_password_and_unknown_user_look_the_same(server: RunningServer) -> None:
    user = register(server)
    wrong = signon_raw(server, user["email"], "not the password")
    unknown = signon_raw(server, new_email(), PASSWORD)
    assert_error(wrong, 401, "username_password_not_match")
    assert_error(unknown, 401, "username_password_not_match")
    assert wrong.json()["errorMessage"] == unknown.json()["errorMessage"]
    assert "set-cookie" not in wrong.headers


def test_pyticktick_reports_wrong_password(server: RunningServer) -> None:
    user = register(server)
    with pytest.raises(ValidationError, match=r"Response \[401\]"):
        settings_for(server, user["email"], "not the password")


# -- with TOTP -------------------------------------------------------------------------------


def test_pyticktick_signs_on_with_totp(server: RunningServer) -> None:
    user = register(server)
    secret = enable_totp(server, user["id"])
    settings = settings_for(server, user["email"], totp_secret=secret)
    assert settings.v2_token
    status = client_for(settings).get_status_v2()
    assert status.user_id == str(user["id"])


def test_challenge_is_exactly_auth_id_and_expire_time(server: RunningServer) -> None:
    user = register(server)
    enable_totp(server, user["id"])
    before = int(time.time())
    response = signon_raw(server, user["email"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"authId", "expireTime"}
    lifetime = server.backend.settings.mfa_challenge_seconds
    assert before + lifetime - 2 <= body["expireTime"] <= int(time.time()) + lifetime + 1
    assert "set-cookie" not in response.headers  # no session before the second factor


def test_pyticktick_fails_with_a_wrong_secret(server: RunningServer) -> None:
    user = register(server)
    enable_totp(server, user["id"])
    other_secret = pyotp.random_base32(32)
    with pytest.raises(ValidationError, match="incorrect_mfa_code"):
        settings_for(server, user["email"], totp_secret=other_secret)


def test_pyticktick_fails_without_a_secret(server: RunningServer) -> None:
    user = register(server)
    enable_totp(server, user["id"])
    with pytest.raises(ValidationError, match="no TOTP was provided"):
        settings_for(server, user["email"])


def test_replayed_auth_id_is_refused(server: RunningServer) -> None:
    user = register(server)
    secret = enable_totp(server, user["id"])
    auth_id = challenge(server, user["email"])
    first = verify_raw(server, auth_id, pyotp.TOTP(secret).now())
    assert first.status_code == 200, first.text
    assert set(first.json()) == SIGNON_KEYS
    assert first.headers["set-cookie"].startswith("t=" + first.json()["token"])
    again = verify_raw(server, auth_id, pyotp.TOTP(secret).now())
    assert_error(again, 401, "mfa_expired")


def test_a_wrong_code_spends_the_challenge(server: RunningServer) -> None:
    user = register(server)
    secret = enable_totp(server, user["id"])
    auth_id = challenge(server, user["email"])
    right = pyotp.TOTP(secret).now()
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    assert_error(verify_raw(server, auth_id, wrong), 401, "incorrect_mfa_code")
    assert_error(verify_raw(server, auth_id, right), 401, "mfa_expired")


def test_expired_auth_id_is_refused(server: RunningServer) -> None:
    user = register(server)
    secret = enable_totp(server, user["id"])
    auth_id = "expired-" + uuid.uuid4().hex
    with server.backend.plain_write() as conn:
        conn.execute(
            insert(mfa_challenges).values(
                auth_digest=security.digest(auth_id),
                user_id=user["id"],
                expires_at=utcnow() - timedelta(seconds=1),
                used=False,
            )
        )
    assert_error(verify_raw(server, auth_id, pyotp.TOTP(secret).now()), 401, "mfa_expired")


@pytest.mark.parametrize("auth_id", ["nope", "x" * 300, "ünïcödé"])
def test_unknown_auth_id_is_refused(server: RunningServer, auth_id: str) -> None:
    response = httpx.post(
        server.url + "/api/v2/user/sign/mfa/code/verify",
        headers=[("x-verify-id", auth_id.encode("utf-8")), ("User-Agent", BROWSER["User-Agent"])],
        json={"code": "123456", "method": "app"},
    )
    assert_error(response, 401, "mfa_expired")


def test_auth_id_is_stored_by_digest_only(server: RunningServer) -> None:
    user = register(server)
    enable_totp(server, user["id"])
    auth_id = challenge(server, user["email"])
    with server.backend.read() as conn:
        stored = conn.execute(
            select(mfa_challenges.c.auth_digest).where(mfa_challenges.c.user_id == user["id"])
        ).scalars()
        assert list(stored) == [security.digest(auth_id)]


def test_disabling_totp_drops_open_challenges(server: RunningServer) -> None:
    user = register(server)
    secret = enable_totp(server, user["id"])
    auth_id = challenge(server, user["email"])
    assert totp.disable(server.backend, user["id"]) is True
    assert totp.disable(server.backend, user["id"]) is False
    assert_error(verify_raw(server, auth_id, pyotp.TOTP(secret).now()), 401, "mfa_expired")
    assert set(signon_raw(server, user["email"]).json()) == SIGNON_KEYS


def test_secret_is_sealed_at_rest(server: RunningServer) -> None:
    user = register(server)
    secret = enable_totp(server, user["id"])
    with server.backend.read() as conn:
        sealed = conn.execute(
            select(users.c.totp_secret_enc).where(users.c.id == user["id"])
        ).scalar_one()
    assert secret not in sealed
    assert server.backend.box.open(sealed) == secret


def test_enabling_again_replaces_the_secret(server: RunningServer) -> None:
    user = register(server)
    old = enable_totp(server, user["id"])
    new = enable_totp(server, user["id"])
    assert old != new
    with pytest.raises(ValidationError, match="incorrect_mfa_code"):
        settings_for(server, user["email"], totp_secret=old)
    assert settings_for(server, user["email"], totp_secret=new).v2_token


@pytest.mark.parametrize(
    ("body", "header"),
    [
        (b"", "auth"),
        (b"{", "auth"),
        (b"[]", "auth"),
        (b'{"code": 123456, "method": "app"}', "auth"),
        (b'{"code": "123456", "method": "sms"}', "auth"),
        (b'{"code": "' + b"1" * 100 + b'", "method": "app"}', "auth"),
        (b'{"code": "123456", "method": "app"}', ""),
    ],
)
def test_malformed_verify_requests_are_400(server: RunningServer, body: bytes, header: str) -> None:
    headers = {**BROWSER, "Content-Type": "application/json"}
    if header:
        headers["x-verify-id"] = header
    response = httpx.post(
        server.url + "/api/v2/user/sign/mfa/code/verify", headers=headers, content=body
    )
    assert_error(response, 400, "invalid_parameter")


# -- the TOTP rule itself --------------------------------------------------------------------


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moment=st.floats(min_value=1e9, max_value=4e9), step=st.integers(min_value=-3, max_value=3))
def test_codes_are_accepted_one_step_either_side(
    server: RunningServer, totp_user: dict[str, Any], moment: float, step: int
) -> None:
    generator = pyotp.TOTP(totp_user["secret"])
    code = generator.at(moment + 30 * step)
    window = {generator.at(moment + 30 * k) for k in (-1, 0, 1)}
    accepted = totp.verify(server.backend, totp_user["row"], code, at=moment)
    # A code from further away may coincide with one inside the window (one in a million).
    assert accepted == (abs(step) <= 1 or code in window)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.text(max_size=12))
def test_malformed_codes_are_never_accepted(
    server: RunningServer, totp_user: dict[str, Any], code: str
) -> None:
    if len(code.replace(" ", "")) == 6 and code.replace(" ", "").isascii():
        code = code + "x"  # only six ASCII digits can be right; this test is about the rest
    assert totp.verify(server.backend, totp_user["row"], code) is False


@pytest.fixture
def totp_user(server: RunningServer) -> dict[str, Any]:
    user = register(server)
    secret = enable_totp(server, user["id"])
    with server.backend.read() as conn:
        row = get_user(conn, user["id"])
    return {"secret": secret, "row": row}


# -- hostile sign-on bodies and limits -------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'"just a string"',
        b"{}",
        b'{"username": "a@example.com"}',
        b'{"password": "x"}',
        b'{"username": 1, "password": "correct horse battery"}',
        b'{"username": "a@example.com", "password": null}',
        b'{"username": "a@example.com", "password": ""}',
        b'{"username": "' + b"a" * 400 + b'@example.com", "password": "pw123456"}',
        b'{"username": "a@example.com", "password": "' + b"p" * 5000 + b'"}',
    ],
)
def test_malformed_signon_bodies_are_400(server: RunningServer, body: bytes) -> None:
    response = httpx.post(
        server.url + "/api/v2//user/signon",
        headers={**BROWSER, "Content-Type": "application/json"},
        content=body,
    )
    assert_error(response, 400, "invalid_parameter")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=10,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=json_values | st.fixed_dictionaries({"username": json_values, "password": json_values}))
def test_any_json_body_gets_a_clear_answer(server: RunningServer, body: Any) -> None:
    response = httpx.post(server.url + "/api/v2/user/signon", headers=BROWSER, json=body)
    assert response.status_code in (400, 401), response.text
    assert response.json()["errorCode"] in ("invalid_parameter", "username_password_not_match")


def test_oversize_body_is_refused(make_server: Any) -> None:
    small = make_server(max_body_bytes=1024)
    response = httpx.post(
        small.url + "/api/v2//user/signon",
        headers=BROWSER,
        json={"username": "a@example.com", "password": "p" * 4096},
    )
    assert response.status_code == 413
    assert response.json()["errorCode"] == "body_too_large"


def test_failed_signons_per_account_are_limited(make_server: Any) -> None:
    limited = make_server(signon_failures_per_account=3)
    user = register(limited)
    for _ in range(3):
        assert_error(
            signon_raw(limited, user["email"], "wrong password"), 401, "username_password_not_match"
        )
    # Past the limit even the right password waits for the window to end.
    refused = signon_raw(limited, user["email"].upper())
    assert_error(refused, 429, "exceed_query_limit")
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= limited.backend.settings.signon_failure_window_seconds
    # Another account from the same address is not affected by this account's count.
    other = register(limited)
    assert signon_raw(limited, other["email"]).status_code == 200


def test_failed_signons_per_address_are_limited(make_server: Any) -> None:
    limited = make_server(signon_failures_per_account=100, signon_failures_per_address=2)
    for _ in range(2):
        assert_error(
            signon_raw(limited, new_email(), "wrong password"), 401, "username_password_not_match"
        )
    user = register(limited)
    assert_error(signon_raw(limited, user["email"]), 429, "exceed_query_limit")


def test_wrong_codes_count_as_failures(make_server: Any) -> None:
    limited = make_server(signon_failures_per_account=2)
    user = register(limited)
    secret = enable_totp(limited, user["id"])
    right = pyotp.TOTP(secret).now()
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    for _ in range(2):
        auth_id = challenge(limited, user["email"])
        assert_error(verify_raw(limited, auth_id, wrong), 401, "incorrect_mfa_code")
    assert_error(signon_raw(limited, user["email"]), 429, "exceed_query_limit")


def test_secrets_never_reach_the_log(
    server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    user = register(server)
    secret = enable_totp(server, user["id"])
    caplog.set_level(logging.DEBUG)
    signon_raw(server, user["email"], "a-wrong-password-123")
    auth_id = challenge(server, user["email"])
    code = pyotp.TOTP(secret).now()
    token = verify_raw(server, auth_id, code).json()["token"]
    # The test's own HTTP client logs what it sends; only the server's records count.
    server_records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text = "\n".join(r.getMessage() for r in server_records)
    assert "sign-on refused" in text  # the server's log is captured here
    for secret_text in ("a-wrong-password-123", PASSWORD, auth_id, token, secret):
        assert secret_text not in text


def test_concurrent_verifies_of_one_auth_id_open_one_session(server: RunningServer) -> None:
    user = register(server)
    secret = enable_totp(server, user["id"])
    auth_id = challenge(server, user["email"])
    code = pyotp.TOTP(secret).now()
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: verify_raw(server, auth_id, code), range(6)))
    assert sorted(a.status_code for a in answers) == [200] + [401] * 5
    assert {a.json()["errorCode"] for a in answers if a.status_code == 401} == {"mfa_expired"}
