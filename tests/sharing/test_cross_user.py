"""Who sees a shared project, in every protocol: the owner, a member, an ex-member, an
invitee who has not accepted, and a stranger. Only the first two see (and may change) the
project, its tasks and its notes; the others get "not found" exactly as for an id that does
not exist."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.oauth.flow import v1_token
from tests.servers import RunningServer
from tests.v1.clients import raw as v1_raw
from tests.v2.batch_helpers import V2, v2_account

ROLES = ("owner", "member", "ex_member", "invitee", "stranger")
SEEING = {"owner", "member"}


def sync(server: RunningServer, token: str, **params: Any) -> dict[str, Any]:
    data = {"token": token}
    for key, value in params.items():
        data[key] = value if isinstance(value, str) else json.dumps(value)
    response = httpx.post(server.url + "/API/v6/sync", data=data)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def run(server: RunningServer, token: str, kind: str, args: dict[str, Any]) -> Any:
    cmd = {"type": kind, "uuid": str(uuid.uuid4()), "args": args, "temp_id": str(uuid.uuid4())}
    body = sync(server, token, commands=[cmd])
    status = body["SyncStatus"][cmd["uuid"]]
    if status == "ok" and cmd["temp_id"] in body.get("TempIdMapping", {}):
        return body["TempIdMapping"][cmd["temp_id"]]
    return status


def invitation_of(server: RunningServer, token: str) -> dict[str, Any]:
    notes = sync(server, token, resource_types=["live_notifications"])["LiveNotifications"]
    return next(
        n
        for n in notes
        if n["notification_type"] == "share_invitation_sent" and n["state"] == "invited"
    )


@dataclass
class Shared:
    server: RunningServer
    users: dict[str, V2]
    project: dict[str, Any]  # the owner's Sync API project
    item: dict[str, Any]
    note: dict[str, Any]
    project_oid: str
    item_oid: str
    v1_tokens: dict[str, str] = field(default_factory=dict)

    def token(self, role: str) -> str:
        return str(self.users[role].user["token"])


@pytest.fixture(scope="module")
def shared(server: RunningServer) -> Shared:
    users = {role: v2_account(server) for role in ROLES}
    owner = users["owner"].user["token"]
    pid = run(server, owner, "project_add", {"name": "Household"})
    item_id = run(server, owner, "item_add", {"project_id": pid, "content": "Bread"})
    note_id = run(server, owner, "note_add", {"item_id": item_id, "content": "Rye"})
    for role in ("member", "ex_member", "invitee"):
        status = run(
            server, owner, "share_project", {"project_id": pid, "email": users[role].user["email"]}
        )
        assert isinstance(status, int), status
        if role == "invitee":
            continue
        token = users[role].user["token"]
        invitation = invitation_of(server, token)
        args = {
            "invitation_id": invitation["invitation_id"],
            "invitation_secret": invitation["invitation_secret"],
        }
        assert run(server, token, "accept_invitation", args) == "ok"
    email = users["ex_member"].user["email"]
    assert run(server, owner, "delete_collaborator", {"project_id": pid, "email": email}) == "ok"
    full = sync(server, owner, resource_types=["projects", "items", "notes"])
    check = users["owner"].check()
    project_oid = next(p["id"] for p in check["projectProfiles"] if p["name"] == "Household")
    item_oid = next(t["id"] for t in check["syncTaskBean"]["update"] if t["title"] == "Bread")
    return Shared(
        project_oid=project_oid,
        item_oid=item_oid,
        server=server,
        users=users,
        project=next(p for p in full["Projects"] if p["id"] == pid),
        item=next(i for i in full["Items"] if i["id"] == item_id),
        note=next(n for n in full["Notes"] if n["id"] == note_id),
    )


@pytest.mark.parametrize("role", ROLES)
def test_sync_api_reads(shared: Shared, role: str) -> None:
    full = sync(
        shared.server,
        shared.token(role),
        resource_types=["projects", "items", "notes", "collaborators"],
    )
    sees = role in SEEING
    assert (shared.project["id"] in {p["id"] for p in full["Projects"]}) == sees
    assert (shared.item["id"] in {i["id"] for i in full["Items"]}) == sees
    assert (shared.note["id"] in {n["id"] for n in full["Notes"]}) == sees
    states = {(s["project_id"], s["user_id"]) for s in full["CollaboratorStates"]}
    assert bool(states) == sees
    if sees:
        # Everyone with a CollaboratorState (the invitee too): the client names them.
        ids = {shared.users[r].user["id"] for r in ("owner", "member", "invitee")}
        assert {c["id"] for c in full["Collaborators"]} == ids
        # The invitee shows up as invited; the ex-member not at all.
        by_user = {s["user_id"]: s["state"] for s in full["CollaboratorStates"]}
        assert by_user[shared.users["invitee"].user["id"]] == "invited"
        assert shared.users["ex_member"].user["id"] not in by_user


@pytest.mark.parametrize("role", ROLES)
def test_sync_api_writes(shared: Shared, role: str) -> None:
    server, token = shared.server, shared.token(role)
    sees = role in SEEING
    attempts = [
        ("item_update", {"id": shared.item["id"], "priority": 2}, 21),
        ("note_update", {"id": shared.note["id"], "content": f"by {role}"}, 23),
        ("project_update", {"id": shared.project["id"], "color": 3}, 20),
        ("item_add", {"project_id": shared.project["id"], "content": f"from {role}"}, 20),
        ("note_add", {"item_id": shared.item["id"], "content": f"from {role}"}, 21),
        ("item_update", {"id": shared.item["id"], "responsible_uid": None}, 21),
    ]
    for kind, args, code in attempts:
        status = run(server, token, kind, args)
        if sees:
            assert status == "ok" or isinstance(status, int), (kind, status)
        else:
            assert isinstance(status, dict) and status["error_code"] == code, (kind, status)


@pytest.mark.parametrize("role", ROLES)
def test_assignment_is_limited_to_members(shared: Shared, role: str) -> None:
    owner = shared.token("owner")
    uid = shared.users[role].user["id"]
    status = run(
        shared.server, owner, "item_update", {"id": shared.item["id"], "responsible_uid": uid}
    )
    if role in SEEING:
        assert status == "ok"
        task = shared.users["member"].tasks()[shared.item_oid]
        assert task["assignee"] == uid
    else:
        assert isinstance(status, dict) and status["error_code"] == 27


@pytest.mark.parametrize("role", ROLES)
def test_v2_reads_and_writes(shared: Shared, role: str) -> None:
    v2 = shared.users[role]
    data = v2.check()
    projects = {p["name"]: p for p in data["projectProfiles"]}
    titles = {t["title"] for t in data["syncTaskBean"]["update"]}
    sees = role in SEEING
    assert ("Household" in projects) == sees
    assert ("Bread" in titles) == sees
    task_oid = shared.item_oid
    change = {"id": task_oid, "project_id": shared.project_oid, "title": "Bread", "priority": 3}
    answer = v2.client.post_task_v2({"update": [change]})
    if sees:
        profile = projects["Household"]
        assert profile["userCount"] == 2
        assert profile["isOwner"] == (role == "owner")
        assert profile["permission"] == (None if role == "owner" else "write")
        assert task_oid in answer.id2etag
    else:
        assert answer.id2error == {task_oid: "NOT_EXISTED"}


@pytest.mark.parametrize("role", ROLES)
def test_v1_reads_and_writes(shared: Shared, role: str) -> None:
    v2 = shared.users[role]
    if role not in shared.v1_tokens:
        shared.v1_tokens[role] = v1_token(shared.server, v2.user["email"])
    token = shared.v1_tokens[role]
    project_oid = shared.project_oid
    listed = v1_raw(shared.server, token, "GET", "project").json()
    sees = role in SEEING
    assert (project_oid in {p["id"] for p in listed}) == sees
    data = v1_raw(shared.server, token, "GET", f"project/{project_oid}/data")
    if sees:
        assert data.status_code == 200
        assert "Bread" in {t["title"] for t in data.json()["tasks"]}
    else:
        assert data.status_code >= 400
    done = v1_raw(
        shared.server,
        token,
        "POST",
        f"task/{shared.item_oid}",
        json={"id": shared.item_oid, "projectId": project_oid, "priority": 1},
    )
    assert (done.status_code == 200) == sees, done.text


def test_v2_checkpoint_gains_and_loses_a_shared_list(server: RunningServer) -> None:
    owner, member = v2_account(server), v2_account(server)
    token = owner.user["token"]
    pid = run(server, token, "project_add", {"name": "Garden"})
    run(server, token, "item_add", {"project_id": pid, "content": "Water"})
    start = member.check()
    run(server, token, "share_project", {"project_id": pid, "email": member.user["email"]})
    invitation = invitation_of(server, member.user["token"])
    args = {
        "invitation_id": invitation["invitation_id"],
        "invitation_secret": invitation["invitation_secret"],
    }
    assert run(server, member.user["token"], "accept_invitation", args) == "ok"
    gained = member.check(int(start["checkPoint"]))
    assert "Garden" in {p["name"] for p in gained["projectProfiles"]}
    water = next(t for t in gained["syncTaskBean"]["update"] if t["title"] == "Water")
    email = member.user["email"]
    assert run(server, token, "delete_collaborator", {"project_id": pid, "email": email}) == "ok"
    lost = member.check(int(gained["checkPoint"]))
    assert "Garden" not in {p["name"] for p in lost["projectProfiles"]}
    assert {"taskId": water["id"], "projectId": water["projectId"]} in lost["syncTaskBean"][
        "delete"
    ]
    # Sent once: the next checkpoint has nothing of it.
    after = member.check(int(lost["checkPoint"]))
    assert after["syncTaskBean"]["delete"] == [] and after["projectProfiles"] is None
