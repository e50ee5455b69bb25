"""Counters in the database (``rate_counters``): shared by every process, one write each."""

from __future__ import annotations

from sqlalchemy import Delete, Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from taskhaven.store.engine import outside_transaction, read_transaction, write_transaction
from taskhaven.store.schema import rate_counters


class DatabaseCounters:
    name = "database"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    def add(self, key: str, window: int, expires_at: float) -> int:
        # The upsert is atomic on both databases: two processes counting at once never
        # lose a hit.
        stmt = (
            self._insert(rate_counters)
            .values(key=key, window=window, count=1)
            .on_conflict_do_update(
                index_elements=[rate_counters.c.key, rate_counters.c.window],
                set_={"count": rate_counters.c.count + 1},
            )
            .returning(rate_counters.c.count)
        )
        if self._engine.dialect.name == "sqlite":
            # SQLite writers queue on one lock: the upsert and the clean-up in one go.
            with write_transaction(self._engine) as conn:
                count = int(conn.execute(stmt).scalar_one())
                if count == 1:
                    conn.execute(self._older(key, window))
            return count
        # PostgreSQL: the upsert alone is atomic, so it runs as its own transaction (one
        # round trip, and the table is unlogged: no flush to disk per request, migration
        # 0006). The clean-up of older windows is a second statement, once per window.
        with self._engine.connect() as conn:
            outside_transaction(conn)
            count = int(conn.execute(stmt).scalar_one())
            if count == 1:
                conn.execute(self._older(key, window))
        return count

    @staticmethod
    def _older(key: str, window: int) -> Delete:
        """This key's windows before ``window``: forgotten at the first hit of a new one."""
        return delete(rate_counters).where(
            rate_counters.c.key == key, rate_counters.c.window < window
        )

    def get(self, key: str, window: int) -> int:
        with read_transaction(self._engine) as conn:
            value = conn.execute(
                select(rate_counters.c.count).where(
                    rate_counters.c.key == key, rate_counters.c.window == window
                )
            ).scalar()
        return int(value or 0)

    def close(self) -> None:
        """The engine is the backend's; nothing of its own to release."""
