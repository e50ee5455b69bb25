"""Checks, lookups and writes shared by the per-kind core modules.

Each kind's own rules (which fields exist, how each is checked, what a delete drags along)
stay in its module; what is here is the same for every table with ``id``, ``user_id``,
``oid``, ``seq`` and ``is_deleted`` columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, RowMapping, Table, func, insert, select, update

from taskhaven.core import columns, visibility
from taskhaven.core.errors import InvalidArgument, NotFound
from taskhaven.core.ids import is_oid, new_oid
from taskhaven.core.limits import MAX_BIGINT

if TYPE_CHECKING:
    from taskhaven.core.backend import Unit

# A stored row, or a dict standing in for one (RowMapping's keys may also be columns).
Row = Mapping[Any, Any]

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def text(value: Any, argument: str, *, max_length: int, allow_empty: bool = False) -> str:
    """A string a database of either kind will store as given.

    PostgreSQL rejects NUL (and lone surrogates) in text, and a value longer than its column
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
    if columns.refused(value):
        raise InvalidArgument(
            argument, f"Invalid argument value: {argument} (contains NUL or an unpaired surrogate)"
        )
    return value


def order(value: Any, argument: str = "item_order") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_BIGINT:
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
    """The row of ``table`` with this id if the user may see it (``visibility.scope``: for
    projects, items and notes also those of a project shared with the user); ``live``
    rejects deleted rows."""
    return _owned(conn, table, table.c.id == row_id, user_id, kind, live)


def could_be_oid(oid: object) -> bool:
    """Whether a string id could be stored at all (the ``oid`` columns hold 64 characters,
    and PostgreSQL refuses NUL in text): one that cannot names nothing, unqueried."""
    return (
        isinstance(oid, str)
        and len(oid) <= columns.length("items", "oid")
        and not columns.refused(oid)
    )


def owned_by_oid(
    conn: Connection, table: Table, user_id: int, oid: str, kind: str, *, live: bool = True
) -> RowMapping:
    """The same, by string id."""
    if not could_be_oid(oid):
        raise NotFound(kind)
    return _owned(conn, table, table.c.oid == oid, user_id, kind, live)


def live(
    conn: Connection,
    table: Table,
    user_id: int,
    *where: ColumnElement[bool],
    order_by: Sequence[ColumnElement[Any]],
) -> list[RowMapping]:
    """The live rows of ``table`` the user sees (``visibility.scope``) that match ``where``,
    in ``order_by`` order."""
    query = (
        select(table)
        .where(visibility.scope(table, user_id), table.c.is_deleted.is_(False), *where)
        .order_by(*order_by)
    )
    return list(conn.execute(query).mappings())


def _owned(
    conn: Connection,
    table: Table,
    match: ColumnElement[bool],
    user_id: int,
    kind: str,
    live: bool,
) -> RowMapping:
    query = select(table).where(match, visibility.scope(table, user_id))
    row = conn.execute(query).mappings().first()
    if row is None or (live and row["is_deleted"]):
        raise NotFound(kind)
    return row


def live_by_oid(conn: Connection, table: Table, user_id: int, oid: str | None) -> RowMapping | None:
    """The user's live row with this string id, or None: for "add under a client-chosen
    id, or update the object already there" (a retried add must not fail)."""
    if oid is None or not could_be_oid(oid):
        return None
    row = (
        conn.execute(
            select(table).where(
                table.c.oid == oid,
                visibility.scope(table, user_id),
                table.c.is_deleted.is_(False),
            )
        )
        .mappings()
        .first()
    )
    return row


def fresh_oid(
    conn: Connection,
    table: Table,
    oid: str | None,
    scope: Sequence[ColumnElement[bool]] = (),
) -> str:
    """A client-chosen string id when it is well formed and free, else a new one.

    ``scope`` narrows "free" for ids unique only within a parent (a reminder's, per task).
    """
    if oid is None:
        return new_oid()
    if not is_oid(oid):
        raise InvalidArgument("id", "Invalid argument value: id (24 hex characters)")
    # Race: two writers choosing the same id. Writers hold the change-counter lock until
    # they commit (store/counter.py), so this check and the insert cannot interleave.
    if conn.execute(select(table.c.id).where(table.c.oid == oid, *scope)).first():
        raise InvalidArgument("id", "Invalid argument value: id (already in use)")
    return oid


def create(
    unit: Unit,
    table: Table,
    oid: str | None,
    values: Mapping[str, Any],
    scope: Sequence[ColumnElement[bool]] = (),
) -> int:
    """Insert one row of the unit's user under ``fresh_oid``; returns the new id.

    Invariant: the row gets a fresh ``seq``, and the unit's time in ``modified_at`` where
    the table has that column (as ``touch`` does).
    """
    stamped: dict[str, Any] = {
        "oid": fresh_oid(unit.conn, table, oid, scope),
        "user_id": unit.user_id,
    }
    if "modified_at" in table.c:
        stamped["modified_at"] = unit.now
    stamped["seq"] = unit.stamp()
    return int(
        unit.conn.execute(
            insert(table).values(**stamped, **values).returning(table.c.id)
        ).scalar_one()
    )


def next_order(conn: Connection, table: Table, user_id: int, column: str = "item_order") -> int:
    """One past the highest ``column`` among the user's live rows: "append at the end"."""
    top = conn.execute(
        select(func.max(table.c[column])).where(
            table.c.user_id == user_id, table.c.is_deleted.is_(False)
        )
    ).scalar()
    return min(int(top or 0) + 1, MAX_BIGINT)


def checked(
    changes: Mapping[str, Any], checks: Mapping[str, Callable[[Any], Any]]
) -> dict[str, Any]:
    """The changes a kind knows, each through its check, in the order given (so the first
    bad value is the one reported); keys without a check are ignored."""
    return {key: checks[key](value) for key, value in changes.items() if key in checks}


def touch(unit: Unit, table: Table, row_id: int, values: Mapping[str, Any]) -> None:
    """Write ``values`` to one row the caller has already checked is the user's.

    Invariant: every changed row gets a fresh ``seq``; a table with ``modified_at`` gets
    the unit's time there too (filters, notes and reminders have no such column).
    """
    stamped: dict[str, Any] = {"seq": unit.stamp()}
    if "modified_at" in table.c:
        stamped["modified_at"] = unit.now
    unit.conn.execute(update(table).where(table.c.id == row_id).values(**stamped, **values))
