"""Project commands through the real todoist-python 0.2.26 client."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import todoist

from tests.servers import RunningServer


def client(server: RunningServer, account: dict[str, Any]) -> todoist.TodoistAPI:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    return api


def test_project_lifecycle_seen_by_a_second_client(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    watcher = client(server, account)
    project = api.projects.add("Project1", color=3, indent=1)
    api.commit()
    assert isinstance(project["id"], int)

    got = watcher.sync(resource_types=["projects"])
    assert [p["name"] for p in got["Projects"]] == ["Project1"]
    assert got["Projects"][0]["color"] == 3 and got["Projects"][0]["shared"] is False

    project.update(name="Renamed", color=11, collapsed=1)
    api.commit()
    got = watcher.sync(resource_types=["projects"])
    assert got["Projects"][0]["name"] == "Renamed"
    assert got["Projects"][0]["color"] == 11 and got["Projects"][0]["collapsed"] == 1

    project.archive()
    api.commit()
    got = watcher.sync(resource_types=["projects"])
    archived = got["Projects"][0]
    assert archived["is_archived"] == 1 and archived["archived_timestamp"] > 0
    assert archived["archived_date"].endswith("+0000")
    project.unarchive()
    api.commit()
    assert watcher.sync(resource_types=["projects"])["Projects"][0]["is_archived"] == 0

    project.delete()
    api.commit()
    got = watcher.sync(resource_types=["projects"])
    assert len(got["Projects"]) == 1
    gone = got["Projects"][0]
    assert gone["is_deleted"] == 1 and gone["name"] == "Renamed"
    assert watcher.projects.get_by_id(project["id"], only_local=True) is None
    assert watcher.sync(resource_types=["projects"])["Projects"] == []


def test_full_sync_orders_newest_change_first(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    api.projects.add("Older")
    api.commit()
    api.projects.add("Newer")
    api.commit()
    fresh = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    names = [p["name"] for p in fresh.sync(resource_types=["projects"])["Projects"]]
    assert names == ["Newer", "Older", "Inbox"]


def test_delete_leaves_indented_projects_and_orders_indents(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    parent = api.projects.add("Parent", item_order=10, indent=1)
    child = api.projects.add("Child", item_order=11, indent=2)
    api.projects.add("Sibling", item_order=12, indent=1)
    api.commit()
    api.projects.update_orders_indents({parent["id"]: [20, 1], child["id"]: [21, 2]})
    status = api.commit()
    per_id = next(iter(status.values()))
    assert per_id == {str(parent["id"]): "ok", str(child["id"]): "ok"}
    parent.delete()
    api.commit()
    fresh = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    names = {p["name"] for p in fresh.sync(resource_types=["projects"])["Projects"]}
    assert names == {"Inbox", "Child", "Sibling"}


def test_inbox_is_protected(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    inbox = api.state["Projects"][0]
    assert inbox["name"] == "Inbox"
    commands = [
        {"type": "project_delete", "uuid": "d1", "args": {"ids": [inbox["id"]]}},
        {"type": "project_archive", "uuid": "a1", "args": {"id": inbox["id"]}},
        {"type": "project_update", "uuid": "u1", "args": {"id": inbox["id"], "name": "Out"}},
    ]
    body = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": account["token"], "commands": orjson.dumps(commands).decode()},
    ).json()
    assert body["SyncStatus"]["d1"][str(inbox["id"])]["error_code"] == 28
    assert body["SyncStatus"]["a1"]["error_code"] == 28
    assert body["SyncStatus"]["u1"]["error_code"] == 28


def test_archive_with_ids_list_answers_per_id(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    project = api.projects.add("P")
    api.commit()
    commands = [
        {"type": "project_archive", "uuid": "x1", "args": {"ids": [project["id"], 999999999]}},
    ]
    body = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": account["token"], "commands": orjson.dumps(commands).decode()},
    ).json()
    assert body["SyncStatus"]["x1"][str(project["id"])] == "ok"
    assert body["SyncStatus"]["x1"]["999999999"]["error_code"] == 20


def test_commit_only_answer_has_no_resource_arrays(
    server: RunningServer, account: dict[str, Any]
) -> None:
    commands = [{"type": "project_add", "uuid": "c1", "temp_id": "$t", "args": {"name": "Q"}}]
    body = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": account["token"], "commands": orjson.dumps(commands).decode()},
    ).json()
    assert set(body) == {"seq_no", "seq_no_global", "UserId", "SyncStatus", "TempIdMapping"}
    assert isinstance(body["TempIdMapping"]["$t"], int)


def test_adding_after_the_highest_possible_order_is_not_an_error(
    server: RunningServer, account: dict[str, Any]
) -> None:
    top = 2**63 - 1
    commands = [
        {
            "type": "project_add",
            "uuid": "o1",
            "temp_id": "$1",
            "args": {"name": "A", "item_order": top},
        },
        {"type": "project_add", "uuid": "o2", "temp_id": "$2", "args": {"name": "B"}},
    ]
    body = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": account["token"], "commands": orjson.dumps(commands).decode()},
    ).json()
    assert body["SyncStatus"] == {"o1": "ok", "o2": "ok"}
