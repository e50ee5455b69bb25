"""Reads for adapters that address one project at a time (the V1 API's "project data").

The sync readers in ``snapshot`` read everything changed since a number; this reads the
open tasks of one of the caller's projects. Every query is scoped by user.
"""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping

from taskhaven.core import rows
from taskhaven.core.status import is_open
from taskhaven.store.schema import items


def open_tasks(conn: Connection, user_id: int, project_id: int) -> list[RowMapping]:
    """The live, not yet completed items of one of the user's projects, in their order."""
    in_project = (items.c.project_id == project_id, is_open(items.c.status))
    return rows.live(conn, items, user_id, *in_project, order_by=(items.c.item_order, items.c.id))
