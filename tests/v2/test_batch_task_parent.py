"""``batch/taskParent`` through pyticktick 0.3.0, and what the Sync API sees of sub-tasks."""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
import pytest

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def three_tasks(v2: V2, project: str | None = None) -> tuple[str, str, str]:
    ids = oid(), oid(), oid()
    v2.client.post_task_v2(
        {"add": [task(project or v2.inbox, f"t{n}", id=i) for n, i in enumerate(ids)]}
    )
    return ids


def v6_items(v2: V2) -> dict[str, dict[str, Any]]:
    """The user's items as a Sync API client sees them, keyed by content."""
    response = httpx.post(
        v2.server.url + "/API/v6/sync",
        data={"token": v2.user["token"], "seq_no": "0", "resource_types": json.dumps(["items"])},
    )
    assert response.status_code == 200, response.text
    return {item["content"]: item for item in response.json()["Items"]}


def test_set_and_unset_parent(v2: V2) -> None:
    a, _, c = three_tasks(v2)
    resp = v2.client.post_task_parent_v2([{"parent_id": a, "project_id": v2.inbox, "task_id": c}])
    assert resp.id2error == {}
    assert set(resp.id2etag) == {a, c}
    child, parent = resp.id2etag[c], resp.id2etag[a]
    assert (child.parent_id, child.child_ids) == (a, None)
    assert (parent.parent_id, parent.child_ids) == (None, [c])
    tasks = v2.tasks()
    assert tasks[c]["parentId"] == a and tasks[a]["childIds"] == [c]
    assert tasks[c]["etag"] == child.etag and tasks[a]["etag"] == parent.etag
    # The Sync API sees the same tree: indent 2, right after its parent.
    items = v6_items(v2)
    assert (items["t2"]["indent"], items["t0"]["indent"], items["t1"]["indent"]) == (2, 1, 1)
    assert items["t0"]["item_order"] < items["t2"]["item_order"] < items["t1"]["item_order"]

    resp = v2.client.post_task_parent_v2(
        [{"old_parent_id": a, "project_id": v2.inbox, "task_id": c}]
    )
    assert resp.id2error == {}
    child, parent = resp.id2etag[c], resp.id2etag[a]
    assert (child.parent_id, child.child_ids) == (None, None)
    assert parent.child_ids == []
    tasks = v2.tasks()
    assert tasks[c]["parentId"] is None and tasks[a]["childIds"] == []
    assert v6_items(v2)["t2"]["indent"] == 1


def test_set_and_unset_in_one_request(v2: V2) -> None:
    a, b, c = three_tasks(v2)
    v2.client.post_task_parent_v2([{"parent_id": a, "project_id": v2.inbox, "task_id": b}])
    resp = v2.client.post_task_parent_v2(
        [
            {"parent_id": a, "project_id": v2.inbox, "task_id": c},
            {"old_parent_id": a, "project_id": v2.inbox, "task_id": b},
        ]
    )
    assert resp.id2error == {} and resp.id2etag[a].child_ids == [c]


def test_parent_errors_are_per_task(v2: V2) -> None:
    pid = oid()
    v2.client.post_project_v2({"add": [{"id": pid, "name": "other"}]})
    (elsewhere, _, _) = three_tasks(v2, pid)
    a, b, _ = three_tasks(v2)
    ghost = oid()
    resp = v2.client.post_task_parent_v2(
        [
            {"parent_id": a, "project_id": v2.inbox, "task_id": elsewhere},  # other project
            {"parent_id": a, "project_id": v2.inbox, "task_id": a},  # itself
            {"parent_id": ghost, "project_id": v2.inbox, "task_id": b},  # unknown parent
            {"parent_id": a, "project_id": v2.inbox, "task_id": ghost},  # unknown task
        ]
    )
    assert resp.id2error == {
        elsewhere: "INVALID_PARAMETER",
        a: "INVALID_PARAMETER",
        b: "NOT_EXISTED",
        ghost: "NOT_EXISTED",
    }
    assert resp.id2etag == {}


def test_nesting_stops_at_four_levels(v2: V2) -> None:
    ids = [oid() for _ in range(5)]
    v2.client.post_task_v2({"add": [task(v2.inbox, f"n{n}", id=i) for n, i in enumerate(ids)]})
    for parent, child in itertools.pairwise(ids[:4]):
        resp = v2.client.post_task_parent_v2(
            [{"parent_id": parent, "project_id": v2.inbox, "task_id": child}]
        )
        assert resp.id2error == {}
    resp = v2.client.post_task_parent_v2(
        [{"parent_id": ids[3], "project_id": v2.inbox, "task_id": ids[4]}]
    )
    assert resp.id2error == {ids[4]: "INVALID_PARAMETER"}


def test_deleting_a_parent_deletes_its_subtasks(v2: V2) -> None:
    a, b, _ = three_tasks(v2)
    v2.client.post_task_parent_v2([{"parent_id": a, "project_id": v2.inbox, "task_id": b}])
    v2.client.post_task_v2({"delete": [{"project_id": v2.inbox, "task_id": a}]})
    tasks = v2.tasks()
    assert a not in tasks and b not in tasks


def test_moving_a_subtask_to_another_project_leaves_its_parent(v2: V2) -> None:
    pid = oid()
    v2.client.post_project_v2({"add": [{"id": pid, "name": "away"}]})
    a, b, _ = three_tasks(v2)
    v2.client.post_task_parent_v2([{"parent_id": a, "project_id": v2.inbox, "task_id": b}])
    start = v2.check()["checkPoint"]
    resp = v2.client.post_task_v2({"update": [{"id": b, "project_id": pid}]})
    assert resp.id2error == {}
    changed = {t["id"]: t for t in v2.check(start)["syncTaskBean"]["update"]}
    assert changed[a]["childIds"] == []
    assert (changed[b]["projectId"], changed[b]["parentId"]) == (pid, None)
