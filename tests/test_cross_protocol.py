"""One data model, two protocols: writes through the V2 API (pyticktick) are seen by a
todoist-python incremental sync, and Sync API writes by ``batch/check/{checkPoint}``."""

from __future__ import annotations

from typing import Any

import pytest
import todoist

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def todoist_for(v2: V2) -> todoist.TodoistAPI:
    api = todoist.TodoistAPI(v2.user["token"], api_endpoint=v2.server.url)
    api.sync(resource_types=["all"])
    return api


def items_by_content(api: todoist.TodoistAPI) -> dict[str, dict[str, Any]]:
    return {item["content"]: item.data for item in api.state["Items"]}


def all_ok(status: Any) -> bool:
    """Every SyncStatus entry is "ok" (per-id maps included)."""
    if isinstance(status, dict) and "error" not in status:
        return all(all_ok(value) for value in status.values())
    return bool(status == "ok")


def commit(api: todoist.TodoistAPI) -> None:
    status = api.commit()
    assert all_ok(status), status


def test_v2_writes_reach_an_incremental_sync_api_reader(v2: V2) -> None:
    api = todoist_for(v2)
    assert api.state["Items"] == []
    parent, child, pid = oid(), oid(), oid()
    v2.client.post_project_v2({"add": [{"id": pid, "name": "Shared model"}]})
    v2.client.post_task_v2(
        {
            "add": [
                task(
                    pid,
                    "Buy milk",
                    id=parent,
                    priority=5,
                    tags=["shop"],
                    due_date="2025-01-01T11:00:00",
                    time_zone="America/Chicago",
                ),
                task(pid, "Whole milk", id=child),
            ]
        }
    )
    v2.client.post_task_parent_v2([{"parent_id": parent, "project_id": pid, "task_id": child}])
    before = api.seq_no
    api.sync(resource_types=["all"])
    assert api.seq_no > before
    projects = {p["name"]: p.data for p in api.state["Projects"]}
    labels = {label["name"]: label.data for label in api.state["Labels"]}
    items = items_by_content(api)
    milk, whole = items["Buy milk"], items["Whole milk"]
    assert milk["project_id"] == whole["project_id"] == projects["Shared model"]["id"]
    assert milk["priority"] == 4  # V2 5 (high) is the Sync API's 4
    assert milk["labels"] == [labels["shop"]["id"]]
    assert milk["due_date_utc"] == "Wed 01 Jan 2025 17:00:00 +0000"
    assert milk["checked"] == 0
    # The sub-task is indented under its parent and follows it.
    assert (milk["indent"], whole["indent"]) == (1, 2)
    assert milk["item_order"] < whole["item_order"]

    v2.client.post_task_v2({"update": [{"id": parent, "project_id": pid, "status": 2}]})
    api.sync(resource_types=["all"])
    milk = items_by_content(api)["Buy milk"]
    assert (milk["checked"], milk["in_history"]) == (1, 1)

    v2.client.post_task_v2({"delete": [{"project_id": pid, "task_id": child}]})
    api.sync(resource_types=["all"])
    assert "Whole milk" not in items_by_content(api)


def test_v2_whole_day_reads_as_the_same_day_in_the_sync_api(v2: V2) -> None:
    api = todoist_for(v2)
    v2.client.post_task_v2(
        {
            "add": [
                task(
                    v2.inbox,
                    "Holiday",
                    due_date="2025-03-10T00:00:00",
                    is_all_day=True,
                    time_zone="America/Chicago",
                )
            ]
        }
    )
    api.sync(resource_types=["all"])
    holiday = items_by_content(api)["Holiday"]
    # 23:59:59 on 10 March in Chicago (CDT, UTC-5): the Sync API's whole-day convention.
    assert holiday["due_date_utc"] == "Tue 11 Mar 2025 04:59:59 +0000"
    assert holiday["all_day"] is True


def test_sync_api_writes_reach_batch_check(v2: V2) -> None:
    start = v2.check()["checkPoint"]
    api = todoist_for(v2)
    project = api.projects.add("Errands")
    label = api.labels.add("Errands & Shopping")
    item = api.items.add(
        "Water plants", project["id"], priority=4, labels=[label["id"]], date_string="every day"
    )
    commit(api)

    data = v2.check(start)
    (profile,) = data["projectProfiles"]
    assert profile["name"] == "Errands"
    (tag,) = data["tags"]
    # Sync API label names may hold what tag names cannot: shown sanitised.
    assert (tag["label"], tag["name"]) == ("Errands_&_Shopping", "errands_&_shopping")
    (plant,) = data["syncTaskBean"]["update"]
    assert plant["title"] == "Water plants"
    assert plant["projectId"] == profile["id"]
    assert plant["priority"] == 5
    assert plant["tags"] == ["errands_&_shopping"]
    assert plant["repeatFlag"].startswith("RRULE:FREQ=DAILY")
    assert plant["status"] == 0 and plant["dueDate"] is not None

    middle = data["checkPoint"]
    api.items.get_by_id(item["id"]).close()
    commit(api)
    (closed,) = v2.check(middle)["syncTaskBean"]["update"]
    assert closed["id"] == plant["id"]
    # A recurring item closed through the Sync API moves to its next occurrence.
    assert closed["status"] == 0 and closed["dueDate"] != plant["dueDate"]

    plain = api.items.add("One-off", project["id"])
    commit(api)
    after_add = v2.check()["checkPoint"]
    api.items.get_by_id(plain["id"]).complete()
    commit(api)
    (done,) = v2.check(after_add)["syncTaskBean"]["update"]
    assert (done["title"], done["status"]) == ("One-off", 2)
    assert done["id"] not in {t["id"] for t in v2.check()["syncTaskBean"]["update"]}

    after_complete = v2.check()["checkPoint"]
    api.items.get_by_id(item["id"]).delete()
    commit(api)
    data = v2.check(after_complete)
    assert data["syncTaskBean"]["delete"] == [{"taskId": plant["id"], "projectId": profile["id"]}]


def test_label_renamed_through_the_sync_api_renames_task_tags(v2: V2) -> None:
    tid = oid()
    v2.client.post_task_v2({"add": [task(v2.inbox, "tagged", id=tid, tags=["old"])]})
    start = v2.check()["checkPoint"]
    api = todoist_for(v2)
    (label,) = [x for x in api.state["Labels"] if x["name"] == "old"]
    label.update(name="New")
    commit(api)
    data = v2.check(start)
    assert [t["name"] for t in data["tags"]] == ["new"]
    (tagged,) = data["syncTaskBean"]["update"]
    assert (tagged["id"], tagged["tags"]) == (tid, ["new"])
