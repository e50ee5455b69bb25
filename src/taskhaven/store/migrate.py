"""Applies the Alembic migrations; the server runs this at start-up.

Race: several server processes (workers, or servers on several machines) start at once on
one database. Each would read the schema revision, find it old and run the same DDL; the
second would fail on a table the first created. So a migration runs under a lock that spans
reading the revision and writing the new one: a PostgreSQL advisory lock (any machine), or
an ``flock`` on a file beside a SQLite database (one machine, as SQLite requires).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

# Any fixed 64-bit number: the advisory lock's name in PostgreSQL ("taskhav" in ASCII).
ADVISORY_LOCK_ID = 0x7461736B686176

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Held by one process at a time per database; the others wait."""
    if engine.dialect.name == "postgresql":
        # A session-level lock on a connection of its own, so it outlives the migration's
        # transactions; closing the connection (or the process dying) releases it.
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": ADVISORY_LOCK_ID})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": ADVISORY_LOCK_ID})
                conn.commit()
        return
    database = engine.url.database
    if fcntl is None or not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    path = Path(database).with_name(Path(database).name + "-migrate.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema (idempotent; see the module's race)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with migration_lock(engine), engine.connect() as conn:
        # Migrations manage their own transaction; the SQLite "begin" hook emits BEGIN.
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    """The revisions this code's migrations end at (read once: the files do not change)."""
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def current_revisions(conn: Connection) -> frozenset[str]:
    """The revisions the database says it is at (empty before the first migration)."""
    return frozenset(MigrationContext.configure(conn).get_current_heads())
