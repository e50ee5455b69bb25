"""Several server processes on one database behave as one server.

Two ``taskhaven serve`` processes, started separately on two ports, and a client alternating
between them: every piece of state a request depends on (rate-limit counters, sign-on
failures, V2 sessions and TOTP challenges, the web sign-in cookie and CSRF token, OAuth
codes) must be where the other process finds it. Run with the counters in the database
and in Redis; on PostgreSQL (any machine may serve) and SQLite (one machine, WAL).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pyotp
import pytest
import redis
from sqlalchemy import text

from taskhaven.core import totp
from taskhaven.core.backend import Backend
from tests import servers
from tests.conftest import PASSWORD, new_email
from tests.oauth import flow
from tests.servers import RunningServer, database_kind, fresh_database
from tests.workers.processes import server_env, serving, several, wait_until_up

REDIS_URL = "redis://127.0.0.1:6379/15"
SYNC_LIMIT = 5
FAILURE_LIMIT = 3


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@dataclass
class Pair:
    """Two server processes on one database, and a backend on it for setting things up."""

    a: RunningServer
    b: RunningServer
    backend: Backend
    store: str


def _limits(store: str) -> dict[str, object]:
    settings: dict[str, object] = {
        "sync_rate_limit_per_minute": SYNC_LIMIT,
        "signon_failures_per_account": FAILURE_LIMIT,
        "signon_failures_per_address": 1000,
        "signon_failure_window_seconds": 3600,
        "rate_limit_store": store,
    }
    if store == "redis":
        settings["redis_url"] = REDIS_URL
        settings["redis_key_prefix"] = f"test-{uuid.uuid4().hex}:"
    return settings


@pytest.fixture(
    scope="module",
    params=[
        "database",
        pytest.param(
            "redis",
            marks=pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379"),
        ),
    ],
)
def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pair]:
    tmp = tmp_path_factory.mktemp("pair")
    store = str(request.param)
    key = "pair-key-" + uuid.uuid4().hex
    with fresh_database(tmp) as url:
        env = server_env(url, tmp / "data", secret_key=key, **_limits(store))
        with several(env, 2, tmp) as (a_url, b_url):
            backend = Backend(servers.test_settings(url, tmp / "data", secret_key=key))
            try:
                yield Pair(
                    RunningServer(backend, a_url), RunningServer(backend, b_url), backend, store
                )
            finally:
                backend.dispose()


def _not_near_a_window_end(seconds: int = 60, margin: float = 5) -> None:
    """Fixed windows: a test counting in one must not straddle two."""
    left = seconds - time.time() % seconds
    if left < margin:
        time.sleep(left + 0.1)


def _register(server: RunningServer) -> dict[str, Any]:
    answer = httpx.post(
        server.url + "/API/v6/register", data={"email": new_email(), "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    user: dict[str, Any] = answer.json()
    return user


def _sync(server: RunningServer, token: str) -> httpx.Response:
    return httpx.post(
        server.url + "/API/v6/sync",
        data={"token": token, "seq_no": "0", "resource_types": orjson.dumps(["user"]).decode()},
    )


def test_migrations_ran_once(pair: Pair) -> None:
    with pair.backend.read() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1


def test_the_sync_limit_counts_requests_at_both(pair: Pair) -> None:
    token = _register(pair.a)["token"]
    _not_near_a_window_end()
    statuses = [_sync(server, token).status_code for server in (pair.a, pair.b) * 3]
    # Three at each: five allowed in all, the sixth refused (at B, which saw only three).
    assert statuses == [200] * SYNC_LIMIT + [429]
    refused = _sync(pair.a, token)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def _v2_signon(server: RunningServer, email: str, password: str) -> httpx.Response:
    return httpx.post(
        server.url + "/api/v2/user/signon", json={"username": email, "password": password}
    )


def test_sign_on_failures_count_at_both(pair: Pair) -> None:
    email = _register(pair.a)["email"]
    wrong = [_v2_signon(server, email, "wrong").status_code for server in (pair.a, pair.b, pair.a)]
    assert 429 not in wrong and 200 not in wrong
    # The limit is reached: even the right password is refused, at either process.
    assert _v2_signon(pair.b, email, PASSWORD).status_code == 429
    assert _v2_signon(pair.a, email, PASSWORD).status_code == 429


def test_a_v2_session_and_a_totp_challenge_from_one_work_at_the_other(pair: Pair) -> None:
    user = _register(pair.a)
    secret = totp.enable(pair.backend, int(user["id"])).secret
    challenge = _v2_signon(pair.a, user["email"], PASSWORD)
    assert challenge.status_code == 200, challenge.text
    auth_id = challenge.json()["authId"]

    def verify(server: RunningServer) -> httpx.Response:
        return httpx.post(
            server.url + "/api/v2/user/sign/mfa/code/verify",
            headers={"x-verify-id": auth_id},
            json={"code": pyotp.TOTP(secret).now(), "method": "app"},
        )

    signed_on = verify(pair.b)
    assert signed_on.status_code == 200, signed_on.text
    # The challenge is spent for both.
    again = verify(pair.a)
    assert again.status_code == 401
    assert again.json()["errorCode"] == "mfa_expired"
    # The session cookie from B is a session at A.
    session = {"t": signed_on.json()["token"]}
    for server in (pair.a, pair.b):
        status = httpx.get(server.url + "/api/v2/user/status", cookies=session)
        assert status.status_code == 200, status.text
        assert status.json()["username"] == user["email"]


def test_an_oauth_code_from_one_is_redeemed_once_at_the_other(pair: Pair) -> None:
    email = _register(pair.a)["email"]
    app = flow.new_app(pair.a)
    query = {"client_id": app.client_id, "response_type": "code", "scope": "tasks:read"}
    at_a, at_b = flow.authorize_url(pair.a, **query), flow.authorize_url(pair.b, **query)
    # Cookies ignore ports: one browser, whose sign-in at A is a sign-in at B.
    with httpx.Client() as browser:
        page = flow.sign_in(browser, at_a, email)
        assert "Authorise" in page.text
        at_b_page = browser.get(at_b)
        assert "Authorise" in at_b_page.text, at_b_page.text
        # The CSRF token of A's page is good at B: a MAC under the key both share.
        code = flow.redirect_params(flow.consent(browser, at_b, page, "allow"))["code"]
    token = flow.ticktick_token(pair.a, app, code)
    assert token.status_code == 200, token.text
    again = flow.ticktick_token(pair.b, app, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    # The second use revoked what the first got, as on one server.
    bearer = {"Authorization": "Bearer " + token.json()["access_token"]}
    assert httpx.get(pair.b.url + "/open/v1/project", headers=bearer).status_code == 401


# --- taskhaven serve --workers 2 -------------------------------------------------------------


def test_serve_with_two_workers_shares_limits_and_makes_one_key(tmp_path: Path) -> None:
    """The kernel spreads connections over the workers; with a new connection per request,
    six requests reach both (or, rarely, one): either way the limit is the sum."""
    with fresh_database(tmp_path) as url:
        env = server_env(url, tmp_path / "data", **_limits("database"))
        del env["TASKHAVEN_RATE_LIMIT_STORE"]  # auto: several workers count in the database
        log = tmp_path / "workers.log"
        with serving(env, "--workers", "2", log=log) as base:
            wait_until_up(base, log)
            server = RunningServer(None, base)  # type: ignore[arg-type]
            token = _register(server)["token"]
            _not_near_a_window_end()
            statuses = [_sync(server, token).status_code for _ in range(SYNC_LIMIT + 1)]
            assert statuses == [200] * SYNC_LIMIT + [429], log.read_text()
            # The key the parent made before the workers started is the one both use:
            # a token sealed by one worker opens at the other.
            key_file = tmp_path / "data" / "secret.key"
            assert key_file.stat().st_mode & 0o777 == 0o600
            for _ in range(4):
                assert _sync(server, token).status_code == 429
        assert "Traceback" not in log.read_text(), log.read_text()


def test_memory_counters_refuse_a_second_server_on_one_sqlite_file(tmp_path: Path) -> None:
    if database_kind() != "sqlite":
        pytest.skip("the memory claim is a SQLite file lock")
    with fresh_database(tmp_path) as url:
        env = server_env(url, tmp_path / "data", secret_key="k" * 32)
        first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
        with serving(env, log=first_log) as first:
            wait_until_up(first, first_log)
            with serving(env, log=second_log) as second:
                assert second.process.wait(timeout=120) != 0
        assert "another server process serves this database" in second_log.read_text()
