"""Per-user high-water marks: what a read may skip.

For each user and each kind of thing a sync can send (``store.schema.MARK_KINDS``), the
mark is a number >= the ``seq`` of every change of that kind the user can see: their own
rows, rows of projects shared with them, their membership changes, their live
notifications, their account row, the collaborator lists they are sent.

**Invariant:** the marks are written by ``stamp``, inside the write unit, after its last
change and before the counter is written back and the transaction commits (``Backend.write``).
So a reader that reads a user's marks in the same statement as the counter C sees, for each
kind, a mark M such that no change of that kind visible to the user has ``C >= seq > M``; a
client at ``since >= M`` can skip the kind without missing a change. A mark may be higher
than the newest change it covers (a stamp that turned out to change nothing of the user's,
the migration's backfill); it is never lower.

Who gets stamped: the unit finds which rows it changed from the tables its statements wrote
(``Touched``) and the numbers it drew (``seq >= first``): the owner of each changed row, and
for rows of a project (projects, items, notes) every active member of that project; a
membership row stamps its member (who gained or lost the project) and everyone who sees the
project; an account row stamps its user and everyone who shares a project with them (their
collaborator lists show it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, literal, select, union_all, update

from taskhaven.core import visibility
from taskhaven.core.limits import IN_CHUNK
from taskhaven.store.schema import (
    MARK_KINDS,
    departures,
    filters,
    items,
    labels,
    live_notifications,
    notes,
    project_groups,
    project_members,
    projects,
    reminders,
    user_marks,
    users,
)

Marks = Mapping[str, int]

# Tables scoped by ``user_id`` with a ``(user_id, seq)`` index: found per candidate owner.
_OWNED: dict[str, tuple[Table, str]] = {
    "projects": (projects, "projects"),
    "items": (items, "items"),
    "notes": (notes, "notes"),
    "labels": (labels, "labels"),
    "filters": (filters, "filters"),
    "reminders": (reminders, "reminders"),
    "project_groups": (project_groups, "groups"),
}
# Rows of a project: everyone who sees the project sees them change.
_OF_PROJECT = {"projects", "items", "notes"}
# A user gaining or losing a project receives (or loses) all of these.
_MEMBERSHIP_KINDS = frozenset(("projects", "items", "notes", "collaborators"))
# Everyone who sees a project whose membership changed: its member count, its collaborators.
_VIEWER_KINDS = frozenset(("projects", "collaborators"))
TRACKED = frozenset((*_OWNED, "project_members", "live_notifications", "users", "departures"))


def skip(marks: Marks | None, kind: str, since: int) -> bool:
    """Whether a read for a client at ``since`` may leave ``kind`` out: nothing of it that
    the user can see changed after ``since`` (unknown marks and full reads skip nothing)."""
    return marks is not None and since > 0 and marks[kind] <= since


def stamp(conn: Connection, writer: int, touched: Iterable[str], first: int, last: int) -> None:
    """Raise to ``last`` the marks of every user who can see a change this unit made.

    ``touched`` names the tables the unit wrote; its changes are the rows of those tables
    with ``seq >= first`` (the unit holds the counter lock, so no one else's are). Runs
    before the commit, in the unit's transaction (see the module docstring).
    """
    tables = set(touched) & TRACKED
    if not tables:
        return
    stamps: dict[int, set[str]] = {}
    context = _Context(conn)

    def add(user_ids: Iterable[int], kinds: Iterable[str]) -> None:
        for uid in user_ids:
            stamps.setdefault(int(uid), set()).update(kinds)

    owned = [name for name in _OWNED if name in tables]
    if owned:
        owners, shares = context.of(writer)
        if owners == {writer} and not shares:
            # Nothing of the writer's is shared and nothing shared is the writer's: every
            # row it could change is its own and no one else sees it.
            add([writer], {_OWNED[name][1] for name in owned})
        else:
            viewers_wanted: dict[int, set[str]] = {}
            for name in owned:
                table, kind = _OWNED[name]
                if name in _OF_PROJECT:
                    column = table.c.id if table is projects else table.c.project_id
                    query = select(table.c.user_id, column).distinct()
                    for uid, pid in _in_chunks(conn, query, table, owners, first):
                        add([uid], [kind])
                        viewers_wanted.setdefault(int(pid), set()).add(kind)
                else:
                    query = select(table.c.user_id).distinct()
                    for (uid,) in _in_chunks(conn, query, table, owners, first):
                        add([uid], [kind])
            for pid, viewers in context.viewers(viewers_wanted).items():
                add(viewers, viewers_wanted[pid])
    if "project_members" in tables:
        found = conn.execute(
            select(project_members.c.project_id, project_members.c.user_id)
            .where(project_members.c.seq >= first)
            .distinct()
        ).all()
        add([uid for _pid, uid in found if uid is not None], _MEMBERSHIP_KINDS)
        for viewers in context.viewers({int(pid): set() for pid, _uid in found}).values():
            add(viewers, _VIEWER_KINDS)
    if "departures" in tables:
        # A row moved out of a project some viewer cannot follow (core/departures.py):
        # everyone who sees the project it left gets its kind.
        left: dict[int, set[str]] = {}
        query = select(departures.c.project_id, departures.c.kind).where(departures.c.seq >= first)
        for pid, kind in conn.execute(query.distinct()):
            if kind in MARK_KINDS:
                left.setdefault(int(pid), set()).add(str(kind))
        for pid, viewers in context.viewers(left).items():
            add(viewers, left[pid])
    if "live_notifications" in tables:
        query = select(live_notifications.c.user_id).where(live_notifications.c.seq >= first)
        add((row[0] for row in conn.execute(query.distinct())), ["live_notifications"])
    if "users" in tables:
        changed = [
            int(uid) for (uid,) in conn.execute(select(users.c.id).where(users.c.seq >= first))
        ]
        add(changed, ["account"])
        for uid in changed:
            add(context.collaborators_of(uid), ["collaborators"])
    _write(conn, stamps, last)


class _Context:
    """What stamping needs to know of who shares what, each read at most once per unit."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._of: dict[int, tuple[set[int], bool]] = {}

    def of(self, user_id: int) -> tuple[set[int], bool]:
        """The owners whose rows the user may change (the user, and the owners of projects
        they have a membership row in, in any state), and whether the user owns a shared
        project. One statement."""
        if user_id not in self._of:
            via_membership = (
                select(projects.c.user_id)
                .join(project_members, project_members.c.project_id == projects.c.id)
                .where(project_members.c.user_id == user_id)
            )
            owns_shared = (
                select(projects.c.user_id)
                .where(projects.c.user_id == user_id, projects.c.shared.is_(True))
                .limit(1)
            )
            found = [
                (int(uid), tag)
                for uid, tag in self.conn.execute(
                    union_all(
                        via_membership.add_columns(_tag(0)),
                        select(owns_shared.subquery()).add_columns(_tag(1)),
                    )
                )
            ]
            owners = {user_id} | {uid for uid, tag in found if tag == 0}
            self._of[user_id] = (owners, any(tag == 1 for _uid, tag in found))
        return self._of[user_id]

    def viewers(self, wanted: Mapping[int, Any]) -> dict[int, set[int]]:
        """Everyone who sees each project now: its owner and its active members."""
        found: dict[int, set[int]] = {pid: set() for pid in wanted}
        ids = sorted(wanted)
        for start in range(0, len(ids), IN_CHUNK):
            chunk = ids[start : start + IN_CHUNK]
            owners = select(projects.c.id, projects.c.user_id).where(projects.c.id.in_(chunk))
            members = select(project_members.c.project_id, project_members.c.user_id).where(
                project_members.c.project_id.in_(chunk),
                project_members.c.state == visibility.ACTIVE,
            )
            for pid, uid in self.conn.execute(union_all(owners, members)):
                if uid is not None:
                    found[int(pid)].add(int(uid))
        return found

    def collaborators_of(self, user_id: int) -> set[int]:
        """Everyone who sees a shared project the user sees or has a membership row in, in
        any state (their lists show the user: an invitee too, ``sharing.collaborators``)."""
        owners, shares = self.of(user_id)
        if owners == {user_id} and not shares:
            return set()
        seen = select(projects.c.id).where(
            visibility.scope(projects, user_id), projects.c.shared.is_(True)
        )
        listed = select(project_members.c.project_id).where(project_members.c.user_id == user_id)
        pids = sorted({int(pid) for (pid,) in self.conn.execute(union_all(seen, listed))})
        return set().union(*self.viewers(dict.fromkeys(pids)).values()) if pids else set()


def _tag(value: int) -> Any:
    return literal(value).label("tag")


def _in_chunks(
    conn: Connection, query: Any, table: Table, owners: set[int], first: int
) -> list[Any]:
    out: list[Any] = []
    ids = sorted(owners)
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        out.extend(conn.execute(query.where(table.c.user_id.in_(chunk), table.c.seq >= first)))
    return out


def _write(conn: Connection, stamps: Mapping[int, set[str]], last: int) -> None:
    """One UPDATE per distinct set of kinds; a user without a marks row gets one with every
    kind at ``last`` (never too low: nothing visible to them is numbered above it)."""
    by_kinds: dict[frozenset[str], list[int]] = {}
    for uid, kinds in stamps.items():
        if kinds:
            by_kinds.setdefault(frozenset(kinds), []).append(uid)
    missing: list[int] = []
    for kind_set, uids in by_kinds.items():
        uids.sort()
        for start in range(0, len(uids), IN_CHUNK):
            chunk = uids[start : start + IN_CHUNK]
            result = conn.execute(
                update(user_marks)
                .where(user_marks.c.user_id.in_(chunk))
                .values(dict.fromkeys(sorted(kind_set), last))
            )
            if result.rowcount != len(chunk):
                missing.extend(chunk)
    if missing:
        have = {
            int(uid)
            for (uid,) in conn.execute(
                select(user_marks.c.user_id).where(user_marks.c.user_id.in_(sorted(set(missing))))
            )
        }
        rows = [
            {"user_id": uid, **dict.fromkeys(MARK_KINDS, last)}
            for uid in sorted(set(missing) - have)
        ]
        if rows:
            conn.execute(user_marks.insert(), rows)


def marks_of(row: Mapping[Any, Any]) -> dict[str, int] | None:
    """The marks carried by a row read with ``columns()`` (None: the user has none yet)."""
    if row.get("mark_items") is None:
        return None
    return {kind: int(row[f"mark_{kind}"]) for kind in MARK_KINDS}


def columns() -> list[Any]:
    """The marks as labelled columns, to select beside a user row (LEFT JOIN user_marks)."""
    return [user_marks.c[kind].label(f"mark_{kind}") for kind in MARK_KINDS]


def read(conn: Connection, user_id: int) -> dict[str, int] | None:
    row = conn.execute(select(*columns()).where(user_marks.c.user_id == user_id)).mappings().first()
    return None if row is None else marks_of(row)


__all__ = ["MARK_KINDS", "Marks", "columns", "marks_of", "read", "skip", "stamp"]
