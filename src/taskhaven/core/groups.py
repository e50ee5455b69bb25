"""Project groups (TickTick: folders): named containers a project may sit in.

A group owns nothing: deleting it un-groups its projects instead of deleting them, and every
project so touched goes out as changed, so incremental readers see ``groupId`` drop to null.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping, select, update

from taskhaven.core import columns, rows
from taskhaven.core.backend import Unit
from taskhaven.core.errors import InvalidArgument
from taskhaven.store.schema import project_groups, projects

MAX_NAME = columns.length("project_groups", "name")
VIEW_MODES = ("list", "kanban", "timeline")


def get(conn: Connection, user_id: int, group_id: int, *, live: bool = True) -> RowMapping:
    return rows.owned(conn, project_groups, user_id, group_id, "project group", live=live)


def by_oid(conn: Connection, user_id: int, oid: str, *, live: bool = True) -> RowMapping:
    return rows.owned_by_oid(conn, project_groups, user_id, oid, "project group", live=live)


def live(conn: Connection, user_id: int) -> list[RowMapping]:
    order = (project_groups.c.sort_order, project_groups.c.id)
    return rows.live(conn, project_groups, user_id, order_by=order)


def oids(conn: Connection, user_id: int) -> dict[int, str]:
    """Every group id of the user (deleted ones too) to its string id, for rendering."""
    query = select(project_groups.c.id, project_groups.c.oid).where(
        project_groups.c.user_id == user_id
    )
    return {group_id: oid for group_id, oid in conn.execute(query)}


def _check_name(value: Any) -> str:
    return rows.text(value, "name", max_length=MAX_NAME)


def _check_sort_order(value: Any) -> int:
    return rows.order(value, "sortOrder")


def _check_view_mode(value: Any) -> str | None:
    if value is None:
        return None
    if value not in VIEW_MODES:
        raise InvalidArgument("viewMode")
    return str(value)


# The fields ``update_group`` accepts (core names), each with its check.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "name": _check_name,
    "sort_order": _check_sort_order,
    "view_mode": _check_view_mode,
    "show_all": bool,
}


def add(
    unit: Unit,
    *,
    name: Any,
    oid: str | None = None,
    sort_order: Any = None,
    view_mode: Any = None,
    show_all: bool = True,
) -> RowMapping:
    """Create a group; a client-chosen ``oid`` is kept when well formed and free."""
    values = {
        "name": _check_name(name),
        "sort_order": (
            rows.next_order(unit.conn, project_groups, unit.user_id, "sort_order")
            if sort_order is None
            else _check_sort_order(sort_order)
        ),
        "view_mode": _check_view_mode(view_mode),
        "show_all": bool(show_all),
    }
    return get(unit.conn, unit.user_id, rows.create(unit, project_groups, oid, values))


def upsert_by_oid(unit: Unit, oid: str, changes: Mapping[str, Any]) -> RowMapping:
    """Add a group under ``oid`` with ``changes`` (``update_group``'s fields), or update the
    user's live group with that id (a retried add must not fail)."""
    current = rows.live_by_oid(unit.conn, project_groups, unit.user_id, oid)
    if current is not None:
        return update_group(unit, current["id"], changes)
    return add(
        unit,
        name=changes.get("name"),
        oid=oid,
        sort_order=changes.get("sort_order"),
        view_mode=changes.get("view_mode"),
        show_all=changes.get("show_all", True),
    )


def update_group(unit: Unit, group_id: int, changes: Mapping[str, Any]) -> RowMapping:
    """Update the given fields (core names: name, sort_order, view_mode, show_all)."""
    get(unit.conn, unit.user_id, group_id)
    _touch(unit, group_id, rows.checked(changes, _CHECKS))
    return get(unit.conn, unit.user_id, group_id)


def _touch(unit: Unit, group_id: int, values: Mapping[str, Any]) -> None:
    rows.touch(unit, project_groups, group_id, values)


def delete(unit: Unit, group_id: int) -> None:
    """Soft-delete the group; its projects stay, un-grouped (each stamped as changed)."""
    get(unit.conn, unit.user_id, group_id)
    _touch(unit, group_id, {"is_deleted": True})
    unit.conn.execute(
        update(projects)
        .where(projects.c.user_id == unit.user_id, projects.c.group_id == group_id)
        .values(group_id=None, seq=unit.stamp(), modified_at=unit.now)
    )
