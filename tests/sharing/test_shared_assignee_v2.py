"""TickTick V2 on a shared list: ``assignee`` sent assigns (a member) or unassigns
(TickTick's -1), null or not sent keeps; ``creator`` is on every task (pyticktick's TaskV2
requires it) and names whoever added the task. Through pyticktick 0.3.0 and raw calls."""

from __future__ import annotations

from typing import Any

import todoist

from tests.servers import RunningServer
from tests.sharing.test_share_todoist import commit
from tests.sharing.test_shared_labels import accept_v2
from tests.v2.batch_helpers import V2, v2_account


def shared_list(server: RunningServer) -> tuple[V2, V2, str, dict[str, Any]]:
    owner, member = v2_account(server), v2_account(server)
    api = todoist.TodoistAPI(owner.user["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    project = api.projects.add("Chores")
    commit(api)
    accept_v2(owner, member, project["id"])
    project_oid = next(p["id"] for p in owner.check()["projectProfiles"] if p["name"] == "Chores")
    return owner, member, project_oid, project


def responsible(server: RunningServer, token: str, title: str) -> Any:
    api = todoist.TodoistAPI(token, api_endpoint=server.url)
    api.sync(resource_types=["items"])
    return next(i["responsible_uid"] for i in api.state["Items"] if i["content"] == title)


def test_assignee_minus_one_unassigns_null_and_absent_keep(server: RunningServer) -> None:
    owner, member, project_oid, _ = shared_list(server)
    task_oid = "5f0e1d2c3b4a596877665501"
    member_id = member.user["id"]
    base = {"id": task_oid, "project_id": project_oid, "title": "Dishes"}
    owner.client.post_task_v2({"add": [{**base, "assignee": member_id}]})
    assert member.tasks()[task_oid]["assignee"] == member_id

    # A raw update without the key keeps the assignee.
    answer = owner.post("batch/task", {"update": [{"id": task_oid, "projectId": project_oid}]})
    assert answer["id2error"] == {}
    assert member.tasks()[task_oid]["assignee"] == member_id

    # pyticktick sends ``assignee: null`` for an unset field: editing the title keeps it.
    member.client.post_task_v2({"update": [{**base, "title": "Dishes, all of them"}]})
    assert owner.tasks()[task_oid]["assignee"] == member_id
    assert responsible(server, owner.user["token"], "Dishes, all of them") == member_id
    answer = member.post(
        "batch/task", {"update": [{"id": task_oid, "projectId": project_oid, "assignee": -1}]}
    )
    assert answer["id2error"] == {}
    assert member.tasks()[task_oid]["assignee"] is None


def test_assignee_outside_the_project_is_refused(server: RunningServer) -> None:
    owner, _member, project_oid, _ = shared_list(server)
    stranger = v2_account(server)
    task_oid = "5f0e1d2c3b4a596877665502"
    body = {"id": task_oid, "projectId": project_oid, "title": "Bins"}
    owner.post("batch/task", {"add": [body]})
    answer = owner.post("batch/task", {"update": [{**body, "assignee": stranger.user["id"]}]})
    assert task_oid in answer["id2error"]
    assert owner.tasks()[task_oid]["assignee"] is None


def test_creator_names_whoever_added_the_task(server: RunningServer) -> None:
    owner, member, project_oid, _ = shared_list(server)
    mine, theirs = "5f0e1d2c3b4a596877665503", "5f0e1d2c3b4a596877665504"
    owner.client.post_task_v2({"add": [{"id": mine, "project_id": project_oid, "title": "A"}]})
    member.client.post_task_v2({"add": [{"id": theirs, "project_id": project_oid, "title": "B"}]})
    for reader in (owner, member):
        tasks = reader.tasks()  # every task validated by pyticktick's TaskV2 (creator: int)
        assert tasks[mine]["creator"] == owner.user["id"]
        assert tasks[theirs]["creator"] == member.user["id"]
        assert all(isinstance(t["creator"], int) for t in tasks.values())
