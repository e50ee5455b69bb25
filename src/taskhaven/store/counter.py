"""The database-wide change counter.

Invariant: a reader handed sequence number S later receives every change with seq > S.
Writers draw numbers under the counter row's lock and hold it until they commit, so
transactions commit in the order of the numbers they drew, and a committed counter value
C means every change numbered <= C is visible. (SQLite serialises writers anyway.)
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from taskhaven.store.schema import change_counter

_ROW = 1


def current(conn: Connection) -> int:
    """The highest committed change number; what a reader may hand out as its cursor."""
    value = conn.execute(select(change_counter.c.value).where(change_counter.c.id == _ROW))
    return int(value.scalar_one())


class SeqDrawer:
    """Hands out change numbers for one write transaction.

    ``lock`` takes the counter row lock (UPDATE ... RETURNING) and must run outside any
    savepoint: PostgreSQL drops row locks taken inside a subtransaction that rolls back.
    Draws are then local increments, and ``flush`` writes the last one back before commit.
    Numbers consumed by a rolled-back savepoint simply leave gaps, which readers never notice.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._last: int | None = None
        self._stored: int | None = None
        self._first: int | None = None

    def lock(self) -> None:
        if self._stored is not None:
            return
        stmt = (
            update(change_counter)
            .where(change_counter.c.id == _ROW)
            .values(value=change_counter.c.value + 1)
            .returning(change_counter.c.value)
        )
        self._stored = int(self._conn.execute(stmt).scalar_one())
        self._first = self._stored
        # The locked value itself is handed out by the first draw.
        self._last = self._stored - 1

    def draw(self) -> int:
        self.lock()
        assert self._last is not None
        self._last += 1
        return self._last

    @property
    def last(self) -> int | None:
        return self._last

    @property
    def first(self) -> int | None:
        """The first number this drawer hands out (the locked value), once locked."""
        return self._first

    def flush(self) -> None:
        if self._last is not None and self._stored is not None and self._last > self._stored:
            self._conn.execute(
                update(change_counter).where(change_counter.c.id == _ROW).values(value=self._last)
            )
            self._stored = self._last
