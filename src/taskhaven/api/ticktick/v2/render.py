"""Core rows to V2 objects, with exactly the keys strict clients accept.

pyticktick 0.3.0 forbids unknown keys in every V2 answer, nested objects included, and
requires some keys even when null. Each function here emits the documented keys and no
others; tests validate the output against the client's own models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

from taskhaven.api.ticktick import codes as mapping
from taskhaven.api.ticktick.codes import format_v2
from taskhaven.core import hierarchy, labels, snapshot
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.ids import is_oid
from taskhaven.core.rows import Row


@lru_cache(maxsize=4096)
def _valid_rule(rule: str) -> bool:
    try:
        mapping.check_repeat_flag(rule)
    except InvalidArgument:
        return False
    return True


# --- projects and groups ----------------------------------------------------------------------


def project(
    row: Row, group_oids: Mapping[int, str], user_id: int, counts: Mapping[int, int]
) -> dict[str, Any]:
    """ProjectV2. ``closed`` is true for archived lists and null otherwise. A shared list
    counts its owner and active members in ``userCount``; a member (not the owner) has
    ``permission`` ``"write"`` (docs/sharing.md)."""
    group = row["group_id"]
    owner = row["user_id"] == user_id
    return {
        "id": row["oid"],
        "name": row["name"],
        "color": row["color"],
        "etag": mapping.etag(row["seq"]),
        "groupId": group_oids.get(group) if group is not None else None,
        "inAll": True,
        "kind": mapping.project_kind(row),
        "modifiedTime": format_v2(row["modified_at"]),
        "sortOption": None,
        "viewMode": row["view_mode"],
        "background": None,
        "barcodeNeedAudit": False,
        "isOwner": owner,
        "sortOrder": row["item_order"],
        "sortType": None,
        "userCount": counts.get(row["id"], 1),
        "closed": True if row["is_archived"] else None,
        "muted": bool(row["muted"]),
        "transferred": None,
        "notificationOptions": None,
        "teamId": None,
        "permission": None if owner else "write",
        "timeline": None,
        "needAudit": True,
        "openToTeam": False,
        "teamMemberPermission": None,
        "source": 1,
        "showType": None,
        "reminderType": None,
    }


def group(row: Row) -> dict[str, Any]:
    """ProjectGroupV2 (``sortType`` must be a non-empty string)."""
    return {
        "id": row["oid"],
        "etag": mapping.etag(row["seq"]),
        "name": row["name"],
        "showAll": bool(row["show_all"]),
        "sortOrder": row["sort_order"],
        "viewMode": row["view_mode"],
        "deleted": 1 if row["is_deleted"] else 0,
        "userId": row["user_id"],
        "sortType": "project",
        "sortOption": None,
        "teamId": None,
        "timeline": None,
        "background": None,
    }


# --- tags -------------------------------------------------------------------------------------


def tag(row: Row) -> dict[str, Any]:
    """TagV2 from a label: label names the Sync API allows but tags do not are sanitised."""
    label = mapping.tag_label_from_label_name(row["name"])
    return {
        "name": mapping.tag_name(label),
        "rawName": mapping.tag_name_from_label_name(row["raw_name"] or row["name"]),
        "label": label,
        "parent": mapping.tag_name_from_label_name(row["parent"]) if row["parent"] else None,
        "color": row["color"],
        "sortOrder": row["item_order"],
        "sortType": row["sort_type"]
        if row["sort_type"] in ("project", "title", "tag")
        else "project",
        "etag": mapping.etag(row["seq"]),
        "type": 1,
    }


# --- tasks ------------------------------------------------------------------------------------


@dataclass
class Related:
    """What rendering a set of tasks needs beyond their own rows, fetched in bulk."""

    user_id: int
    user_zone: str
    project_oids: dict[int, str] = field(default_factory=dict)
    item_oids: dict[int, str] = field(default_factory=dict)
    children: dict[int, list[str]] = field(default_factory=dict)
    tag_names: dict[int, str] = field(default_factory=dict)
    reminders: dict[int, list[Row]] = field(default_factory=dict)


def related(conn: Connection, user: Row, rows: Sequence[Row]) -> Related:
    ids = [row["id"] for row in rows]
    parents = {row["parent_id"] for row in rows if row["parent_id"] is not None}
    return Related(
        user_id=user["id"],
        user_zone=user["timezone"] or "UTC",
        project_oids=snapshot.project_oids(conn, user["id"], {r["project_id"] for r in rows}),
        item_oids=snapshot.item_oids(conn, user["id"], parents),
        children=hierarchy.child_oids(conn, user["id"], ids),
        tag_names={
            row["id"]: mapping.tag_name_from_label_name(row["name"])
            for row in labels.live(conn, user["id"])
        },
        reminders={k: list(v) for k, v in snapshot.reminders_of(conn, user["id"], ids).items()},
    )


def reminder_list(row: Row, found: Iterable[Row]) -> list[dict[str, Any]]:
    """ReminderV2 objects: the reminders a trigger-only client sees (core reminders.offsets)."""
    return [
        {"id": oid, "trigger": trigger}
        for oid, trigger in mapping.task_triggers(row, found).items()
    ]


def checklist_item(entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """ItemV2 from a stored checklist entry; None for an entry no client could read."""
    if not is_oid(entry.get("id")):
        return None
    status = entry.get("status")
    order = entry.get("sort_order")
    title = entry.get("title")
    start = entry.get("start_date")
    completed = entry.get("completed_at")
    all_day = entry.get("is_all_day")
    zone = entry.get("time_zone")
    return {
        "id": entry["id"],
        "title": title if isinstance(title, str) else None,
        "status": status if status in mapping.STATUSES else 0,
        "sortOrder": order if isinstance(order, int) and not isinstance(order, bool) else 0,
        "startDate": start if isinstance(start, str) else None,
        "isAllDay": all_day if isinstance(all_day, bool) else None,
        "timeZone": zone if isinstance(zone, str) and zone else None,
        "completedTime": completed if isinstance(completed, str) else None,
        "snoozeReminderTime": None,
    }


def task(row: Row, rel: Related) -> dict[str, Any]:
    """TaskV2 of a stored item."""
    zone_name = row["time_zone"] or rel.user_zone
    start, due = mapping.task_dates(row, mapping.shown_zone(zone_name))
    status = mapping.status_to_ticktick(row["status"])
    checklist = row["kind"] == "CHECKLIST"
    tags: list[str] = []
    for label_id in row["labels"] or []:
        name = rel.tag_names.get(label_id)
        if name is not None and name not in tags:
            tags.append(name)
    entries = [checklist_item(e) for e in row["checklist"] or [] if isinstance(e, Mapping)]
    rule = row["repeat_flag"]
    closed = mapping.is_closed(status)
    parent = row["parent_id"]
    return {
        "id": row["oid"],
        "projectId": rel.project_oids.get(row["project_id"], f"inbox{rel.user_id}"),
        "sortOrder": row["item_order"],
        "title": row["content"],
        "content": None if checklist else row["description"],
        "desc": row["description"] if checklist else None,
        "timeZone": zone_name,
        "isFloating": bool(row["is_floating"]),
        "isAllDay": mapping.task_all_day(row),
        "reminders": reminder_list(row, rel.reminders.get(row["id"], [])),
        "priority": mapping.priority_to_ticktick(row["priority"]),
        "status": status,
        "items": [e for e in entries if e is not None],
        "progress": row["progress"],
        "modifiedTime": format_v2(row["modified_at"]),
        "createdTime": format_v2(row["created_at"]),
        "etag": mapping.etag(row["seq"]),  # reminder, tag and sub-task changes stamp it
        "deleted": 1 if row["is_deleted"] else 0,
        "creator": row["author_id"] or row["user_id"],
        "assignee": row["responsible_uid"],
        "tags": tags,
        "kind": mapping.task_kind(row),
        "startDate": start,
        "dueDate": due,
        "repeatFlag": rule if rule and _valid_rule(rule) else None,
        "repeatFrom": row["repeat_from"] if row["repeat_from"] in (0, 1, 2) else None,
        "completedTime": format_v2(row["completed_at"]) if closed else None,
        "completedUserId": row["completed_by"] if closed else None,
        "parentId": rel.item_oids.get(parent) if parent is not None else None,
        "childIds": rel.children.get(row["id"], []),
        "attachments": [],
        "focusSummaries": [],
    }


def tasks(conn: Connection, user: Row, rows: Sequence[Row]) -> list[dict[str, Any]]:
    rel = related(conn, user, rows)
    return [task(row, rel) for row in rows]
