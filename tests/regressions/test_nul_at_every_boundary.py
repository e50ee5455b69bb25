"""NUL is refused at each protocol's boundary, in the protocol's error format (PostgreSQL
cannot store it; SQLite stored it, so the two databases disagreed)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson
import pytest

from tests.oauth.flow import v1_token
from tests.servers import RunningServer
from tests.v1.clients import raw as v1_raw
from tests.v2.batch_helpers import oid, v2_account


@pytest.mark.parametrize(
    "data",
    [
        {"day_orders_timestamp": "a\x00"},
        {"resource_types": '["items\\u0000"]'},
        {
            "commands": orjson.dumps(
                [{"type": "item_add\x00", "uuid": str(uuid.uuid4()), "args": {}}]
            ).decode()
        },
    ],
    ids=["plain", "json", "command type"],
)
def test_sync_api(server: RunningServer, account: dict[str, Any], data: dict[str, str]) -> None:
    response = httpx.post(server.url + "/API/v6/sync", data={"token": account["token"], **data})
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == 16 and "NUL" in response.json()["error"]


def test_v2(server: RunningServer) -> None:
    v2 = v2_account(server)
    body = {"add": [{"projectId": v2.inbox, "title": "a\x00b", "id": oid()}]}
    response = v2.raw("POST", "batch/task", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["errorCode"] == "invalid_parameter"
    assert "NUL" in response.json()["errorMessage"]


def test_v1(server: RunningServer, account: dict[str, Any]) -> None:
    token = v1_token(server, account["email"])
    body = {"title": "a\x00b", "projectId": f"inbox{account['id']}"}
    response = v1_raw(server, token, "POST", "task", json=body)
    assert response.status_code == 400, response.text
    assert "NUL" in response.text


def test_nul_in_one_command_fails_that_command_alone(
    server: RunningServer, account: dict[str, Any]
) -> None:
    bad = {"type": "item_add", "uuid": str(uuid.uuid4()), "args": {"content": "a\x00b"}}
    good = {"type": "item_add", "uuid": str(uuid.uuid4()), "args": {"content": "fine"}}
    response = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": account["token"], "commands": orjson.dumps([bad, good]).decode()},
    )
    assert response.status_code == 200, response.text
    statuses = response.json()["SyncStatus"]
    assert statuses[good["uuid"]] == "ok"
    assert statuses[bad["uuid"]]["error_code"] == 16 and "NUL" in statuses[bad["uuid"]]["error"]
