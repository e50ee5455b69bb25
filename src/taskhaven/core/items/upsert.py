"""Writes for clients that send whole task objects under ids they chose (TickTick V1, V2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, RowMapping

from taskhaven.core import rows
from taskhaven.core.backend import Unit
from taskhaven.core.items.writes import add, update_item
from taskhaven.store.schema import items


def find_by_oid(conn: Connection, user_id: int, oid: str | None) -> RowMapping | None:
    """The user's live item with this string id, or None (a deleted one is None too)."""
    return rows.live_by_oid(conn, items, user_id, oid)


def upsert_by_oid(unit: Unit, oid: str, changes: Mapping[str, Any]) -> RowMapping:
    """Add an item under ``oid``; when the user already has a live item with that id, apply
    ``changes`` to it as ``update_item`` does instead.

    Why: a client that retries an add whose first attempt did reach the server must not see
    it fail. ``changes`` are core fields as ``update_item`` takes them (``content`` and
    ``project_id`` included); an added item without ``content`` gets "", without
    ``project_id`` goes to the Inbox.
    """
    current = find_by_oid(unit.conn, unit.user_id, oid)
    if current is not None:
        return update_item(unit, current["id"], changes)
    fields = dict(changes)
    content = fields.pop("content", "")
    project_id = fields.pop("project_id", None)
    return add(unit, content=content, project_id=project_id, oid=oid, **fields)
