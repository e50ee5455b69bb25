"""Test databases and real HTTP servers (the client libraries under test speak HTTP)."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import create_engine, text

from taskhaven import serving
from taskhaven.app import create_app
from taskhaven.core.backend import Backend
from taskhaven.settings import Settings

PG_ADMIN_DB = "test"


def database_kind() -> str:
    return os.environ.get("TASKHAVEN_TEST_DATABASE", "sqlite")


@contextmanager
def fresh_database(tmp: Path) -> Iterator[str]:
    """A new empty database of the kind under test; PostgreSQL gets a throw-away database."""
    kind = database_kind()
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'taskhaven.db'}"
        return
    base = kind.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"taskhaven_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def migrated_backend(settings: Settings) -> Iterator[Backend]:
    """A backend on a migrated database, no server: for tests that call core directly."""
    backend = Backend(settings)
    backend.migrate()
    try:
        yield backend
    finally:
        backend.dispose()


class RunningServer:
    def __init__(self, backend: Backend, base_url: str) -> None:
        self.backend = backend
        self.url = base_url


@contextmanager
def running_server(settings: Settings) -> Iterator[RunningServer]:
    """Serve the app with uvicorn on a free loopback port in a background thread."""
    port = free_port()
    settings = settings.model_copy(update={"host": "127.0.0.1", "port": port})
    backend = Backend(settings)
    config = serving.config(create_app(settings, backend), settings, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("test server failed to start")
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    else:
        raise RuntimeError("test server did not start")
    try:
        yield RunningServer(backend, base)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        backend.dispose()


def test_settings(database_url: str, data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "secret_key": "test-key-" + uuid.uuid4().hex,
        "sync_rate_limit_per_minute": 0,
        "signon_failures_per_account": 1000,
        "signon_failures_per_address": 1000,
        # The lowest argon2 cost allowed: a test user costs microseconds, not 0.3 s.
        "argon2_time_cost": 1,
        "argon2_memory_cost": 8,
        "argon2_parallelism": 1,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
