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
    settings = settings_for(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
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
