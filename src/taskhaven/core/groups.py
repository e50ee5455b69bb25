"""Project groups (TickTick: folders): named containers a project may sit in.

A group owns nothing: deleting it un-groups its projects instead of deleting them, and every
project so touched goes out as changed, so incremental readers see ``groupId`` drop to null.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from taskhaven.core import rows
from taskhaven.core.backend import Unit
from taskhaven.core.errors import InvalidArgument
from taskhaven.store.schema import project_groups, projects

MAX_NAME = 255
VIEW_MODES = ("list", "kanban", "timeline")


def get(conn: Connection, user_id: int, group_id: int, *, live: bool = True) -> RowMapping:
    return rows.owned(conn, project_groups, user_id, group_id, "project group", live=live)


def by_oid(conn: Connection, user_id: int, oid: str, *, live: bool = True) -> RowMapping:
    return rows.owned_by_oid(conn, project_groups, user_id, oid, "project group", live=live)


def live(conn: Connection, user_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            select(project_groups)
            .where(project_groups.c.user_id == user_id, project_groups.c.is_deleted.is_(False))
            .order_by(project_groups.c.sort_order, project_groups.c.id)
        ).mappings()
    )


def oids(conn: Connection, user_id: int) -> dict[int, str]:
    """Every group id of the user (deleted ones too) to its string id, for rendering."""
    query = select(project_groups.c.id, project_groups.c.oid).where(
        project_groups.c.user_id == user_id
    )
    return {group_id: oid for group_id, oid in conn.execute(query)}


def _next_sort_order(conn: Connection, user_id: int) -> int:
    """Append at the end of the user's groups."""
    top = conn.execute(
        select(func.max(project_groups.c.sort_order)).where(
            project_groups.c.user_id == user_id, project_groups.c.is_deleted.is_(False)
        )
    ).scalar()
    return min(int(top or 0) + 1, rows.MAX_ORDER)


def _check_name(value: Any) -> str:
    return rows.text(value, "name", max_length=MAX_NAME)


def _check_view_mode(value: Any) -> str | None:
    if value is None:
        return None
    if value not in VIEW_MODES:
        raise InvalidArgument("viewMode")
    return str(value)


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
            _next_sort_order(unit.conn, unit.user_id)
            if sort_order is None
            else rows.order(sort_order, "sortOrder")
        ),
        "view_mode": _check_view_mode(view_mode),
        "show_all": bool(show_all),
    }
    row_id = unit.conn.execute(
        insert(project_groups)
        .values(
            oid=rows.fresh_oid(unit.conn, project_groups, oid),
            user_id=unit.user_id,
            modified_at=unit.now,
            seq=unit.stamp(),
            **values,
        )
        .returning(project_groups.c.id)
    ).scalar_one()
    return get(unit.conn, unit.user_id, row_id)


def update_group(unit: Unit, group_id: int, changes: Mapping[str, Any]) -> RowMapping:
    """Update the given fields (core names: name, sort_order, view_mode, show_all)."""
    get(unit.conn, unit.user_id, group_id)
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "name":
            values["name"] = _check_name(value)
        elif key == "sort_order":
            values["sort_order"] = rows.order(value, "sortOrder")
        elif key == "view_mode":
            values["view_mode"] = _check_view_mode(value)
        elif key == "show_all":
            values["show_all"] = bool(value)
    _touch(unit, group_id, values)
    return get(unit.conn, unit.user_id, group_id)


def _touch(unit: Unit, group_id: int, values: Mapping[str, Any]) -> None:
    unit.conn.execute(
        update(project_groups)
        .where(project_groups.c.id == group_id)
        .values(seq=unit.stamp(), modified_at=unit.now, **values)
    )


def delete(unit: Unit, group_id: int) -> None:
    """Soft-delete the group; its projects stay, un-grouped (each stamped as changed)."""
    get(unit.conn, unit.user_id, group_id)
    _touch(unit, group_id, {"is_deleted": True})
    unit.conn.execute(
        update(projects)
        .where(projects.c.user_id == unit.user_id, projects.c.group_id == group_id)
        .values(group_id=None, seq=unit.stamp(), modified_at=unit.now)
    )
