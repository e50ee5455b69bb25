"""Adding and updating items: every field checked, dates kept consistent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping, insert

from taskhaven.core import hierarchy, notes, notifications, projects, rows
from taskhaven.core.backend import Unit
from taskhaven.core.items.due import date_fields, user_key
from taskhaven.core.items.fields import (
    check_content,
    check_moment,
    check_names,
    plain_fields,
)
from taskhaven.core.items.lookups import get
from taskhaven.core.items.moves import move
from taskhaven.core.items.writing import (
    after,
    cached_top_order,
    completion_values,
    parents_from_indents,
    top_order_key,
    touch,
    touch_day_orders,
)
from taskhaven.core.status import Status
from taskhaven.store.prepared import PreparedInsert
from taskhaven.store.schema import items


def add(
    unit: Unit,
    *,
    content: Any,
    project_id: int | None = None,
    oid: str | None = None,
    **fields: Any,
) -> RowMapping:
    """Create an item in a live project of the user (the Inbox when none is given).

    ``oid`` is a client-chosen string id, kept when well formed and free.
    """
    row_id, row = _add(unit, content, project_id, oid, fields, returning=True)
    if row is None:
        return get(unit.conn, unit.user_id, row_id)
    return row


def create(
    unit: Unit,
    *,
    content: Any,
    project_id: int | None = None,
    oid: str | None = None,
    **fields: Any,
) -> int:
    """``add`` for a caller that needs only the new item's id (the Sync API's
    ``item_add``): the same rules, without reading the row back."""
    return _add(unit, content, project_id, oid, fields, returning=False)[0]


def _add(
    unit: Unit,
    content: Any,
    project_id: int | None,
    oid: str | None,
    fields: Mapping[str, Any],
    *,
    returning: bool,
) -> tuple[int, RowMapping | None]:
    """The new item's id, and (``returning``) its row when nothing changed the row after
    the insert."""
    check_names(fields)
    conn = unit.conn
    project = projects.live(unit, project_id)
    values: dict[str, Any] = {"content": check_content(content)}
    values.update(plain_fields(unit, fields, item_id=None, project_id=project["id"]))
    values.update(date_fields(unit, None, fields))
    if fields.get("status") is not None:
        values.update(
            completion_values(
                unit,
                {"status": Status.OPEN, "completed_at": None, "completed_by": None},
                fields["status"],
                fields.get("completed_at"),
            )
        )
    top = cached_top_order(unit, project["id"])
    if values.get("item_order") is None:
        values["item_order"] = after(top)
    parent_id = values.pop("parent_id", None)
    oid = rows.fresh_oid(conn, items, oid)
    # A new row changes no row read before: the project and the user stay cached, and
    # the project's highest order is known without reading it again.
    seq = unit.stamp_keeping(projects.cache_key(project_id), user_key(unit))
    values.update(
        oid=oid,
        # The project owner's row, whoever writes it (core/visibility.py).
        user_id=project["user_id"],
        author_id=unit.user_id,
        project_id=project["id"],
        is_archived=bool(project["is_archived"]),
        created_at=unit.now,
        modified_at=unit.now,
        seq=seq,
    )
    row: RowMapping | None = None
    if returning:
        row = conn.execute(_INSERT, values).mappings().one()
        row_id = int(row["id"])
    else:
        row_id = unit.insert(_INSERT_ID, values)
    order = values["item_order"]
    unit.cache(top_order_key(project["id"]), (order if top is None else max(top, order),))
    if parent_id is not None:
        hierarchy.set_parent(unit, row_id, parent_id)
    elif values.get("indent", 1) > 1 or "item_order" in fields:
        parents_from_indents(unit, project["id"])
    if values.get("day_order", -1) != -1:
        touch_day_orders(unit)
    # Every change draws a stamp: none since the insert means the row is as returned.
    return row_id, row if unit.seqs.last == seq else None


# Prebuilt: building and coercing a statement per call cost more than running it.
_INSERT = insert(items).returning(items)
_INSERT_ID = PreparedInsert(items)  # a batch's item_add: the id alone, on the driver


def add_note(unit: Unit, item_id: int, content: Any) -> int:
    """A note on a live item (``item_add`` with an inline ``note``); returns its id."""
    return int(notes.add(unit, content=content, item_id=item_id)["id"])


def update_item(unit: Unit, item_id: int, changes: Mapping[str, Any]) -> RowMapping:
    """Update the given fields (core names) of a live item, each one checked.

    ``content`` and ``project_id`` are accepted too; a different ``project_id`` moves the
    item (with its sub-items) like ``move``. ``status`` follows ``set_status``.
    """
    check_names(changes, ("content", "project_id"))
    row = get(unit.conn, unit.user_id, item_id)
    target = changes.get("project_id")
    if target is not None and target != row["project_id"]:
        move(unit, item_id, target)
        row = get(unit.conn, unit.user_id, item_id)
    values: dict[str, Any] = {}
    if "content" in changes:
        values["content"] = check_content(changes["content"])
    values.update(plain_fields(unit, changes, item_id=item_id, project_id=row["project_id"]))
    values.update(date_fields(unit, row, changes))
    if changes.get("status") is not None:
        values.update(completion_values(unit, row, changes["status"], changes.get("completed_at")))
    elif changes.get("completed_at") is not None and row["status"] != Status.OPEN:
        values["completed_at"] = check_moment(changes["completed_at"], "completed_at")
    reparent = "parent_id" in values and values["parent_id"] != row["parent_id"]
    parent_id = values.pop("parent_id", None)
    if values:
        touch(unit, item_id, values)
        if "day_order" in values and values["day_order"] != row["day_order"]:
            touch_day_orders(unit)
    if reparent:
        # The parent link decides the place in the list (core/hierarchy.py).
        if parent_id is None:
            hierarchy.unset_parent(unit, item_id)
        else:
            hierarchy.set_parent(unit, item_id, parent_id)
    elif "indent" in values or "item_order" in values:
        parents_from_indents(unit, row["project_id"])
    updated = get(unit.conn, unit.user_id, item_id)
    _tell_members(unit, row, updated)
    return updated


def _tell_members(unit: Unit, before: RowMapping, after: RowMapping) -> None:
    """Live notifications for what other members of a shared project should hear."""
    if after["responsible_uid"] != before["responsible_uid"]:
        notifications.item_assigned(unit, after)
    if (after["status"] == Status.OPEN) != (before["status"] == Status.OPEN):
        notifications.item_completed(unit, after, completed=after["status"] != Status.OPEN)
