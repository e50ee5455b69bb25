"""Applies the Alembic migrations; the server runs this at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema (idempotent)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
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
