"""Completing, reopening and rescheduling items."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from taskhaven.core import dates, hierarchy, notifications, projects, users, visibility
from taskhaven.core.backend import Unit
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.items.due import (
    date_fields,
    end_of_day,
    item_zone,
    next_due,
    parse_date_string,
    series_ended,
)
from taskhaven.core.items.fields import MAX_DATE_STRING, check_bool, check_moment, check_text
from taskhaven.core.items.lookups import get, is_recurring
from taskhaven.core.items.writing import completion_values, next_order, parents_from_indents, touch
from taskhaven.core.rows import Row
from taskhaven.core.status import Status
from taskhaven.store.schema import items


def complete(unit: Unit, item_id: int, *, force_history: bool) -> None:
    """Check the item (recurring or not); ``force_history`` also moves it to history."""
    row = get(unit.conn, unit.user_id, item_id)
    status = Status(row["status"])
    values = completion_values(unit, row, status if status.is_done else Status.DONE)
    values["in_history"] = bool(force_history) or (status.is_closed and row["in_history"])
    touch(unit, item_id, values)
    if not status.is_closed:
        notifications.item_completed(unit, row, completed=True)


def uncomplete(
    unit: Unit,
    item_id: int,
    *,
    restore: tuple[Any, Any, Any, Any] | None = None,
    to_end: bool = True,
) -> None:
    """Reopen the item. ``restore`` = (in_history, checked, item_order, indent) wins when
    given; otherwise ``to_end`` gives an item coming back from history a fresh place (a
    checked sub-item that never left the list keeps its place)."""
    row = get(unit.conn, unit.user_id, item_id)
    values = completion_values(unit, row, Status.OPEN)
    if Status(row["status"]).is_closed:
        notifications.item_completed(unit, row, completed=False)
    if restore is not None:
        in_history, checked, item_order, indent = restore
        checked = check_bool(checked, "checked")
        values["item_order"] = projects.check_order(item_order)
        values["indent"] = projects.check_indent(indent)
        if checked:
            values.update(completion_values(unit, row, row["status"] or Status.DONE))
        # An open item is never in history (a full sync would hide it).
        values["in_history"] = check_bool(in_history, "in_history") and checked
    elif to_end and row["in_history"]:
        # Back from history: under its parent when that is still in the list, else at
        # the end of the project, top-level.
        parent = _listed_parent(unit.conn, unit.user_id, row)
        if parent is None:
            values.update(
                item_order=next_order(unit.conn, unit.user_id, row["project_id"]),
                indent=1,
                parent_id=None,
            )
        touch(unit, item_id, values)
        if parent is not None:
            hierarchy.set_parent(unit, item_id, parent)
        return
    touch(unit, item_id, values)
    if restore is not None:
        parents_from_indents(unit, row["project_id"])


def _listed_parent(conn: Connection, user_id: int, row: Row) -> int | None:
    """The item's parent if it is live, open and in the same project."""
    if row["parent_id"] is None:
        return None
    parent = (
        conn.execute(
            select(items.c.id).where(
                visibility.scope(items, user_id),
                items.c.id == row["parent_id"],
                items.c.project_id == row["project_id"],
                items.c.is_deleted.is_(False),
                items.c.in_history.is_(False),
            )
        )
        .scalars()
        .first()
    )
    return None if parent is None else int(parent)


def close(unit: Unit, item_id: int) -> None:
    """What the apps do on tap: a recurring item moves to its next occurrence; a sub-item
    is checked but stays in the list; any other item is checked and goes to history."""
    row = get(unit.conn, unit.user_id, item_id)
    if is_recurring(row) and not series_ended(unit, row):
        _reschedule(unit, row, new_date=None, date_string=None, forward=True)
    elif row["indent"] > 1 or row["parent_id"] is not None:
        complete(unit, item_id, force_history=False)
    else:
        complete(unit, item_id, force_history=True)


def update_date_complete(
    unit: Unit,
    item_id: int,
    *,
    new_date: datetime | None,
    date_string: str | None,
    is_forward: bool,
) -> None:
    """Complete one occurrence of a recurring item (``is_forward``) or undo one.

    The item stays open. ``new_date`` sets the due moment; without it the next occurrence
    is computed (from ``date_string`` when given, which is then stored as the item's).
    """
    row = get(unit.conn, unit.user_id, item_id)
    _reschedule(unit, row, new_date=new_date, date_string=date_string, forward=is_forward)


def _reschedule(
    unit: Unit,
    row: Row,
    *,
    new_date: datetime | None,
    date_string: str | None,
    forward: bool,
) -> None:
    values: dict[str, Any] = {"status": Status.OPEN.value, "in_history": False}
    text = row["date_string"]
    if date_string:
        check_text(date_string, "date_string", MAX_DATE_STRING)
        parsed = parse_date_string(unit, date_string, row["date_lang"])
        text = date_string if parsed is not None else None
        values["date_string"] = text
        values["repeat_flag"] = (
            dates.rule_to_rrule(parsed.rule) if parsed and parsed.rule is not None else None
        )
        if parsed is not None:
            values["all_day"] = parsed.all_day
        if new_date is None and parsed is not None and not parsed.recurring:
            new_date = parsed.moment
    if new_date is not None:
        moment = check_moment(new_date, "new_date")
        assert moment is not None
        if values.get("all_day", row["all_day"]):
            # A whole-day item stays whole-day: the end of the new date's local day.
            zone = item_zone(unit, row["time_zone"])
            moment = end_of_day(moment, zone)
        values["due_at"] = moment
    else:
        merged = {**row, **values}
        if not (dates.is_recurring(text) or merged["repeat_flag"]):
            raise InvalidArgument("id", "Invalid argument value: id (the item does not recur)")
        values["due_at"] = next_due(unit, merged, text)
        if forward and (left := dates.count_used(merged["repeat_flag"])) is not None:
            # "for 5 times": each completed occurrence uses one up.
            values.update(date_fields(unit, row, {"repeat_flag": left, "due_at": values["due_at"]}))
    if forward:
        users.add_completed(unit, 1)
        values["completed_at"] = unit.now
        values["completed_by"] = unit.user_id
    else:
        users.add_completed(unit, -1)
        values["completed_at"] = None
        values["completed_by"] = None
    touch(unit, row["id"], values)


def set_status(
    unit: Unit, item_id: int, status: int, *, completed_at: datetime | None = None
) -> None:
    """The V2 path: 0 reopens (clears completed_at/by), 1 or 2 complete (to history),
    -1 is "won't do". Recurrence is not advanced here; ``close`` does that."""
    row = get(unit.conn, unit.user_id, item_id)
    touch(unit, item_id, completion_values(unit, row, status, completed_at))
