"""A TickTick task's fields into core item fields, for V1 and V2 alike.

Each version reads its own wire shape (V1 text timestamps, V2 pydantic datetimes) into
``TaskValues`` and calls ``task_changes``: the rules below are the protocol's, not a
version's. Merge semantics (spec §5 row 1): a None value keeps what is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from taskhaven.api.ticktick.codes.priorities import priority_from_ticktick
from taskhaven.api.ticktick.codes.rules import check_repeat_flag, check_time_zone
from taskhaven.api.ticktick.codes.statuses import status_from_ticktick
from taskhaven.core import dates, zones
from taskhaven.core.errors import InvalidDateArgument


@dataclass(frozen=True, kw_only=True)
class TaskValues:
    """What a client sent for a task, parsed; None is "not sent". Naive moments are
    wall-clock time in the task's zone (spec §5 row 6)."""

    title: str | None = None
    description: str | None = None
    kind: str | None = None
    time_zone: str | None = None
    due_date: datetime | None = None
    start_date: datetime | None = None
    is_all_day: bool | None = None
    is_floating: bool | None = None
    repeat_flag: str | None = None
    repeat_from: int | None = None
    priority: int | None = None
    progress: int | None = None
    sort_order: int | None = None
    status: int | None = None
    completed_time: datetime | None = None

    @classmethod
    def sent(cls, body: object, **read: Any) -> TaskValues:
        """The values of a version's parsed ``body``: each field the body has under the same
        name (one it lacks is not sent), except those the version ``read`` itself (text
        timestamps, the one text of ``content`` and ``desc``)."""
        names = [field.name for field in fields(cls)]
        return cls(**{name: getattr(body, name, None) for name in names} | read)


def task_text(content: str | None, desc: str | None, *, checklist: bool) -> str | None:
    """The one core text field of ``content`` and ``desc``: a checklist keeps its text in
    ``desc``, the other kinds in ``content``; the other key is the fallback."""
    first, second = (desc, content) if checklist else (content, desc)
    return first if first is not None else second


def task_zone(
    time_zone: str | None, current: Mapping[Any, Any] | None, user_zone: str | None
) -> ZoneInfo:
    """The zone of the task's naive moments: the one sent, else the stored one, else the
    user's, else UTC (call it once ``time_zone`` is checked)."""
    name = time_zone or (current["time_zone"] if current else None)
    return zones.zone_or_utc(name, user_zone)


def utc(moment: datetime, zone: ZoneInfo, argument: str) -> datetime:
    """Aware UTC of ``moment`` (naive: wall-clock time in ``zone``); a moment outside the
    calendar is an invalid ``argument``."""
    try:
        return dates.to_utc(moment, zone)
    except (ValueError, OverflowError) as exc:
        raise InvalidDateArgument(argument) from exc


def _same(value: Any) -> Any:
    return value


# TaskValues field, core item field, code to core meaning; in the order they are checked.
_CODED: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("is_floating", "is_floating", _same),
    ("repeat_flag", "repeat_flag", check_repeat_flag),
    ("repeat_from", "repeat_from", _same),
    ("priority", "priority", priority_from_ticktick),
    ("progress", "progress", _same),
    ("sort_order", "item_order", _same),
    ("status", "status", status_from_ticktick),
)


def task_changes(
    values: TaskValues, current: Mapping[Any, Any] | None, user_zone: str | None
) -> tuple[dict[str, Any], ZoneInfo]:
    """Core item fields for ``values`` over ``current`` (None for a new task), and the zone
    the task's naive moments are in. A new task always gets a title (``""`` if none)."""
    out: dict[str, Any] = {}
    if values.title is not None or current is None:
        out["content"] = values.title or ""
    for name, key in (("kind", "kind"), ("description", "description")):
        if getattr(values, name) is not None:
            out[key] = getattr(values, name)
    if values.time_zone is not None:
        out["time_zone"] = check_time_zone(values.time_zone)
    zone = task_zone(values.time_zone, current, user_zone)
    # The due date falls back on the start date; a missing all-day flag keeps the stored one.
    due = values.due_date if values.due_date is not None else values.start_date
    if due is not None:
        out["due_at"] = utc(due, zone, "dueDate")
    if due is not None or values.is_all_day is not None:
        out["all_day"] = values.is_all_day  # core: None keeps the stored flag
    if values.start_date is not None:
        out["start_at"] = utc(values.start_date, zone, "startDate")
    for name, key, convert in _CODED:
        value = getattr(values, name)
        if value is not None:
            out[key] = convert(value)
    if values.completed_time is not None:
        # Used when closing, or to correct a closed task's time; reopening clears it.
        out["completed_at"] = utc(values.completed_time, zone, "completedTime")
    return out, zone


class ChecklistSpec(Protocol):
    """The checklist item fields V1 and V2 send alike."""

    @property
    def title(self) -> str | None: ...

    @property
    def sort_order(self) -> int | None: ...

    @property
    def start_date(self) -> str | None: ...

    @property
    def is_all_day(self) -> bool | None: ...

    @property
    def time_zone(self) -> str | None: ...


def checklist_changes(
    item: ChecklistSpec,
    *,
    id: str | None,
    status: int | None,
    completed_time: datetime | None,
    zone: ZoneInfo,
) -> dict[str, Any]:
    """One checklist entry as sent, for core ``items.merge_checklist`` (``checklist_entry``
    builds the stored entry); ``id``, ``status`` and ``completed_time`` as each version
    reads them, a naive ``completed_time`` in the task's ``zone``."""
    return {
        "id": id,
        "title": item.title,
        "status": status,
        "sort_order": item.sort_order,
        "start_date": item.start_date,
        "is_all_day": item.is_all_day,
        "time_zone": item.time_zone,
        "completed_at": (
            utc(completed_time, zone, "items.completedTime") if completed_time is not None else None
        ),
    }
