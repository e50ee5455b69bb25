"""The read side of the sync engine: what changed for a user since a sequence number.

Cost grows with the number of changes, not the size of the account: every syncable table
has an index on ``(user_id, seq)``, and an incremental read is a range scan on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, RowMapping, Table, select

from taskhaven.store import counter


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


def rows_since(
    conn: Connection,
    table: Table,
    user_id: int,
    since: int,
    *,
    active: Sequence[ColumnElement[bool]] = (),
) -> list[RowMapping]:
    """Rows of ``table`` visible to ``user_id``, newest change first.

    ``since == 0`` is a full read: deleted rows and whatever ``active`` excludes are left out.
    ``since > 0`` is incremental: every row stamped after ``since``, deleted ones included.
    """
    query = select(table).where(table.c.user_id == user_id)
    if since > 0:
        query = query.where(table.c.seq > since)
    else:
        query = query.where(table.c.is_deleted.is_(False), *active)
    query = query.order_by(table.c.seq.desc(), table.c.id.desc())
    return list(conn.execute(query).mappings())
