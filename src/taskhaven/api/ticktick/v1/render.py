"""Core rows to V1 objects (spec §1.4): required keys always, absent optional ones omitted.

V1 knows fewer states than the core: a task is 0 (open) or 2 (closed, whatever the closing),
a checklist item 0 or 1 (spec §5 #3), so no stored state can crash a strict client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from taskhaven.api.ticktick import codes
from taskhaven.core import groups, member_view, snapshot
from taskhaven.core.ids import is_oid

Row = Mapping[Any, Any]


def project(row: Row, group_oids: Mapping[int, str]) -> dict[str, Any]:
    """ProjectV1."""
    group = row["group_id"]
    data: dict[str, Any] = {
        "id": row["oid"],
        "name": row["name"],
        "color": row["color"],
        "sortOrder": row["item_order"],
        "closed": bool(row["is_archived"]),
        "groupId": group_oids.get(group) if group is not None else None,
        "viewMode": row["view_mode"]
        if row["view_mode"] in ("list", "kanban", "timeline")
        else "list",
        "permission": "write",
        "kind": codes.project_kind(row),
    }
    if row["is_inbox"]:
        data["id"] = f"inbox{row['user_id']}"
    return data


def projects(conn: Connection, user_id: int, rows: Iterable[Row]) -> list[dict[str, Any]]:
    """V1 projects as the user sees them (a member's own ``sortOrder``: docs/sharing.md)."""
    group_oids = groups.oids(conn, user_id)
    return [project(row, group_oids) for row in member_view.seen_by(conn, user_id, rows)]


@dataclass
class Related:
    user_id: int
    user_zone: str
    project_oids: dict[int, str] = field(default_factory=dict)
    reminders: dict[int, list[Row]] = field(default_factory=dict)


def related(conn: Connection, user: Row, rows: Iterable[Row]) -> Related:
    rows = list(rows)
    return Related(
        user_id=user["id"],
        user_zone=user["timezone"] or "UTC",
        project_oids=snapshot.project_oids(conn, user["id"], {r["project_id"] for r in rows}),
        reminders={
            k: list(v)
            for k, v in snapshot.reminders_of(conn, user["id"], [r["id"] for r in rows]).items()
        },
    )


def item(entry: Mapping[str, Any], zone_name: str) -> dict[str, Any] | None:
    """ItemV1 from a stored checklist entry; None for an entry no client could read."""
    if not is_oid(entry.get("id")):
        return None
    order = entry.get("sort_order")
    title = entry.get("title")
    data: dict[str, Any] = {
        "id": entry["id"],
        "title": title if isinstance(title, str) else "",
        "status": codes.checklist_status_to_v1(entry.get("status")),
        "isAllDay": bool(entry.get("is_all_day")),
        "sortOrder": order if isinstance(order, int) and not isinstance(order, bool) else 0,
        "timeZone": entry.get("time_zone") or zone_name,
    }
    if isinstance(entry.get("start_date"), str):
        data["startDate"] = entry["start_date"]
    if data["status"] and isinstance(entry.get("completed_at"), str):
        data["completedTime"] = entry["completed_at"]
    return data


def task(row: Row, rel: Related) -> dict[str, Any]:
    """TaskRespV1 of a stored item (``deleted: 1`` when it is in the trash, spec §5 #4)."""
    zone_name = row["time_zone"] or rel.user_zone
    status = codes.status_to_v1(row["status"])
    checklist = row["kind"] == "CHECKLIST"
    data: dict[str, Any] = {
        "id": row["oid"],
        "projectId": rel.project_oids.get(row["project_id"], f"inbox{rel.user_id}"),
        "title": row["content"],
        "isAllDay": codes.task_all_day(row),
        "priority": codes.priority_to_ticktick(row["priority"]),
        "sortOrder": row["item_order"],
        "status": status,
        "timeZone": zone_name,
        "kind": codes.task_kind(row),
        "etag": codes.etag(row["seq"]),
    }
    if row["description"]:
        data["desc" if checklist else "content"] = row["description"]
    start, due = codes.task_dates(row, codes.shown_zone(zone_name))
    if due is not None:
        data["dueDate"] = due
        data["startDate"] = start
    triggers = list(codes.task_triggers(row, rel.reminders.get(row["id"], [])).values())
    if triggers:
        data["reminders"] = triggers
    if row["repeat_flag"]:
        data["repeatFlag"] = row["repeat_flag"]
    entries = [item(e, zone_name) for e in row["checklist"] or [] if isinstance(e, Mapping)]
    if entries:
        data["items"] = [e for e in entries if e is not None]
    if status == codes.COMPLETED and row["completed_at"] is not None:
        data["completedTime"] = codes.format_v2(row["completed_at"])
    if row["is_deleted"]:
        data["deleted"] = 1
    return data


def tasks(conn: Connection, user: Row, rows: Iterable[Row]) -> list[dict[str, Any]]:
    rows = list(rows)
    rel = related(conn, user, rows)
    return [task(row, rel) for row in rows]
