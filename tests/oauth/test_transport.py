"""OAuth over plain HTTP to a non-loopback host is refused clearly, not with a 500."""

from __future__ import annotations

import warnings
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "use httpx2": the installed httpx serves fine here
    from starlette.testclient import TestClient

from taskhaven.app import create_app
from tests.servers import test_settings as settings_for


def test_plain_http_off_loopback_is_refused(tmp_path: Path) -> None:
    # The name is the configured public one; the scheme the one the request came with.
    settings = settings_for(
        f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path, public_url="http://tasks.lan"
    )
    with TestClient(create_app(settings), base_url="http://tasks.lan") as client:
        page = client.get("/oauth/authorize?client_id=x&response_type=code")
        assert page.status_code == 400
        assert "HTTPS" in page.text
        token = client.post("/oauth/token?grant_type=authorization_code&code=x")
        assert token.status_code == 400
        assert token.json()["error"] == "insecure_transport"
    with TestClient(create_app(settings), base_url="https://tasks.lan") as client:
        page = client.get("/oauth/authorize?client_id=x&response_type=code")
        assert page.status_code == 400
        assert "does not exist" in page.text


def test_cookies_are_secure_behind_tls(tmp_path: Path) -> None:
    from taskhaven.core import users
    from taskhaven.core.oauth import apps
    from tests.conftest import PASSWORD
    from tests.oauth.flow import csrf

    settings = settings_for(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
    app = create_app(settings)
    with TestClient(app, base_url="https://tasks.lan") as client:
        backend = app.state.backend
        users.register(backend, email="tls@example.com", password=PASSWORD)
        registered, _secret = apps.create(backend, "TLS", ["https://a.example/cb"])
        url = (
            f"/oauth/authorize?client_id={registered.client_id}&response_type=code&scope=tasks:read"
        )
        page = client.get(url)
        assert "Secure" in page.headers["set-cookie"]  # the CSRF cookie
        answer = client.post(
            url,
            data={
                "csrf_token": csrf(page),
                "step": "signin",
                "email": "tls@example.com",
                "password": PASSWORD,
            },
            follow_redirects=False,
        )
        assert answer.status_code == 303
        cookies = answer.headers.get_list("set-cookie")
        session = [c for c in cookies if c.startswith("taskhaven_web=")]
        assert session and "Secure" in session[0] and "HttpOnly" in session[0]
