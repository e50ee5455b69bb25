"""``/healthz`` answers while the process runs; ``/readyz`` only while the database answers
and its schema is the code's. Both databases, each taken away the way it can be."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from taskhaven.core.backend import Backend
from tests import servers
from tests.observability.helpers import app_client
from tests.observability.proxy import Proxy
from tests.servers import database_kind, fresh_database

on_sqlite = pytest.mark.skipif(database_kind() != "sqlite", reason="SQLite only")
on_postgres = pytest.mark.skipif(database_kind() == "sqlite", reason="PostgreSQL only")


def test_ready_when_migrated(tmp_path: Path) -> None:
    with app_client(tmp_path) as (client, _app):
        assert client.get("/readyz").json() == {"status": "ok"}
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/health").json() == {"status": "ok"}  # the older name


def test_unready_while_migrations_are_behind(tmp_path: Path) -> None:
    with app_client(tmp_path) as (client, app):
        backend: Backend = app.state.backend
        with backend.engine.begin() as conn:
            head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            behind = f"{int(head) - 1:04d}"
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": behind})
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json() == {
            "status": "unready",
            "migrations": f"database at {behind}, code at {head}",
        }
        with backend.engine.begin() as conn:  # brought to the code's revision
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
        assert client.get("/readyz").status_code == 200


@on_sqlite
def test_sqlite_unready_while_its_file_is_gone(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    url = f"sqlite:///{folder / 'taskhaven.db'}"
    from starlette.testclient import TestClient

    from taskhaven.app import create_app

    settings = servers.test_settings(url, tmp_path / "data")
    backend = Backend(settings)
    with TestClient(create_app(settings, backend), client=("127.0.0.1", 1)) as client:
        assert client.get("/readyz").status_code == 200
        shutil.move(folder, tmp_path / "elsewhere")
        # SQLite has no server to stop, and an open connection keeps reading a moved file:
        # empty the pool, as a restarted worker would start without one.
        backend.engine.dispose()
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json() == {"status": "unready", "database": "unreachable"}
        assert client.get("/healthz").status_code == 200  # health reads no database
        shutil.move(tmp_path / "elsewhere", folder)
        assert client.get("/readyz").status_code == 200
    backend.dispose()


@contextmanager
def through_proxy(tmp_path: Path, **overrides: object) -> Iterator[tuple[Any, Proxy]]:
    """The whole app on a fresh PostgreSQL database reached through ``Proxy``."""
    from starlette.testclient import TestClient

    from taskhaven.app import create_app

    with fresh_database(tmp_path) as direct:
        target = make_url(direct)
        proxy = Proxy((target.host or "127.0.0.1", target.port or 5432))
        proxy.open()
        try:
            proxied = target.set(host="127.0.0.1", port=proxy.port)
            url = proxied.render_as_string(hide_password=False)
            settings = servers.test_settings(url, tmp_path / "data", **overrides)
            backend = Backend(settings)
            with TestClient(create_app(settings, backend), client=("127.0.0.1", 1)) as client:
                yield client, proxy
            backend.dispose()
        finally:
            proxy.resume()
            proxy.close()


@on_postgres
def test_postgres_unready_while_the_server_is_unreachable(tmp_path: Path) -> None:
    with through_proxy(tmp_path) as (client, proxy):
        assert client.get("/readyz").status_code == 200
        proxy.close()  # every pooled connection is cut, and new ones are refused
        for _ in range(2):  # the pool stays unusable, and says so every time
            answer = client.get("/readyz")
            assert answer.status_code == 503
            assert answer.json() == {"status": "unready", "database": "unreachable"}
        assert client.get("/healthz").status_code == 200
        proxy.open()
        # The pool pings before use and reconnects: ready again without a restart.
        assert client.get("/readyz").status_code == 200
        assert client.get("/readyz").status_code == 200


@on_postgres
def test_postgres_that_stops_answering_is_unready_within_the_deadline(tmp_path: Path) -> None:
    with through_proxy(tmp_path, readiness_timeout_seconds=1.0) as (client, proxy):
        assert client.get("/readyz").status_code == 200
        proxy.stall()  # connected, accepted, and silent
        started = time.monotonic()
        answer = client.get("/readyz")
        assert time.monotonic() - started < 4
        assert answer.status_code == 503
        assert answer.json() == {"status": "unready", "database": "not answering"}
        # The first check still waits: the next probe answers at once.
        started = time.monotonic()
        assert client.get("/readyz").status_code == 503
        assert time.monotonic() - started < 0.5
        proxy.resume()
        assert _eventually_ready(client)


def _eventually_ready(client: Any, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if client.get("/readyz").status_code == 200:
            return True
        time.sleep(0.1)
    return False


def test_a_check_that_hangs_answers_unready_and_holds_one_thread_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taskhaven.core import health

    release = threading.Event()
    calls: list[int] = []
    real = health.readiness

    def hanging(backend: Backend) -> health.Readiness:
        calls.append(1)
        release.wait(10)
        return real(backend)

    with app_client(tmp_path, readiness_timeout_seconds=0.3) as (client, _app):
        monkeypatch.setattr(health, "readiness", hanging)
        assert client.get("/readyz").json() == {"status": "unready", "database": "not answering"}
        for _ in range(5):
            assert client.get("/readyz").status_code == 503
        assert len(calls) == 1  # the later probes did not start checks of their own
        release.set()
        monkeypatch.setattr(health, "readiness", real)
        assert _eventually_ready(client)
