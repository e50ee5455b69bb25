from __future__ import annotations

from typing import Any

import todoist

from tests.servers import RunningServer


def test_full_sync_has_inbox(server: RunningServer, account: dict[str, Any]) -> None:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    response = api.sync(resource_types=["all"])
    assert response["UserId"] == account["id"]
    assert [p["name"] for p in response["Projects"]] == ["Inbox"]
    assert isinstance(response["seq_no"], int) and response["seq_no"] >= 1


def test_add_project_and_item_with_temp_ids(server: RunningServer, account: dict[str, Any]) -> None:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    project = api.projects.add("Project1")
    item = api.items.add("Item1", project["id"])
    status = api.commit()
    assert all(v == "ok" for v in status.values()), status
    assert isinstance(project["id"], int) and isinstance(item["id"], int)
    other = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    full = other.sync(resource_types=["all"])
    assert full["Projects"][0]["name"] == "Project1"
