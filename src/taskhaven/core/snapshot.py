"""Reads for snapshot-style readers (TickTick's ``batch/check``): which tasks to send, and
the related rows needed to render them, fetched in bulk.

A TickTick task carries its reminders, tag names and sub-task ids inline. Reminder and
label writes stamp the task (core/reminders.py, core/labels.py), as sub-task changes made
through core/hierarchy.py stamp the parent, so a task's etag is its ``seq`` and "the task
changed since S" is a range scan on ``(user_id, seq)`` plus the parents of what it finds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, RowMapping, Table, or_, select

from taskhaven.core import departures, member_view, visibility
from taskhaven.core.limits import IN_CHUNK
from taskhaven.core.rows import Row
from taskhaven.core.status import Status, is_open
from taskhaven.store.schema import items, labels, project_groups, projects, reminders

# The collections a snapshot reader receives whole whenever any member changed.
Kind = Literal["projects", "groups", "labels"]
_TABLES: dict[Kind, Table] = {"projects": projects, "groups": project_groups, "labels": labels}


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), IN_CHUNK):
        yield wanted[start : start + IN_CHUNK]


def changed_since(conn: Connection, kind: Kind, user_id: int, since: int) -> bool:
    """Whether any row of ``kind`` visible to the user was stamped after ``since`` (for
    projects: also whether the user gained or lost a shared project since then)."""
    table = _TABLES[kind]
    shared = visibility.shared_with(conn, user_id) if table is projects else []
    query = (
        select(table.c.id)
        .where(visibility.read_scope(table, user_id, shared), table.c.seq > since)
        .limit(1)
    )
    if conn.execute(query).first() is not None:
        return True
    if table is projects:
        gained, lost = visibility.membership_changes(conn, user_id, since)
        return bool(gained or lost)
    return False


def active_tasks(conn: Connection, user_id: int) -> list[RowMapping]:
    """Every open, live task the user sees in a live project, in list order."""
    shared = visibility.shared_with(conn, user_id)
    query = (
        select(items)
        .join(projects, projects.c.id == items.c.project_id)
        .where(
            visibility.read_scope(items, user_id, shared),
            items.c.is_deleted.is_(False),
            is_open(items.c.status),
            projects.c.is_deleted.is_(False),
        )
        .order_by(items.c.project_id, items.c.item_order, items.c.id)
    )
    return list(conn.execute(query).mappings())


def tasks_changed_since(conn: Connection, user_id: int, since: int) -> list[Row]:
    """Tasks a reader at ``since`` must receive again, deleted ones included: the items
    stamped after ``since`` (a reminder or label change stamps its task) and their parents;
    every live task of a project shared with the user since then, and every task of one the
    user lost since then, marked deleted (core/visibility.py).

    Parents are added here because a Sync API re-indent changes a parent's list of sub-tasks
    without stamping the parent (stamping it would send the unchanged item to Sync API
    clients again); they are found from the changed rows, with no other scan.
    """
    shared = visibility.shared_with(conn, user_id)
    scope = visibility.read_scope(items, user_id, shared)
    query = select(items).where(scope, items.c.seq > since)
    changed: dict[int, Row] = {row["id"]: row for row in conn.execute(query).mappings()}
    parents = {row["parent_id"] for row in changed.values() if row["parent_id"] is not None}
    for chunk in _chunks(parents - changed.keys()):
        for row in conn.execute(select(items).where(scope, items.c.id.in_(chunk))).mappings():
            changed[row["id"]] = row
    gained, lost = visibility.membership_changes(conn, user_id, since)
    for chunk in _chunks(gained):
        query = select(items).where(items.c.project_id.in_(chunk), items.c.is_deleted.is_(False))
        for row in conn.execute(query).mappings():
            changed[row["id"]] = row
    for chunk in _chunks(lost):
        # Also what was deleted after ``since`` (the project deleted after the user left).
        recent = or_(items.c.is_deleted.is_(False), items.c.seq > since)
        query = select(items).where(items.c.project_id.in_(chunk), recent)
        for row in conn.execute(query).mappings():
            changed[row["id"]] = {**row, "is_deleted": True}
    if since > 0:
        # Tasks moved where the user cannot follow (core/departures.py).
        for gone in departures.departed(conn, items, user_id, since, [*shared, *lost]):
            changed.setdefault(gone["id"], gone)
    return sorted(changed.values(), key=lambda row: (row["seq"], row["id"]))


def closed_tasks(
    conn: Connection,
    user_id: int,
    *,
    statuses: Sequence[Status],
    since: datetime | None = None,
    until: datetime | None = None,
    project_id: int | None = None,
    limit: int | None = None,
) -> list[RowMapping]:
    """Live tasks closed with one of ``statuses`` within [since, until], newest first."""
    query = select(items).where(
        visibility.scope(items, user_id),
        items.c.is_deleted.is_(False),
        items.c.status.in_([status.value for status in statuses]),
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


def _oids(conn: Connection, table: Table, user_id: int, ids: Iterable[int]) -> dict[int, str]:
    """String ids of rows of ``table`` the user sees, deleted ones too, and of projects the
    user lost (the ids come from rows already read for the user: a lost project's tasks
    are sent deleted with their project's string id)."""
    result: dict[int, str] = {}
    lost = set(visibility.membership_changes(conn, user_id, 0)[1]) if table is projects else set()
    for chunk in _chunks(ids):
        scope = visibility.scope(table, user_id)
        if lost & set(chunk):
            scope = or_(scope, table.c.id.in_(sorted(lost & set(chunk))))
        query = select(table.c.id, table.c.oid).where(scope, table.c.id.in_(chunk))
        for row_id, oid in conn.execute(query):
            result[int(row_id)] = str(oid)
    return result


def _live_rows(conn: Connection, table: Table, user_id: int) -> list[RowMapping]:
    """The live rows of ``table`` the user sees, in their stored order."""
    order = table.c.item_order if "item_order" in table.c else table.c.id
    shared = visibility.shared_with(conn, user_id) if table is projects else []
    query = (
        select(table)
        .where(visibility.read_scope(table, user_id, shared), table.c.is_deleted.is_(False))
        .order_by(order, table.c.id)
    )
    return list(conn.execute(query).mappings())


def project_oids(conn: Connection, user_id: int, ids: Iterable[int]) -> dict[int, str]:
    """String ids of the user's projects (deleted ones too)."""
    return _oids(conn, projects, user_id, ids)


def item_oids(conn: Connection, user_id: int, ids: Iterable[int]) -> dict[int, str]:
    """String ids of the user's items (deleted ones too)."""
    return _oids(conn, items, user_id, ids)


def live_projects(conn: Connection, user_id: int) -> list[Row]:
    """The user's live projects (the Inbox and archived ones included) in the user's list
    order: a member's own place for a shared one (core/member_view.py)."""
    found = member_view.seen_by(conn, user_id, _live_rows(conn, projects, user_id))
    return sorted(found, key=lambda row: (row["item_order"], row["id"]))
