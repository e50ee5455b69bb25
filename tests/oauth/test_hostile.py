"""Hostile input to the provider and to both APIs: each a clear error in the protocol's format,
never a 500, and nothing handed to the wrong party."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import update

from taskhaven.store.schema import oauth_codes, oauth_tokens
from tests.oauth.flow import (
    authorize_url,
    consent,
    csrf,
    get_code,
    new_app,
    redirect_params,
    sign_in,
    ticktick_token,
    todoist_token,
    v1_token,
)
from tests.servers import RunningServer
from tests.v1.clients import raw


def oauth_error(answer: httpx.Response, status: int, error: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error, answer.text


def test_a_code_works_once_and_a_second_use_revokes_what_the_first_got(
    server: RunningServer, account: dict[str, Any]
) -> None:
    app = new_app(server)
    code = get_code(server, app, account["email"], scope="tasks:read tasks:write")["code"]
    first = ticktick_token(server, app, code)
    assert first.status_code == 200
    token = first.json()["access_token"]
    assert raw(server, token, "GET", "project").status_code == 200
    oauth_error(ticktick_token(server, app, code), 400, "invalid_grant")
    assert raw(server, token, "GET", "project").status_code == 401


def test_an_expired_code_is_refused(server: RunningServer, account: dict[str, Any]) -> None:
    app = new_app(server)
    code = get_code(server, app, account["email"], scope="tasks:read")["code"]
    with server.backend.engine.begin() as conn:
        conn.execute(
            update(oauth_codes).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    oauth_error(ticktick_token(server, app, code), 400, "invalid_grant")


def test_a_code_for_one_app_is_refused_to_another(
    server: RunningServer, account: dict[str, Any]
) -> None:
    mine, theirs = new_app(server), new_app(server)
    code = get_code(server, mine, account["email"], scope="tasks:read")["code"]
    oauth_error(ticktick_token(server, theirs, code), 400, "invalid_grant")
    # The thief's attempt did not spend it.
    assert ticktick_token(server, mine, code).status_code == 200


def test_wrong_client_secret(server: RunningServer, account: dict[str, Any]) -> None:
    app = new_app(server)
    code = get_code(server, app, account["email"], scope="tasks:read")["code"]
    answer = ticktick_token(server, app, code, client_secret="not-the-secret")
    assert answer.status_code in (400, 401)
    assert answer.json()["error"] == "invalid_client"


def test_redirect_uri_must_match_the_one_sent_to_authorize(
    server: RunningServer, account: dict[str, Any]
) -> None:
    app = new_app(server, "https://app.example.com/a", "https://app.example.com/b")
    code = get_code(
        server, app, account["email"], scope="tasks:read", redirect_uri="https://app.example.com/a"
    )["code"]
    answer = ticktick_token(server, app, code, redirect_uri="https://app.example.com/b")
    oauth_error(answer, 400, "invalid_grant")


def test_pkce_verifier_must_match(server: RunningServer, account: dict[str, Any]) -> None:
    verifier = "v" * 50
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    app = new_app(server)
    params = {"scope": "tasks:read", "code_challenge": challenge, "code_challenge_method": "S256"}
    code = get_code(server, app, account["email"], **params)["code"]
    oauth_error(ticktick_token(server, app, code, code_verifier="w" * 50), 400, "invalid_grant")
    code = get_code(server, app, account["email"], **params)["code"]
    oauth_error(ticktick_token(server, app, code), 400, "invalid_request")  # no verifier
    code = get_code(server, app, account["email"], **params)["code"]
    assert ticktick_token(server, app, code, code_verifier=verifier).status_code == 200


def test_an_unregistered_redirect_target_gets_no_redirect(
    server: RunningServer, account: dict[str, Any]
) -> None:
    app = new_app(server)
    for target in ("https://evil.example.com/steal", "https://app.example.com/callback/../x"):
        url = authorize_url(
            server,
            client_id=app.client_id,
            response_type="code",
            scope="tasks:read",
            redirect_uri=target,
        )
        answer = httpx.get(url)
        assert answer.status_code == 400
        assert "location" not in answer.headers
        assert "text/html" in answer.headers["content-type"]


def test_an_unknown_client_gets_no_redirect(server: RunningServer) -> None:
    answer = httpx.get(authorize_url(server, client_id="nope", response_type="code"))
    assert answer.status_code == 400
    assert "location" not in answer.headers


def test_a_bad_scope_goes_back_to_the_app_as_an_error(server: RunningServer) -> None:
    app = new_app(server)
    for scope in ("admin", "tasks:read data:read", ""):
        answer = httpx.get(
            authorize_url(
                server, client_id=app.client_id, response_type="code", scope=scope, state="s"
            )
        )
        params = redirect_params(answer)
        assert params["error"] == "invalid_scope", scope
        assert params["state"] == "s"


def test_deny_sends_access_denied_with_the_state(
    server: RunningServer, account: dict[str, Any]
) -> None:
    app = new_app(server)
    url = authorize_url(
        server, client_id=app.client_id, response_type="code", scope="tasks:read", state="xyz"
    )
    with httpx.Client() as browser:
        page = sign_in(browser, url, account["email"])
        params = redirect_params(consent(browser, url, page, "deny"))
    assert (params["error"], params["state"]) == ("access_denied", "xyz")
    assert "code" not in params


def test_a_forged_csrf_token_is_refused(server: RunningServer, account: dict[str, Any]) -> None:
    app = new_app(server)
    url = authorize_url(server, client_id=app.client_id, response_type="code", scope="tasks:read")
    with httpx.Client() as browser:
        page = sign_in(browser, url, account["email"])
        token = csrf(page)
        forged = browser.post(
            url, data={"csrf_token": token[:-2] + "00", "step": "consent", "decision": "allow"}
        )
        assert forged.status_code == 403
        assert "location" not in forged.headers
        # Another browser (no CSRF cookie) replaying a real token is refused too.
        replay = httpx.post(url, data={"csrf_token": token, "step": "consent", "decision": "allow"})
        assert replay.status_code == 403


def test_wrong_password_and_cookie_flags(server: RunningServer, account: dict[str, Any]) -> None:
    app = new_app(server)
    url = authorize_url(server, client_id=app.client_id, response_type="code", scope="tasks:read")
    with httpx.Client() as browser:
        page = browser.get(url)
        wrong = browser.post(
            url,
            data={
                "csrf_token": csrf(page),
                "step": "signin",
                "email": account["email"],
                "password": "wrong",
            },
        )
        assert wrong.status_code == 401
        assert "Wrong e-mail or password" in wrong.text
        right = browser.post(
            url,
            data={
                "csrf_token": csrf(page),
                "step": "signin",
                "email": account["email"],
                "password": account["password"],
            },
        )
        cookie = right.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
        assert "Secure" not in cookie  # plain HTTP on loopback


def test_expired_and_revoked_tokens_answer_401_in_both_families(
    server: RunningServer, account: dict[str, Any]
) -> None:
    ticktick = v1_token(server, account["email"])
    todoist = todoist_token(server, account["email"], "data:read")
    sync = {"seq_no": "0", "resource_types": '["projects"]'}
    assert raw(server, ticktick, "GET", "project").status_code == 200
    with server.backend.engine.begin() as conn:
        conn.execute(
            update(oauth_tokens)
            .where(oauth_tokens.c.user_id == account["id"])
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    expired = raw(server, ticktick, "GET", "project")
    assert expired.status_code == 401
    assert set(expired.json()) == {"errorId", "errorCode", "errorMessage", "data"}
    answer = httpx.post(server.url + "/API/v6/sync", data={"token": todoist, **sync})
    assert answer.status_code == 401
    assert set(answer.json()) == {"error_code", "error"}

    app = new_app(server)
    code = get_code(server, app, account["email"], scope="tasks:read")["code"]
    token = ticktick_token(server, app, code).json()["access_token"]
    revoked = httpx.post(
        server.url + "/oauth/revoke",
        data={"token": token, "client_id": app.client_id, "client_secret": app.client_secret},
    )
    assert revoked.status_code == 200, revoked.text
    assert raw(server, token, "GET", "project").status_code == 401


def test_another_app_cannot_revoke_a_token(server: RunningServer, account: dict[str, Any]) -> None:
    mine, theirs = new_app(server), new_app(server)
    code = get_code(server, mine, account["email"], scope="tasks:read")["code"]
    token = ticktick_token(server, mine, code).json()["access_token"]
    answer = httpx.post(
        server.url + "/oauth/revoke",
        data={"token": token, "client_id": theirs.client_id, "client_secret": theirs.client_secret},
    )
    assert answer.status_code == 400
    assert raw(server, token, "GET", "project").status_code == 200


def test_a_read_only_v1_token_cannot_write(server: RunningServer, account: dict[str, Any]) -> None:
    token = v1_token(server, account["email"], scope="tasks:read")
    assert raw(server, token, "GET", "project").status_code == 200
    answer = raw(server, token, "POST", "project", json={"name": "No"})
    assert answer.status_code == 403
    assert answer.json()["errorCode"] == "insufficient_scope"
    write_only = v1_token(server, account["email"], scope="tasks:write")
    assert raw(server, write_only, "GET", "project").status_code == 403


def test_another_users_ids_are_not_found(server: RunningServer, account: dict[str, Any]) -> None:
    from tests.conftest import register

    other = register(server)
    mine = v1_token(server, account["email"])
    theirs = v1_token(server, other["email"])
    project = raw(server, theirs, "POST", "project", json={"name": "Theirs"}).json()
    task = raw(
        server, theirs, "POST", "task", json={"title": "secret", "projectId": project["id"]}
    ).json()
    pid, tid = project["id"], task["id"]
    for method, path, body in (
        ("GET", f"project/{pid}", None),
        ("GET", f"project/{pid}/data", None),
        ("POST", f"project/{pid}", {"name": "mine now"}),
        ("DELETE", f"project/{pid}", None),
        ("GET", f"project/{pid}/task/{tid}", None),
        ("POST", f"task/{tid}", {"id": tid, "projectId": pid, "title": "x"}),
        ("POST", f"project/{pid}/task/{tid}/complete", {}),
        ("DELETE", f"project/{pid}/task/{tid}", None),
        ("GET", f"project/inbox{other['id']}/data", None),
        ("POST", "task", {"title": "x", "projectId": pid}),
    ):
        answer = raw(server, mine, method, path, json=body)
        assert answer.status_code == 404, (method, path, answer.text)
    still = raw(server, theirs, "GET", f"project/{pid}/task/{tid}").json()
    assert still["title"] == "secret" and "deleted" not in still


def test_malformed_v1_requests_are_400_not_500(
    server: RunningServer, account: dict[str, Any]
) -> None:
    token = v1_token(server, account["email"])
    inbox = f"inbox{account['id']}"
    base = {"title": "t", "projectId": inbox}
    for path, body in (
        ("task", b"{not json"),
        ("task", b"[]"),
        ("task", b'{"title": 5, "projectId": "x"}'),
        ("task", json.dumps({**base, "priority": 2}).encode()),
        ("task", json.dumps({**base, "dueDate": "soon"}).encode()),
        ("task", json.dumps({**base, "timeZone": "Mars/Base"}).encode()),
        ("task", json.dumps({**base, "repeatFlag": "nope"}).encode()),
        ("project", b'{"name": "x", "color": "not a colour"}'),
        ("project", b'{"name": ""}'),
    ):
        answer = raw(server, token, "POST", path, content=body)
        assert answer.status_code in (400, 404), (path, body, answer.text)
        assert answer.json()["errorCode"] in ("invalid_parameter", "not_existed")
    for header in ("Bearer", "Basic abc", "Bearer " + "x" * 1000, ""):
        answer = httpx.get(server.url + "/open/v1/project", headers={"Authorization": header})
        assert answer.status_code == 401


def test_token_endpoint_junk_is_an_oauth_error(server: RunningServer) -> None:
    app = new_app(server)
    for query in (
        {},
        {"grant_type": "password", "client_id": app.client_id},
        {"grant_type": "authorization_code", "code": "x" * 5000},
        {
            "grant_type": "authorization_code",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        },
    ):
        answer = httpx.post(server.url + "/oauth/token?" + urlencode(query))
        assert 400 <= answer.status_code < 500, (query, answer.text)
        assert "error" in answer.json()


def test_over_long_or_nul_form_fields_are_a_form_error_not_cut_short(
    server: RunningServer, account: dict[str, Any]
) -> None:
    """An e-mail one character over ``users.email``, or a password holding NUL, is the
    sign-in page again with the reason: never cut to fit and tried (docs/security.md)."""
    app = new_app(server)
    url = authorize_url(server, client_id=app.client_id, response_type="code", scope="tasks:read")
    with httpx.Client() as browser:
        page = browser.get(url)
        for field, value, words in (
            ("email", account["email"] + "x" * 320, "longer than 320 characters"),
            ("password", account["password"] + "\x00", "contains NUL"),
        ):
            fields = {"email": account["email"], "password": account["password"], field: value}
            answer = browser.post(url, data={"csrf_token": csrf(page), "step": "signin", **fields})
            assert answer.status_code == 400, answer.text
            assert f"The {field} field is {words}" in answer.text
            assert "taskhaven_web" not in answer.headers.get("set-cookie", "")


def test_over_long_or_nul_oauth_parameters_are_invalid_request(server: RunningServer) -> None:
    app = new_app(server)
    for query in (
        {"grant_type": "authorization_code", "client_id": app.client_id, "code": "a\x00b"},
        {"grant_type": "authorization_code", "client_id": "c" * 65, "code": "x"},
        {"grant_type": "authorization_code", "code": "x", "scope": "s" * 256},
    ):
        answer = httpx.post(server.url + "/oauth/token?" + urlencode(query))
        oauth_error(answer, 400, "invalid_request")
    page = httpx.get(authorize_url(server, client_id="c" * 65, response_type="code"))
    assert page.status_code == 400 and "longer than 64 characters" in page.text
