"""Rows that left the sight of some of their viewers without being deleted: an item moved
out of a shared project (with its notes) into one that some member does not see.

An incremental read is "the rows I see with ``seq > S``"; a row that moved where the reader
cannot follow is no longer among the rows they see, so without a record they would keep it
for good. ``record`` writes one departure per row (stamped, indexed by the project left);
``departed`` gives a reader the rows that left one of their projects after ``S`` and that
they no longer see, marked deleted: sent once, like a lost project's rows
(core/visibility.py ``membership_changes``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Table, bindparam, insert, or_, select

from taskhaven.core import visibility
from taskhaven.core.backend import Unit
from taskhaven.core.limits import IN_CHUNK, ReadTooLarge, check_within
from taskhaven.core.rows import Row
from taskhaven.store.prepared import Prepared, driver
from taskhaven.store.schema import departures, projects


def record(
    unit: Unit, table: Table, row_ids: Iterable[int], from_project: int, to_project: int
) -> None:
    """Note the rows' move when someone who sees ``from_project`` does not see
    ``to_project``."""
    wanted = sorted(set(row_ids))
    left = set(visibility.members_of(unit.conn, from_project))
    if not wanted or not left - set(visibility.members_of(unit.conn, to_project)):
        return
    seq = unit.stamp()
    unit.conn.execute(
        insert(departures),
        [
            {"kind": table.name, "row_id": row_id, "project_id": from_project, "seq": seq}
            for row_id in wanted
        ],
    )


# Built once (every incremental read of items and notes asks): departures after ``since``
# from the user's own projects, or from those and the projects in ``others``.
_OWN = select(projects.c.id).where(projects.c.user_id == bindparam("user_id"))
_RECENT = (departures.c.kind == bindparam("kind"), departures.c.seq > bindparam("since"))
_FROM_OWN_SELECT = select(departures.c.row_id).where(*_RECENT, departures.c.project_id.in_(_OWN))
_FROM_OWN = Prepared(_FROM_OWN_SELECT)
_FROM_OWN_BOUNDED = Prepared(_FROM_OWN_SELECT.limit(bindparam("limit")))
_FROM_OWN_OR_SEEN = select(departures.c.row_id).where(
    *_RECENT,
    or_(
        departures.c.project_id.in_(_OWN),
        departures.c.project_id.in_(bindparam("others", expanding=True)),
    ),
)


def departed(
    conn: Connection,
    table: Table,
    user_id: int,
    since: int,
    seen: Iterable[int],
    at_most: int | None = None,
) -> list[Row]:
    """Rows of ``table`` that left a project the user sees (their own, or one of ``seen``:
    shared with them, or lost since ``since``) after ``since`` and that the user does not
    see now, each marked deleted. With ``at_most``: only from the user's own projects, at
    most that many, or ``ReadTooLarge``."""
    others = sorted(set(seen))
    values = {"kind": table.name, "since": since, "user_id": user_id}
    if at_most is not None:
        if others:
            raise ReadTooLarge(table.name)
        bounded = _FROM_OWN_BOUNDED.all(driver(conn), conn.dialect, **values, limit=at_most + 1)
        check_within(bounded, at_most, table.name)
        found = [row["row_id"] for row in bounded]
    elif others:
        found = [
            row_id for (row_id,) in conn.execute(_FROM_OWN_OR_SEEN, {**values, "others": others})
        ]
    else:
        found = [row["row_id"] for row in _FROM_OWN.all(driver(conn), conn.dialect, **values)]
    ids = sorted({int(row_id) for row_id in found})
    out: list[Row] = []
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        visible = set(
            conn.execute(
                select(table.c.id).where(table.c.id.in_(chunk), visibility.scope(table, user_id))
            ).scalars()
        )
        hidden = [row_id for row_id in chunk if row_id not in visible]
        if hidden:
            query = select(table).where(table.c.id.in_(hidden))
            out.extend({**row, "is_deleted": True} for row in conn.execute(query).mappings())
    return out
