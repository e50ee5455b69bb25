"""``export_data``: a signed-in user's own export over the Sync API, behind the account's own
token and its password (throttled like every password door)."""

from __future__ import annotations

from pathlib import Path

from taskhaven.core import export
from taskhaven.core.oauth import apps, grants
from tests.backups.helpers import local_server, local_server_on, register, sync
from tests.conftest import PASSWORD
from tests.servers import fresh_database
from tests.servers import test_settings as settings_for


def test_the_export_holds_everything_and_imports(tmp_path: Path) -> None:
    with local_server(tmp_path / "a") as live:
        email, token = register(live.client)
        cmds = [
            {"type": "project_add", "uuid": "p", "temp_id": "P", "args": {"name": "Work"}},
            {"type": "item_add", "uuid": "i", "args": {"project_id": "P", "content": "Ship"}},
        ]
        sync(live.client, token, commands=cmds)
        sent = live.client.post(
            "/API/v6/uploads/add", data={"token": token}, files={"file": ("a.txt", b"hello")}
        )
        assert sent.status_code == 200, sent.text
        answer = live.client.post(
            "/API/v6/export_data", data={"token": token, "current_password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        data = answer.json()
        assert data["format"] == export.FORMAT and data["user"]["email"] == email
        assert token not in answer.text
        assert [i["content"] for i in data["items"]] == ["Ship"]
        assert [u["file_name"] for u in data["uploads"]] == ["a.txt"]
        imported = export.import_user(live.backend, "again@example.com", data)
        assert imported.token is not None and imported.counts["uploads"] == 1


def test_wrong_password_missing_password_and_app_tokens_are_refused(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        settings = settings_for(url, tmp_path / "data", signon_failures_per_account=2)
        with local_server_on(settings) as live:
            email, token = register(live.client)
            missing = live.client.post("/API/v6/export_data", data={"token": token})
            assert missing.status_code == 400 and missing.json()["error_code"] == 18
            app, _secret = apps.create(live.backend, "reader", ["https://a.example/cb"])
            bearer = grants.new_token("hex40")
            user_id = sync(live.client, token, resource_types=["user"])["User"]["id"]
            grants.store_token(
                live.backend, bearer, app.id, user_id, ("data:read_write",), code_id=None
            )
            by_app = live.client.post(
                "/API/v6/export_data", data={"token": bearer, "current_password": PASSWORD}
            )
            assert by_app.status_code == 403 and by_app.json()["error_code"] == 28
            for _ in range(2):
                wrong = live.client.post(
                    "/API/v6/export_data", data={"token": token, "current_password": "nope"}
                )
                assert wrong.status_code == 403, wrong.text
                assert wrong.json() == {"error_code": 28, "error": "Wrong password"}
            # The throttle is the one of every password door: login is refused too.
            right = live.client.post(
                "/API/v6/export_data", data={"token": token, "current_password": PASSWORD}
            )
            assert right.status_code == 429 and right.json()["error_code"] == 35
            assert "Retry-After" in right.headers
            login = live.client.post("/API/v6/login", data={"email": email, "password": PASSWORD})
            assert login.status_code == 429
