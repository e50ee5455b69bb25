"""In-process servers on databases of their own, and the database checks a restore must pass."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select, text
from starlette.testclient import TestClient

from taskhaven.app import create_app
from taskhaven.core.backend import Backend
from taskhaven.settings import Settings
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
from tests.conftest import PASSWORD, new_email
from tests.servers import fresh_database, migrated_backend
from tests.servers import test_settings as settings_for

SYNCED = (users, project_groups, projects, items, labels, notes, filters, reminders, uploads)


@dataclass
class Local:
    """A server-less app on its own database: the backend, an ASGI client, the database URL."""

    backend: Backend
    client: TestClient
    url: str


@contextmanager
def local_server(tmp: Path) -> Iterator[Local]:
    """On a new database of its own."""
    tmp.mkdir(parents=True, exist_ok=True)
    with fresh_database(tmp) as url, local_server_on(settings_for(url, tmp / "data")) as local:
        yield local


@contextmanager
def local_server_on(settings: Settings) -> Iterator[Local]:
    """On the database ``settings`` name (migrated first)."""
    with (
        migrated_backend(settings) as backend,
        TestClient(create_app(settings, backend)) as client,
    ):
        yield Local(backend, client, settings.database_url)


def register(client: TestClient) -> tuple[str, str]:
    """A new account: (e-mail, Sync API token)."""
    email = new_email()
    answer = client.post("/API/v6/register", data={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return email, str(answer.json()["token"])


def sync(client: TestClient, token: str, **params: Any) -> dict[str, Any]:
    data = {
        "token": token,
        **{k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()},
    }
    answer = client.post("/API/v6/sync", data=data)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


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
