"""Counters in the database (``rate_counters``): shared by every process, one write each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Delete, Engine, bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from taskhaven.store.engine import read_transaction, write_transaction
from taskhaven.store.prepared import Prepared, PreparedRow
from taskhaven.store.schema import rate_counters

# One prepared statement run as its own transaction (``Backend.loop_first``).
RunFirst = Callable[..., PreparedRow | None]


def _upsert(insert: Any) -> Any:
    # Atomic on both databases: two processes counting at once never lose a hit.
    return (
        insert(rate_counters)
        .values(key=bindparam("key"), window=bindparam("window"), count=1)
        .on_conflict_do_update(
            index_elements=[rate_counters.c.key, rate_counters.c.window],
            set_={"count": rate_counters.c.count + 1},
        )
        .returning(rate_counters.c.count)
    )


def _older() -> Delete:
    """This key's windows before ``window``: forgotten at the first hit of a new one."""
    return delete(rate_counters).where(
        rate_counters.c.key == bindparam("key"), rate_counters.c.window < bindparam("window")
    )


_SQLITE_UPSERT = _upsert(sqlite_insert)
_SQLITE_OLDER = _older()
# PostgreSQL: each statement alone, outside any transaction (store/prepared.py).
_PG_UPSERT = Prepared(_upsert(pg_insert))
_PG_OLDER = Prepared(_older().returning(rate_counters.c.window))


class DatabaseCounters:
    """``run_first`` (the backend's ``loop_first``) runs one prepared statement as its own
    transaction: on the event loop's own connection when called there, else on a pooled
    one. On PostgreSQL a count is then one upsert, one round trip on an unlogged table
    (migration 0006): bounded like the token lookup beside it, so it may run on the loop
    (``on_loop``). On SQLite a write may wait for another writer's lock: never on the loop.
    """

    name = "database"

    def __init__(self, engine: Engine, run_first: RunFirst) -> None:
        self._engine = engine
        postgres = engine.dialect.name == "postgresql"
        self.on_loop = postgres
        self._run_first = run_first if postgres else None

    def add(self, key: str, window: int, expires_at: float) -> int:
        run_first = self._run_first
        if run_first is not None:
            found = run_first(_PG_UPSERT, key=key, window=window)
            assert found is not None, "an upsert returns its row"
            count = int(found["count"])
            if count == 1:
                # Once per key and window: the clean-up of the windows before it.
                run_first(_PG_OLDER, key=key, window=window)
            return count
        # SQLite writers queue on one lock: the upsert and the clean-up in one go.
        params = {"key": key, "window": window}
        with write_transaction(self._engine) as conn:
            count = int(conn.execute(_SQLITE_UPSERT, params).scalar_one())
            if count == 1:
                conn.execute(_SQLITE_OLDER, params)
        return count

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
