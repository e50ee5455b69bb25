"""V1 task fields beyond pyticktick's round trip: whole days, checklist merging, moves."""

from __future__ import annotations

from typing import Any

import httpx

from tests.oauth.flow import v1_token
from tests.servers import RunningServer
from tests.v1.clients import raw


def test_whole_days_and_switching(server: RunningServer, account: dict[str, Any]) -> None:
    token = v1_token(server, account["email"])
    inbox = f"inbox{account['id']}"
    task = raw(
        server,
        token,
        "POST",
        "task",
        json={
            "title": "day",
            "projectId": inbox,
            "isAllDay": True,
            "dueDate": "2025-03-01T00:00:00+0000",
            "timeZone": "Europe/Berlin",
        },
    ).json()
    # March 1st in Berlin, named by its local midnight.
    assert task["isAllDay"] is True
    assert task["dueDate"] == "2025-02-28T23:00:00.000+0000"
    sync = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": account["token"], "seq_no": "0", "resource_types": '["items"]'},
    ).json()
    [item] = [i for i in sync["Items"] if i["content"] == "day"]
    assert item["all_day"] is True
    timed = raw(
        server, token, "POST", f"task/{task['id']}", json={"id": task["id"], "isAllDay": False}
    ).json()
    assert timed["isAllDay"] is False
    assert timed["dueDate"].startswith("2025-03-01")  # the same local day, now with a time


def test_checklist_entries_merge_by_id(server: RunningServer, account: dict[str, Any]) -> None:
    token = v1_token(server, account["email"])
    inbox = f"inbox{account['id']}"
    task = raw(
        server,
        token,
        "POST",
        "task",
        json={
            "title": "list",
            "projectId": inbox,
            "items": [{"title": "a", "status": True}, {"title": "b"}],
        },
    ).json()
    assert task["kind"] == "CHECKLIST"
    first, _second = task["items"]
    assert (first["status"], "completedTime" in first) == (1, True)
    changed = raw(
        server,
        token,
        "POST",
        f"task/{task['id']}",
        json={"id": task["id"], "items": [{"id": first["id"], "title": "a2"}, {"title": "c"}]},
    ).json()
    assert [(i["title"], i["status"]) for i in changed["items"]] == [("a2", 1), ("c", 0)]
    assert changed["items"][0]["id"] == first["id"]


def test_update_moves_between_lists(server: RunningServer, account: dict[str, Any]) -> None:
    token = v1_token(server, account["email"])
    one = raw(server, token, "POST", "project", json={"name": "one"}).json()
    two = raw(server, token, "POST", "project", json={"name": "two"}).json()
    task = raw(server, token, "POST", "task", json={"title": "t", "projectId": one["id"]}).json()
    moved = raw(
        server,
        token,
        "POST",
        f"task/{task['id']}",
        json={"id": task["id"], "projectId": two["id"]},
    ).json()
    assert moved["projectId"] == two["id"]
    assert raw(server, token, "GET", f"project/{one['id']}/task/{task['id']}").status_code == 404
    assert raw(server, token, "GET", f"project/{two['id']}/task/{task['id']}").status_code == 200
    mismatch = raw(server, token, "POST", f"task/{task['id']}", json={"id": "0" * 24, "title": "x"})
    assert mismatch.status_code == 400


def test_a_deleted_task_still_reads(server: RunningServer, account: dict[str, Any]) -> None:
    token = v1_token(server, account["email"])
    project = raw(server, token, "POST", "project", json={"name": "p"}).json()
    task = raw(server, token, "POST", "task", json={"title": "t", "projectId": project["id"]})
    tid = task.json()["id"]
    assert raw(server, token, "DELETE", f"project/{project['id']}/task/{tid}").status_code == 200
    gone = raw(server, token, "GET", f"project/{project['id']}/task/{tid}")
    assert gone.status_code == 200
    assert gone.json()["deleted"] == 1
    assert raw(server, token, "DELETE", f"project/{project['id']}/task/{tid}").status_code == 404
    never = raw(server, token, "GET", f"project/{project['id']}/task/{'a' * 24}")
    assert never.status_code == 404
