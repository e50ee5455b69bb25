"""Reads for snapshot-style readers (TickTick's ``batch/check``): which tasks to send, and
the related rows needed to render them, fetched in bulk.

A TickTick task carries its reminders, tag names and sub-task ids inline, so a task "changed"
for such a reader when any of those changed, even if the item row itself did not. The cost
of an incremental read still grows with the number of changes: each extra source is a range
scan on ``(user_id, seq)``; only a label change makes it look at the user's labelled items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, RowMapping, Table, func, select

from taskhaven.core.limits import IN_CHUNK
from taskhaven.store.schema import items, labels, projects, reminders


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), IN_CHUNK):
        yield wanted[start : start + IN_CHUNK]


def changed_since(conn: Connection, table: Table, user_id: int, since: int) -> bool:
    """Whether any row of ``table`` visible to the user was stamped after ``since``."""
    query = select(table.c.id).where(table.c.user_id == user_id, table.c.seq > since).limit(1)
    return conn.execute(query).first() is not None


def active_tasks(conn: Connection, user_id: int) -> list[RowMapping]:
    """Every open, live task of the user in a live project, in list order."""
    query = (
        select(items)
        .join(projects, projects.c.id == items.c.project_id)
        .where(
            items.c.user_id == user_id,
            items.c.is_deleted.is_(False),
            items.c.status == 0,
            projects.c.is_deleted.is_(False),
        )
        .order_by(items.c.project_id, items.c.item_order, items.c.id)
    )
    return list(conn.execute(query).mappings())


def tasks_changed_since(conn: Connection, user_id: int, since: int) -> list[RowMapping]:
    """Tasks a reader at ``since`` must receive again, deleted ones included.

    That is: items stamped after ``since``; items whose reminders were; the parents of all
    of those (their list of sub-tasks may have changed); and, when a label changed, the
    items carrying it (their tag names may have changed).
    """
    query = select(items).where(items.c.user_id == user_id, items.c.seq > since)
    changed = {row["id"]: row for row in conn.execute(query).mappings()}
    extra: set[int] = set(
        conn.execute(
            select(reminders.c.item_id).where(
                reminders.c.user_id == user_id, reminders.c.seq > since
            )
        ).scalars()
    )
    extra.update(row["parent_id"] for row in changed.values() if row["parent_id"] is not None)
    touched_labels = set(
        conn.execute(
            select(labels.c.id).where(labels.c.user_id == user_id, labels.c.seq > since)
        ).scalars()
    )
    if touched_labels:
        for item_id, item_labels in conn.execute(
            select(items.c.id, items.c.labels).where(
                items.c.user_id == user_id, items.c.is_deleted.is_(False)
            )
        ):
            if item_labels and touched_labels.intersection(item_labels):
                extra.add(item_id)
    extra.difference_update(changed)
    for chunk in _chunks(extra):
        for row in conn.execute(
            select(items).where(items.c.user_id == user_id, items.c.id.in_(chunk))
        ).mappings():
            changed[row["id"]] = row
    return sorted(changed.values(), key=lambda row: (row["seq"], row["id"]))


def closed_tasks(
    conn: Connection,
    user_id: int,
    *,
    statuses: Sequence[int],
    since: datetime | None = None,
    until: datetime | None = None,
    project_id: int | None = None,
    limit: int | None = None,
) -> list[RowMapping]:
    """Live tasks closed with one of ``statuses`` within [since, until], newest first."""
    query = select(items).where(
        items.c.user_id == user_id,
        items.c.is_deleted.is_(False),
        items.c.status.in_(list(statuses)),
    )
    if since is not None:
        query = query.where(items.c.completed_at >= since)
    if until is not None:
        query = query.where(items.c.completed_at <= until)
    if project_id is not None:
        query = query.where(items.c.project_id == project_id)
    query = query.order_by(items.c.completed_at.desc(), items.c.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query).mappings())


def reminders_of(
    conn: Connection, user_id: int, item_ids: Iterable[int]
) -> dict[int, list[RowMapping]]:
    """Live reminders per item, in the order they were made."""
    result: dict[int, list[RowMapping]] = {}
    for chunk in _chunks(item_ids):
        query = (
            select(reminders)
            .where(
                reminders.c.user_id == user_id,
                reminders.c.item_id.in_(chunk),
                reminders.c.is_deleted.is_(False),
            )
            .order_by(reminders.c.id)
        )
        for row in conn.execute(query).mappings():
            result.setdefault(row["item_id"], []).append(row)
    return result


def reminder_seqs(conn: Connection, user_id: int, item_ids: Iterable[int]) -> dict[int, int]:
    """The last change to any reminder of each item (deleted ones count: a removal is a
    change of the task as TickTick renders it)."""
    result: dict[int, int] = {}
    for chunk in _chunks(item_ids):
        query = (
            select(reminders.c.item_id, func.max(reminders.c.seq))
            .where(reminders.c.user_id == user_id, reminders.c.item_id.in_(chunk))
            .group_by(reminders.c.item_id)
        )
        for item_id, seq in conn.execute(query):
            result[int(item_id)] = int(seq)
    return result


def oids(conn: Connection, table: Table, user_id: int, ids: Iterable[int]) -> dict[int, str]:
    """String ids of the user's rows of ``table`` (deleted ones too)."""
    result: dict[int, str] = {}
    for chunk in _chunks(ids):
        query = select(table.c.id, table.c.oid).where(
            table.c.user_id == user_id, table.c.id.in_(chunk)
        )
        for row_id, oid in conn.execute(query):
            result[int(row_id)] = str(oid)
    return result


def live_rows(conn: Connection, table: Table, user_id: int) -> list[RowMapping]:
    """The user's live rows of ``table`` in their stored order."""
    order = table.c.item_order if "item_order" in table.c else table.c.id
    query = (
        select(table)
        .where(table.c.user_id == user_id, table.c.is_deleted.is_(False))
        .order_by(order, table.c.id)
    )
    return list(conn.execute(query).mappings())
