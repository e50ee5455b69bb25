"""The core's entry point: one object per server process holding the engine and the keys."""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, event

from taskhaven.core import limitstores, marks
from taskhaven.core.remembered import Remembered
from taskhaven.core.security import Passwords, SecretBox, load_or_create_key
from taskhaven.settings import Settings
from taskhaven.store import counter
from taskhaven.store.engine import (
    make_engine,
    outside_transaction,
    read_transaction,
    write_transaction,
)
from taskhaven.store.migrate import upgrade
from taskhaven.store.prepared import Prepared, PreparedInsert, PreparedRow


def utcnow() -> datetime:
    return datetime.now(UTC)


# The execution option naming the set a unit's connection records written tables in.
_TOUCHED = "taskhaven_touched"


def _record_touched(
    conn: Connection, clause: Any, multiparams: Any, params: Any, options: Any
) -> None:
    """Note the table of every INSERT/UPDATE/DELETE a unit runs: ``marks.stamp`` looks for
    the unit's changes in those tables only."""
    touched = options.get(_TOUCHED)
    if touched is not None and getattr(clause, "is_dml", False):
        touched.add(clause.table.name)


@dataclass
class Unit:
    """One write transaction on behalf of one user.

    Every change a unit makes is stamped with a number from ``stamp()``; numbers increase
    in the order changes are made, so "newest change first" is simply "highest seq first".
    """

    conn: Connection
    user_id: int
    seqs: counter.SeqDrawer
    now: datetime = field(default_factory=utcnow)
    # Lookups cached for this unit: key -> (seqs.last when stored, value). See ``cached``.
    _memo: dict[Hashable, tuple[int | None, Any]] = field(default_factory=dict, repr=False)
    _savepoints: int = field(default=0, repr=False)
    _cursor: Any = field(default=None, repr=False)

    def stamp(self) -> int:
        return self.seqs.draw()

    def cached(self, key: Hashable) -> Any:
        """A value stored by ``cache`` while no change has been made since, else None.

        Invariant: every changed row gets a fresh stamp, so while ``seqs.last`` is what it
        was when the value was read, no row has changed in this unit; and no other writer
        can change one meanwhile, because the unit holds the change-counter lock until it
        commits. A savepoint that rolls back drops the whole cache (see ``savepoint``).
        So cache only what was read after every change so far was written: a stamp drawn
        for a row not written yet would make the value stale without a later stamp.
        """
        entry = self._memo.get(key)
        if entry is None or entry[0] != self.seqs.last:
            return None
        return entry[1]

    def cache(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` (read from the database just now) for ``cached``."""
        self._memo[key] = (self.seqs.last, value)

    def stamp_keeping(self, *keys: Hashable) -> int:
        """``stamp`` for a change the caller knows leaves the values cached under ``keys``
        true (inserting a new row changes no row read before); they stay cached."""
        kept = [(key, value) for key in keys if (value := self.cached(key)) is not None]
        seq = self.stamp()
        for key, value in kept:
            self.cache(key, value)
        return seq

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run a block so that its failure rolls back only its own changes.

        SAVEPOINT statements go straight to the driver's cursor: through SQLAlchemy
        (``begin_nested`` or even ``exec_driver_sql``) each pair cost more than the INSERT
        of a typical command. Every savepoint of a unit goes through here, never through
        ``begin_nested``, so SQLAlchemy's own savepoint bookkeeping is never mixed in.
        Names are unique per unit, so savepoints nest (``Ctx.each`` inside a command).
        """
        self._savepoints += 1
        name = f"sp_{self._savepoints}"
        cursor = self._driver_cursor()
        cursor.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # Rows the block changed are back to what they were, possibly without any new
            # stamp to tell ``cached`` so: forget everything cached.
            self._memo.clear()
            # On PostgreSQL this also ends the "transaction aborted" state a failed
            # statement leaves, so the batch goes on.
            cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
            cursor.execute(f"RELEASE SAVEPOINT {name}")
            raise
        cursor.execute(f"RELEASE SAVEPOINT {name}")

    def insert(self, statement: PreparedInsert, values: dict[str, Any]) -> int:
        """Insert one row with a prepared statement in this unit's transaction; its id.

        The table is noted as written, as ``_record_touched`` notes a SQLAlchemy statement's,
        so ``marks.stamp`` finds the row.
        """
        touched = self.conn.get_execution_options().get(_TOUCHED)
        if touched is not None:
            touched.add(statement.table.name)
        return statement.run(self._driver_cursor(), self.conn.dialect, values)

    def _driver_cursor(self) -> Any:
        if self._cursor is None:
            driver = self.conn.connection.dbapi_connection
            assert driver is not None, "the unit's connection is open"
            self._cursor = driver.cursor()
        return self._cursor

    def close(self) -> None:
        """Release what the unit holds besides the connection (its driver cursor)."""
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None


class Backend:
    """Holds what every request needs: the engine, the settings, the secret box and the
    password hasher."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(
            settings.database_url, settings.database_connect_timeout_seconds
        )
        key = (
            settings.secret_key.get_secret_value()
            if settings.secret_key
            else load_or_create_key(settings.data_dir / "secret.key")
        )
        self.box = SecretBox(key)
        self.passwords = Passwords(
            settings.argon2_time_cost, settings.argon2_memory_cost, settings.argon2_parallelism
        )
        # Until a server starts (``start_serving``), counters live in the database: what a
        # command-line tool or a test counts is seen by any server.
        self.counters: limitstores.Counters = limitstores.DatabaseCounters(
            self.engine, self.loop_first
        )
        self._serving: limitstores.Opened | None = None
        self._serves = 0
        # Values read under marks (core/remembered.py): this database's only.
        self.remembered = Remembered()
        self._loop_conn: Connection | None = None
        self._loop_auto: Connection | None = None
        self._loop_thread: int | None = None
        if not event.contains(self.engine, "before_execute", _record_touched):
            event.listen(self.engine, "before_execute", _record_touched)

    def migrate(self) -> None:
        """Bring the schema up to date; several processes starting at once migrate once
        (the others wait for the migration lock, then find nothing to do)."""
        upgrade(self.engine)

    def start_serving(self) -> None:
        """Migrate, then take the rate-limit counters this server process uses.

        Raises ``limitstores.ClaimRefused`` when another process serves the same SQLite
        database with counters that would not add up with this one's. Apps started twice
        on one backend (nested lifespans) share its counters until the last one stops.
        """
        self.migrate()
        # The lifespan runs this on the event loop's thread: the one ``loop_read`` and
        # ``loop_first`` serve from their own connections.
        self.reads_on_this_thread()
        if self._serving is None:
            self._serving = limitstores.open_for_serving(
                self.settings, self.engine, self.loop_first
            )
            self.counters = self._serving.counters
        self._serves += 1

    def reads_on_this_thread(self) -> None:
        """Make the calling thread the one whose short reads use the loop's connections.

        Any other thread (the thread pool, a command-line tool) reads through the pool: a
        thread that merely read first must never take the loop's connections, or the loop
        would wait for pool slots.
        """
        self._loop_thread = threading.get_ident()

    def stop_serving(self) -> None:
        self._serves = max(0, self._serves - 1)
        if self._serves == 0 and self._serving is not None:
            self._serving.close()
            self._serving = None
            self.counters = limitstores.DatabaseCounters(self.engine, self.loop_first)

    @contextmanager
    def write(self, user_id: int) -> Iterator[Unit]:
        """A write transaction holding the change-counter lock until it commits."""
        with write_transaction(self.engine) as conn:
            touched: set[str] = set()
            conn.execution_options(**{_TOUCHED: touched})
            unit = Unit(conn=conn, user_id=user_id, seqs=counter.SeqDrawer(conn))
            try:
                # Lock before any savepoint; see SeqDrawer.lock.
                unit.seqs.lock()
                yield unit
                first, last = unit.seqs.first, unit.seqs.last
                if first is not None and last is not None and last >= first:
                    # Same transaction as the counter: a reader of the marks sees every
                    # change up to them (core/marks.py).
                    marks.stamp(conn, unit.user_id, touched, first, last)
                unit.seqs.flush()
            finally:
                unit.close()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with read_transaction(self.engine) as conn:
            yield conn

    @contextmanager
    def loop_read(self) -> Iterator[Connection]:
        """A short read on the event loop itself, on a connection of its own.

        The loop runs one request step at a time, so one connection serves it and a read
        here never waits for a pool slot (which a pooled checkout could, stalling every
        request). Called from any other thread (or a second loop), it is ``read()``.
        Use it for bounded, indexed reads only (docs/performance.md, the read path).
        """
        me = threading.get_ident()
        if me != self._loop_thread:
            with self.read() as conn:
                yield conn
            return
        if self._loop_conn is None or self._loop_conn.closed or self._loop_conn.invalidated:
            self._loop_conn = self.engine.connect()
        conn = self._loop_conn
        try:
            with conn.begin():
                yield conn
        except BaseException:
            # A broken connection is not reused; the next read opens another.
            if conn.invalidated:
                conn.close()
                self._loop_conn = None
            raise

    def loop_first(self, prepared: Prepared, **params: Any) -> PreparedRow | None:
        """One prepared statement's first row, read on the event loop outside any
        transaction: the statement is its own snapshot (store/prepared.py), so a read that
        needs only one row costs one statement and no BEGIN/COMMIT. Off the loop's thread
        (a handler in the thread pool) it runs the same way on a pooled connection."""
        dialect = self.engine.dialect
        me = threading.get_ident()
        if me != self._loop_thread:
            # A pooled connection, lent in autocommit (the pool restores its isolation
            # level when it comes back): the same one statement, the same snapshot.
            with self.engine.connect() as pooled:
                outside_transaction(pooled)
                return prepared.first(pooled.connection.dbapi_connection, dialect, **params)
        if self._loop_auto is None or self._loop_auto.closed or self._loop_auto.invalidated:
            self._loop_auto = outside_transaction(self.engine.connect())
        conn = self._loop_auto
        try:
            return prepared.first(conn.connection.dbapi_connection, dialect, **params)
        except BaseException:
            # A driver error bypasses SQLAlchemy's disconnect handling: never reuse the
            # connection after one; the next read opens another.
            conn.invalidate()
            conn.close()
            self._loop_auto = None
            raise

    @contextmanager
    def plain_write(self) -> Iterator[Connection]:
        """A write that stamps nothing a client syncs (sessions, rate counters)."""
        with write_transaction(self.engine) as conn:
            yield conn

    def dispose(self) -> None:
        for conn in (self._loop_conn, self._loop_auto):
            if conn is not None:
                conn.close()
        self._loop_conn = self._loop_auto = None
        self.engine.dispose()
