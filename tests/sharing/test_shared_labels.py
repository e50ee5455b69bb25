"""Labels on the tasks of a shared project are personal: each member sees their own labels
there (ids of labels they have, TickTick tag names of their own tags), sets only their own,
and a label change that alters what someone sees reaches their next incremental sync.
Through todoist-python 0.2.26 and pyticktick 0.3.0."""

from __future__ import annotations

from typing import Any

import todoist

from tests.servers import RunningServer
from tests.sharing.test_share_todoist import client, commit, invite, read
from tests.v2.batch_helpers import V2, v2_account


def shared_pair(server: RunningServer, name: str) -> tuple[Any, Any, dict[str, Any]]:
    """Two todoist-python clients: the first owns ``name`` and the second is a member."""
    api, api2 = client(server), client(server)
    project, invitation = invite(api, api2, name)
    api2.invitations.accept(invitation["invitation_id"], invitation["invitation_secret"])
    commit(api2)
    read(api)
    return api, api2, project


def labels_on(api: todoist.TodoistAPI, item_id: int) -> list[int]:
    item = next(i for i in api.state["Items"] if i["id"] == item_id)
    return list(item["labels"])


def own_label_ids(api: todoist.TodoistAPI) -> set[int]:
    return {label["id"] for label in api.state["Labels"] if not label["is_deleted"]}


def test_each_member_sees_and_sets_only_their_own_labels(server: RunningServer) -> None:
    api, api2, project = shared_pair(server, "Labelled")
    home = api.labels.add("home")
    commit(api)
    item = api.items.add("Paint", project["id"], labels=[home["id"]])
    commit(api)

    # The member receives the task without the owner's label: an id they cannot resolve
    # would be one their client does not know.
    changed = read(api2)
    assert [i["labels"] for i in changed["Items"] if i["id"] == item["id"]] == [[]]

    urgent = api2.labels.add("urgent")
    commit(api2)
    api2.items.get_by_id(item["id"]).update(labels=[urgent["id"]])
    commit(api2)
    assert labels_on(api2, item["id"]) == [urgent["id"]]

    # The owner's view did not change; the item's change reaches them all the same.
    changed = read(api)
    assert [i["labels"] for i in changed["Items"] if i["id"] == item["id"]] == [[home["id"]]]

    # Clearing one's own labels leaves the other member's.
    api.items.get_by_id(item["id"]).update(labels=[])
    commit(api)
    assert labels_on(api, item["id"]) == []
    read(api2)
    assert labels_on(api2, item["id"]) == [urgent["id"]]

    # No member holds a label id on any item that is not one of their labels.
    for member in (api, api2):
        read(member)
        mine = own_label_ids(member)
        for entry in member.state["Items"]:
            assert set(entry["labels"]) <= mine


def test_a_label_change_reaches_the_members_who_see_it(server: RunningServer) -> None:
    api, api2, project = shared_pair(server, "Renamed")
    work = api2.labels.add("work")
    commit(api2)
    item = api.items.add("Report", project["id"])
    commit(api)
    read(api2)
    api2.items.get_by_id(item["id"]).update(labels=[work["id"]])
    commit(api2)
    read(api)

    # The member renames their label: the shared task is stamped, so both incremental
    # reads carry it (each with their own labels), and V2 shows the new tag name.
    api2.labels.get_by_id(work["id"]).update(name="office")
    changed = commit(api2)
    assert [i["labels"] for i in changed["Items"] if i["id"] == item["id"]] == [[work["id"]]]
    assert [i["labels"] for i in read(api)["Items"] if i["id"] == item["id"]] == [[]]

    # The member deletes it: the shared task loses it, for the member, at once.
    api2.labels.get_by_id(work["id"]).delete()
    changed = commit(api2)
    assert [i["labels"] for i in changed["Items"] if i["id"] == item["id"]] == [[]]
    assert any(i["id"] == item["id"] for i in read(api)["Items"])


def accept_v2(owner: V2, member: V2, project_id: int) -> None:
    api = todoist.TodoistAPI(owner.user["token"], api_endpoint=owner.server.url)
    api2 = todoist.TodoistAPI(member.user["token"], api_endpoint=member.server.url)
    api.sync(resource_types=["all"])
    api2.sync(resource_types=["all"])
    api.share_project(project_id, member.user["email"])
    commit(api)
    note = next(
        n
        for n in read(api2)["LiveNotifications"]
        if n["notification_type"] == "share_invitation_sent"
    )
    api2.invitations.accept(note["invitation_id"], note["invitation_secret"])
    commit(api2)


def test_v2_tags_on_a_shared_task_are_each_members_own(server: RunningServer) -> None:
    owner, member = v2_account(server), v2_account(server)
    api = todoist.TodoistAPI(owner.user["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    project = api.projects.add("Tagged")
    commit(api)
    accept_v2(owner, member, project["id"])
    project_oid = next(p["id"] for p in owner.check()["projectProfiles"] if p["name"] == "Tagged")
    task_oid = "5f0e1d2c3b4a596877665544"
    body = {"id": task_oid, "project_id": project_oid, "title": "Shop", "tags": ["home"]}
    owner.client.post_task_v2({"add": [body]})

    assert member.tasks()[task_oid]["tags"] == []
    update = {"id": task_oid, "project_id": project_oid, "title": "Shop", "tags": ["errands"]}
    member.client.post_task_v2({"update": [update]})
    assert member.tasks()[task_oid]["tags"] == ["errands"]
    assert owner.tasks()[task_oid]["tags"] == ["home"]
    assert set(member.tags()) == {"errands"}
    assert set(owner.tags()) == {"home"}
