"""The read side of the sync engine: what changed for a user since a sequence number.

Cost grows with the number of changes, not the size of the account: every syncable table
has an index on ``(user_id, seq)``, and an incremental read is a range scan on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import Any, Literal

from sqlalchemy import JSON, Connection, Select, Table, bindparam, or_, select, type_coerce

from taskhaven.core import departures, item_labels, member_view, visibility
from taskhaven.core.limits import IN_CHUNK, ReadTooLarge, check_within
from taskhaven.core.rows import Row
from taskhaven.store import counter
from taskhaven.store.prepared import Prepared, driver
from taskhaven.store.schema import (
    SharedJSON,
    filters,
    items,
    labels,
    notes,
    projects,
    reminders,
)

# The kinds an incremental read serves, by name, so adapters never name a table.
Kind = Literal["projects", "items", "labels", "notes", "filters", "reminders"]
_TABLES: dict[Kind, Table] = {
    "projects": projects,
    "items": items,
    "labels": labels,
    "notes": notes,
    "filters": filters,
    "reminders": reminders,
}


def _own_since(table: Table) -> Select[Any]:
    return (
        select(table)
        .where(table.c.user_id == bindparam("user_id"), table.c.seq > bindparam("since"))
        .order_by(table.c.seq.desc(), table.c.id.desc())
    )


# A user's own rows of each kind changed after a number, newest first: the read of every
# incremental sync of a user who has nothing shared with them (``rows_since``); and the same
# with a LIMIT, for a read that may answer only when it stays small (``at_most``).
_OWN_SINCE: dict[Kind, Prepared] = {
    kind: Prepared(_own_since(table)) for kind, table in _TABLES.items()
}
_OWN_SINCE_BOUNDED: dict[Kind, Prepared] = {
    kind: Prepared(_own_since(table).limit(bindparam("limit"))) for kind, table in _TABLES.items()
}


def cursor(conn: Connection) -> int:
    """The number to hand a reader. Read it *before* the rows: a change committed in
    between is then sent now and again next time, which merging by id makes harmless;
    reading it after could skip that change for good."""
    return counter.current(conn)


def read_from(since: int, cursor: int) -> int:
    """Where a read for a client at ``since`` starts, given the ``cursor`` just read.

    A number greater than the counter was never handed out by this database (it was
    restored from a backup, say): changes numbered between the counter and ``since`` would
    be skipped for good, so such a client gets a full read (0) instead.
    """
    return 0 if since > cursor else since


@dataclass(frozen=True)
class View:
    """What a user sees beyond their own rows, read once per sync: the projects shared with
    them, and those gained and lost since the reader's number (core/visibility.py)."""

    shared: list[int]
    gained: list[int]
    lost: list[int]
    # False when no row can have left the user's sight (``Start.may_see_departures``):
    # the departures statement is not run.
    departures: bool = True


def view(conn: Connection, user_id: int, since: int) -> View:
    return View(*visibility.memberships(conn, user_id, since))


def rows_since(
    conn: Connection,
    kind: Kind,
    user_id: int,
    since: int,
    seen: View | None = None,
    at_most: int | None = None,
) -> list[Row]:
    """Rows of ``kind`` visible to ``user_id``, newest change first.

    ``since == 0`` is a full read: deleted rows are left out, and so are items already in
    history (a full read is the working set; history is read page by page elsewhere).
    ``since > 0`` is incremental: every row stamped after ``since``, deleted ones included;
    for projects, items and notes also the whole of a project shared with the user since
    then, and the whole of one the user lost since then, each row marked deleted
    (core/visibility.py). ``seen`` is ``view(conn, user_id, since)``, read once for several
    kinds.

    With ``at_most``, the read is bounded: only the user's own rows, at most that many of
    them and of departures, or ``ReadTooLarge`` (a shared project, one gained or lost, or
    more rows) — each statement of it reads at most ``at_most + 1`` rows.
    """
    table = _TABLES[kind]
    if table not in visibility.SHARED_TABLES:
        seen = View([], [], [])
    elif seen is None:
        seen = view(conn, user_id, since)
    found: list[Row]
    if at_most is not None:
        if since <= 0 or seen.shared or seen.gained or seen.lost:
            raise ReadTooLarge(kind)
        bounded = _OWN_SINCE_BOUNDED[kind]
        values = {"user_id": user_id, "since": since, "limit": at_most + 1}
        found = list(bounded.all(driver(conn), conn.dialect, **values))
        check_within(found, at_most, kind)
    elif since > 0 and not seen.shared:
        # The polling case (nothing shared with the user): prepared once, run on the read
        # transaction's own driver connection (store/prepared.py).
        found = list(_OWN_SINCE[kind].all(driver(conn), conn.dialect, user_id=user_id, since=since))
    else:
        query = select(table).where(visibility.read_scope(table, user_id, seen.shared))
        query = query.where(table.c.seq > since) if since > 0 else _working_set(query, table)
        result = conn.execute(query.order_by(table.c.seq.desc(), table.c.id.desc()))
        found = list(result.mappings())
    if seen.gained or seen.lost:
        found = _with_membership_changes(conn, table, found, since, seen.gained, seen.lost)
    if since > 0 and table in (items, notes) and seen.departures:
        found = _with_departures(conn, table, user_id, since, seen, found, at_most)
    if table is items:
        found = item_labels.seen_by(conn, user_id, found)  # each member's own labels
    elif table is projects:
        found = member_view.seen_by(conn, user_id, found)  # each member's own place
    return found


def working_set(
    conn: Connection, kind: Kind, user_id: int, names: Sequence[str], seen: View
) -> Iterator[Sequence[Any]]:
    """``rows_since(conn, kind, user_id, 0, seen)`` as tuples of the columns ``names``, in
    that order: the lean read a full sync renders from, with no mapping built per row and no
    column read that nobody renders. JSON arrays come back as shared tuples
    (``store.schema.SharedJSON``): read them, never change them. The rows arrive as the
    caller iterates, so iterate before ``conn`` ends.
    """
    table = _TABLES[kind]
    shared = seen.shared if table in visibility.SHARED_TABLES else []
    query = select(*_lean_columns(kind, tuple(names)))
    query = _working_set(query.where(visibility.read_scope(table, user_id, shared)), table)
    found = conn.execute(query.order_by(table.c.seq.desc(), table.c.id.desc()))
    # Fetched in batches and handed on one by one, so a renderer that keeps only its own
    # object per row never holds the whole read twice.
    lean: Iterator[Sequence[Any]] = chain.from_iterable(found.partitions(_BATCH))
    # The same per-member view as rows_since: each member's own labels on items, their own
    # place and folding of a shared project.
    if table is items and "labels" in names:
        return item_labels.seen_in(conn, user_id, lean, list(names).index("labels"))
    if table is projects and shared:
        return member_view.seen_in(conn, user_id, lean, list(names))
    return lean


_BATCH = 1000  # rows fetched at a time by a lean read


@cache
def _lean_columns(kind: Kind, names: tuple[str, ...]) -> tuple[Any, ...]:
    """The column expressions of a lean read, built once per kind and column list."""
    table = _TABLES[kind]
    return tuple(
        type_coerce(table.c[name], SharedJSON()).label(name)
        if isinstance(table.c[name].type, JSON)
        else table.c[name]
        for name in names
    )


def _working_set(query: Select[Any], table: Table) -> Select[Any]:
    query = query.where(table.c.is_deleted.is_(False))
    if table is items:
        query = query.where(items.c.in_history.is_(False))
    return query


def _with_membership_changes(
    conn: Connection,
    table: Table,
    found: list[Row],
    since: int,
    gained: list[int],
    lost: list[int],
) -> list[Row]:
    column = table.c.id if table is projects else table.c.project_id
    seen = {row["id"] for row in found}
    extra: list[Row] = []
    for chunk in _chunks(gained):
        query = _working_set(select(table).where(column.in_(chunk)), table)
        extra.extend(row for row in conn.execute(query).mappings() if row["id"] not in seen)
    for chunk in _chunks(lost):
        # Rows deleted before ``since`` already reached the user; rows deleted after it (the
        # whole project, when its owner deleted it after removing the user) did not.
        recent = or_(table.c.is_deleted.is_(False), table.c.seq > since)
        query = select(table).where(column.in_(chunk), recent)
        extra.extend({**row, "is_deleted": True} for row in conn.execute(query).mappings())
    found = [row for row in found if not _in(row, table, lost)] + extra
    return sorted(found, key=lambda row: (row["seq"], row["id"]), reverse=True)


def _with_departures(
    conn: Connection,
    table: Table,
    user_id: int,
    since: int,
    seen: View,
    found: list[Row],
    at_most: int | None = None,
) -> list[Row]:
    """Rows that moved out of the user's sight since ``since``, sent deleted once
    (core/departures.py)."""
    listed = {row["id"] for row in found}
    others = [*seen.shared, *seen.lost]
    gone = departures.departed(conn, table, user_id, since, others, at_most)
    extra = [row for row in gone if row["id"] not in listed]
    if not extra:
        return found
    return sorted(found + extra, key=lambda row: (row["seq"], row["id"]), reverse=True)


def _in(row: Row, table: Table, project_ids: list[int]) -> bool:
    return (row["id"] if table is projects else row["project_id"]) in project_ids


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + IN_CHUNK] for start in range(0, len(ids), IN_CHUNK)]


def day_orders(conn: Connection, user_id: int) -> dict[int, int]:
    """``{item id: day order}`` of the user's live items that have one (not -1)."""
    rows = conn.execute(
        select(items.c.id, items.c.day_order).where(
            items.c.user_id == user_id,
            items.c.is_deleted.is_(False),
            items.c.in_history.is_(False),
            items.c.day_order != -1,
        )
    )
    return {item_id: order for item_id, order in rows}
