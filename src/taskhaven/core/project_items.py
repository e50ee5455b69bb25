"""A live project's open items in the project's own order: a project read as a whole
(what the Sync API's project templates export)."""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping

from taskhaven.core import listing, projects


def open_items(conn: Connection, user_id: int, project_id: int) -> list[RowMapping]:
    """The open, live items of one of the user's live projects, in item order."""
    projects.get(conn, user_id, project_id)
    return listing.open_tasks(conn, user_id, project_id)
