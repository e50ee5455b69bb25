"""Core rows to Sync API v6 objects (field names and types exactly as v6 clients expect)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from taskhaven.api.todoist.v6.colors import (
    DEFAULT_LABEL_COLOR,
    DEFAULT_PROJECT_COLOR,
    LABEL_PALETTE,
    PROJECT_PALETTE,
    to_index,
)
from taskhaven.api.todoist.v6.timestamps import format_v6
from taskhaven.core import users, zones
from taskhaven.core.rows import Row
from taskhaven.core.status import Status


def _flag(value: Any) -> int:
    return 1 if value else 0


def _epoch(moment: datetime | None) -> int:
    return int(moment.timestamp()) if moment else 0


def project(row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row["id"],
        "user_id": row["user_id"],
        "name": row["name"],
        "color": to_index(row["color"], PROJECT_PALETTE, DEFAULT_PROJECT_COLOR),
        "indent": row["indent"],
        "item_order": row["item_order"],
        "collapsed": _flag(row["collapsed"]),
        "shared": bool(row.get("shared")),
        "is_deleted": _flag(row["is_deleted"]),
        "is_archived": _flag(row["is_archived"]),
        "archived_date": format_v6(row["archived_at"]),
        "archived_timestamp": _epoch(row["archived_at"]),
    }
    if row["is_inbox"]:
        data["inbox_project"] = True
    return data


def item(row: Row) -> dict[str, Any]:
    due = format_v6(row["due_at"])
    return {
        "id": row["id"],
        # The author: in a shared project the row is the owner's (core/visibility.py).
        "user_id": row.get("author_id") or row["user_id"],
        "project_id": row["project_id"],
        "content": row["content"],
        "date_string": row["date_string"] or "",
        "date_lang": row["date_lang"],
        "due_date_utc": due,
        "due_date": due,
        "all_day": bool(row["all_day"]) if row["due_at"] else False,
        "priority": row["priority"],
        "indent": row["indent"],
        "item_order": row["item_order"],
        "day_order": row["day_order"],
        "collapsed": _flag(row["collapsed"]),
        "children": None,
        "labels": list(row["labels"] or []),
        "assigned_by_uid": row["assigned_by_uid"] or row.get("author_id") or row["user_id"],
        "responsible_uid": row["responsible_uid"],
        "checked": _flag(row["status"] != Status.OPEN),
        "in_history": _flag(row["in_history"]),
        "is_deleted": _flag(row["is_deleted"]),
        "is_archived": _flag(row["is_archived"]),
        "sync_id": None,
        "date_added": format_v6(row["created_at"]),
        "has_notifications": 0,
    }


def _palette_tail(row: Row) -> dict[str, Any]:
    """The last fields of a label and of a filter (filters use the label palette, §3.5)."""
    return {
        "color": to_index(row["color"], LABEL_PALETTE, DEFAULT_LABEL_COLOR),
        "item_order": row["item_order"],
        "is_deleted": _flag(row["is_deleted"]),
    }


def label(row: Row) -> dict[str, Any]:
    return {"id": row["id"], "uid": row["user_id"], "name": row["name"], **_palette_tail(row)}


def note(row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row["id"],
        "posted_uid": row.get("author_id") or row["user_id"],
        "project_id": row["project_id"],
        "content": row["content"],
        "file_attachment": row["file_attachment"],
        "uids_to_notify": row["uids_to_notify"],
        "is_deleted": _flag(row["is_deleted"]),
        "is_archived": _flag(row["is_archived"]),
        "posted": format_v6(row["posted_at"]),
    }
    if row["item_id"] is not None:
        data["item_id"] = row["item_id"]
    return data


def filter_(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "user_id": row["user_id"],
        "name": row["name"],
        "query": row["query"],
        **_palette_tail(row),
    }


def reminder(row: Row) -> dict[str, Any]:
    # Reminders fire on the minute: "Tue 18 May 2016 10:15:00 +0000" (spec §3.7).
    moment = row["due_at"]
    due = format_v6(moment.replace(second=0, microsecond=0) if moment else None)
    data: dict[str, Any] = {
        "id": row["id"],
        "notify_uid": row["notify_uid"] or row["user_id"],
        "item_id": row["item_id"],
        "service": row["service"],
        "type": row["type"],
        "date_string": row["date_string"],
        "date_lang": row["date_lang"],
        "due_date_utc": due,
        "due_date": due,
        "mm_offset": row["minute_offset"],
        "minute_offset": row["minute_offset"],
        "is_deleted": _flag(row["is_deleted"]),
    }
    if row["type"] == "location":
        data.update(
            name=row["name"],
            loc_lat=row["loc_lat"],
            loc_long=row["loc_long"],
            loc_trigger=row["loc_trigger"],
            radius=row["radius"],
        )
    return data


def tz_offset(timezone: str, now: datetime) -> list[Any]:
    local = now.astimezone(zones.zone_or_utc(timezone))
    offset = local.utcoffset()
    minutes_total = int(offset.total_seconds() // 60) if offset else 0
    sign = "-" if minutes_total < 0 else "+"
    hours, minutes = divmod(abs(minutes_total), 60)
    dst = local.dst()
    return [
        f"{sign}{hours:02d}:{minutes:02d}",
        hours if sign == "+" else -hours,
        minutes,
        1 if dst and dst.total_seconds() else 0,
    ]


def user(row: Row, token: str, now: datetime, completed_today: int = 0) -> dict[str, Any]:
    prefs = users.prefs(row)
    return {
        "id": row["id"],
        "token": token,
        "email": row["email"],
        "full_name": row["full_name"],
        "inbox_project": row["inbox_project_id"],
        "timezone": row["timezone"],
        "tz_offset": tz_offset(row["timezone"], now),
        **prefs,
        "has_push_reminders": False,
        "completed_count": row["completed_count"],
        "completed_today": completed_today,
        "karma": float(row["karma"]),
        "karma_trend": "-",
        "is_premium": True,
        "premium_until": None,
        "is_biz_admin": False,
        "business_account_id": None,
        "image_id": None,
        "guide_mode": False,
        "restriction": 3,
        "features": {},
        "beta": 0,
        "is_dummy": 0,
        "join_date": format_v6(row["created_at"]),
    }


def live_notification(row: Row, senders: Mapping[int, Row]) -> dict[str, Any]:
    """One live notification (spec §3.8): the common fields, then its kind's."""
    data: dict[str, Any] = dict(row["data"] or {})
    sender = senders.get(row["from_uid"])
    out: dict[str, Any] = {
        "id": row["id"],
        "notification_key": f"notification_{row['id']}",
        "notification_type": row["kind"],
        "created": _epoch(row["created_at"]),
        "from_uid": row["from_uid"],
        "seq_no": row["seq"],
        "is_unread": _flag(row["is_unread"]),
        "is_deleted": _flag(row["is_deleted"]),
    }
    if sender is not None:
        out["from_user"] = {
            "id": sender["id"],
            "email": sender["email"],
            "full_name": sender["full_name"],
            "image_id": None,
        }
    if row["project_id"] is not None:
        out["project_id"] = row["project_id"]
    if row["invitation_id"] is not None:
        out["invitation_id"] = row["invitation_id"]
    if row["state"] is not None:
        out["state"] = row["state"]
    data.pop("from_user", None)
    data.pop("from_uid", None)
    out.update(data)
    return out


def collaborator(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "email": row["email"],
        "full_name": row["full_name"],
        "timezone": row["timezone"],
        "image_id": None,
    }


def collaborator_state(state: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "project_id": state["project_id"],
        "user_id": state["user_id"],
        "state": state["state"],
        "is_deleted": False,
    }
