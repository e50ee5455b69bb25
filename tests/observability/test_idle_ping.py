"""PostgreSQL's pool pings a connection before lending it only after it sat idle, and a
connection that died meanwhile is replaced without the caller seeing an error."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text

from taskhaven.store.engine import PING_AFTER_IDLE_SECONDS, make_engine
from tests.servers import database_kind, fresh_database

pytestmark = pytest.mark.skipif(database_kind() == "sqlite", reason="PostgreSQL only")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with fresh_database(tmp_path) as url:
        made = make_engine(url)
        try:
            yield made
        finally:
            made.dispose()


@pytest.fixture
def pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    seen: list[Any] = []
    ping = engine.dialect.do_ping

    def counted(driver: Any) -> bool:
        seen.append(driver)
        return ping(driver)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return seen


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _age(engine: Engine, seconds: float) -> None:
    """Make every idle pooled connection look ``seconds`` older (no sleeping in tests)."""
    for record in list(engine.pool._pool.queue):  # type: ignore[attr-defined]
        record.info["taskhaven_idle_since"] -= seconds


def test_a_connection_lent_again_at_once_is_not_pinged(engine: Engine, pings: list[Any]) -> None:
    first = _backend_pid(engine)
    for _ in range(5):
        assert _backend_pid(engine) == first  # the same pooled connection every time
    assert pings == []


def test_an_idle_connection_is_pinged_once_before_it_is_lent(
    engine: Engine, pings: list[Any]
) -> None:
    first = _backend_pid(engine)
    _age(engine, PING_AFTER_IDLE_SECONDS + 1)
    assert _backend_pid(engine) == first
    assert len(pings) == 1
    assert _backend_pid(engine) == first  # lent again at once: no second ping
    assert len(pings) == 1


def test_a_connection_that_died_while_idle_is_replaced_unseen(engine: Engine) -> None:
    dead = _backend_pid(engine)
    with fresh_admin(engine) as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dead})
    _age(engine, PING_AFTER_IDLE_SECONDS + 1)
    started = time.monotonic()
    assert _backend_pid(engine) != dead  # no error: the ping found it closed, a new one came
    assert time.monotonic() - started < 5


def test_a_connection_that_died_in_use_fails_once_then_the_pool_reconnects(
    engine: Engine,
) -> None:
    """Without a ping the first statement on a dead connection fails (a disconnect); the
    pool then drops every connection older than that, so the next request succeeds."""
    dead = _backend_pid(engine)
    with fresh_admin(engine) as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dead})
    with pytest.raises(Exception) as raised, engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert getattr(raised.value, "connection_invalidated", False)
    assert _backend_pid(engine) != dead


@contextmanager
def fresh_admin(engine: Engine) -> Iterator[Connection]:
    """A connection of its own (not from ``engine``'s pool), in autocommit."""
    admin = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        with admin.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")
    finally:
        admin.dispose()
