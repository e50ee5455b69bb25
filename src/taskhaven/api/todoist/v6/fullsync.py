"""A full sync's objects, rendered straight from the lean read (``changes.working_set``).

A full sync of a large account renders tens of thousands of rows. Here each kind reads only
the columns its v6 object shows, as plain tuples, and builds each object once, formatting
each distinct moment once (``timestamps.Formats``); the response is then encoded in one
``orjson`` pass. The objects are the ones ``render.py`` builds from a whole row, field for
field and in the same order: ``tests/v6/test_fullsync_render.py`` holds the two to each other
on random accounts. An incremental read (few rows, some of them marked deleted for a project
the user lost) keeps the row-by-row path.

What costs most in a large response is the garbage collector, not the work: every object
that holds a container is tracked, and tens of thousands of them surviving a read make it
sweep the whole heap again and again. So rows are rendered as they are fetched (the lean read
hands them on batch by batch), and JSON arrays stay the lean read's shared tuples: an object
holding only strings, numbers and such tuples is not tracked. The objects are for encoding;
the wire shows a tuple as the same array a list would be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection

from taskhaven.api.todoist.v6 import render
from taskhaven.api.todoist.v6.colors import (
    DEFAULT_LABEL_COLOR,
    DEFAULT_PROJECT_COLOR,
    LABEL_PALETTE,
    PROJECT_PALETTE,
    to_index,
)
from taskhaven.api.todoist.v6.timestamps import Formats
from taskhaven.core import changes
from taskhaven.core.limits import ReadTooLarge
from taskhaven.core.status import Status

Tuples = Iterable[Sequence[Any]]
Objects = list[dict[str, Any]]

_OPEN = int(Status.OPEN)


class _Colors(dict[str | None, int]):
    """``to_index`` of one palette, each distinct stored colour worked out once."""

    def __init__(self, palette: tuple[str, ...], default: int) -> None:
        super().__init__()
        self.palette, self.default = palette, default

    def __missing__(self, color: str | None) -> int:
        index = self[color] = to_index(color, self.palette, self.default)
        return index


ITEM_COLUMNS = (
    "id", "user_id", "author_id", "project_id", "content", "date_string", "date_lang",
    "due_at", "all_day", "priority", "indent", "item_order", "day_order", "collapsed",
    "labels", "assigned_by_uid", "responsible_uid", "status", "in_history", "is_deleted",
    "is_archived", "created_at",
)  # fmt: skip


def items(rows: Tuples) -> Objects:
    """``render.item`` of each row of ``ITEM_COLUMNS``."""
    moments = Formats()
    out: Objects = []
    append = out.append
    for (
        id_, user_id, author_id, project_id, content, date_string, date_lang, due_at, all_day,
        priority, indent, item_order, day_order, collapsed, labels, assigned_by_uid,
        responsible_uid, status, in_history, is_deleted, is_archived, created_at,
    ) in rows:  # fmt: skip
        due = moments[due_at]
        # The author: in a shared project the row is the owner's (core/visibility.py).
        author = author_id or user_id
        append(
            {
                "id": id_,
                "user_id": author,
                "project_id": project_id,
                "content": content,
                "date_string": date_string or "",
                "date_lang": date_lang,
                "due_date_utc": due,
                "due_date": due,
                "all_day": bool(all_day) if due_at else False,
                "priority": priority,
                "indent": indent,
                "item_order": item_order,
                "day_order": day_order,
                "collapsed": 1 if collapsed else 0,
                "children": None,
                "labels": labels or (),
                "assigned_by_uid": assigned_by_uid or author,
                "responsible_uid": responsible_uid,
                "checked": 1 if status != _OPEN else 0,
                "in_history": 1 if in_history else 0,
                "is_deleted": 1 if is_deleted else 0,
                "is_archived": 1 if is_archived else 0,
                "sync_id": None,
                "date_added": moments[created_at],
                "has_notifications": 0,
            }
        )
    return out


PROJECT_COLUMNS = (
    "id", "user_id", "name", "color", "indent", "item_order", "collapsed", "shared",
    "is_deleted", "is_archived", "archived_at", "is_inbox",
)  # fmt: skip


def projects(rows: Tuples) -> Objects:
    """``render.project`` of each row of ``PROJECT_COLUMNS``."""
    moments = Formats()
    colors = _Colors(PROJECT_PALETTE, DEFAULT_PROJECT_COLOR)
    out: Objects = []
    for (
        id_, user_id, name, color, indent, item_order, collapsed, shared, is_deleted,
        is_archived, archived_at, is_inbox,
    ) in rows:  # fmt: skip
        data: dict[str, Any] = {
            "id": id_,
            "user_id": user_id,
            "name": name,
            "color": colors[color],
            "indent": indent,
            "item_order": item_order,
            "collapsed": 1 if collapsed else 0,
            "shared": bool(shared),
            "is_deleted": 1 if is_deleted else 0,
            "is_archived": 1 if is_archived else 0,
            "archived_date": moments[archived_at],
            "archived_timestamp": int(archived_at.timestamp()) if archived_at else 0,
        }
        if is_inbox:
            data["inbox_project"] = True
        out.append(data)
    return out


LABEL_COLUMNS = ("id", "user_id", "name", "color", "item_order", "is_deleted")


def labels(rows: Tuples) -> Objects:
    """``render.label`` of each row of ``LABEL_COLUMNS``."""
    colors = _Colors(LABEL_PALETTE, DEFAULT_LABEL_COLOR)
    return [
        {
            "id": id_,
            "uid": user_id,
            "name": name,
            "color": colors[color],
            "item_order": item_order,
            "is_deleted": 1 if is_deleted else 0,
        }
        for id_, user_id, name, color, item_order, is_deleted in rows
    ]


FILTER_COLUMNS = ("id", "user_id", "name", "query", "color", "item_order", "is_deleted")


def filters(rows: Tuples) -> Objects:
    """``render.filter_`` of each row of ``FILTER_COLUMNS`` (the label palette, spec §3.5)."""
    colors = _Colors(LABEL_PALETTE, DEFAULT_LABEL_COLOR)
    return [
        {
            "id": id_,
            "user_id": user_id,
            "name": name,
            "query": query,
            "color": colors[color],
            "item_order": item_order,
            "is_deleted": 1 if is_deleted else 0,
        }
        for id_, user_id, name, query, color, item_order, is_deleted in rows
    ]


REMINDER_COLUMNS = (
    "id", "notify_uid", "user_id", "item_id", "service", "type", "date_string", "date_lang",
    "due_at", "minute_offset", "is_deleted", "name", "loc_lat", "loc_long", "loc_trigger",
    "radius",
)  # fmt: skip


def reminders(rows: Tuples) -> Objects:
    """``render.reminder`` of each row of ``REMINDER_COLUMNS``."""
    moments = Formats()
    out: Objects = []
    for (
        id_, notify_uid, user_id, item_id, service, type_, date_string, date_lang, due_at,
        minute_offset, is_deleted, name, loc_lat, loc_long, loc_trigger, radius,
    ) in rows:  # fmt: skip
        # Reminders fire on the minute: "Tue 18 May 2016 10:15:00 +0000" (spec §3.7).
        due = moments[due_at.replace(second=0, microsecond=0) if due_at else None]
        data: dict[str, Any] = {
            "id": id_,
            "notify_uid": notify_uid or user_id,
            "item_id": item_id,
            "service": service,
            "type": type_,
            "date_string": date_string,
            "date_lang": date_lang,
            "due_date_utc": due,
            "due_date": due,
            "mm_offset": minute_offset,
            "minute_offset": minute_offset,
            "is_deleted": 1 if is_deleted else 0,
        }
        if type_ == "location":
            data.update(
                name=name,
                loc_lat=loc_lat,
                loc_long=loc_long,
                loc_trigger=loc_trigger,
                radius=radius,
            )
        out.append(data)
    return out


NOTE_COLUMNS = (
    "id", "author_id", "user_id", "project_id", "content", "file_attachment",
    "uids_to_notify", "is_deleted", "is_archived", "posted_at", "item_id",
)  # fmt: skip


def notes(rows: Tuples) -> Objects:
    """``render.note`` of each row of ``NOTE_COLUMNS``."""
    moments = Formats()
    out: Objects = []
    for (
        id_, author_id, user_id, project_id, content, file_attachment, uids_to_notify,
        is_deleted, is_archived, posted_at, item_id,
    ) in rows:  # fmt: skip
        data: dict[str, Any] = {
            "id": id_,
            "posted_uid": author_id or user_id,
            "project_id": project_id,
            "content": content,
            "file_attachment": file_attachment,
            "uids_to_notify": uids_to_notify,
            "is_deleted": 1 if is_deleted else 0,
            "is_archived": 1 if is_archived else 0,
            "posted": moments[posted_at],
        }
        if item_id is not None:
            data["item_id"] = item_id
        out.append(data)
    return out


# Each kind: the columns of its lean read, the renderer of those tuples, and the renderer of
# a whole row (incremental reads).
Shape = tuple[Sequence[str], Callable[[Tuples], Objects], Callable[[Any], dict[str, Any]]]
SHAPES: dict[changes.Kind, Shape] = {
    "projects": (PROJECT_COLUMNS, projects, render.project),
    "items": (ITEM_COLUMNS, items, render.item),
    "labels": (LABEL_COLUMNS, labels, render.label),
    "notes": (NOTE_COLUMNS, notes, render.note),
    "filters": (FILTER_COLUMNS, filters, render.filter_),
    "reminders": (REMINDER_COLUMNS, reminders, render.reminder),
}


def rendered(
    conn: Connection,
    kind: changes.Kind,
    user_id: int,
    since: int,
    seen: changes.View,
    at_most: int | None = None,
) -> Objects:
    """The v6 objects of ``kind`` a read from ``since`` sends, newest change first
    (``at_most``: see ``changes.rows_since``)."""
    columns, from_tuples, from_row = SHAPES[kind]
    if since == 0:
        if at_most is not None:
            raise ReadTooLarge(kind)
        return from_tuples(changes.working_set(conn, kind, user_id, columns, seen))
    found = changes.rows_since(conn, kind, user_id, since, seen, at_most)
    return [from_row(row) for row in found]
