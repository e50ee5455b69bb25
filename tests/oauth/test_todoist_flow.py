"""The Todoist-style flow (``POST /oauth/access_token``), then todoist-python with the token."""

from __future__ import annotations

from typing import Any

import httpx
import todoist

from tests.oauth.flow import get_code, new_app, todoist_token
from tests.servers import RunningServer


def test_access_token_answers_as_todoist_does(
    server: RunningServer, account: dict[str, Any]
) -> None:
    app = new_app(server)
    got = get_code(server, app, account["email"], scope="data:read_write,data:delete", state="s1")
    assert got["state"] == "s1"
    answer = httpx.post(
        server.url + "/oauth/access_token",
        data={"client_id": app.client_id, "client_secret": app.client_secret, "code": got["code"]},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert len(body["access_token"]) == 40
    assert body["access_token"] != account["token"]


def test_todoist_python_syncs_with_an_app_token(
    server: RunningServer, account: dict[str, Any]
) -> None:
    token = todoist_token(server, account["email"], "data:read_write")
    api = todoist.TodoistAPI(token, api_endpoint=server.url)
    api.sync(resource_types=["all"])
    project = api.projects.add("From an app")
    api.items.add("Task from an app", project["id"])
    api.commit()
    api.sync(resource_types=["all"])
    assert "Task from an app" in [i["content"] for i in api.state["Items"]]
    # The account's own token sees the same data.
    own = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    own.sync(resource_types=["all"])
    assert "From an app" in [p["name"] for p in own.state["Projects"]]


def test_a_read_only_token_reads_but_cannot_commit(
    server: RunningServer, account: dict[str, Any]
) -> None:
    token = todoist_token(server, account["email"], "data:read")
    read = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": token, "seq_no": "0", "resource_types": '["projects"]'},
    )
    assert read.status_code == 200, read.text
    assert [p["name"] for p in read.json()["Projects"]] == ["Inbox"]
    write = httpx.post(
        server.url + "/API/v6/sync",
        data={
            "token": token,
            "commands": '[{"type": "project_add", "uuid": "u1", "temp_id": "t1",'
            ' "args": {"name": "No"}}]',
        },
    )
    assert write.status_code == 403, write.text
    assert set(write.json()) == {"error_code", "error"}
    assert "data:read_write" in write.json()["error"]
    add = httpx.post(server.url + "/API/v6/add_item", data={"token": token, "content": "No"})
    assert add.status_code == 403
    gone = httpx.post(
        server.url + "/API/v6/delete_user", data={"token": token, "current_password": "x"}
    )
    assert gone.status_code == 403


def test_task_add_may_add_but_not_read(server: RunningServer, account: dict[str, Any]) -> None:
    token = todoist_token(server, account["email"], "task:add")
    add = httpx.post(server.url + "/API/v6/add_item", data={"token": token, "content": "Yes"})
    assert add.status_code == 200, add.text
    read = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": token, "seq_no": "0", "resource_types": '["items"]'},
    )
    assert read.status_code == 403


def test_deleting_needs_the_delete_scopes(server: RunningServer, account: dict[str, Any]) -> None:
    token = todoist_token(server, account["email"], "data:read_write")
    api = todoist.TodoistAPI(token, api_endpoint=server.url)
    api.sync(resource_types=["all"])
    project = api.projects.add("Keep")
    api.commit()
    delete = httpx.post(
        server.url + "/API/v6/sync",
        data={
            "token": token,
            "commands": '[{"type": "project_delete", "uuid": "d1",'
            f' "args": {{"ids": [{project["id"]}]}}}}]',
        },
    )
    assert delete.status_code == 403
    allowed = todoist_token(server, account["email"], "data:read_write,project:delete")
    delete = httpx.post(
        server.url + "/API/v6/sync",
        data={
            "token": allowed,
            "commands": '[{"type": "project_delete", "uuid": "d2",'
            f' "args": {{"ids": [{project["id"]}]}}}}]',
        },
    )
    assert delete.status_code == 200, delete.text
    assert delete.json()["SyncStatus"] == {"d2": {str(project["id"]): "ok"}}


def test_a_ticktick_token_is_no_sync_api_token(
    server: RunningServer, account: dict[str, Any]
) -> None:
    from tests.oauth.flow import v1_token

    token = v1_token(server, account["email"])
    answer = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": token, "seq_no": "0", "resource_types": '["projects"]'},
    )
    assert answer.status_code == 401


def test_todoist_revoke_call(server: RunningServer, account: dict[str, Any]) -> None:
    app = new_app(server)
    got = get_code(server, app, account["email"], scope="data:read")
    token = httpx.post(
        server.url + "/oauth/access_token",
        data={"client_id": app.client_id, "client_secret": app.client_secret, "code": got["code"]},
    ).json()["access_token"]
    sync = {"token": token, "seq_no": "0", "resource_types": '["projects"]'}
    assert httpx.post(server.url + "/API/v6/sync", data=sync).status_code == 200
    body = {"client_id": app.client_id, "client_secret": "wrong", "access_token": token}
    assert httpx.post(server.url + "/api/access_tokens/revoke", json=body).status_code == 401
    body["client_secret"] = app.client_secret
    assert httpx.post(server.url + "/api/access_tokens/revoke", json=body).status_code == 204
    assert httpx.post(server.url + "/API/v6/sync", data=sync).status_code == 401
    assert httpx.post(server.url + "/api/access_tokens/revoke", content=b"[").status_code == 400
