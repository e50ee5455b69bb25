"""Checklist entries (an item's ``checklist`` column): one dict per entry, core names:
id (24-hex), title, status (task codes), sort_order, start_date (text as sent),
is_all_day, time_zone, completed_at (TickTick timestamp text).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from taskhaven.api.ticktick.codes.rules import check_time_zone
from taskhaven.api.ticktick.codes.statuses import OPEN, check_status
from taskhaven.api.ticktick.codes.timestamps import format_v2
from taskhaven.core import columns
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.ids import is_oid, new_oid
from taskhaven.core.items import check_text
from taskhaven.core.limits import MAX_BIGINT

MAX_CHECKLIST_TITLE = columns.CHECKLIST_TITLE.limit
MAX_CHECKLIST_TEXT = columns.CHECKLIST_TEXT.limit
CHECKLIST_FIELDS = (
    "title",
    "status",
    "sort_order",
    "start_date",
    "is_all_day",
    "time_zone",
    "completed_at",
)


def checklist_entry(
    fields: Mapping[str, Any], previous: Mapping[str, Any] | None, now: datetime
) -> dict[str, Any]:
    """A checked entry: ``fields`` (core names, None = keep) merged over ``previous``.

    Closing an entry without a completion time stamps ``now``; reopening clears it.
    """
    entry: dict[str, Any] = dict(previous or {})
    oid = entry.get("id") or fields.get("id") or new_oid()
    if not is_oid(oid):
        raise InvalidArgument("items.id", "Invalid argument value: items.id (24 hex characters)")
    entry["id"] = oid
    entry.setdefault("title", "")
    entry.setdefault("status", OPEN)
    entry.setdefault("sort_order", 0)
    for key in ("start_date", "is_all_day", "time_zone", "completed_at"):
        entry.setdefault(key, None)
    if fields.get("title") is not None:
        entry["title"] = check_text(fields["title"], "items.title", MAX_CHECKLIST_TITLE)
    if fields.get("sort_order") is not None:
        order = fields["sort_order"]
        if isinstance(order, bool) or not isinstance(order, int) or abs(order) > MAX_BIGINT:
            raise InvalidArgument("items.sortOrder")
        entry["sort_order"] = order
    if fields.get("start_date") is not None:
        entry["start_date"] = check_text(
            fields["start_date"], "items.startDate", MAX_CHECKLIST_TEXT
        )
    if fields.get("is_all_day") is not None:
        entry["is_all_day"] = bool(fields["is_all_day"])
    if fields.get("time_zone") is not None:
        entry["time_zone"] = check_time_zone(fields["time_zone"], "items.timeZone")
    completed = fields.get("completed_at")
    if fields.get("status") is not None:
        status = check_status(fields["status"])
        if status == OPEN:
            entry["completed_at"] = None
        elif entry["status"] == OPEN or completed is not None:
            entry["completed_at"] = format_v2(completed or now)
        entry["status"] = status
    elif completed is not None and entry["status"] != OPEN:
        entry["completed_at"] = format_v2(completed)
    return entry
