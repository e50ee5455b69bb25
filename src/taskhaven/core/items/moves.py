"""Deleting and moving an item with its sub-items; places in the project and the day."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, select, true, update

from taskhaven.core import departures, projects, tree, visibility
from taskhaven.core.backend import Unit
from taskhaven.core.items.fields import check_int
from taskhaven.core.items.lookups import get
from taskhaven.core.items.writing import (
    next_order,
    parents_from_indents,
    stamp,
    touch,
    touch_day_orders,
)
from taskhaven.core.limits import MAX_BIGINT, MAX_INDENT, MAX_INT32
from taskhaven.core.rows import Row
from taskhaven.store.schema import items, reminders
from taskhaven.store.schema import notes as notes_table


def _subtree(conn: Connection, user_id: int, row: Row) -> list[int]:
    """The item and its sub-items, in list order: the v6 flat tree (the items after it in
    the project, by ``item_order``, with a deeper indent) plus its ``parent_id`` descendants."""
    found: list[int] = [row["id"]]
    if not row["in_history"]:
        listing = conn.execute(
            select(items.c.id, items.c.indent)
            .where(
                visibility.scope(items, user_id),
                items.c.project_id == row["project_id"],
                items.c.is_deleted.is_(False),
                items.c.in_history.is_(False),
            )
            .order_by(items.c.item_order, items.c.id)
        ).all()
        found = tree.indented_block(listing, row["id"]) or found
    frontier = list(found)
    while frontier:
        children = conn.execute(
            select(items.c.id)
            .where(
                visibility.scope(items, user_id),
                items.c.parent_id.in_(frontier),
                items.c.is_deleted.is_(False),
            )
            .order_by(items.c.item_order, items.c.id)
        ).scalars()
        frontier = [child for child in children if child not in found]
        found.extend(frontier)
    return found


def delete(unit: Unit, item_id: int) -> None:
    """Soft-delete the item, its sub-items, and their notes and reminders.

    Deleting an item that is already deleted succeeds and changes nothing: deleting a
    parent takes its children along, and a client may name both in one ``item_delete``.
    """
    row = get(unit.conn, unit.user_id, item_id, live=False)
    if row["is_deleted"]:
        return
    family = _subtree(unit.conn, unit.user_id, row)
    touch(unit, family, {"is_deleted": True})
    seq = unit.stamp()
    for table in (notes_table, reminders):
        _attached(unit, table, family, is_deleted=True, seq=seq)


def _attached(unit: Unit, table: Table, family: list[int], **values: Any) -> None:
    """Write ``values`` to the user's live rows of ``table`` attached to the items of
    ``family`` (their notes or reminders)."""
    # Notes follow their item's visibility; reminders are personal, and every member's
    # reminders on a deleted item go with it (docs/sharing.md).
    scope = visibility.scope(table, unit.user_id) if table is notes_table else true()
    unit.conn.execute(
        update(table)
        .where(
            scope,
            table.c.item_id.in_(family),
            table.c.is_deleted.is_(False),
        )
        .values(**values)
    )


def move(unit: Unit, item_id: int, to_project_id: int) -> None:
    """Move the item and its sub-items to the end of another live project of the user.

    Relative indents are kept, with the moved item at indent 1; its ``parent_id`` is
    dropped (the parent stays behind). The notes of the moved items follow them.
    """
    row = get(unit.conn, unit.user_id, item_id)
    target = projects.get(unit.conn, unit.user_id, to_project_id)
    if target["id"] == row["project_id"]:
        return
    family = _subtree(unit.conn, unit.user_id, row)
    indents = dict(
        unit.conn.execute(select(items.c.id, items.c.indent).where(items.c.id.in_(family))).all()
    )
    # A member who sees the old project but not the new one must hear that they left.
    departures.record(unit, items, family, row["project_id"], target["id"])
    moved_notes = unit.conn.execute(
        select(notes_table.c.id).where(notes_table.c.item_id.in_(family))
    ).scalars()
    departures.record(unit, notes_table, moved_notes, row["project_id"], target["id"])
    start = next_order(unit.conn, unit.user_id, target["id"])
    for position, member in enumerate(family):
        values: dict[str, Any] = {
            "project_id": target["id"],
            "item_order": min(start + position, MAX_BIGINT),
            "indent": max(1, min(MAX_INDENT, indents[member] - row["indent"] + 1)),
            "is_archived": bool(target["is_archived"]),
            # Rows belong to their project's owner (core/visibility.py).
            "user_id": target["user_id"],
        }
        if member == item_id:
            values["parent_id"] = None
        touch(unit, member, values)
    # The parent stays behind with one sub-task fewer; the moved row no longer names it, so
    # a reader of changed rows cannot find it: stamp it.
    stamp(unit, [row["parent_id"]])
    archived = bool(target["is_archived"])
    _attached(
        unit,
        notes_table,
        family,
        project_id=target["id"],
        user_id=target["user_id"],
        is_archived=archived,
        seq=unit.stamp(),
    )


def set_order_indent(unit: Unit, item_id: int, item_order: Any, indent: Any) -> None:
    row = get(unit.conn, unit.user_id, item_id)
    order, depth = projects.check_order(item_order), projects.check_indent(indent)
    touch(unit, item_id, {"item_order": order, "indent": depth})
    parents_from_indents(unit, row["project_id"])


def set_day_order(unit: Unit, item_id: int, day_order: Any) -> None:
    """Place the item in the Today / Next 7 days views (-1 = no place of its own)."""
    get(unit.conn, unit.user_id, item_id)
    touch(unit, item_id, {"day_order": check_int(day_order, "day_order", -1, MAX_INT32)})
    touch_day_orders(unit)
