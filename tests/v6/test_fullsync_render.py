"""A full sync renders from the lean read (``fullsync``); everything else renders whole rows
(``render``). Both must give the same objects, byte for byte once encoded: random accounts,
with every field shape a v6 object has, are rendered both ways, for the owner of shared
projects and for a member of them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from taskhaven.api.todoist.v6 import fullsync
from taskhaven.api.todoist.v6.sync import run_commands
from taskhaven.core import changes, notifications, users
from taskhaven.core.backend import Backend
from taskhaven.store.schema import labels as labels_table
from taskhaven.store.schema import projects as projects_table
from tests.conftest import PASSWORD, new_email


@pytest.fixture
def backend(core_backend: Backend) -> Backend:
    return core_backend


def cmd(kind: str, args: dict[str, Any], temp_id: str | None = None) -> dict[str, Any]:
    command: dict[str, Any] = {"type": kind, "uuid": str(uuid.uuid4()), "args": args}
    if temp_id is not None:
        command["temp_id"] = temp_id
    return command


def run(backend: Backend, user_id: int, batch: list[dict[str, Any]]) -> dict[str, int]:
    statuses, mapping = run_commands(backend, user_id, batch)
    # "ok", or per id for the commands that take several ("ids": {"2": "ok"})
    for status in statuses.values():
        assert status == "ok" or set(status.values()) == {"ok"}, statuses
    return mapping


text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
moment = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC)
)
DATE_STRINGS = ("today", "tomorrow at 10:00", "every monday", "every day at 9am", "Jan 5 2031")
# A due date: none, a date string (with or without a time, recurring or not), or a moment.
due = st.one_of(
    st.none(),
    st.sampled_from(DATE_STRINGS).map(lambda s: {"date_string": s}),
    moment.map(lambda m: {"due_date_utc": m.strftime("%Y-%m-%dT%H:%M:%S")}),
)
hex_color = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")
item_spec = st.fixed_dictionaries(
    {
        "content": text,
        "due": due,
        "priority": st.integers(1, 4),
        "indent": st.integers(1, 4),
        "project": st.integers(0, 3),
        "labels": st.lists(st.integers(0, 3), max_size=3, unique=True),
        "responsible": st.booleans(),
        "then": st.sampled_from(["keep", "keep", "complete", "archive", "delete"]),
        "notes": st.lists(
            st.tuples(text, st.one_of(st.none(), st.just({"file_name": "a.txt", "size": 3}))),
            max_size=2,
        ),
        "reminder": st.one_of(
            st.none(),
            st.integers(0, 600).map(lambda n: {"minute_offset": n}),
            moment.map(lambda m: {"type": "absolute", "due_date_utc": m.isoformat()}),
            st.just(
                {
                    "type": "location",
                    "name": "Home",
                    "loc_lat": "52.5",
                    "loc_long": "13.4",
                    "loc_trigger": "on_enter",
                    "radius": 100,
                }
            ),
        ),
        "by_member": st.booleans(),
    }
)
account = st.fixed_dictionaries(
    {
        "projects": st.lists(st.tuples(text, st.integers(0, 21), st.integers(1, 4)), max_size=3),
        "free_colors": st.lists(hex_color, max_size=2),
        "labels": st.lists(st.tuples(text, st.integers(0, 12)), max_size=4),
        "filters": st.lists(st.tuples(text, st.integers(0, 12)), max_size=2),
        "items": st.lists(item_spec, max_size=12),
        "share": st.booleans(),
        "archive_project": st.booleans(),
    }
)


def new_user(backend: Backend) -> tuple[int, str]:
    email = new_email()
    row, _token = users.register(backend, email=email, password=PASSWORD)
    return int(row["id"]), email


def build(backend: Backend, spec: dict[str, Any]) -> tuple[int, int]:
    """An owner's account from ``spec`` (and a member of its first project when shared)."""
    owner, _ = new_user(backend)
    member, member_email = new_user(backend)
    with backend.read() as conn:
        inbox = int(users.get(conn, owner)["inbox_project_id"])
    project_ids = [inbox]
    for name, color, indent in spec["projects"]:
        temp = str(uuid.uuid4())
        args = {"name": "p" + name, "color": color, "indent": indent}
        project_ids.append(run(backend, owner, [cmd("project_add", args, temp)])[temp])
    label_ids = []
    for _name, color in spec["labels"]:
        temp = str(uuid.uuid4())
        args = {"name": f"l{len(label_ids)}", "color": color}
        label_ids.append(run(backend, owner, [cmd("label_add", args, temp)])[temp])
    for name, color in spec["filters"]:
        run(
            backend,
            owner,
            [cmd("filter_add", {"name": "f" + name, "query": "p1", "color": color})],
        )
    with backend.write(owner) as unit:  # colours another API set, off the v6 palettes
        for table, ids in ((projects_table, project_ids), (labels_table, label_ids)):
            for row_id, color in zip(ids, spec["free_colors"], strict=False):
                unit.conn.execute(update(table).where(table.c.id == row_id).values(color=color))
    shared = project_ids[1] if spec["share"] and len(project_ids) > 1 else None
    if shared is not None:
        run(backend, owner, [cmd("share_project", {"project_id": shared, "email": member_email})])
        with backend.read() as conn:
            invitation = notifications.rows_since(conn, member, 0)[-1]
        secret = invitation["data"]["invitation_secret"]
        args = {"invitation_id": invitation["invitation_id"], "invitation_secret": secret}
        run(backend, member, [cmd("accept_invitation", args)])
    for spec_item in spec["items"]:
        add_item(backend, spec_item, owner, member, project_ids, label_ids, shared)
    if spec["archive_project"] and len(project_ids) > 2:
        run(backend, owner, [cmd("project_archive", {"id": project_ids[2]})])
    return owner, member


def add_item(
    backend: Backend,
    spec: dict[str, Any],
    owner: int,
    member: int,
    project_ids: list[int],
    label_ids: list[int],
    shared: int | None,
) -> None:
    project = project_ids[spec["project"] % len(project_ids)]
    author = member if spec["by_member"] and project == shared else owner
    args: dict[str, Any] = {
        "content": "t" + spec["content"],
        "project_id": project,
        "priority": spec["priority"],
        "indent": spec["indent"],
        **(spec["due"] or {}),
    }
    if author == owner:  # labels are personal: the member has none of the owner's
        args["labels"] = [label_ids[n] for n in spec["labels"] if n < len(label_ids)]
    if spec["responsible"] and project == shared:
        args["responsible_uid"] = member
    temp = str(uuid.uuid4())
    item_id = run(backend, author, [cmd("item_add", args, temp)])[temp]
    for content, attachment in spec["notes"]:
        note = {"item_id": item_id, "content": "n" + content, "uids_to_notify": [owner]}
        if attachment is not None:
            note["file_attachment"] = attachment
        run(backend, author, [cmd("note_add", note)])
    relative = spec["reminder"] is not None and "minute_offset" in spec["reminder"]
    if spec["reminder"] is not None and not (relative and spec["due"] is None):
        # (a relative reminder needs a due date)
        run(backend, author, [cmd("reminder_add", {"item_id": item_id, **spec["reminder"]})])
    then = {
        "complete": cmd("item_complete", {"ids": [item_id], "force_history": 0}),
        "archive": cmd("item_complete", {"ids": [item_id], "force_history": 1}),
        "delete": cmd("item_delete", {"ids": [item_id]}),
    }.get(spec["then"])
    if then is not None:
        run(backend, author, [then])
    if project != project_ids[0]:  # a project note too
        run(backend, author, [cmd("note_add", {"project_id": project, "content": "pn"})])


def both_ways(backend: Backend, user_id: int, kind: changes.Kind) -> tuple[bytes, bytes]:
    """The kind's full-read objects from the lean read, and from whole rows, encoded."""
    _columns, _from_tuples, from_row = fullsync.SHAPES[kind]
    with backend.read() as conn:
        seen = changes.view(conn, user_id, 0)
        lean = fullsync.rendered(conn, kind, user_id, 0, seen)
        whole = [from_row(row) for row in changes.rows_since(conn, kind, user_id, 0, seen)]
    return orjson.dumps(lean), orjson.dumps(whole)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=account)
def test_full_read_renders_as_whole_rows_do(backend: Backend, spec: dict[str, Any]) -> None:
    owner, member = build(backend, spec)
    for user_id in (owner, member):
        for kind in fullsync.SHAPES:
            lean, whole = both_ways(backend, user_id, kind)
            assert lean == whole, kind


def test_every_field_shape_is_covered(backend: Backend) -> None:
    """One fixed account holding each shape at once, so the property above cannot pass on
    accounts that happen to be empty."""
    spec = {
        "projects": [("Work", 3, 1), ("Home", 21, 2)],
        "free_colors": ["#123456", "#fedcba"],
        "labels": [("a", 0), ("b", 12)],
        "filters": [("f", 4)],
        "items": [
            {"content": "every", "due": {"date_string": "every monday"}, "priority": 4,
             "indent": 1, "project": 1, "labels": [0, 1], "responsible": True,
             "then": "keep", "notes": [("n", {"file_name": "a.txt", "size": 3})],
             "reminder": {"minute_offset": 30}, "by_member": True},
            {"content": "child", "due": {"due_date_utc": "2031-01-05T10:20:30"},
             "priority": 1, "indent": 2, "project": 1, "labels": [], "responsible": False,
             "then": "complete", "notes": [],
             "reminder": {"type": "absolute", "due_date_utc": "2031-01-05T10:20:30"},
             "by_member": False},
            {"content": "day", "due": {"date_string": "Jan 5 2031"}, "priority": 2,
             "indent": 1, "project": 0, "labels": [1], "responsible": False, "then": "keep",
             "notes": [], "reminder": {"type": "location", "name": "Home", "loc_lat": "52.5",
             "loc_long": "13.4", "loc_trigger": "on_enter", "radius": 100},
             "by_member": False},
            {"content": "no date", "due": None, "priority": 3, "indent": 3, "project": 1,
             "labels": [0], "responsible": False, "then": "keep", "notes": [("n", None)],
             "reminder": None, "by_member": False},
            {"content": "gone", "due": None, "priority": 1, "indent": 1, "project": 2,
             "labels": [], "responsible": False, "then": "archive", "notes": [],
             "reminder": None, "by_member": False},
        ],
        "share": True,
        "archive_project": True,
    }  # fmt: skip
    owner, member = build(backend, spec)
    seen: dict[str, list[Any]] = {}
    for user_id in (owner, member):
        for kind in fullsync.SHAPES:
            lean, whole = both_ways(backend, user_id, kind)
            assert lean == whole, kind
            seen.setdefault(kind, []).extend(orjson.loads(lean))
    items = seen["items"]
    assert {item["all_day"] for item in items} == {True, False}
    assert any(item["due_date_utc"] is None for item in items)
    assert any(item["labels"] for item in items) and any(item["checked"] for item in items)
    assert any(
        item["user_id"] != item["assigned_by_uid"] or item["responsible_uid"] for item in items
    )
    assert {r["type"] for r in seen["reminders"]} == {"relative", "absolute", "location"}
    assert any(n.get("file_attachment") for n in seen["notes"])
    assert any("item_id" not in n for n in seen["notes"])
    assert any(p["shared"] for p in seen["projects"]) and any(
        p["is_archived"] for p in seen["projects"]
    )
    assert any(p.get("inbox_project") for p in seen["projects"])
