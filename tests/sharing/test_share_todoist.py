"""Doist's ``test_share`` scenario, and its like, through the real todoist-python 0.2.26
client: two and three users inviting, accepting, editing, assigning, removing,
re-inviting, taking ownership and deleting."""

from __future__ import annotations

from typing import Any

import todoist

from tests.conftest import register
from tests.servers import RunningServer


def client(server: RunningServer, name: str = "Test User") -> todoist.TodoistAPI:
    user = register(server, name)
    api = todoist.TodoistAPI(user["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    return api


def commit(api: todoist.TodoistAPI) -> dict[str, Any]:
    """Commit the queue (every command must succeed), then read everything that changed."""
    status = api.commit()
    for value in status.values():
        assert value == "ok" or (isinstance(value, dict) and set(value.values()) == {"ok"}), status
    return read(api)


def read(api: todoist.TodoistAPI) -> dict[str, Any]:
    response: dict[str, Any] = api.sync(resource_types=["all"])
    return response


def notification(response: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((n for n in response["LiveNotifications"] if n["notification_type"] == kind), None)


def invite(api: Any, api2: Any, name: str) -> tuple[Any, dict[str, Any]]:
    """The owner adds a project and shares it; the invitee's notification, as checked by
    Doist's test."""
    project = api.projects.add(name)
    commit(api)
    api.share_project(project["id"], api2.state["User"]["email"])
    response = commit(api)
    assert response["Projects"][0]["name"] == name
    assert response["Projects"][0]["shared"]
    response2 = read(api2)
    invitation = notification(response2, "share_invitation_sent")
    assert invitation is not None
    assert invitation["project_name"] == name
    assert invitation["from_user"]["email"] == api.state["User"]["email"]
    assert invitation["state"] == "invited"
    # The invitation alone does not show the project.
    assert all(p["id"] != project["id"] for p in response2["Projects"])
    return project, invitation


def test_share(server: RunningServer) -> None:
    """Doist's test_share for todoist-python 0.2.26: accept, reject, delete."""
    api = client(server)
    api2 = client(server)

    # accept
    project1, invitation1 = invite(api, api2, "Project1")

    api2.invitations.accept(invitation1["invitation_id"], invitation1["invitation_secret"])
    response = commit(api2)
    assert response["LiveNotifications"][0]["invitation_id"] == invitation1["invitation_id"]
    assert response["LiveNotifications"][0]["state"] == "accepted"
    assert response["Projects"][0]["shared"]
    assert response["Projects"][0]["id"] == project1["id"]
    uids = [p["user_id"] for p in response["CollaboratorStates"]]
    assert api.state["User"]["id"] in uids
    assert api2.state["User"]["id"] in uids

    response = read(api)
    accepted = notification(response, "share_invitation_accepted")
    assert accepted is not None
    assert accepted["project_id"] == project1["id"]
    assert response["Projects"][0]["shared"]

    project1 = api.projects.get_by_id(project1["id"])
    project1.delete()
    commit(api)
    # The member's next sync sends the project deleted.
    response2 = read(api2)
    gone = [p for p in response2["Projects"] if p["id"] == project1["id"]]
    assert gone and gone[0]["is_deleted"] == 1

    # reject
    project2, invitation2 = invite(api, api2, "Project2")

    api2.invitations.reject(invitation2["invitation_id"], invitation2["invitation_secret"])
    response = commit(api2)
    assert len(response["Projects"]) == 0
    assert len(response["CollaboratorStates"]) == 0
    assert response["LiveNotifications"][0]["state"] == "rejected"

    response = read(api)
    rejected = notification(response, "share_invitation_rejected")
    assert rejected is not None
    assert rejected["project_id"] == project2["id"]
    assert not response["Projects"][0]["shared"]
    project2 = api.projects.get_by_id(project2["id"])
    project2.delete()
    commit(api)

    # delete
    project3, invitation3 = invite(api, api2, "Project3")
    api.invitations.delete(invitation3["invitation_id"])
    response = commit(api)
    assert not response["Projects"][0]["shared"]
    response3 = read(api2)
    withdrawn = [n for n in response3["LiveNotifications"] if n["id"] == invitation3["id"]]
    assert withdrawn and withdrawn[0]["is_deleted"] == 1

    project3 = api.projects.get_by_id(project3["id"])
    project3.delete()
    commit(api)


def _share_and_accept(owner: Any, member: Any, project_id: int) -> None:
    owner.share_project(project_id, member.state["User"]["email"])
    commit(owner)
    response = read(member)
    invitation = notification(response, "share_invitation_sent")
    assert invitation is not None
    member.invitations.accept(invitation["invitation_id"], invitation["invitation_secret"])
    commit(member)


def _ids(api: Any, key: str) -> set[int]:
    return {obj["id"] for obj in api.state[key] if not obj.data.get("is_deleted")}


def test_three_users_edit_assign_remove_reinvite_take_ownership(server: RunningServer) -> None:
    alice, bob, carol = client(server, "Alice"), client(server, "Bob"), client(server, "Carol")
    alice_id = alice.state["User"]["id"]
    bob_id = bob.state["User"]["id"]
    carol_id = carol.state["User"]["id"]
    home = alice.projects.add("Home")
    commit(alice)
    early = alice.items.add("Before sharing", home["id"])
    commit(alice)
    alice.notes.add(early["id"], "A note from before")
    commit(alice)

    _share_and_accept(alice, bob, home["id"])
    # Gaining access brings the project and what is in it.
    assert home["id"] in _ids(bob, "Projects")
    assert early["id"] in _ids(bob, "Items")
    assert any(n["item_id"] == early["id"] for n in bob.state["Notes"])

    # Both edit; each sees the other's change in an incremental sync.
    milk = bob.items.add("Milk", home["id"])
    commit(bob)
    read(alice)
    assert milk["id"] in _ids(alice, "Items")
    theirs = alice.items.get_by_id(milk["id"], only_local=True)
    assert theirs["user_id"] == bob_id
    alice.items.update(milk["id"], content="Oat milk")
    commit(alice)
    read(bob)
    assert bob.items.get_by_id(milk["id"], only_local=True)["content"] == "Oat milk"
    bob.notes.add(milk["id"], "Any brand")
    commit(bob)
    read(alice)
    note = next(n for n in alice.state["Notes"] if n["item_id"] == milk["id"])
    assert note["posted_uid"] == bob_id
    added = [n for n in alice.state["LiveNotifications"] if n["notification_type"] == "note_added"]
    assert added and added[0]["note_id"] == note["id"]

    # Assignment: to a member works, to a stranger does not.
    alice.items.update(milk["id"], responsible_uid=bob_id)
    commit(alice)
    read(bob)
    mine = bob.items.get_by_id(milk["id"], only_local=True)
    assert (mine["responsible_uid"], mine["assigned_by_uid"]) == (bob_id, alice_id)
    assigned = [
        n for n in bob.state["LiveNotifications"] if n["notification_type"] == "item_assigned"
    ]
    assert assigned and assigned[0]["item_id"] == milk["id"]
    alice.items.update(milk["id"], responsible_uid=carol_id)
    status = next(iter(alice.commit().values()))
    assert isinstance(status, dict) and status["error_code"]

    # Carol joins; three members see each other.
    _share_and_accept(alice, carol, home["id"])
    states = {(s["project_id"], s["user_id"]) for s in carol.state["CollaboratorStates"]}
    assert {(home["id"], uid) for uid in (alice_id, bob_id, carol_id)} <= states
    assert {c["id"] for c in carol.state["Collaborators"]} == {alice_id, bob_id, carol_id}

    # Remove Bob: his next sync deletes the project and its contents, once.
    alice.delete_collaborator(home["id"], bob.state["User"]["email"])
    commit(alice)
    response = read(bob)
    deleted = {p["id"]: p["is_deleted"] for p in response["Projects"]}
    assert deleted.get(home["id"]) == 1
    assert {i["id"]: i["is_deleted"] for i in response["Items"]}[milk["id"]] == 1
    assert home["id"] not in _ids(bob, "Projects")
    assert response["CollaboratorStates"] == []
    again = read(bob)
    assert all(p["id"] != home["id"] for p in again["Projects"])
    read(carol)
    removed = [
        n
        for n in carol.state["LiveNotifications"]
        if n["notification_type"] == "user_removed_from_project"
    ]
    assert removed and removed[0]["removed_uid"] == bob_id
    # Bob's writes to it are refused now.
    bob.items.update(milk["id"], content="sneaky")
    status = next(iter(bob.commit().values()))
    assert isinstance(status, dict) and status["error_code"] == 21

    # Re-invite Bob: it all comes back.
    _share_and_accept(alice, bob, home["id"])
    assert home["id"] in _ids(bob, "Projects")
    assert milk["id"] in _ids(bob, "Items")

    # Carol takes ownership; Alice stays a member.
    carol.take_ownership(home["id"])
    commit(carol)
    read(alice)
    assert alice.projects.get_by_id(home["id"], only_local=True)["user_id"] == carol_id
    alice.items.add("Still a member", home["id"])
    commit(alice)

    # The owner deletes it: every member's next sync sends it deleted.
    read(carol)
    carol.projects.get_by_id(home["id"]).delete()
    commit(carol)
    for api in (alice, bob):
        read(api)
        assert home["id"] not in _ids(api, "Projects")
        assert milk["id"] not in _ids(api, "Items")


def test_a_member_deleting_a_shared_project_leaves_it(server: RunningServer) -> None:
    owner, member = client(server), client(server)
    shared = owner.projects.add("Shared")
    commit(owner)
    _share_and_accept(owner, member, shared["id"])
    member.projects.get_by_id(shared["id"]).delete()
    commit(member)
    assert shared["id"] not in _ids(member, "Projects")
    read(owner)
    assert shared["id"] in _ids(owner, "Projects")
    left = [
        n for n in owner.state["LiveNotifications"] if n["notification_type"] == "user_left_project"
    ]
    assert left


def test_an_unknown_address_accepts_after_registering(server: RunningServer) -> None:
    import httpx

    from tests.conftest import PASSWORD, new_email

    owner = client(server)
    later = new_email()
    shared = owner.projects.add("For later")
    commit(owner)
    owner.share_project(shared["id"], later)
    commit(owner)
    assert owner.state["Projects"] and owner.projects.get_by_id(shared["id"])["shared"]
    invited = [s for s in owner.state["CollaboratorStates"] if s["state"] == "invited"]
    assert invited and invited[0]["user_id"] is None
    user = httpx.post(
        server.url + "/API/v6/register",
        data={"email": later, "full_name": "Later", "password": PASSWORD},
    ).json()
    newcomer = todoist.TodoistAPI(user["token"], api_endpoint=server.url)
    response = newcomer.sync(resource_types=["all"])
    invitation = notification(response, "share_invitation_sent")
    assert invitation is not None and invitation["project_name"] == "For later"
    newcomer.invitations.accept(invitation["invitation_id"], invitation["invitation_secret"])
    commit(newcomer)
    assert shared["id"] in _ids(newcomer, "Projects")
