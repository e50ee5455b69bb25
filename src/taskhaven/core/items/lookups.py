"""Finding one of the caller's items."""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping

from taskhaven.core import dates, rows
from taskhaven.core.rows import Row
from taskhaven.store.schema import items


def get(conn: Connection, user_id: int, item_id: int, *, live: bool = True) -> RowMapping:
    """An item the user owns; ``live`` also rejects deleted ones."""
    return rows.owned(conn, items, user_id, item_id, "item", live=live)


def by_oid(conn: Connection, user_id: int, oid: str, *, live: bool = True) -> RowMapping:
    return rows.owned_by_oid(conn, items, user_id, oid, "item", live=live)


def is_recurring(row: Row) -> bool:
    """Completing a recurring item reschedules it instead of closing it."""
    return dates.is_recurring(row["date_string"]) or bool(row["repeat_flag"])
