"""The core's entry point: one object per server process holding the engine and the keys."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from taskhaven.core.security import SecretBox, load_or_create_key
from taskhaven.settings import Settings
from taskhaven.store import counter
from taskhaven.store.engine import make_engine, read_transaction, write_transaction
from taskhaven.store.migrate import upgrade


def utcnow() -> datetime:
    return datetime.now(UTC)


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

    def stamp(self) -> int:
        return self.seqs.draw()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run a block so that its failure rolls back only its own changes."""
        with self.conn.begin_nested():
            yield


class Backend:
    """Holds what every request needs: the engine, the settings and the secret box."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings.database_url)
        key = (
            settings.secret_key.get_secret_value()
            if settings.secret_key
            else load_or_create_key(settings.data_dir / "secret.key")
        )
        self.box = SecretBox(key)

    def migrate(self) -> None:
        upgrade(self.engine)

    @contextmanager
    def write(self, user_id: int) -> Iterator[Unit]:
        """A write transaction holding the change-counter lock until it commits."""
        with write_transaction(self.engine) as conn:
            unit = Unit(conn=conn, user_id=user_id, seqs=counter.SeqDrawer(conn))
            # Lock before any savepoint; see SeqDrawer.lock.
            unit.seqs.lock()
            yield unit
            unit.seqs.flush()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with read_transaction(self.engine) as conn:
            yield conn

    @contextmanager
    def plain_write(self) -> Iterator[Connection]:
        """A write that stamps nothing a client syncs (sessions, rate counters)."""
        with write_transaction(self.engine) as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()
