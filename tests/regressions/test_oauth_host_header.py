"""The OAuth endpoints hand Authlib a URL on the configured public name: a forged ``Host``
header appears in no answer (pages, redirects, JSON errors, metadata), and ``Host:
localhost`` no longer passes the plain-HTTP check on a server reached by another name."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "use httpx2": the installed httpx serves fine here
    from starlette.testclient import TestClient

from taskhaven.app import create_app
from taskhaven.core import users
from taskhaven.core.oauth import apps
from tests.conftest import PASSWORD
from tests.oauth.flow import csrf
from tests.servers import fresh_database
from tests.servers import test_settings as settings_for

HOSTILE = "evil.example"
PUBLIC = "https://tasks.example.org"
REDIRECT = "https://app.example.com/cb"


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[TestClient]:
    """A client whose every request names ``evil.example`` as its Host, over HTTPS."""
    with fresh_database(tmp_path) as url:
        settings = settings_for(url, tmp_path, public_url=PUBLIC)
        with TestClient(create_app(settings), base_url=f"https://{HOSTILE}") as client:
            yield client


def clean(answer: httpx.Response) -> httpx.Response:
    for name, value in answer.headers.items():
        assert HOSTILE not in value, (name, value)
    assert HOSTILE not in answer.text, answer.text
    return answer


def test_no_answer_carries_the_host_header(hostile: TestClient) -> None:
    backend = hostile.app.state.backend  # type: ignore[attr-defined]
    users.register(backend, email="host@example.com", password=PASSWORD)
    app, secret = apps.create(backend, "Host test", [REDIRECT])
    query = {"client_id": app.client_id, "response_type": "code", "scope": "tasks:read"}
    url = "/oauth/authorize?" + urlencode({**query, "state": "s1"})

    meta = clean(hostile.get("/.well-known/oauth-authorization-server")).json()
    assert meta["issuer"] == PUBLIC and meta["token_endpoint"] == PUBLIC + "/oauth/token"
    # Errors shown as a page, and errors sent back to the app.
    clean(hostile.get("/oauth/authorize?client_id=nobody&response_type=code"))
    bad_scope = {**query, "scope": "nonsense", "state": "s2"}
    answer = clean(hostile.get("/oauth/authorize?" + urlencode(bad_scope), follow_redirects=False))
    assert answer.status_code == 302 and answer.headers["location"].startswith(REDIRECT)
    # Sign in, consent, the redirect with the code.
    page = clean(hostile.get(url))
    fields = {"csrf_token": csrf(page), "step": "signin", "email": "host@example.com"}
    signed = hostile.post(url, data={**fields, "password": PASSWORD}, follow_redirects=False)
    assert clean(signed).status_code == 303
    page = clean(hostile.get(url))
    allowed = hostile.post(
        url,
        data={"csrf_token": csrf(page), "step": "consent", "decision": "allow"},
        follow_redirects=False,
    )
    location = clean(allowed).headers["location"]
    assert location.startswith(REDIRECT + "?code=")
    code = location.split("code=", 1)[1].split("&", 1)[0]
    # Token endpoints: errors and a success, in both answer styles; revocation.
    for path in ("/oauth/token", "/oauth/access_token"):
        wrong = clean(hostile.post(path, data={"client_id": app.client_id, "code": "x"}))
        assert wrong.status_code in (400, 401), wrong.text
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app.client_id,
        "client_secret": secret,
    }
    token = clean(hostile.post("/oauth/token", data=form))
    assert token.status_code == 200, token.text
    revoked = hostile.post(
        "/oauth/revoke",
        data={"token": token.json()["access_token"]},
        auth=(app.client_id, secret),
    )
    assert clean(revoked).status_code == 200
    clean(hostile.post("/oauth/revoke", data={"token": "x"}))
    clean(hostile.post("/api/access_tokens/revoke", json={"client_id": app.client_id}))
    clean(hostile.get("/oauth/nowhere"))


def test_host_localhost_does_not_pass_the_transport_check(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        settings = settings_for(url, tmp_path, public_url="http://tasks.lan")
        with TestClient(create_app(settings), base_url="http://localhost") as client:
            page = client.get("/oauth/authorize?client_id=x&response_type=code")
            assert page.status_code == 400 and "HTTPS" in page.text
            token = client.post("/oauth/token?grant_type=authorization_code&code=x")
            assert token.status_code == 400
            assert token.json()["error"] == "insecure_transport"
