"""Who sees which rows: the one place that scopes projects, items and notes by membership.

A project is visible to its owner (``projects.user_id``) and to its active members
(``project_members`` rows in state ``active``). Every row of a project (its items and notes)
carries the owner's ``user_id``, whoever wrote it (the writer is ``author_id``), so an owner's
reads are the plain ``user_id`` range scans and a member's add one more range scan per shared
project. Labels, filters, reminders and the rest stay personal: they are scoped by
``user_id`` alone.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Select, Table, bindparam, or_, select

from taskhaven.store.prepared import Prepared, driver
from taskhaven.store.schema import items, notes, project_members, projects

ACTIVE = "active"
INVITED = "invited"
INACTIVE = "inactive"
DELETED = "deleted"

# The tables whose rows follow their project's visibility.
SHARED_TABLES = (projects, items, notes)


def _project_column(table: Table) -> ColumnElement[int]:
    return table.c.id if table is projects else table.c.project_id


def member_projects(user_id: int) -> Select[tuple[int]]:
    """The ids of the projects the user is an active member of (as a subquery)."""
    return select(project_members.c.project_id).where(
        project_members.c.user_id == user_id, project_members.c.state == ACTIVE
    )


def scope(table: Table, user_id: int) -> ColumnElement[bool]:
    """The rows of ``table`` the user may see and change: the one membership clause every
    lookup and write of projects, items and notes goes through (other tables: the user's own).
    """
    if table not in SHARED_TABLES:
        return table.c.user_id == user_id
    return or_(table.c.user_id == user_id, _project_column(table).in_(member_projects(user_id)))


def shared_with(conn: Connection, user_id: int) -> list[int]:
    """The projects another user owns that this user is an active member of."""
    query = (
        select(project_members.c.project_id)
        .join(projects, projects.c.id == project_members.c.project_id)
        .where(
            project_members.c.user_id == user_id,
            project_members.c.state == ACTIVE,
            projects.c.user_id != user_id,
        )
    )
    return sorted({int(pid) for (pid,) in conn.execute(query)})


def read_scope(table: Table, user_id: int, shared: list[int]) -> ColumnElement[bool]:
    """``scope`` with the member's projects already listed (``shared_with``): for reads, so a
    user who shares nothing gets exactly the ``(user_id, seq)`` range scan."""
    if table not in SHARED_TABLES or not shared:
        return table.c.user_id == user_id
    return or_(table.c.user_id == user_id, _project_column(table).in_(shared))


def members_of(conn: Connection, project_id: int) -> list[int]:
    """Everyone who sees the project: its owner first, then its active members."""
    owner = conn.execute(select(projects.c.user_id).where(projects.c.id == project_id)).scalar()
    if owner is None:
        return []
    found = [int(owner)]
    query = (
        select(project_members.c.user_id)
        .where(project_members.c.project_id == project_id, project_members.c.state == ACTIVE)
        .order_by(project_members.c.id)
    )
    for (uid,) in conn.execute(query):
        if uid is not None and int(uid) not in found:
            found.append(int(uid))
    return found


def member_counts(conn: Connection, project_ids: list[int]) -> dict[int, int]:
    """How many users see each project: its owner and its active members."""
    counts = dict.fromkeys(project_ids, 1)
    if not project_ids:
        return counts
    query = (
        select(project_members.c.project_id, project_members.c.user_id)
        .join(projects, projects.c.id == project_members.c.project_id)
        .where(
            project_members.c.project_id.in_(project_ids),
            project_members.c.state == ACTIVE,
            project_members.c.user_id != projects.c.user_id,
        )
        .distinct()
    )
    for pid, _uid in conn.execute(query):
        counts[int(pid)] += 1
    return counts


def can_see_project(conn: Connection, user_id: int, project_id: int) -> bool:
    row = conn.execute(
        select(projects.c.id).where(projects.c.id == project_id, scope(projects, user_id))
    ).first()
    return row is not None


# Every membership row of one user with its project's owner: what ``memberships`` derives
# the shared, gained and lost projects from, in one statement built once.
_MEMBERSHIPS = Prepared(
    select(
        project_members.c.project_id,
        project_members.c.state,
        project_members.c.seq,
        projects.c.user_id.label("owner"),
    )
    .select_from(project_members.outerjoin(projects, projects.c.id == project_members.c.project_id))
    .where(project_members.c.user_id == bindparam("user_id"))
)


def memberships(
    conn: Connection, user_id: int, since: int
) -> tuple[list[int], list[int], list[int]]:
    """``shared_with`` and ``membership_changes`` (gained, lost) together, from one read of
    the user's membership rows (usually none): what every incremental sync of a kind that can
    be shared needs first."""
    rows = _MEMBERSHIPS.all(driver(conn), conn.dialect, user_id=user_id)
    found = [
        (int(row["project_id"]), row["state"], int(row["seq"] or 0), row["owner"]) for row in rows
    ]
    shared = {
        pid for pid, state, _seq, owner in found
        if state == ACTIVE and owner is not None and int(owner) != user_id
    }  # fmt: skip
    if since <= 0:
        return sorted(shared), [], []
    recent = [(pid, state, owner) for pid, state, seq, owner in found if seq > since]
    gained = {pid for pid, state, _owner in recent if state == ACTIVE}
    owned = {
        pid for pid, _state, _seq, owner in found if owner is not None and int(owner) == user_id
    }
    lost = {pid for pid, state, _owner in recent if state == INACTIVE} - gained - shared - owned
    return sorted(shared), sorted(gained), sorted(lost)


def membership_changes(conn: Connection, user_id: int, since: int) -> tuple[list[int], list[int]]:
    """Projects the user gained (became an active member of) and lost (was removed from or
    left) after ``since``: what an incremental read must send whole, or send deleted.

    A membership row's ``seq`` is stamped once when it changes state, so a lost project's
    deletion goes out in the one incremental read that spans that stamp, never again.
    """
    found = conn.execute(
        select(project_members.c.project_id, project_members.c.state).where(
            project_members.c.user_id == user_id,
            project_members.c.seq > since,
            project_members.c.state.in_([ACTIVE, INACTIVE]),
        )
    ).all()
    gained = {int(pid) for pid, state in found if state == ACTIVE}
    lost = {int(pid) for pid, state in found if state == INACTIVE} - gained
    if lost:
        # Re-invited and active again, or the owner now: still visible, nothing to delete.
        lost -= set(shared_with(conn, user_id))
        lost -= {
            int(pid)
            for (pid,) in conn.execute(
                select(projects.c.id).where(
                    projects.c.id.in_(sorted(lost)), projects.c.user_id == user_id
                )
            )
        }
    return sorted(gained), sorted(lost)
