"""Who may read and write what, table-driven: five roles (owner, member, ex-member, invitee
who has not accepted, stranger) by every object kind by every protocol.

The project, its items (with their checklists) and its notes are the members'; reminders,
labels, filters and project groups stay their user's own, whoever shares the project. A
refused write answers the protocol's own "not found" and changes nothing: every object table
is compared before and after. All in-process, on a database of its own.
"""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "use httpx2": the installed httpx serves fine here
    from starlette.testclient import TestClient

from taskhaven.app import create_app
from taskhaven.core.backend import Backend
from taskhaven.core.oauth import apps, grants
from taskhaven.store import schema
from tests.conftest import PASSWORD, new_email
from tests.invariants import check_database
from tests.servers import fresh_database, migrated_backend
from tests.servers import test_settings as settings_for
from tests.v2.clients import BROWSER

ROLES = ("owner", "member", "ex_member", "invitee", "stranger")
MEMBERS = frozenset({"owner", "member"})
OWNER = frozenset({"owner"})
# What a refused write must leave alone: every table holding something a user sees.
TABLES = (
    schema.projects,
    schema.items,
    schema.notes,
    schema.reminders,
    schema.labels,
    schema.filters,
    schema.project_groups,
    schema.project_members,
    schema.live_notifications,
)
TICKTICK_ERROR = {"errorId", "errorCode", "errorMessage", "data"}


def oid() -> str:
    return uuid.uuid4().hex[:24]


@dataclass
class Person:
    token: str  # Sync API
    cookie: str  # V2 session
    bearer: str  # V1 (an app's OAuth token)
    uid: int
    email: str


@dataclass
class World:
    client: TestClient
    backend: Backend
    people: dict[str, Person] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)  # Sync API ids of the owner's objects
    oids: dict[str, str] = field(default_factory=dict)  # their V2/V1 ids
    before: list[list[tuple[Any, ...]]] = field(default_factory=list)

    # --- the three protocols -----------------------------------------------------------------

    def sync(self, role: str, **params: Any) -> dict[str, Any]:
        data = {"token": self.people[role].token}
        data.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()})
        answer = self.client.post("/API/v6/sync", data=data)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def command(self, role: str, kind: str, args: dict[str, Any]) -> Any:
        """One command's ``SyncStatus`` entry, or the id its temp id got."""
        cmd = {"type": kind, "uuid": str(uuid.uuid4()), "temp_id": str(uuid.uuid4()), "args": args}
        body = self.sync(role, commands=[cmd])
        status = body["SyncStatus"][cmd["uuid"]]
        return body.get("TempIdMapping", {}).get(cmd["temp_id"], status)

    def v2(self, role: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**BROWSER, "Cookie": f"t={self.people[role].cookie}"}
        return self.client.request(method, "/api/v2/" + path, headers=headers, **kwargs)

    def v1(self, role: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.people[role].bearer}"}
        return self.client.request(method, "/open/v1/" + path, headers=headers, **kwargs)

    # --- what a refused write must not change -----------------------------------------------

    def fingerprint(self) -> list[list[tuple[Any, ...]]]:
        with self.backend.read() as conn:
            return [
                [tuple(row) for row in conn.execute(select(t).order_by(t.c.id))] for t in TABLES
            ]

    def mark(self) -> None:
        """The state an attempt is compared with (taken again after setting one up)."""
        self.before = self.fingerprint()

    def fresh(self, kind: str, args: dict[str, Any]) -> int:
        """A new object of the owner's, made for one attempt (then ``mark``)."""
        made = self.command("owner", kind, args)
        assert isinstance(made, int), made
        self.mark()
        return made

    def fresh_item(self) -> tuple[int, str]:
        """A new item of the owner's in the shared project: (Sync API id, V2 id)."""
        item_id = self.fresh("item_add", {"project_id": self.ids["project"], "content": "Fresh"})
        return item_id, self.oid_of(schema.items, item_id)

    def oid_of(self, table: Any, row_id: int) -> str:
        with self.backend.read() as conn:
            return str(conn.execute(select(table.c.oid).where(table.c.id == row_id)).scalar_one())


def _person(client: TestClient, backend: Backend, app_id: int) -> Person:
    email = new_email()
    user = client.post("/API/v6/register", data={"email": email, "password": PASSWORD}).json()
    signon = client.post(
        "/api/v2/user/signon", headers=BROWSER, json={"username": email, "password": PASSWORD}
    )
    assert signon.status_code == 200, signon.text
    bearer = grants.new_token("uuid4")
    grants.store_token(
        backend, bearer, app_id, user["id"], ("tasks:read", "tasks:write"), code_id=None
    )
    return Person(user["token"], signon.json()["token"], bearer, int(user["id"]), email)


def _build(world: World) -> None:
    app, _secret = apps.create(world.backend, "matrix", ["http://127.0.0.1/cb"])
    world.people = {role: _person(world.client, world.backend, app.id) for role in ROLES}
    run, ids = world.command, world.ids
    ids["project"] = run("owner", "project_add", {"name": "Household"})
    ids["item"] = run("owner", "item_add", {"project_id": ids["project"], "content": "Bread"})
    ids["note"] = run("owner", "note_add", {"item_id": ids["item"], "content": "Rye"})
    ids["project_note"] = run(
        "owner", "note_add", {"project_id": ids["project"], "content": "Bins on Tuesday"}
    )
    ids["reminder"] = run(
        "owner",
        "reminder_add",
        {"item_id": ids["item"], "type": "absolute", "due_date_utc": "2031-01-01T09:00"},
    )
    ids["label"] = run("owner", "label_add", {"name": "errands"})
    ids["filter"] = run("owner", "filter_add", {"name": "Urgent", "query": "p1"})
    for role in ("member", "ex_member", "invitee"):
        shared = run(
            "owner",
            "share_project",
            {"project_id": ids["project"], "email": world.people[role].email},
        )
        assert isinstance(shared, int), shared  # the invitation's id
        if role == "invitee":
            continue
        notes = world.sync(role, resource_types=["live_notifications"])["LiveNotifications"]
        invite = next(n for n in notes if n["notification_type"] == "share_invitation_sent")
        accepted = run(
            role,
            "accept_invitation",
            {
                "invitation_id": invite["invitation_id"],
                "invitation_secret": invite["invitation_secret"],
            },
        )
        assert accepted == "ok", accepted
    left = run(
        "owner",
        "delete_collaborator",
        {"project_id": ids["project"], "email": world.people["ex_member"].email},
    )
    assert left == "ok", left
    for kind in ("label", "project_note"):
        assert isinstance(ids[kind], int), (kind, ids[kind])
    oids = world.oids
    oids["project"] = world.oid_of(schema.projects, ids["project"])
    oids["item"] = world.oid_of(schema.items, ids["item"])
    group = oid()
    made = world.v2(
        "owner", "POST", "batch/projectGroup", json={"add": [{"id": group, "name": "Home"}]}
    ).json()
    assert group in made["id2etag"], made
    oids["group"] = group
    checklist = {"id": oid(), "title": "Sourdough", "status": 0}
    updated = world.v2(
        "owner",
        "POST",
        "batch/task",
        json={
            "update": [
                {
                    "id": oids["item"],
                    "projectId": oids["project"],
                    "title": "Bread",
                    "items": [checklist],
                }
            ]
        },
    ).json()
    assert oids["item"] in updated["id2etag"], updated
    oids["checklist"] = checklist["id"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("matrix")
    with (
        fresh_database(tmp) as url,
        migrated_backend(settings_for(url, tmp / "data")) as backend,
        TestClient(create_app(backend.settings, backend), raise_server_exceptions=False) as client,
    ):
        made = World(client, backend)
        _build(made)
        yield made
        with backend.read() as conn:
            check_database(conn)


# --- refusals in each protocol's own words ---------------------------------------------------


def v6_refused(status: Any, code: int) -> bool:
    """``False`` for "ok"; a refusal must be the Sync API's error object with ``code``."""
    if status == "ok" or isinstance(status, int):
        return False
    assert isinstance(status, dict), status
    if "error_code" not in status:
        # A command on several ids answers per id.
        answers = [v6_refused(each, code) for each in status.values()]
        assert len(set(answers)) == 1, status
        return answers[0]
    assert set(status) >= {"error_code", "error"}, status
    assert status["error_code"] == code, status
    return True


def ticktick_refused(answer: httpx.Response) -> bool:
    """``False`` for a 200; a refusal must be a 4xx with TickTick's error envelope."""
    if answer.status_code == 200:
        return False
    assert 400 <= answer.status_code < 500, answer.text
    assert set(answer.json()) >= TICKTICK_ERROR, answer.text
    return True


def v2_batch_refused(answer: httpx.Response, target: str) -> bool:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    if target not in body["id2error"]:
        return False  # an add or update has an etag then; a delete answers nothing
    assert body["id2error"] == {target: "NOT_EXISTED"} and not body["id2etag"], body
    return True


# --- the cases: each answers "did the role get through?" ----------------------------------------

Run = Callable[[World, str], bool]


@dataclass(frozen=True)
class Case:
    protocol: str
    kind: str
    action: str
    allowed: frozenset[str]
    run: Run
    write: bool = True

    @property
    def id(self) -> str:
        return f"{self.protocol}-{self.kind}-{self.action}"


def v6_sees(resource: str, kind: str) -> Run:
    def run(w: World, role: str) -> bool:
        body = w.sync(role, seq_no=0, resource_types=["all"])
        return w.ids[kind] in {o["id"] for o in body[resource]}

    return run


def v6_write(kind: str, args: Callable[[World], dict[str, Any]], code: int) -> Run:
    def run(w: World, role: str) -> bool:
        return not v6_refused(w.command(role, kind, args(w)), code)

    return run


def v6_on_fresh(kind: str, code: int) -> Run:
    """A destructive command on an item made for the attempt."""

    def run(w: World, role: str) -> bool:
        item_id, _ = w.fresh_item()
        return not v6_refused(w.command(role, kind, {"ids": [item_id]}), code)

    return run


def v6_delete_fresh(add: str, args: Callable[[World], dict[str, Any]], kind: str, code: int) -> Run:
    """A delete of an object of the owner's made for the attempt."""

    def run(w: World, role: str) -> bool:
        made = w.fresh(add, args(w))
        return not v6_refused(w.command(role, kind, {"id": made}), code)

    return run


def v2_sees(check: Callable[[World, dict[str, Any]], bool]) -> Run:
    def run(w: World, role: str) -> bool:
        answer = w.v2(role, "GET", "batch/check/0")
        assert answer.status_code == 200, answer.text
        return check(w, answer.json())

    return run


def _task(w: World, body: dict[str, Any]) -> dict[str, Any] | None:
    tasks = body["syncTaskBean"]["update"]
    return next((t for t in tasks if t["id"] == w.oids["item"]), None)


def v2_batch(path: str, body: Callable[[World], tuple[dict[str, Any], str]]) -> Run:
    def run(w: World, role: str) -> bool:
        payload, target = body(w)
        return not v2_batch_refused(w.v2(role, "POST", path, json=payload), target)

    return run


def v2_task_update(w: World) -> tuple[dict[str, Any], str]:
    change = {"id": w.oids["item"], "projectId": w.oids["project"], "title": "Bread", "priority": 3}
    return {"update": [change]}, w.oids["item"]


def v2_checklist_update(w: World) -> tuple[dict[str, Any], str]:
    entry = {"id": w.oids["checklist"], "title": "Sourdough", "status": 0}
    change = {
        "id": w.oids["item"],
        "projectId": w.oids["project"],
        "title": "Bread",
        "items": [entry],
    }
    return {"update": [change]}, w.oids["item"]


def v2_task_add(w: World) -> tuple[dict[str, Any], str]:
    new = oid()
    return {"add": [{"id": new, "projectId": w.oids["project"], "title": "Milk"}]}, new


def v2_task_delete(w: World) -> tuple[dict[str, Any], str]:
    _, target = w.fresh_item()
    return {"delete": [{"taskId": target, "projectId": w.oids["project"]}]}, target


def v2_project_update(w: World) -> tuple[dict[str, Any], str]:
    return {"update": [{"id": w.oids["project"], "name": "Household"}]}, w.oids["project"]


def v2_group_update(w: World) -> tuple[dict[str, Any], str]:
    return {"update": [{"id": w.oids["group"], "name": "Home"}]}, w.oids["group"]


def v2_get_task(w: World, role: str) -> bool:
    path = f"task/{w.oids['item']}?projectId={w.oids['project']}"
    return not ticktick_refused(w.v2(role, "GET", path))


def v1_call(method: str, path: Callable[[World], str], body: Any = None) -> Run:
    def run(w: World, role: str) -> bool:
        payload = body(w) if callable(body) else body
        return not ticktick_refused(w.v1(role, method, path(w), json=payload))

    return run


def v1_lists_project(w: World, role: str) -> bool:
    answer = w.v1(role, "GET", "project")
    assert answer.status_code == 200, answer.text
    return w.oids["project"] in {p["id"] for p in answer.json()}


def v1_on_fresh(method: str, suffix: str) -> Run:
    def run(w: World, role: str) -> bool:
        _, task = w.fresh_item()
        path = f"project/{w.oids['project']}/task/{task}{suffix}"
        return not ticktick_refused(w.v1(role, method, path))

    return run


P = "project"
CASES: tuple[Case, ...] = (
    # Sync API v6: reads (a full sync) ...
    Case("v6", "project", "read", MEMBERS, v6_sees("Projects", "project"), write=False),
    Case("v6", "item", "read", MEMBERS, v6_sees("Items", "item"), write=False),
    Case("v6", "note", "read", MEMBERS, v6_sees("Notes", "note"), write=False),
    Case(
        "v6", "project_note", "read", MEMBERS, v6_sees("ProjectNotes", "project_note"), write=False
    ),
    Case("v6", "reminder", "read", OWNER, v6_sees("Reminders", "reminder"), write=False),
    Case("v6", "label", "read", OWNER, v6_sees("Labels", "label"), write=False),
    Case("v6", "filter", "read", OWNER, v6_sees("Filters", "filter"), write=False),
    # ... and writes.
    Case(
        "v6",
        "project",
        "update",
        MEMBERS,
        v6_write("project_update", lambda w: {"id": w.ids[P], "color": 3}, 20),
    ),
    Case(
        "v6",
        "project",
        "share",
        MEMBERS,
        v6_write("share_project", lambda w: {"project_id": w.ids[P], "email": new_email()}, 20),
    ),
    Case(
        "v6",
        "item",
        "add",
        MEMBERS,
        v6_write("item_add", lambda w: {"project_id": w.ids[P], "content": "Milk"}, 20),
    ),
    Case(
        "v6",
        "item",
        "update",
        MEMBERS,
        v6_write("item_update", lambda w: {"id": w.ids["item"], "priority": 2}, 21),
    ),
    Case(
        "v6",
        "item",
        "move",
        MEMBERS,
        v6_write(
            "item_move",
            lambda w: {"project_items": {str(w.ids[P]): [w.ids["item"]]}, "to_project": w.ids[P]},
            20,
        ),
    ),
    Case("v6", "item", "complete", MEMBERS, v6_on_fresh("item_complete", 21)),
    Case("v6", "item", "delete", MEMBERS, v6_on_fresh("item_delete", 21)),
    Case(
        "v6",
        "note",
        "add",
        MEMBERS,
        v6_write("note_add", lambda w: {"item_id": w.ids["item"], "content": "Seeded"}, 21),
    ),
    Case(
        "v6",
        "note",
        "update",
        MEMBERS,
        v6_write("note_update", lambda w: {"id": w.ids["note"], "content": "Rye"}, 23),
    ),
    Case(
        "v6",
        "project_note",
        "add",
        MEMBERS,
        v6_write("note_add", lambda w: {"project_id": w.ids[P], "content": "Hi"}, 20),
    ),
    Case(
        "v6",
        "note",
        "delete",
        MEMBERS,
        v6_delete_fresh(
            "note_add", lambda w: {"item_id": w.ids["item"], "content": "Spare"}, "note_delete", 23
        ),
    ),
    Case(
        "v6",
        "project_note",
        "update",
        MEMBERS,
        v6_write(
            "note_update", lambda w: {"id": w.ids["project_note"], "content": "Bins on Tuesday"}, 23
        ),
    ),
    Case(
        "v6",
        "reminder",
        "add",
        MEMBERS,
        v6_write(
            "reminder_add",
            lambda w: {
                "item_id": w.ids["item"],
                "type": "absolute",
                "due_date_utc": "2031-02-01T09:00",
            },
            21,
        ),
    ),
    Case(
        "v6",
        "reminder",
        "update",
        OWNER,
        v6_write(
            "reminder_update",
            lambda w: {"id": w.ids["reminder"], "due_date_utc": "2031-01-01T09:00"},
            25,
        ),
    ),
    Case(
        "v6",
        "reminder",
        "delete",
        OWNER,
        v6_delete_fresh(
            "reminder_add",
            lambda w: {
                "item_id": w.ids["item"],
                "type": "absolute",
                "due_date_utc": "2031-03-01T09:00",
            },
            "reminder_delete",
            25,
        ),
    ),
    Case(
        "v6",
        "label",
        "update",
        OWNER,
        v6_write("label_update", lambda w: {"id": w.ids["label"], "color": 4}, 22),
    ),
    Case(
        "v6",
        "label",
        "delete",
        OWNER,
        v6_delete_fresh(
            "label_add", lambda w: {"name": f"spare{uuid.uuid4().hex[:6]}"}, "label_delete", 22
        ),
    ),
    Case(
        "v6",
        "filter",
        "update",
        OWNER,
        v6_write("filter_update", lambda w: {"id": w.ids["filter"], "query": "p1"}, 24),
    ),
    Case(
        "v6",
        "filter",
        "delete",
        OWNER,
        v6_delete_fresh(
            "filter_add", lambda w: {"name": "Spare", "query": "p2"}, "filter_delete", 24
        ),
    ),
    # TickTick V2: reads (batch/check, GET task) ...
    Case(
        "v2",
        "project",
        "read",
        MEMBERS,
        v2_sees(lambda w, b: w.oids[P] in {p["id"] for p in b["projectProfiles"]}),
        write=False,
    ),
    Case("v2", "task", "read", MEMBERS, v2_sees(lambda w, b: _task(w, b) is not None), write=False),
    Case(
        "v2",
        "checklist_item",
        "read",
        MEMBERS,
        v2_sees(
            lambda w, b: (
                w.oids["checklist"] in {e["id"] for e in (_task(w, b) or {}).get("items", [])}
            )
        ),
        write=False,
    ),
    Case("v2", "task", "get", MEMBERS, v2_get_task, write=False),
    Case(
        "v2",
        "tag",
        "read",
        OWNER,
        v2_sees(lambda w, b: "errands" in {t["name"] for t in b["tags"] or []}),
        write=False,
    ),
    Case(
        "v2",
        "project_group",
        "read",
        OWNER,
        v2_sees(lambda w, b: w.oids["group"] in {g["id"] for g in b["projectGroups"] or []}),
        write=False,
    ),
    # ... and batch writes.
    Case("v2", "task", "update", MEMBERS, v2_batch("batch/task", v2_task_update)),
    Case("v2", "checklist_item", "update", MEMBERS, v2_batch("batch/task", v2_checklist_update)),
    Case("v2", "task", "add", MEMBERS, v2_batch("batch/task", v2_task_add)),
    Case("v2", "task", "delete", MEMBERS, v2_batch("batch/task", v2_task_delete)),
    Case("v2", "project", "update", MEMBERS, v2_batch("batch/project", v2_project_update)),
    Case("v2", "project_group", "update", OWNER, v2_batch("batch/projectGroup", v2_group_update)),
    # TickTick V1: GET ...
    Case("v1", "project", "list", MEMBERS, v1_lists_project, write=False),
    Case(
        "v1",
        "project",
        "get",
        MEMBERS,
        v1_call("GET", lambda w: f"project/{w.oids[P]}"),
        write=False,
    ),
    Case(
        "v1",
        "project",
        "data",
        MEMBERS,
        v1_call("GET", lambda w: f"project/{w.oids[P]}/data"),
        write=False,
    ),
    Case(
        "v1",
        "task",
        "get",
        MEMBERS,
        v1_call("GET", lambda w: f"project/{w.oids[P]}/task/{w.oids['item']}"),
        write=False,
    ),
    # ... POST and DELETE.
    Case(
        "v1",
        "project",
        "update",
        MEMBERS,
        v1_call("POST", lambda w: f"project/{w.oids[P]}", {"name": "Household"}),
    ),
    Case(
        "v1",
        "task",
        "add",
        MEMBERS,
        v1_call("POST", lambda w: "task", lambda w: {"projectId": w.oids[P], "title": "Eggs"}),
    ),
    Case(
        "v1",
        "task",
        "update",
        MEMBERS,
        v1_call(
            "POST",
            lambda w: f"task/{w.oids['item']}",
            lambda w: {"id": w.oids["item"], "projectId": w.oids[P], "priority": 1},
        ),
    ),
    Case(
        "v1",
        "checklist_item",
        "update",
        MEMBERS,
        v1_call(
            "POST",
            lambda w: f"task/{w.oids['item']}",
            lambda w: {
                "id": w.oids["item"],
                "projectId": w.oids[P],
                "items": [{"id": w.oids["checklist"], "title": "Sourdough", "status": 0}],
            },
        ),
    ),
    Case("v1", "task", "complete", MEMBERS, v1_on_fresh("POST", "/complete")),
    Case("v1", "task", "delete", MEMBERS, v1_on_fresh("DELETE", "")),
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_who_reads_and_writes_what(world: World, case: Case, role: str) -> None:
    world.mark()
    through = case.run(world, role)
    assert through == (role in case.allowed), f"{role} {'got' if through else 'was refused'}"
    if case.write and not through:
        assert world.fingerprint() == world.before, "a refused write changed something"
