"""Property: with three users sharing, inviting, accepting, editing, removing, leaving,
taking ownership, labelling shared tasks, renaming and deleting their labels and folding or
moving shared projects in their own lists, in any order, every user's incremental state
equals a fresh full sync, nobody holds an object of a project they are not (or no longer) a
member of, and no item a user holds carries a label id that is not one of their labels."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer
from tests.sync.helpers import RawClient, command, full_state

USERS = 3
who = st.integers(0, USERS - 1)
pick = st.integers(0, 20)
ops = st.one_of(
    st.tuples(st.just("project_add"), who),
    st.tuples(st.just("share"), who, pick, who),
    st.tuples(st.just("accept"), who),
    st.tuples(st.just("reject"), who),
    st.tuples(st.just("remove"), who, pick, who),
    st.tuples(st.just("leave"), who, pick),
    st.tuples(st.just("take_ownership"), who, pick),
    st.tuples(st.just("project_delete"), who, pick),
    st.tuples(st.just("item_add"), who, pick),
    st.tuples(st.just("item_update"), who, pick),
    st.tuples(st.just("item_complete"), who, pick),
    st.tuples(st.just("item_delete"), who, pick),
    st.tuples(st.just("item_move"), who, pick, pick),
    st.tuples(st.just("note_add"), who, pick),
    st.tuples(st.just("label_add"), who),
    st.tuples(st.just("label_rename"), who, pick),
    st.tuples(st.just("label_delete"), who, pick),
    st.tuples(st.just("item_label"), who, pick, pick),
    st.tuples(st.just("project_view"), who, pick, pick),
)


class World:
    """The users, their incremental clients, and the membership the test expects."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.emails: list[str] = []
        self.clients: list[RawClient] = []
        for _ in range(USERS):
            email = new_email()
            body = http.post("/API/v6/register", data={"email": email, "password": PASSWORD})
            self.emails.append(email)
            self.clients.append(RawClient(http, body.json()["token"]))
        self.ids = [self.user_id(n) for n in range(USERS)]
        self.owner: dict[int, int] = {}  # project id -> user index
        self.members: dict[int, set[int]] = {}  # project id -> user indexes seeing it
        self.label_names: list[str] = []  # every label name used, so each is new

    def user_id(self, n: int) -> int:
        return int(self.clients[n].post(resource_types=["user"])["User"]["id"])

    def run(self, n: int, kind: str, args: dict[str, Any], temp: bool = False) -> Any:
        cmd = command(kind, args, str(uuid.uuid4()) if temp else None)
        body = self.clients[n].commit([cmd])
        status = body["SyncStatus"][cmd["uuid"]]
        if temp and status == "ok":
            return body["TempIdMapping"][cmd["temp_id"]]
        return status

    def shared_projects(self, n: int, index: int) -> int | None:
        """One of the projects user ``n`` sees (not an Inbox), by position."""
        seen = sorted(pid for pid, users in self.members.items() if n in users)
        return seen[index % len(seen)] if seen else None

    def items_of(self, n: int) -> list[dict[str, Any]]:
        return [self.clients[n].state["Items"][i] for i in sorted(self.clients[n].state["Items"])]

    def invitation(self, n: int) -> dict[str, Any] | None:
        body = self.clients[n].post(resource_types=["live_notifications"])
        pending = [
            note
            for note in body["LiveNotifications"]
            if note["notification_type"] == "share_invitation_sent" and note["state"] == "invited"
        ]
        return pending[0] if pending else None


def apply(world: World, op: tuple[Any, ...]) -> None:
    kind, n = op[0], op[1]
    client = world.clients[n]
    if kind == "project_add":
        pid = world.run(n, "project_add", {"name": f"P{len(world.owner)}"}, temp=True)
        world.owner[pid], world.members[pid] = n, {n}
    elif kind in ("accept", "reject"):
        invitation = world.invitation(n)
        if invitation is None:
            return
        args = {
            "invitation_id": invitation["invitation_id"],
            "invitation_secret": invitation["invitation_secret"],
        }
        assert world.run(n, f"{kind}_invitation", args) == "ok"
        if kind == "accept":
            world.members[invitation["project_id"]].add(n)
    elif kind.startswith("label_") or kind == "item_label":
        _label(world, op)
    elif kind.startswith("item_") or kind == "note_add":
        _edit(world, op)
    else:
        pid = world.shared_projects(n, op[2])
        if pid is None:
            return
        if kind == "share":
            email = world.emails[op[3]]
            status = world.run(n, "share_project", {"project_id": pid, "email": email})
            assert status == "ok"
        elif kind in ("remove", "leave"):
            target = op[3] if kind == "remove" else n
            status = world.run(
                n, "delete_collaborator", {"project_id": pid, "email": world.emails[target]}
            )
            if target == world.owner[pid]:
                assert status != "ok"
            elif target in world.members[pid]:
                assert status == "ok"
                world.members[pid].discard(target)
        elif kind == "project_view":
            # Fold it, or move it in one's own list (core/member_view.py).
            args = {"id": pid, "collapsed": op[3] % 2, "item_order": op[3], "indent": 1}
            assert world.run(n, "project_update", args) == "ok"
        elif kind == "take_ownership":
            assert world.run(n, "take_ownership", {"project_id": pid}) == "ok"
            world.owner[pid] = n
        elif kind == "project_delete":
            status = world.run(n, "project_delete", {"ids": [pid]})
            assert status == {str(pid): "ok"}
            if world.owner[pid] == n:
                del world.members[pid], world.owner[pid]
            else:
                world.members[pid].discard(n)
    del client


def _edit(world: World, op: tuple[Any, ...]) -> None:
    kind, n = op[0], op[1]
    if kind == "item_add":
        pid = world.shared_projects(n, op[2])
        if pid is not None:
            assert world.run(n, "item_add", {"content": "x", "project_id": pid}, temp=True)
        return
    world.clients[n].sync()
    items = [i for i in world.items_of(n) if not i["in_history"]]
    if not items:
        return
    item = items[op[2] % len(items)]
    if kind == "item_update":
        args: dict[str, Any] = {"id": item["id"], "priority": 1 + op[2] % 4}
    elif kind == "item_complete" or kind == "item_delete":
        args = {"ids": [item["id"]]}
    elif kind == "note_add":
        args = {"item_id": item["id"], "content": "n"}
    else:
        target = world.shared_projects(n, op[3])
        if target is None:
            return
        args = {"project_items": {str(item["project_id"]): [item["id"]]}, "to_project": target}
    status = world.run(n, kind, args)
    assert status == "ok" or set(status.values()) == {"ok"}, status


def _label(world: World, op: tuple[Any, ...]) -> None:
    kind, n = op[0], op[1]
    client = world.clients[n]
    client.sync()
    labels = sorted(client.state["Labels"])
    if kind == "label_add":
        name = f"L{n}-{len(world.label_names)}"
        world.label_names.append(name)
        assert world.run(n, "label_add", {"name": name}, temp=True)
        return
    if not labels:
        return
    label_id = labels[op[2] % len(labels)]
    if kind == "label_rename":
        name = f"R{n}-{len(world.label_names)}"
        world.label_names.append(name)
        assert world.run(n, "label_update", {"id": label_id, "name": name}) == "ok"
    elif kind == "label_delete":
        assert world.run(n, "label_delete", {"id": label_id}) == "ok"
    else:
        items = [i for i in world.items_of(n) if not i["in_history"]]
        if not items:
            return
        item = items[op[2] % len(items)]
        chosen = [x for position, x in enumerate(labels) if (op[3] >> position) % 2]
        assert world.run(n, "item_update", {"id": item["id"], "labels": chosen}) == "ok"


def check(world: World) -> None:
    for n, client in enumerate(world.clients):
        client.sync()
        final = full_state(world.http, client.token)
        mine = {
            key: {i: o for i, o in objs.items() if key != "Items" or not o.get("in_history")}
            for key, objs in client.state.items()
        }
        assert mine == final, f"user {n}: incremental state differs from a full sync"
        visible = {pid for pid, users in world.members.items() if n in users}
        inbox = {p["id"] for p in final["Projects"].values() if p.get("inbox_project")}
        for project in client.state["Projects"].values():
            assert project["id"] in visible | inbox, f"user {n} holds project {project['id']}"
        for key in ("Items", "Notes", "ProjectNotes"):
            for obj in client.state[key].values():
                assert obj["project_id"] in visible | inbox, f"user {n} holds {key} {obj['id']}"
        own_labels = set(final["Labels"])
        for item in client.state["Items"].values():
            assert set(item["labels"]) <= own_labels, f"user {n}: item {item['id']} label ids"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=st.lists(ops, min_size=4, max_size=24))
def test_sharing_keeps_every_incremental_state_equal_to_a_full_sync(
    server: RunningServer, plan: list[tuple[Any, ...]]
) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        world = World(http)
        for client in world.clients:
            client.sync()
        # Start from something shared, so short plans reach the interesting states.
        apply(world, ("project_add", 0))
        apply(world, ("share", 0, 0, 1))
        apply(world, ("accept", 1))
        # ... with a task both label (each with their own labels).
        for op in [("item_add", 0, 0), ("label_add", 0), ("label_add", 1)]:
            apply(world, op)
        apply(world, ("item_label", 0, 0, 1))
        apply(world, ("item_label", 1, 0, 1))
        for position, op in enumerate(plan):
            apply(world, op)
            if position % 3 == 2:
                check(world)
        check(world)
