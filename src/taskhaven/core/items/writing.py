"""The low-level item writes every operation shares: the stamp, list places, day orders,
status columns and the parent links a flat (v6) list implies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, func, select, update

from taskhaven.core import tree, users, visibility
from taskhaven.core.backend import Unit
from taskhaven.core.items.fields import check_moment
from taskhaven.core.limits import MAX_BIGINT
from taskhaven.core.rows import Row
from taskhaven.core.status import Status, check_status
from taskhaven.store.schema import items
from taskhaven.store.schema import users as users_table


def touch(unit: Unit, item_ids: int | Iterable[int], values: Mapping[str, Any]) -> None:
    wanted = [item_ids] if isinstance(item_ids, int) else list(item_ids)
    if not wanted:
        return
    unit.conn.execute(
        update(items)
        .where(visibility.scope(items, unit.user_id), items.c.id.in_(wanted))
        .values(seq=unit.stamp(), modified_at=unit.now, **values)
    )


def stamp(unit: Unit, item_ids: Iterable[int | None]) -> None:
    """Give the items a fresh ``seq`` because something a task carries changed (a reminder,
    a label's name); ``modified_at`` stays, the row itself did not change.

    Invariant: such a change stamps the task in the same unit, so the V2 etag and "did this
    task change since S" are plain reads of ``seq``.
    """
    wanted = sorted({item_id for item_id in item_ids if item_id is not None})
    if wanted:
        unit.conn.execute(
            update(items)
            .where(visibility.scope(items, unit.user_id), items.c.id.in_(wanted))
            .values(seq=unit.stamp())
        )


def _top_order(conn: Connection, user_id: int, project_id: int) -> int | None:
    """The highest ``item_order`` of a live item in the project (None: no such item)."""
    top = conn.execute(
        select(func.max(items.c.item_order)).where(
            visibility.scope(items, user_id),
            items.c.project_id == project_id,
            items.c.is_deleted.is_(False),
        )
    ).scalar()
    return None if top is None else int(top)


def after(top: int | None) -> int:
    return min((top or 0) + 1, MAX_BIGINT)


def next_order(conn: Connection, user_id: int, project_id: int) -> int:
    """One past the highest ``item_order`` in the project: "append at the end"."""
    return after(_top_order(conn, user_id, project_id))


def top_order_key(project_id: int) -> tuple[str, int]:
    return ("items.top_order", project_id)


def cached_top_order(unit: Unit, project_id: int) -> int | None:
    """``_top_order`` through the unit's cache (kept as a 1-tuple: None is a value here)."""
    key = top_order_key(project_id)
    top: tuple[int | None] | None = unit.cached(key)
    if top is None:
        top = (_top_order(unit.conn, unit.user_id, project_id),)
        unit.cache(key, top)
    return top[0]


def touch_day_orders(unit: Unit) -> None:
    """Move the user's ``day_orders_ts`` forward (§2.6): a client holding the old value
    then receives the whole ``DayOrders`` map on its next sync.

    The value is unix seconds with a fraction, strictly increasing even when two changes
    fall within the same millisecond.
    """
    user = users.get(unit.conn, unit.user_id)
    try:
        old = float(user["day_orders_ts"])
    except (TypeError, ValueError):
        old = 0.0
    value = max(unit.now.timestamp(), old + 0.001)
    text = f"{value:.3f}"
    while text == user["day_orders_ts"]:  # pragma: no cover - float rounding guard
        value += 0.001
        text = f"{value:.3f}"
    unit.conn.execute(
        update(users_table)
        .where(users_table.c.id == unit.user_id)
        .values(day_orders_ts=text, seq=unit.stamp())
    )


def completion_values(unit: Unit, row: Row, status: int, at: Any = None) -> dict[str, Any]:
    """Column values for a status change; counts a completion when an item becomes done."""
    new = check_status(status)
    old = Status(row["status"])
    if new is Status.OPEN:
        return {
            "status": new.value,
            "in_history": False,
            "completed_at": None,
            "completed_by": None,
        }
    moment = check_moment(at, "completed_at")
    if moment is None:
        # Closing an already closed item keeps its first completion time.
        moment = row["completed_at"] if old.is_closed else None
    if new.is_done and not old.is_done:
        users.add_completed(unit, 1)
    return {
        "status": new.value,
        "in_history": True,
        "completed_at": moment or unit.now,
        "completed_by": row["completed_by"] if old is new else unit.user_id,
    }


def parents_from_indents(unit: Unit, project_id: int) -> None:
    """After a Sync API client reorders or re-indents, the flat tree decides ``parent_id``:
    an item's parent is the nearest item above it with a smaller indent.

    The reverse of core/hierarchy.py, so that V2 readers see the sub-tasks a v6 client
    made. Items in history are not in the list; a link to such a parent is kept.
    """
    listing = unit.conn.execute(
        select(items.c.id, items.c.indent, items.c.parent_id)
        .where(
            visibility.scope(items, unit.user_id),
            items.c.project_id == project_id,
            items.c.is_deleted.is_(False),
            items.c.in_history.is_(False),
        )
        .order_by(items.c.item_order, items.c.id)
    ).all()
    by_indent = tree.parents_by_indent((row_id, indent) for row_id, indent, _ in listing)
    for row_id, _indent, parent in listing:
        wanted = by_indent[row_id]
        if parent is not None and parent not in by_indent:
            wanted = parent
        if wanted != parent:
            touch(unit, row_id, {"parent_id": wanted})
