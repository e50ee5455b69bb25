"""``GET batch/check/{checkPoint}``: the full snapshot and incremental reads."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account
from tests.v2.clients import assert_error, get

FULL_KEYS = {
    "checkPoint",
    "inboxId",
    "projectProfiles",
    "projectGroups",
    "tags",
    "syncTaskBean",
    "checks",
    "filters",
    "syncOrderBean",
    "syncOrderBeanV3",
    "syncTaskOrderBean",
    "remindChanges",
}


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def test_full_snapshot_of_a_new_account(v2: V2) -> None:
    batch = v2.client.get_batch_v2()  # validated by the client's own model
    assert batch.inbox_id == v2.inbox
    assert batch.project_profiles == [] and batch.tags == []
    assert batch.sync_task_bean.update == [] and batch.sync_task_bean.empty is True
    data = v2.check()
    assert set(data) == FULL_KEYS
    assert data["checks"] is None
    assert data["syncTaskBean"] == {
        "update": [],
        "add": [],
        "delete": [],
        "empty": True,
        "tagUpdate": [],
    }
    assert data["syncOrderBeanV3"] == {"orderByType": {}}


def test_full_snapshot_lists_only_open_live_tasks(v2: V2) -> None:
    open_, done, dropped, gone = oid(), oid(), oid(), oid()
    v2.client.post_task_v2(
        {"add": [task(v2.inbox, name, id=i) for name, i in [("o", open_), ("d", done),
                                                             ("w", dropped), ("g", gone)]]}
    )  # fmt: skip
    v2.client.post_task_v2(
        {
            "update": [
                {"id": done, "project_id": v2.inbox, "status": 2},
                {"id": dropped, "project_id": v2.inbox, "status": -1},
            ],
            "delete": [{"project_id": v2.inbox, "task_id": gone}],
        }
    )
    batch = v2.client.get_batch_v2()
    assert [t.id for t in batch.sync_task_bean.update] == [open_]
    assert batch.sync_task_bean.empty is False


def test_check_point_is_the_sync_api_seq_no(v2: V2) -> None:
    check_point = v2.check()["checkPoint"]
    response = httpx.post(
        v2.server.url + "/API/v6/sync",
        data={"token": v2.user["token"], "seq_no": "0", "resource_types": json.dumps(["user"])},
    )
    assert response.json()["seq_no"] >= check_point
    v2.client.post_task_v2({"add": [task(v2.inbox, "x")]})
    assert v2.check()["checkPoint"] > check_point


def test_incremental_read_sends_only_what_changed(v2: V2) -> None:
    kept, changed, deleted = oid(), oid(), oid()
    v2.client.post_task_v2(
        {"add": [task(v2.inbox, n, id=i) for n, i in [("k", kept), ("c", changed),
                                                      ("d", deleted)]]}
    )  # fmt: skip
    start = v2.check()["checkPoint"]

    nothing = v2.check(start)
    assert nothing["checkPoint"] == start
    assert nothing["syncTaskBean"]["empty"] is True
    assert nothing["syncTaskBean"]["update"] == [] and nothing["syncTaskBean"]["delete"] == []
    assert nothing["projectProfiles"] is None and nothing["tags"] is None
    assert nothing["projectGroups"] is None

    v2.client.post_task_v2(
        {
            "update": [{"id": changed, "project_id": v2.inbox, "title": "c2", "status": 2}],
            "delete": [{"project_id": v2.inbox, "task_id": deleted}],
        }
    )
    data = v2.check(start)
    assert data["checkPoint"] > start
    (update,) = data["syncTaskBean"]["update"]
    assert (update["id"], update["title"], update["status"]) == (changed, "c2", 2)
    assert update["completedTime"] is not None
    assert data["syncTaskBean"]["delete"] == [{"taskId": deleted, "projectId": v2.inbox}]
    assert data["syncTaskBean"]["empty"] is False
    # No project, group or tag changed.
    assert data["projectProfiles"] is None and data["tags"] is None


def test_collections_come_whole_when_any_member_changed(v2: V2) -> None:
    p1, p2, g = oid(), oid(), oid()
    v2.client.post_project_v2({"add": [{"id": p1, "name": "one"}, {"id": p2, "name": "two"}]})
    v2.client.post_tag_v2({"add": [{"label": "a"}, {"label": "b"}]})
    start = v2.check()["checkPoint"]
    v2.client.post_project_v2({"delete": [p2]})
    v2.client.post_project_group_v2({"add": [{"id": g, "name": "G"}]})
    v2.client.delete_tag_v2({"name": "b"})
    data = v2.check(start)
    assert [p["id"] for p in data["projectProfiles"]] == [p1]  # absent = deleted
    assert [grp["id"] for grp in data["projectGroups"]] == [g]
    assert [t["name"] for t in data["tags"]] == ["a"]


def test_task_reappears_when_only_its_reminders_or_children_change(v2: V2) -> None:
    parent, child = oid(), oid()
    v2.client.post_task_v2(
        {
            "add": [
                task(v2.inbox, "p", id=parent, due_date="2030-01-01T10:00:00Z"),
                task(v2.inbox, "c", id=child),
            ]
        }
    )
    start = v2.check()["checkPoint"]
    v2.client.post_task_parent_v2([{"parent_id": parent, "project_id": v2.inbox, "task_id": child}])
    ids = {t["id"] for t in v2.check(start)["syncTaskBean"]["update"]}
    assert ids == {parent, child}
    middle = v2.check()["checkPoint"]
    # A reminder added through the Sync API changes the V2 task: it stamps the item row.
    items = httpx.post(
        v2.server.url + "/API/v6/sync",
        data={"token": v2.user["token"], "seq_no": "0", "resource_types": '["items"]'},
    ).json()["Items"]
    item_id = next(i["id"] for i in items if i["content"] == "p")
    command = {
        "type": "reminder_add",
        "uuid": oid(),
        "args": {"item_id": item_id, "type": "relative", "minute_offset": 15},
    }
    response = httpx.post(
        v2.server.url + "/API/v6/sync",
        data={"token": v2.user["token"], "commands": json.dumps([command])},
    )
    assert response.json()["SyncStatus"][command["uuid"]] == "ok"
    (update,) = v2.check(middle)["syncTaskBean"]["update"]
    assert update["id"] == parent
    assert [r["trigger"] for r in update["reminders"]] == ["TRIGGER:-PT15M"]


@pytest.mark.parametrize("check_point", ["abc", "-1", "1e3", "9" * 40])
def test_malformed_check_points_are_400(v2: V2, check_point: str) -> None:
    assert_error(v2.raw("GET", f"batch/check/{check_point}"), 400, "invalid_parameter")


def test_check_needs_a_session(server: RunningServer) -> None:
    assert_error(get(server, "batch/check/0", None), 401, "user_not_sign_on")
    assert_error(get(server, "batch/check/0", "not-a-session"), 401, "user_not_sign_on")


def test_readers_see_only_their_own_account(server: RunningServer) -> None:
    mine, theirs = v2_account(server), v2_account(server)
    start = mine.check()["checkPoint"]
    theirs.client.post_task_v2({"add": [task(theirs.inbox, "private")]})
    theirs.client.post_project_v2({"add": [{"name": "private"}]})
    data = mine.check(start)
    assert data["syncTaskBean"]["update"] == [] and data["projectProfiles"] is None
    assert mine.check()["syncTaskBean"]["update"] == []


OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "rename", "close", "reopen", "delete", "project", "drop"]),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=st.lists(OPS, min_size=1, max_size=3))
def test_merging_incremental_reads_equals_a_full_snapshot(v2: V2, rounds: list[Any]) -> None:
    """A reader that merges every incremental answer by id holds what a full read holds."""
    first = v2.check()
    tasks = {t["id"]: t for t in first["syncTaskBean"]["update"]}
    profiles = first["projectProfiles"]
    check_point = first["checkPoint"]
    task_ids = list(tasks)
    project_ids = [p["id"] for p in profiles]
    for ops in rounds:
        for op, n in ops:
            pick = task_ids[n % len(task_ids)] if task_ids else None
            where = project_ids[n % len(project_ids)] if project_ids else v2.inbox
            if op == "add":
                task_ids.append(oid())
                v2.client.post_task_v2({"add": [task(where, f"t{n}", id=task_ids[-1])]})
            elif op == "project":
                project_ids.append(oid())
                v2.client.post_project_v2({"add": [{"id": project_ids[-1], "name": f"p{n}"}]})
            elif op == "drop" and project_ids:
                v2.client.post_project_v2({"delete": [project_ids.pop(n % len(project_ids))]})
            elif pick is not None and op in ("rename", "close", "reopen"):
                change: dict[str, Any] = {"id": pick, "project_id": v2.inbox}
                change |= {"rename": {"title": f"r{n}"}, "close": {"status": 2},
                           "reopen": {"status": 0}}[op]  # fmt: skip
                v2.client.post_task_v2({"update": [change]})
            elif pick is not None and op == "delete":
                v2.client.post_task_v2({"delete": [{"project_id": v2.inbox, "task_id": pick}]})
        data = v2.check(check_point)
        assert data["checkPoint"] >= check_point
        check_point = data["checkPoint"]
        for changed in data["syncTaskBean"]["update"]:
            tasks[changed["id"]] = changed
        for gone in data["syncTaskBean"]["delete"]:
            tasks.pop(gone["taskId"], None)
        if data["projectProfiles"] is not None:
            profiles = data["projectProfiles"]
        full = v2.check()
        live_projects = {p["id"] for p in profiles} | {v2.inbox}
        merged = {
            i: t for i, t in tasks.items() if t["status"] == 0 and t["projectId"] in live_projects
        }
        assert merged == {t["id"]: t for t in full["syncTaskBean"]["update"]}
        assert profiles == full["projectProfiles"]
