"""What every database must satisfy, whatever was done to it: a restore, a fuzz run."""

from __future__ import annotations

from sqlalchemy import Connection, func, select, text

from taskhaven.store.schema import (
    change_counter,
    filters,
    items,
    labels,
    metadata,
    notes,
    project_groups,
    projects,
    reminders,
    uploads,
    users,
)

SYNCED = (users, project_groups, projects, items, labels, notes, filters, reminders, uploads)


def check_database(conn: Connection) -> None:
    """What every database must satisfy: SQLite's own check, the counter at least every
    ``seq``, no row of a user that does not exist, no item in a project that does not."""
    if conn.dialect.name == "sqlite":
        assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        assert conn.execute(text("PRAGMA foreign_key_check")).first() is None
    counter = conn.execute(select(change_counter.c.value)).scalar_one()
    for table in SYNCED:
        top = conn.execute(select(func.max(table.c.seq))).scalar()
        assert top is None or top <= counter, f"{table.name}.seq {top} > counter {counter}"
    user_ids = select(users.c.id)
    for table in metadata.sorted_tables:
        if "user_id" in table.c:
            orphans = conn.execute(
                select(func.count()).where(table.c.user_id.not_in(user_ids))
            ).scalar_one()
            assert orphans == 0, f"{orphans} {table.name} rows of no user"
    stray = conn.execute(
        select(func.count()).where(
            items.c.is_deleted.is_(False), items.c.project_id.not_in(select(projects.c.id))
        )
    ).scalar_one()
    assert stray == 0, f"{stray} items in no project"
