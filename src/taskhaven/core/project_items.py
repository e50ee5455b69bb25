"""A live project's open items in the project's own order: a project read as a whole
(what the Sync API's project templates export)."""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping

from taskhaven.core import projects, rows
from taskhaven.core.status import is_open
from taskhaven.store.schema import items


def open_items(conn: Connection, user_id: int, project_id: int) -> list[RowMapping]:
    """The open, live items of one of the user's live projects, in item order."""
    projects.get(conn, user_id, project_id)
    in_project = (items.c.project_id == project_id, is_open(items.c.status))
    return rows.live(conn, items, user_id, *in_project, order_by=(items.c.item_order, items.c.id))
