"""Accounts, authentication, and the request limits of the Sync API."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import orjson
import todoist

from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer


def _sync(server: RunningServer, **data: Any) -> httpx.Response:
    return httpx.post(server.url + "/API/v6/sync", data=data)


def _cmd(kind: str, args: dict[str, Any], temp_id: str | None = None) -> dict[str, Any]:
    cmd: dict[str, Any] = {"type": kind, "uuid": str(uuid.uuid4()), "args": args}
    if temp_id:
        cmd["temp_id"] = temp_id
    return cmd


def test_register_then_login_with_the_real_client(server: RunningServer) -> None:
    email = new_email()
    api = todoist.TodoistAPI(api_endpoint=server.url)
    user = api.register(email, "Jane Doe", PASSWORD)
    assert user["email"] == email and user["full_name"] == "Jane Doe"
    assert len(user["token"]) == 40 and int(user["token"], 16) >= 0
    other = todoist.TodoistAPI(api_endpoint=server.url)
    logged_in = other.login(email, PASSWORD)
    assert logged_in["api_token"] == logged_in["token"] == user["token"]
    assert other.token == user["token"]
    state = other.sync(resource_types=["all"])
    assert state["User"]["token"] == user["token"]
    assert state["User"]["inbox_project"] == state["Projects"][0]["id"]
    assert state["Projects"][0]["inbox_project"] is True


def test_login_failures_and_duplicate_registration(server: RunningServer) -> None:
    email = new_email()
    first = httpx.post(server.url + "/API/v6/register", data={"email": email, "password": PASSWORD})
    assert first.status_code == 200
    again = httpx.post(server.url + "/API/v6/register", data={"email": email, "password": PASSWORD})
    assert again.status_code == 400 and again.json()["error_code"] == 32
    wrong = httpx.post(server.url + "/API/v6/login", data={"email": email, "password": "nope" * 3})
    assert wrong.status_code == 401 and wrong.json()["error_code"] == 31
    unknown = httpx.post(
        server.url + "/API/v6/login", data={"email": new_email(), "password": PASSWORD}
    )
    assert unknown.status_code == 401 and unknown.json() == wrong.json()
    short = httpx.post(
        server.url + "/API/v6/register", data={"email": new_email(), "password": "x"}
    )
    assert short.status_code == 400 and "password" in short.json()["error"].lower()
    missing = httpx.post(server.url + "/API/v6/register", data={"email": new_email()})
    assert missing.status_code == 400
    assert missing.json() == {"error_code": 18, "error": "Required argument is missing: password"}


def test_bad_or_missing_token(server: RunningServer) -> None:
    for data in ({}, {"token": "0" * 40}, {"token": ""}):
        response = _sync(server, **data, resource_types='["all"]')
        assert response.status_code == 401
        assert response.json() == {"error_code": 401, "error": "Invalid token"}


def test_too_many_commands_runs_nothing(server: RunningServer, account: dict[str, Any]) -> None:
    cmds = [_cmd("project_add", {"name": f"P{n}"}, f"${n}") for n in range(101)]
    response = _sync(server, token=account["token"], commands=orjson.dumps(cmds).decode())
    assert response.status_code == 400 and response.json()["error_code"] == 36
    full = _sync(server, token=account["token"], seq_no="0", resource_types='["projects"]')
    assert [p["name"] for p in full.json()["Projects"]] == ["Inbox"]


def test_malformed_envelopes_are_rejected_whole(
    server: RunningServer, account: dict[str, Any]
) -> None:
    token = account["token"]
    bad_json = _sync(server, token=token, commands="[{not json")
    assert bad_json.status_code == 400 and bad_json.json()["error_code"] == 37
    for bad in (
        '{"type": "project_add"}',
        "[1, 2]",
        '[{"type": "project_add", "args": {"name": "x"}}]',
        '[{"type": 5, "uuid": "u", "args": {}}]',
        '[{"type": "project_add", "uuid": "u", "args": []}]',
        '[{"type": "project_add", "uuid": "u", "args": {}, "temp_id": 7}]',
    ):
        response = _sync(server, token=token, commands=bad)
        assert response.status_code == 400, bad
        assert "error" in response.json() and "error_code" in response.json()
    bad_types = _sync(server, token=token, resource_types="{oops")
    assert bad_types.status_code == 400 and bad_types.json()["error_code"] == 37
    bad_seq = _sync(server, token=token, seq_no="abc", resource_types='["all"]')
    assert bad_seq.status_code == 400 and bad_seq.json()["error_code"] == 16


def test_unknown_command_and_wrong_types_fail_alone(
    server: RunningServer, account: dict[str, Any]
) -> None:
    cmds = [
        _cmd("no_such_command", {}),
        _cmd("project_add", {"name": 42}, "$a"),
        _cmd("project_add", {"name": "Fine"}, "$b"),
        _cmd("project_add", {"name": "Bad indent", "indent": 9}, "$c"),
        _cmd("project_update", {"id": "$b", "color": "red"}),
        _cmd("project_update", {"id": {"x": 1}, "name": "y"}),
        _cmd("project_update", {"id": 2**63, "name": "y"}),
    ]
    body = _sync(server, token=account["token"], commands=orjson.dumps(cmds).decode()).json()
    status = [body["SyncStatus"][c["uuid"]] for c in cmds]
    assert status[0]["error_code"] == 17
    assert status[1]["error_code"] == 16
    assert status[2] == "ok"
    assert status[3]["error_code"] == 16
    assert status[4]["error_code"] == 16
    assert status[5]["error_code"] == 16
    assert status[6]["error_code"] == 16
    assert list(body["TempIdMapping"]) == ["$b"]


def test_other_users_objects_are_not_found(server: RunningServer, account: dict[str, Any]) -> None:
    mine = _sync(
        server,
        token=account["token"],
        commands=orjson.dumps([_cmd("project_add", {"name": "Mine"}, "$m")]).decode(),
    ).json()["TempIdMapping"]["$m"]
    intruder = httpx.post(
        server.url + "/API/v6/register", data={"email": new_email(), "password": PASSWORD}
    ).json()["token"]
    cmds = [
        _cmd("project_update", {"id": mine, "name": "Stolen"}),
        _cmd("project_delete", {"ids": [mine]}),
        _cmd("project_update", {"id": "$m", "name": "Stolen"}),
    ]
    body = _sync(server, token=intruder, commands=orjson.dumps(cmds).decode()).json()
    assert body["SyncStatus"][cmds[0]["uuid"]]["error_code"] == 20
    assert body["SyncStatus"][cmds[1]["uuid"]][str(mine)]["error_code"] == 20
    # Temp ids are per user: another user's temp id is unknown here.
    assert body["SyncStatus"][cmds[2]["uuid"]]["error_code"] == 15
    names = [
        p["name"]
        for p in _sync(server, token=account["token"], resource_types='["projects"]').json()[
            "Projects"
        ]
    ]
    assert "Mine" in names and "Stolen" not in names


def test_sync_rate_limit(make_server: Any) -> None:
    limited = make_server(sync_rate_limit_per_minute=3)
    token = httpx.post(
        limited.url + "/API/v6/register", data={"email": new_email(), "password": PASSWORD}
    ).json()["token"]
    answers = [_sync(limited, token=token, resource_types='["user"]') for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert answers[3].status_code == 429
    assert answers[3].json()["error_code"] == 35
    assert 1 <= int(answers[3].headers["Retry-After"]) <= 60


def test_oversize_body_is_refused(make_server: Any) -> None:
    small = make_server(max_body_bytes=2048)
    response = httpx.post(
        small.url + "/API/v6/sync", data={"token": "x", "commands": "[" + " " * 4096 + "]"}
    )
    assert response.status_code == 413 and "too large" in response.json()["error"]


def test_unknown_path_and_lowercase_prefix(server: RunningServer, account: dict[str, Any]) -> None:
    missing = httpx.get(server.url + "/API/v6/nope")
    assert missing.status_code == 404 and missing.json()["error_code"] == 404
    lower = httpx.get(
        server.url + "/api/v6/sync",
        params={"token": account["token"], "resource_types": '["user"]'},
    )
    assert lower.status_code == 200 and lower.json()["User"]["id"] == account["id"]
