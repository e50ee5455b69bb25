"""A cursor greater than the server's counter (a database restored from a backup) is
answered with a full sync by both protocols, so the client cannot silently miss changes.

In-process, on a database of its own: the test sets the counter back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyticktick.models.v2 import GetBatchV2
from sqlalchemy import update
from starlette.testclient import TestClient

from taskhaven.app import create_app
from taskhaven.core.backend import Backend
from taskhaven.store.schema import change_counter
from tests.conftest import PASSWORD, new_email
from tests.servers import fresh_database, migrated_backend
from tests.servers import test_settings as settings_for
from tests.v2.clients import BROWSER


@pytest.fixture
def restored(tmp_path: Path) -> Iterator[tuple[TestClient, Backend]]:
    with (
        fresh_database(tmp_path) as url,
        migrated_backend(settings_for(url, tmp_path / "data")) as backend,
    ):
        yield TestClient(create_app(backend.settings, backend)), backend


def set_counter(backend: Backend, value: int) -> None:
    """What a restore from an older backup does to the counter."""
    with backend.plain_write() as conn:
        conn.execute(update(change_counter).values(value=value))


def sync(client: TestClient, token: str, seq_no: int, **extra: Any) -> dict[str, Any]:
    data = {"token": token, "seq_no": seq_no, "resource_types": json.dumps(["projects"])}
    response = client.post("/API/v6/sync", data={**data, **extra})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_both_protocols_answer_a_future_cursor_with_a_full_sync(
    restored: tuple[TestClient, Backend],
) -> None:
    client, backend = restored
    email = new_email()
    user = client.post("/API/v6/register", data={"email": email, "password": PASSWORD}).json()
    command = {"type": "project_add", "uuid": "u1", "temp_id": "t1", "args": {"name": "Kept"}}
    seen = sync(client, user["token"], 0, commands=json.dumps([command]))["seq_no"]
    assert sync(client, user["token"], seen)["Projects"] == []  # nothing new: incremental

    set_counter(backend, seen - 2)
    answer = sync(client, user["token"], seen)
    assert sorted(p["name"] for p in answer["Projects"]) == ["Inbox", "Kept"]
    assert answer["seq_no"] == seen - 2

    signon = client.post(
        "/api/v2//user/signon", headers=BROWSER, json={"username": email, "password": PASSWORD}
    )
    headers = {**BROWSER, "Cookie": f"t={signon.json()['token']}"}
    full = client.get("/api/v2/batch/check/0", headers=headers).json()
    for future in (seen, 2**63 - 1):
        data = client.get(f"/api/v2/batch/check/{future}", headers=headers).json()
        GetBatchV2.model_validate(data)
        assert data == full
        assert data["checkPoint"] == seen - 2
        assert [p["name"] for p in data["projectProfiles"]] == ["Kept"]


def test_a_huge_seq_no_is_a_full_sync(restored: tuple[TestClient, Backend]) -> None:
    client, _backend = restored
    user = client.post("/API/v6/register", data={"email": new_email(), "password": PASSWORD})
    token = user.json()["token"]
    assert sync(client, token, 2**62) == sync(client, token, 0)
