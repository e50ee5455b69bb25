"""Saved filters: a name and a query in the Todoist filter language, kept as text.

The server stores queries; it does not evaluate them (clients do).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping

from taskhaven.core import columns, rows
from taskhaven.core.backend import Unit
from taskhaven.store.schema import filters

MAX_NAME = columns.length("filters", "name")
MAX_QUERY = columns.length("filters", "query")


def get(conn: Connection, user_id: int, filter_id: int, *, live: bool = True) -> RowMapping:
    return rows.owned(conn, filters, user_id, filter_id, "filter", live=live)


def by_oid(conn: Connection, user_id: int, oid: str, *, live: bool = True) -> RowMapping:
    return rows.owned_by_oid(conn, filters, user_id, oid, "filter", live=live)


def _check_name(value: Any) -> str:
    return rows.text(value, "name", max_length=MAX_NAME)


def _check_query(value: Any) -> str:
    return rows.text(value, "query", max_length=MAX_QUERY)


# The fields ``update_filter`` accepts (core names), each with its check.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "name": _check_name,
    "query": _check_query,
    "color": rows.color,
    "item_order": rows.order,
}


def add(
    unit: Unit,
    *,
    name: Any,
    query: Any,
    color: str | None = None,
    item_order: Any = None,
    oid: str | None = None,
) -> RowMapping:
    values: dict[str, Any] = {
        "name": _check_name(name),
        "query": _check_query(query),
        "color": rows.color(color),
        "item_order": (
            rows.next_order(unit.conn, filters, unit.user_id)
            if item_order is None
            else rows.order(item_order)
        ),
    }
    return get(unit.conn, unit.user_id, rows.create(unit, filters, oid, values))


def update_filter(unit: Unit, filter_id: int, changes: Mapping[str, Any]) -> RowMapping:
    """Update the given fields (core names); unknown keys are ignored."""
    get(unit.conn, unit.user_id, filter_id)
    _touch(unit, filter_id, rows.checked(changes, _CHECKS))
    return get(unit.conn, unit.user_id, filter_id)


def _touch(unit: Unit, filter_id: int, values: Mapping[str, Any]) -> None:
    rows.touch(unit, filters, filter_id, values)


def set_order(unit: Unit, filter_id: int, item_order: Any) -> None:
    get(unit.conn, unit.user_id, filter_id)
    _touch(unit, filter_id, {"item_order": rows.order(item_order)})


def delete(unit: Unit, filter_id: int) -> None:
    get(unit.conn, unit.user_id, filter_id)
    _touch(unit, filter_id, {"is_deleted": True})
