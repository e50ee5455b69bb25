"""Uploads stayed downloadable after ``delete_user``; the API token could not be rotated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import todoist

from tests.servers import RunningServer
from tests.test_cli_totp import invoke


def test_delete_user_deletes_their_files(
    server: RunningServer, account: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "private.txt"
    path.write_bytes(b"private bytes")
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    url = api.upload_file(str(path))["file_url"]
    assert httpx.get(url).status_code == 200
    deleted = httpx.post(
        server.url + "/API/v6/delete_user",
        data={"token": account["token"], "current_password": account["password"]},
    )
    assert deleted.status_code == 200, deleted.text
    assert httpx.get(url).status_code == 404
    stored = server.backend.settings.data_dir / "uploads" / url.rsplit("/", 1)[1]
    assert not stored.exists()


def test_rotate_token_from_the_command_line(server: RunningServer, account: dict[str, Any]) -> None:
    code, output = invoke(server, "user", "rotate-token", account["email"])
    assert code == 0, output
    found = re.search(r"api_token: ([0-9a-f]{40})", output)
    assert found is not None, output
    new = found.group(1)
    assert new != account["token"]
    old = httpx.post(server.url + "/API/v6/sync", data={"token": account["token"]})
    assert old.status_code == 401
    synced = httpx.post(
        server.url + "/API/v6/sync", data={"token": new, "resource_types": '["user"]'}
    )
    assert synced.status_code == 200 and synced.json()["User"]["token"] == new
