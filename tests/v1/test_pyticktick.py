"""pyticktick 0.3.0's V1 methods, with a token from ``Settings.v1_signon`` against the server."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from pyticktick import Client

from tests.servers import RunningServer
from tests.v1.clients import client_with, signon_with_pyticktick


@pytest.fixture
def v1(server: RunningServer, account: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Client:
    settings = signon_with_pyticktick(server, monkeypatch, account["email"])
    assert settings.v1_token is not None
    return client_with(server, settings.v1_token.value)


def test_v1_signon_gets_a_uuid4_token(
    server: RunningServer, account: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = signon_with_pyticktick(server, monkeypatch, account["email"])
    assert settings.v1_token is not None
    assert uuid.UUID(str(settings.v1_token.value)).version == 4


def test_projects_round_trip(v1: Client) -> None:
    assert v1.get_projects_v1().root == []  # the inbox is not listed
    made = v1.create_project_v1(
        {"name": "NP", "color": "#F18181", "view_mode": "kanban", "kind": "TASK"}
    ).root
    assert (made.name, made.color, made.view_mode, made.kind) == ("NP", "#f18181", "kanban", "TASK")
    assert [p.id for p in v1.get_projects_v1().root] == [made.id]
    changed = v1.update_project_v1(made.id, {"name": "NP2"}).root
    assert (changed.name, changed.color, changed.view_mode) == ("NP2", "#f18181", "kanban")
    assert v1.get_project_v1(made.id).root.name == "NP2"
    v1.delete_project_v1(made.id)
    assert v1.get_projects_v1().root == []


def test_tasks_round_trip(v1: Client) -> None:
    project = v1.create_project_v1({"name": "Work"}).root
    task = v1.create_task_v1(
        {
            "title": "T",
            "project_id": project.id,
            "start_date": "2019-11-13T03:00:00+0000",
            "due_date": "2019-11-14T03:00:00+0000",
            "time_zone": "America/Los_Angeles",
            "priority": 5,
            "reminders": ["TRIGGER:PT0S", "TRIGGER:-PT30M"],
            "repeat_flag": "RRULE:FREQ=DAILY;INTERVAL=1",
            "items": [{"title": "step", "status": False}, {"title": "done", "status": True}],
        }
    )
    assert (task.title, task.priority, task.status, task.project_id) == ("T", 5, False, project.id)
    assert task.reminders == ["TRIGGER:PT0S", "TRIGGER:-PT30M"]
    assert task.repeat_flag == "RRULE:FREQ=DAILY;INTERVAL=1"
    assert [(i.title, i.status) for i in task.items or []] == [("step", False), ("done", True)]
    assert task.due_date == "2019-11-14T03:00:00.000+0000"

    updated = v1.update_task_v1(task.id, {"id": task.id, "project_id": project.id, "title": "T2"})
    assert (updated.title, updated.priority) == ("T2", 5)  # merge: null keeps the value
    assert updated.reminders == task.reminders
    assert v1.get_task_v1(project.id, task.id).title == "T2"

    data = v1.get_project_with_data_v1(project.id)
    assert [t.id for t in data.tasks] == [task.id]
    assert data.columns == []

    v1.complete_task_v1(project.id, task.id)
    # A daily task moves on to its next date (the core's rule: after today) and stays open.
    after = v1.get_task_v1(project.id, task.id)
    assert after.status is False
    assert (after.due_date or "") > (task.due_date or "")

    plain = v1.create_task_v1({"title": "once", "project_id": project.id})
    v1.complete_task_v1(project.id, plain.id)
    done = v1.get_task_v1(project.id, plain.id)
    assert done.status is True and done.completed_time
    assert [t.id for t in v1.get_project_with_data_v1(project.id).tasks] == [task.id]

    v1.delete_task_v1(project.id, task.id)
    assert v1.get_project_with_data_v1(project.id).tasks == []


def test_inbox_takes_tasks(v1: Client, server: RunningServer, account: dict[str, Any]) -> None:
    inbox = f"inbox{account['id']}"
    task = v1.create_task_v1({"title": "in the inbox", "project_id": inbox})
    assert task.project_id == inbox
    assert [t.id for t in v1.get_project_with_data_v1(inbox).tasks] == [task.id]


def test_a_v1_task_shows_in_the_sync_api_and_in_v2(
    v1: Client, server: RunningServer, account: dict[str, Any]
) -> None:
    first = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": account["token"], "seq_no": "0", "resource_types": '["items"]'},
    ).json()
    project = v1.create_project_v1({"name": "Shared"}).root
    task = v1.create_task_v1({"title": "from V1", "project_id": project.id, "priority": 3})
    changed = httpx.post(
        server.url + "/API/v6/sync",
        data={
            "token": account["token"],
            "seq_no": str(first["seq_no"]),
            "resource_types": '["items", "projects"]',
        },
    ).json()
    assert [i["content"] for i in changed["Items"]] == ["from V1"]
    assert changed["Items"][0]["priority"] == 3
    assert [p["name"] for p in changed["Projects"]] == ["Shared"]
    signon = httpx.post(
        server.url + "/api/v2/user/signon?wc=true&remember=true",
        json={"username": account["email"], "password": account["password"]},
    ).json()
    check = httpx.get(server.url + "/api/v2/batch/check/0", cookies={"t": signon["token"]}).json()
    assert task.id in [t["id"] for t in check["syncTaskBean"]["update"]]
