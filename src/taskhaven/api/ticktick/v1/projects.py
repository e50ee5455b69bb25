"""``project`` endpoints: the user's lists, one list, a list with its open tasks."""

from __future__ import annotations

from typing import Any

from taskhaven.api.ticktick import codes
from taskhaven.api.ticktick.v1 import render
from taskhaven.api.ticktick.v1.http import Call, parse
from taskhaven.api.ticktick.v1.models import CreateProject, ProjectFields
from taskhaven.core import listing, projects, sharing, snapshot, users


def list_projects(call: Call) -> Any:
    """The user's lists, without the inbox (V1 has never listed it)."""
    with call.backend.read() as conn:
        rows = [r for r in snapshot.live_projects(conn, call.user_id) if not r["is_inbox"]]
        return render.projects(conn, call.user_id, rows)


def get_project(call: Call) -> Any:
    with call.backend.read() as conn:
        row = projects.by_ref(conn, call.user_id, call.params["project_id"])
        return render.projects(conn, call.user_id, [row])[0]


def project_data(call: Call) -> Any:
    """The project, its undone tasks and its columns (none: kanban columns are not kept)."""
    with call.backend.read() as conn:
        row = projects.by_ref(conn, call.user_id, call.params["project_id"])
        user = users.get(conn, call.user_id)
        return {
            "project": render.projects(conn, call.user_id, [row])[0],
            "tasks": render.tasks(conn, user, listing.open_tasks(conn, call.user_id, row["id"])),
            "columns": [],
        }


def create_project(call: Call) -> Any:
    spec = parse(CreateProject, call.body)
    changes = codes.project_changes(spec)
    with call.backend.write(call.user_id) as unit:
        row = projects.add(
            unit,
            name=changes["name"],
            color=changes.get("color"),
            item_order=changes.get("item_order"),
            kind=changes.get("kind"),
            view_mode=changes.get("view_mode"),
        )
        return render.projects(unit.conn, call.user_id, [row])[0]


def update_project(call: Call) -> Any:
    """Merge: a null field keeps the stored value (spec §5 #2)."""
    spec = parse(ProjectFields, call.body)
    with call.backend.write(call.user_id) as unit:
        row = projects.by_ref(unit.conn, call.user_id, call.params["project_id"])
        row = projects.update_project(unit, row["id"], codes.project_changes(spec))
        return render.projects(unit.conn, call.user_id, [row])[0]


def delete_project(call: Call) -> None:
    """The project and its tasks go (spec §5 #12); the inbox cannot."""
    with call.backend.write(call.user_id) as unit:
        row = projects.by_ref(unit.conn, call.user_id, call.params["project_id"])
        sharing.delete_project(unit, row["id"])  # a member leaves it
