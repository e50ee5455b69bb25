"""Checks and lookups shared by the per-kind core modules (labels, notes, filters, reminders)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, func, select

from taskhaven.core.errors import InvalidArgument, NotFound
from taskhaven.core.ids import is_oid, new_oid

MAX_ORDER = 2**63 - 1
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def text(value: Any, argument: str, *, max_length: int, allow_empty: bool = False) -> str:
    """A string a database of either kind will store as given.

    PostgreSQL rejects NUL characters in text columns, and a value longer than its column
    would fail there but pass on SQLite; both are caught here so the two databases agree.
    """
    if not isinstance(value, str):
        raise InvalidArgument(argument)
    if not allow_empty and not value.strip():
        raise InvalidArgument(argument, f"Invalid argument value: {argument} (must not be empty)")
    if len(value) > max_length:
        raise InvalidArgument(
            argument, f"Invalid argument value: {argument} (at most {max_length} characters)"
        )
    if "\x00" in value:
        raise InvalidArgument(argument)
    return value


def order(value: Any, argument: str = "item_order") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_ORDER:
        raise InvalidArgument(argument)
    return value


def color(value: Any, argument: str = "color") -> str | None:
    """Colours are stored as lowercase ``#rrggbb``; ``None`` means "no colour"."""
    if value is None:
        return None
    if not isinstance(value, str) or not _COLOR.match(value):
        raise InvalidArgument(argument)
    return value.lower()


def owned(
    conn: Connection, table: Table, user_id: int, row_id: int, kind: str, *, live: bool = True
) -> RowMapping:
    """The row of ``table`` with this id if it is the user's; ``live`` rejects deleted rows."""
    row = (
        conn.execute(select(table).where(table.c.id == row_id, table.c.user_id == user_id))
        .mappings()
        .first()
    )
    if row is None or (live and row["is_deleted"]):
        raise NotFound(kind)
    return row


def owned_by_oid(
    conn: Connection, table: Table, user_id: int, oid: str, kind: str, *, live: bool = True
) -> RowMapping:
    row = (
        conn.execute(select(table).where(table.c.oid == oid, table.c.user_id == user_id))
        .mappings()
        .first()
    )
    if row is None or (live and row["is_deleted"]):
        raise NotFound(kind)
    return row


def fresh_oid(conn: Connection, table: Table, oid: str | None) -> str:
    """A client-chosen string id when it is well formed and free, else a new one."""
    if oid is None:
        return new_oid()
    if not is_oid(oid):
        raise InvalidArgument("id", "Invalid argument value: id (24 hex characters)")
    # Race: two writers choosing the same id. Writers hold the change-counter lock until
    # they commit (store/counter.py), so this check and the insert cannot interleave.
    if conn.execute(select(table.c.id).where(table.c.oid == oid)).first():
        raise InvalidArgument("id", "Invalid argument value: id (already in use)")
    return oid


def next_order(conn: Connection, table: Table, user_id: int) -> int:
    """One past the highest ``item_order`` among the user's live rows: "append at the end"."""
    top = conn.execute(
        select(func.max(table.c.item_order)).where(
            table.c.user_id == user_id, table.c.is_deleted.is_(False)
        )
    ).scalar()
    return min(int(top or 0) + 1, MAX_ORDER)
