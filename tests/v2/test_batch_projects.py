"""``batch/project`` and ``batch/projectGroup`` through pyticktick 0.3.0, read via batch/check."""

from __future__ import annotations

import re

import pytest

from tests.servers import RunningServer
from tests.v2.batch_helpers import V2, oid, task, v2_account

ETAG = re.compile(r"[a-z0-9]{8}")


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def test_project_add_keeps_the_chosen_id_and_every_field(v2: V2) -> None:
    pid = oid()
    resp = v2.client.post_project_v2(
        {
            "add": [
                {
                    "id": pid,
                    "name": "Work",
                    "color": "Blue",
                    "kind": "NOTE",
                    "view_mode": "kanban",
                    "sort_order": 42,
                }
            ]
        }
    )
    assert resp.ids == [pid] and resp.id2error == {}
    assert ETAG.fullmatch(resp.id2etag[pid])
    profile = v2.projects()[pid]
    assert profile["name"] == "Work"
    assert profile["color"] == "#0000ff"
    assert (profile["kind"], profile["viewMode"], profile["sortOrder"]) == ("NOTE", "kanban", 42)
    assert profile["groupId"] is None and profile["closed"] is None
    assert profile["etag"] == resp.id2etag[pid]


def test_project_add_without_id_reports_the_new_id(v2: V2) -> None:
    resp = v2.client.post_project_v2({"add": [{"name": "Fresh"}]})
    (pid,) = resp.ids
    assert re.fullmatch(r"[0-9a-f]{24}", pid)
    assert v2.projects()[pid]["name"] == "Fresh"


def test_inbox_is_not_a_project_profile(v2: V2) -> None:
    data = v2.check()
    assert data["inboxId"] == v2.inbox
    assert all(p["id"] != v2.inbox for p in data["projectProfiles"])


def test_project_update_merges_and_moves_between_groups(v2: V2) -> None:
    pid, gid = oid(), oid()
    v2.client.post_project_group_v2({"add": [{"id": gid, "name": "Folder"}]})
    v2.client.post_project_v2({"add": [{"id": pid, "name": "P", "color": "#F18181"}]})
    before = v2.projects()[pid]["etag"]
    resp = v2.client.post_project_v2({"update": [{"id": pid, "name": "P2", "group_id": gid}]})
    assert resp.ids == [pid] and resp.id2etag[pid] != before
    profile = v2.projects()[pid]
    assert (profile["name"], profile["groupId"], profile["color"]) == ("P2", gid, "#f18181")
    # null keeps the group; "NONE" takes the project out of it.
    v2.client.post_project_v2({"update": [{"id": pid, "name": "P3", "group_id": None}]})
    assert v2.projects()[pid]["groupId"] == gid
    v2.client.post_project_v2({"update": [{"id": pid, "name": "P3", "group_id": "NONE"}]})
    assert v2.projects()[pid]["groupId"] is None


def test_project_delete_takes_its_tasks_and_reports_no_ids(v2: V2) -> None:
    pid, tid = oid(), oid()
    v2.client.post_project_v2({"add": [{"id": pid, "name": "Doomed"}]})
    v2.client.post_task_v2({"add": [task(pid, "inside", id=tid)]})
    assert tid in v2.tasks()
    resp = v2.client.post_project_v2({"delete": [pid]})
    assert resp.ids == [] and resp.id2error == {}
    assert pid not in v2.projects()
    assert tid not in v2.tasks()


def test_archiving_through_closed(v2: V2) -> None:
    pid = oid()
    v2.post("batch/project", {"add": [{"id": pid, "name": "Old", "closed": True}]})
    assert v2.projects()[pid]["closed"] is True
    v2.post("batch/project", {"update": [{"id": pid, "name": "Old", "closed": False}]})
    assert v2.projects()[pid]["closed"] is None


def test_a_retried_add_is_applied_as_an_update(v2: V2) -> None:
    pid = oid()
    first = v2.client.post_project_v2({"add": [{"id": pid, "name": "Once"}]})
    second = v2.client.post_project_v2({"add": [{"id": pid, "name": "Twice"}]})
    assert second.id2error == {} and second.id2etag[pid] != first.id2etag[pid]
    names = [p["name"] for p in v2.check()["projectProfiles"] if p["id"] == pid]
    assert names == ["Twice"]


def test_one_bad_project_does_not_sink_the_others(v2: V2) -> None:
    good, bad = oid(), oid()
    resp = v2.client.post_project_v2(
        {"add": [{"id": bad, "name": "x" * 300}, {"id": good, "name": "fine"}]}
    )
    assert resp.id2error == {bad: "INVALID_PARAMETER"}
    assert list(resp.id2etag) == [good]
    assert good in v2.projects() and bad not in v2.projects()


def test_unknown_project_update_and_delete_are_not_existed(v2: V2) -> None:
    ghost = oid()
    resp = v2.client.post_project_v2({"update": [{"id": ghost, "name": "x"}], "delete": [oid()]})
    assert resp.id2etag == {}
    assert list(resp.id2error.values()) == ["NOT_EXISTED", "NOT_EXISTED"]


def test_unknown_group_on_a_project_is_not_existed(v2: V2) -> None:
    pid = oid()
    resp = v2.client.post_project_v2({"add": [{"id": pid, "name": "P", "group_id": oid()}]})
    assert resp.id2error == {pid: "NOT_EXISTED"}


def test_group_add_update_delete_round_trip(v2: V2) -> None:
    gid = oid()
    resp = v2.client.post_project_group_v2({"add": [{"id": gid, "name": "G"}]})
    assert resp.ids == [gid]
    group = {g["id"]: g for g in v2.check()["projectGroups"]}[gid]
    assert group["name"] == "G" and group["sortType"] == "project" and group["deleted"] == 0
    assert group["userId"] == v2.user["id"]
    resp = v2.client.post_project_group_v2({"update": [{"id": gid, "name": "G2"}]})
    assert resp.ids == [gid]
    assert {g["id"]: g["name"] for g in v2.check()["projectGroups"]}[gid] == "G2"
    resp = v2.client.post_project_group_v2({"delete": [gid]})
    assert resp.ids == [] and resp.id2error == {}
    assert all(g["id"] != gid for g in v2.check()["projectGroups"])


def test_deleting_a_group_ungroups_its_projects(v2: V2) -> None:
    gid, pid = oid(), oid()
    v2.client.post_project_group_v2({"add": [{"id": gid, "name": "G"}]})
    v2.client.post_project_v2({"add": [{"id": pid, "name": "P", "group_id": gid}]})
    assert v2.projects()[pid]["groupId"] == gid
    v2.client.post_project_group_v2({"delete": [gid]})
    assert v2.projects()[pid]["groupId"] is None


def test_group_without_id_and_with_empty_name(v2: V2) -> None:
    resp = v2.post("batch/projectGroup", {"add": [{"name": "auto"}, {"id": oid(), "name": " "}]})
    assert len(resp["id2etag"]) == 1 and list(resp["id2error"].values()) == ["INVALID_PARAMETER"]
