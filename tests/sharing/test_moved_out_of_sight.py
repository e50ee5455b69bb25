"""A task moved out of a shared project into one a member does not see leaves that member's
client: their next incremental read sends it (and its notes) deleted, once; a member who
can follow it just gets it changed. A project deleted after a member's removal reaches
that member deleted. Through todoist-python 0.2.26 and pyticktick 0.3.0."""

from __future__ import annotations

import todoist

from tests.servers import RunningServer
from tests.sharing.test_share_todoist import commit, read
from tests.sharing.test_shared_labels import accept_v2, shared_pair
from tests.v2.batch_helpers import v2_account


def test_a_task_moved_to_a_private_project_is_deleted_for_the_member(
    server: RunningServer,
) -> None:
    api, api2, project = shared_pair(server, "Kitchen")
    item = api.items.add("Knives", project["id"])
    commit(api)
    note = api.notes.add(item["id"], "sharpen")
    commit(api)
    read(api2)
    assert any(i["id"] == item["id"] for i in api2.state["Items"])

    private = api.projects.add("Mine")
    commit(api)
    api.items.move({project["id"]: [item["id"]]}, private["id"])
    commit(api)

    changed = read(api2)
    assert [i["is_deleted"] for i in changed["Items"] if i["id"] == item["id"]] == [1]
    assert [n["is_deleted"] for n in changed["Notes"] if n["id"] == note["id"]] == [1]
    assert all(i["id"] != item["id"] for i in api2.state["Items"])
    # Once: the next read does not send it again.
    again = read(api2)
    assert all(i["id"] != item["id"] for i in again["Items"])
    # The owner still has it, in the private project.
    assert (
        next(i for i in api.state["Items"] if i["id"] == item["id"])["project_id"]
        == (private["id"])
    )


def test_a_member_who_can_follow_the_task_keeps_it(server: RunningServer) -> None:
    api, api2, project = shared_pair(server, "Hall")
    other = api.projects.add("Porch")
    commit(api)
    api.share_project(other["id"], api2.state["User"]["email"])
    commit(api)
    invitation = next(
        n
        for n in read(api2)["LiveNotifications"]
        if n["notification_type"] == "share_invitation_sent" and n["state"] == "invited"
    )
    api2.invitations.accept(invitation["invitation_id"], invitation["invitation_secret"])
    commit(api2)
    item = api.items.add("Coat", project["id"])
    commit(api)
    read(api2)
    api.items.move({project["id"]: [item["id"]]}, other["id"])
    commit(api)
    changed = read(api2)
    moved = [i for i in changed["Items"] if i["id"] == item["id"]]
    assert [(i["project_id"], i["is_deleted"]) for i in moved] == [(other["id"], 0)]


def test_a_project_deleted_after_a_removal_reaches_the_removed_member(
    server: RunningServer,
) -> None:
    api, api2, project = shared_pair(server, "Shed")
    api.items.add("Rake", project["id"])
    commit(api)
    read(api2)
    api.delete_collaborator(project["id"], api2.state["User"]["email"])
    commit(api)
    api.projects.get_by_id(project["id"]).delete()
    commit(api)
    changed = read(api2)
    assert [p["is_deleted"] for p in changed["Projects"] if p["id"] == project["id"]] == [1]
    assert all(i["project_id"] != project["id"] for i in api2.state["Items"])


def test_v2_checkpoint_drops_a_task_moved_out_of_sight(server: RunningServer) -> None:
    owner, member = v2_account(server), v2_account(server)
    api = todoist.TodoistAPI(owner.user["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    project = api.projects.add("Loft")
    private = api.projects.add("Den")
    commit(api)
    accept_v2(owner, member, project["id"])
    item = api.items.add("Box", project["id"])
    commit(api)
    tasks = member.check()["syncTaskBean"]["update"]
    task_oid = next(t["id"] for t in tasks if t["title"] == "Box")
    point = member.check()["checkPoint"]
    api.items.move({project["id"]: [item["id"]]}, private["id"])
    commit(api)
    bean = member.check(point)["syncTaskBean"]
    assert task_oid in {t["taskId"] for t in bean["delete"]}
    assert task_oid not in {t["id"] for t in bean["update"]}
