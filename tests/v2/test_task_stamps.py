"""A task's etag is its ``seq``: changing its reminders or the name of one of its tags gives
it a new etag, and an incremental ``batch/check`` sends it again."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def changed(v2: V2, check_point: int) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in v2.check(check_point)["syncTaskBean"]["update"]}


def sync_api(v2: V2, command_type: str, args: dict[str, Any]) -> None:
    command = {"type": command_type, "uuid": oid(), "args": args}
    response = httpx.post(
        v2.server.url + "/API/v6/sync",
        data={"token": v2.user["token"], "commands": json.dumps([command])},
    )
    assert response.json()["SyncStatus"][command["uuid"]] == "ok"


def test_reminder_changes_give_the_task_a_new_etag(v2: V2) -> None:
    tid, other, rid = oid(), oid(), oid()
    added = [
        task(v2.inbox, "reminded", id=tid, due_date="2030-01-01T10:00:00Z"),
        task(v2.inbox, "untouched", id=other),
    ]
    v2.client.post_task_v2({"add": added})
    start = v2.check()["checkPoint"]
    etag = v2.tasks()[tid]["etag"]

    update = {
        "id": tid,
        "projectId": v2.inbox,
        "reminders": [{"id": rid, "trigger": "TRIGGER:PT0S"}],
    }
    answer = v2.post("batch/task", {"update": [update]})
    seen = changed(v2, start)
    assert set(seen) == {tid}
    assert seen[tid]["etag"] == answer["id2etag"][tid] != etag
    assert [r["trigger"] for r in seen[tid]["reminders"]] == ["TRIGGER:PT0S"]

    # Removed through the Sync API: the V2 task changes, and says so.
    middle = v2.check()["checkPoint"]
    items = httpx.post(
        v2.server.url + "/API/v6/sync",
        data={"token": v2.user["token"], "seq_no": "0", "resource_types": '["reminders"]'},
    ).json()["Reminders"]
    sync_api(v2, "reminder_delete", {"id": items[0]["id"]})
    seen = changed(v2, middle)
    assert set(seen) == {tid}
    assert seen[tid]["reminders"] == [] and seen[tid]["etag"] != answer["id2etag"][tid]


def test_renaming_a_tag_gives_its_tasks_a_new_etag(v2: V2) -> None:
    tagged, plain = oid(), oid()
    v2.post(
        "batch/task",
        {
            "add": [
                task(v2.inbox, "tagged", id=tagged, tags=["home"]),
                task(v2.inbox, "p", id=plain),
            ]
        },
    )
    start = v2.check()["checkPoint"]
    etag = v2.tasks()[tagged]["etag"]
    v2.client.put_rename_tag_v2({"name": "home", "new_name": "house"})
    seen = changed(v2, start)
    assert set(seen) == {tagged}
    assert seen[tagged]["tags"] == ["house"] and seen[tagged]["etag"] != etag
    assert v2.tasks()[tagged]["etag"] == seen[tagged]["etag"]


OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "remind", "unremind", "tag", "rename", "nest", "unnest"]),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=st.lists(OPS, min_size=1, max_size=3))
def test_merged_incremental_reads_follow_reminders_tags_and_sub_tasks(
    v2: V2, rounds: list[Any]
) -> None:
    """Changes a task shows but its own fields do not: an incremental reader that merges by
    id still holds what a full read holds, etags included."""
    first = v2.check()
    tasks = {t["id"]: t for t in first["syncTaskBean"]["update"]}
    check_point = first["checkPoint"]
    ids = list(tasks)
    tags = [t["name"] for t in first["tags"]]
    for ops in rounds:
        for op, n in ops:
            pick = ids[n % len(ids)] if ids else None
            if op == "add" or pick is None:
                ids.append(oid())
                v2.client.post_task_v2({"add": [task(v2.inbox, f"t{n}", id=ids[-1])]})
                continue
            change: dict[str, Any] = {"id": pick, "projectId": v2.inbox}
            if op == "remind":
                change["reminders"] = [{"id": oid(), "trigger": f"TRIGGER:-PT{n}M"}]
            elif op == "unremind":
                change["reminders"] = []
            elif op == "tag":
                tags.append(f"tag{oid()[-6:]}")
                change["tags"] = [tags[-1]]
            elif op == "rename" and tags:
                old = tags.pop(n % len(tags))
                tags.append(f"tag{oid()[-6:]}")
                v2.client.put_rename_tag_v2({"name": old, "new_name": tags[-1]})
                continue
            elif op in ("nest", "unnest"):
                other = ids[(n + 1) % len(ids)]
                body = {"taskId": pick, "projectId": v2.inbox}
                if op == "nest" and other != pick:
                    body["parentId"] = other
                else:
                    parent = v2.tasks().get(pick, {}).get("parentId")
                    if parent is None:
                        continue
                    body["oldParentId"] = parent
                assert v2.raw("POST", "batch/taskParent", json=[body]).status_code == 200
                continue
            v2.post("batch/task", {"update": [change]})
        data = v2.check(check_point)
        check_point = data["checkPoint"]
        for changed_task in data["syncTaskBean"]["update"]:
            tasks[changed_task["id"]] = changed_task
        full = v2.check()
        assert tasks == {t["id"]: t for t in full["syncTaskBean"]["update"]}
