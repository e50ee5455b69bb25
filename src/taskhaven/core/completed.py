"""The completion history: a user's checked items, newest completion first.

An item counts as completed while it ``is_completed`` (core/status.py: closed as done, with
a completion time), the rule the completion counts of core/statistics.py use too. Items that
were checked but not moved to history count as well: completing without ``force_history`` is
still completing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, RowMapping, func, select

from taskhaven.core import item_labels, projects, visibility
from taskhaven.core.errors import InvalidArgument
from taskhaven.core.rows import Row
from taskhaven.core.status import counts_as_completion, is_completed
from taskhaven.store.schema import items, notes

LIST_DEFAULT = 30
LIST_MAX = 50


def _completed(user_id: int) -> list[ColumnElement[bool]]:
    return [
        visibility.scope(items, user_id),
        items.c.is_deleted.is_(False),
        is_completed(items.c.status, items.c.completed_at),
    ]


def history(
    conn: Connection,
    user_id: int,
    *,
    project_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> list[RowMapping]:
    """Completed items, newest completion first, ``limit`` (at most 50) after ``offset``."""
    limit = LIST_DEFAULT if limit is None else limit
    offset = 0 if offset is None else offset
    if limit < 1:
        raise InvalidArgument("limit", "Invalid argument value: limit (at least 1)")
    if offset < 0:
        raise InvalidArgument("offset", "Invalid argument value: offset (not negative)")
    where = _completed(user_id)
    if project_id is not None:
        projects.get(conn, user_id, project_id)
        where.append(items.c.project_id == project_id)
    if since is not None:
        where.append(items.c.completed_at >= since)
    if until is not None:
        where.append(items.c.completed_at <= until)
    query = (
        select(items)
        .where(*where)
        .order_by(items.c.completed_at.desc(), items.c.id.desc())
        .limit(min(limit, LIST_MAX))
        .offset(offset)
    )
    return list(conn.execute(query).mappings())


def in_project(conn: Connection, user_id: int, project_id: int) -> list[Row]:
    """Every completed item of one live project, newest completion first (each showing the
    user's own labels)."""
    projects.get(conn, user_id, project_id)
    query = (
        select(items)
        .where(*_completed(user_id), items.c.project_id == project_id)
        .order_by(items.c.completed_at.desc(), items.c.id.desc())
    )
    return item_labels.seen_by(conn, user_id, conn.execute(query).mappings())


def moments(conn: Connection, user_id: int) -> list[tuple[datetime, int]]:
    """(completion moment in UTC, project id) of every completion still on record.

    Wider than ``history``: a recurring item stays open after an occurrence is completed and
    keeps that moment in ``completed_at``: ``counts_as_completion``, the rule that counts
    ``completed_today`` (core/users) too.
    """
    rows = conn.execute(
        select(items.c.completed_at, items.c.project_id).where(
            visibility.scope(items, user_id),
            items.c.is_deleted.is_(False),
            counts_as_completion(items.c.status, items.c.completed_at),
        )
    ).all()
    return [(moment, project_id) for moment, project_id in rows]


def note_counts(conn: Connection, user_id: int, item_ids: Iterable[int]) -> dict[int, int]:
    """How many live notes each item has, in one query."""
    wanted = list(item_ids)
    if not wanted:
        return {}
    query = (
        select(notes.c.item_id, func.count())
        .where(
            visibility.scope(notes, user_id),
            notes.c.item_id.in_(wanted),
            notes.c.is_deleted.is_(False),
        )
        .group_by(notes.c.item_id)
    )
    return {item_id: int(n) for item_id, n in conn.execute(query)}
