"""Strings that answered 500: over-long or NUL command ids, tzdata folders as time zones,
unchecked ``lang`` and ``full_name`` at sign-up."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson
import pytest

from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account

HOSTILE_ZONES = ["America", "Etc", "Etc/", "x" * 300, "../../etc/passwd", "UTC\x00", "/"]


def _sync(server: RunningServer, token: str, commands: list[dict[str, Any]]) -> httpx.Response:
    return httpx.post(
        server.url + "/API/v6/sync",
        data={"token": token, "commands": orjson.dumps(commands).decode()},
    )


@pytest.mark.parametrize(
    "field, value",
    [("uuid", "u" * 129), ("uuid", "a\x00b"), ("temp_id", "t" * 129), ("temp_id", "t\x00")],
)
def test_command_ids_over_the_column_or_with_nul_are_refused(
    server: RunningServer, account: dict[str, Any], field: str, value: str
) -> None:
    cmd = {"type": "project_add", "uuid": str(uuid.uuid4()), "temp_id": "p", "args": {}}
    cmd["args"] = {"name": "P"}
    cmd[field] = value
    response = _sync(server, account["token"], [cmd])
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == 16
    assert field in response.json()["error"]


def test_command_ids_at_the_column_size_work(
    server: RunningServer, account: dict[str, Any]
) -> None:
    cmd = {"type": "project_add", "uuid": "u" * 128, "temp_id": "t" * 128, "args": {"name": "P"}}
    response = _sync(server, account["token"], [cmd])
    assert response.status_code == 200, response.text
    assert response.json()["SyncStatus"] == {"u" * 128: "ok"}


@pytest.mark.parametrize("zone", HOSTILE_ZONES)
def test_register_refuses_a_hostile_time_zone(server: RunningServer, zone: str) -> None:
    response = httpx.post(
        server.url + "/API/v6/register",
        data={"email": new_email(), "password": PASSWORD, "timezone": zone},
    )
    assert response.status_code == 400, response.text
    assert "error_code" in response.json()


@pytest.mark.parametrize("zone", HOSTILE_ZONES)
def test_user_update_refuses_a_hostile_time_zone(
    server: RunningServer, account: dict[str, Any], zone: str
) -> None:
    cmd = {"type": "user_update", "uuid": str(uuid.uuid4()), "args": {"timezone": zone}}
    response = _sync(server, account["token"], [cmd])
    assert response.status_code == 200, response.text
    status = response.json()["SyncStatus"][cmd["uuid"]]
    assert isinstance(status, dict) and "error_code" in status


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


@pytest.mark.parametrize("zone", ["America", "Etc", "x" * 300])
def test_v2_task_and_checklist_refuse_a_hostile_time_zone(v2: V2, zone: str) -> None:
    tid = oid()
    response = v2.raw(
        "POST", "batch/task", json={"add": [task(v2.inbox, "T", id=tid, timeZone=zone)]}
    )
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        assert tid in response.json()["id2error"]
    listed = task(
        v2.inbox, "L", id=oid(), kind="CHECKLIST", items=[{"title": "i", "timeZone": zone}]
    )
    response = v2.raw("POST", "batch/task", json={"add": [listed]})
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        assert listed["id"] in response.json()["id2error"]


@pytest.mark.parametrize(
    "field, value",
    [("lang", "l" * 300), ("lang", "e\x00n"), ("full_name", "n" * 300), ("full_name", "a\x00b")],
)
def test_register_checks_lang_and_full_name(server: RunningServer, field: str, value: str) -> None:
    data = {"email": new_email(), "password": PASSWORD, field: value}
    response = httpx.post(server.url + "/API/v6/register", data=data)
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == 16 and field in response.json()["error"]


def test_an_unknown_command_type_is_named_not_echoed_whole(
    server: RunningServer, account: dict[str, Any]
) -> None:
    kind = "x" * 100_000
    cmd = {"type": kind, "uuid": str(uuid.uuid4()), "args": {}}
    response = _sync(server, account["token"], [cmd])
    assert response.status_code == 200, response.text
    status = response.json()["SyncStatus"][cmd["uuid"]]
    assert status["error_code"] == 17
    assert status["error"] == "Unknown command: " + "x" * 64 + "…"
    # Retried, the stored answer is the same bounded one.
    again = _sync(server, account["token"], [cmd]).json()["SyncStatus"][cmd["uuid"]]
    assert again == status
