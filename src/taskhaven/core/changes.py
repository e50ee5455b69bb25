"""The read side of the sync engine: what changed for a user since a sequence number.

Cost grows with the number of changes, not the size of the account: every syncable table
has an index on ``(user_id, seq)``, and an incremental read is a range scan on it.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Connection, RowMapping, Table, select

from taskhaven.store import counter
from taskhaven.store.schema import filters, items, labels, notes, projects, reminders

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


def rows_since(conn: Connection, kind: Kind, user_id: int, since: int) -> list[RowMapping]:
    """Rows of ``kind`` visible to ``user_id``, newest change first.

    ``since == 0`` is a full read: deleted rows are left out, and so are items already in
    history (a full read is the working set; history is read page by page elsewhere).
    ``since > 0`` is incremental: every row stamped after ``since``, deleted ones included.
    """
    table = _TABLES[kind]
    query = select(table).where(table.c.user_id == user_id)
    if since > 0:
        query = query.where(table.c.seq > since)
    else:
        query = query.where(table.c.is_deleted.is_(False))
        if table is items:
            query = query.where(items.c.in_history.is_(False))
    query = query.order_by(table.c.seq.desc(), table.c.id.desc())
    return list(conn.execute(query).mappings())


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
