"""Notes (TickTick: comments): text and an optional file on an item or on a project.

An item note's ``project_id`` is its item's project; a project note has ``item_id`` None.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping, insert

from taskhaven.core import columns, notifications, projects, rows
from taskhaven.core.backend import Unit
from taskhaven.core.errors import InvalidArgument, MissingArgument
from taskhaven.core.limits import MAX_BIGINT
from taskhaven.store.schema import items, notes

MAX_CONTENT = columns.length("notes", "content")
MAX_ATTACHMENT_KEYS = 50
MAX_NOTIFY = 1000
_POSTED = (notes.c.posted_at, notes.c.id)


def get(conn: Connection, user_id: int, note_id: int, *, live: bool = True) -> RowMapping:
    return rows.owned(conn, notes, user_id, note_id, "note", live=live)


def by_oid(conn: Connection, user_id: int, oid: str, *, live: bool = True) -> RowMapping:
    return rows.owned_by_oid(conn, notes, user_id, oid, "note", live=live)


def _check_content(value: Any, *, has_file: bool) -> str:
    # A note may be only a file; otherwise it needs some text.
    return rows.text(value, "content", max_length=MAX_CONTENT, allow_empty=has_file)


def _check_attachment(value: Any) -> dict[str, Any] | None:
    """Stored as the client sent it, within bounds: an object of scalars and short lists."""
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) > MAX_ATTACHMENT_KEYS:
        raise InvalidArgument("file_attachment")
    for key, item in value.items():
        rows.text(key, "file_attachment", max_length=columns.ATTACHMENT.limit)
        _check_attachment_value(item)
    return value


def _check_attachment_value(value: Any, depth: int = 0) -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        # NaN and infinities are not JSON; PostgreSQL's json type would refuse them.
        if not math.isfinite(value):
            raise InvalidArgument("file_attachment")
        return
    if isinstance(value, str):
        rows.text(value, "file_attachment", max_length=columns.ATTACHMENT.limit, allow_empty=True)
        return
    if isinstance(value, list) and depth == 0 and len(value) <= 10:
        # Thumbnails are [url, width, height].
        for element in value:
            _check_attachment_value(element, depth + 1)
        return
    raise InvalidArgument("file_attachment")


def _check_notify(value: Any) -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_NOTIFY:
        raise InvalidArgument("uids_to_notify")
    for uid in value:
        if isinstance(uid, bool) or not isinstance(uid, int) or not 0 < uid <= MAX_BIGINT:
            raise InvalidArgument("uids_to_notify")
    return list(value)


def add(
    unit: Unit,
    *,
    content: Any,
    item_id: int | None = None,
    project_id: int | None = None,
    file_attachment: Any = None,
    uids_to_notify: Any = None,
    oid: str | None = None,
) -> RowMapping:
    """A note on a live item (``item_id`` wins when both are given) or on a live project."""
    attachment = _check_attachment(file_attachment)
    text = _check_content(content, has_file=attachment is not None)
    if item_id is not None:
        # The lookup core.items.get makes; core.items imports this module (add_note).
        item = rows.owned(unit.conn, items, unit.user_id, item_id, "item")
        project_id = item["project_id"]
        archived = bool(item["is_archived"])
        owner = item["user_id"]
    elif project_id is not None:
        project = projects.get(unit.conn, unit.user_id, project_id)
        archived = bool(project["is_archived"])
        owner = project["user_id"]
    else:
        raise MissingArgument("item_id")
    row_id = unit.conn.execute(
        insert(notes)
        .values(
            oid=rows.fresh_oid(unit.conn, notes, oid),
            # The project owner's row, whoever posts it (core/visibility.py).
            user_id=owner,
            author_id=unit.user_id,
            item_id=item_id,
            project_id=project_id,
            content=text,
            file_attachment=attachment,
            uids_to_notify=_check_notify(uids_to_notify),
            is_archived=archived,
            posted_at=unit.now,
            seq=unit.stamp(),
        )
        .returning(notes.c.id)
    ).scalar_one()
    note = get(unit.conn, unit.user_id, row_id)
    notifications.note_added(unit, note)
    return note


def update_note(unit: Unit, note_id: int, changes: Mapping[str, Any]) -> RowMapping:
    """Change ``content``, ``file_attachment`` or ``uids_to_notify``; other keys are ignored."""
    row = get(unit.conn, unit.user_id, note_id)
    values: dict[str, Any] = {}
    if "file_attachment" in changes:
        values["file_attachment"] = _check_attachment(changes["file_attachment"])
    has_file = values.get("file_attachment", row["file_attachment"]) is not None
    if "content" in changes:
        values["content"] = _check_content(changes["content"], has_file=has_file)
    elif not has_file and not row["content"].strip():
        # Removing the file of a file-only note would leave an empty note.
        raise InvalidArgument("content", "Invalid argument value: content (must not be empty)")
    if "uids_to_notify" in changes:
        values["uids_to_notify"] = _check_notify(changes["uids_to_notify"])
    rows.touch(unit, notes, note_id, values)
    return get(unit.conn, unit.user_id, note_id)


def delete(unit: Unit, note_id: int) -> None:
    get(unit.conn, unit.user_id, note_id)
    rows.touch(unit, notes, note_id, {"is_deleted": True})


def for_item(conn: Connection, user_id: int, item_id: int) -> list[RowMapping]:
    """The item's live notes, oldest first (the order they were posted in)."""
    return rows.live(conn, notes, user_id, notes.c.item_id == item_id, order_by=_POSTED)


def for_project(conn: Connection, user_id: int, project_id: int) -> list[RowMapping]:
    """The project's live project notes (not the notes of its items), oldest first."""
    mine = (notes.c.project_id == project_id, notes.c.item_id.is_(None))
    return rows.live(conn, notes, user_id, *mine, order_by=_POSTED)
