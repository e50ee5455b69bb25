"""How V1 and V2 show a stored task or project: the rules both versions' answers follow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from taskhaven.api.ticktick.codes.timestamps import format_v2
from taskhaven.api.ticktick.codes.whole_day import whole_day_to_ticktick
from taskhaven.core import zones
from taskhaven.core.dates import as_utc

Row = Mapping[Any, Any]

TASK_KINDS = ("TEXT", "NOTE", "CHECKLIST")
PROJECT_KINDS = ("TASK", "NOTE")


def shown_zone(name: str | None) -> ZoneInfo:
    """The zone a task's dates are shown in; a name no longer known is shown as UTC."""
    return zones.zone_or_utc(name)


def task_kind(row: Row) -> str:
    return str(row["kind"]) if row["kind"] in TASK_KINDS else "TEXT"


def project_kind(row: Row) -> str:
    return str(row["kind"]) if row["kind"] in PROJECT_KINDS else "TASK"


def task_all_day(row: Row) -> bool:
    """``isAllDay``: only a task with a due date can be a whole day."""
    return bool(row["all_day"]) if row["due_at"] is not None else False


def task_dates(row: Row, zone: ZoneInfo) -> tuple[str | None, str | None]:
    """(startDate, dueDate). A whole day is named by its local midnight. The start is only
    shown while it still makes sense next to the due date, which the Sync API may have
    moved without knowing about starts; otherwise the due date stands for it."""
    due = row["due_at"]
    if due is None:
        return None, None
    shown_due = format_v2(whole_day_to_ticktick(due, zone) if row["all_day"] else due)
    start = row["start_at"]
    if start is None or as_utc(start) > as_utc(due):
        return shown_due, shown_due
    return format_v2(start), shown_due
