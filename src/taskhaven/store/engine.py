"""Engines and transactions for SQLite (embedded default) and PostgreSQL (scale path)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError

_WRITE = "taskhaven_write"


def normalise_url(url: str) -> str:
    """Let operators write ``postgresql://`` and still get the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _without_row_values(context: ExceptionContext) -> BaseException | None:
    """PostgreSQL's own DETAIL repeats the row's values ("Failing row contains (…)"): the
    password hash, sealed tokens, addresses. Raise the same error class without it, so
    neither a log line nor a traceback carries them (``hide_parameters`` does the rest)."""
    wrapped = context.sqlalchemy_exception
    if context.is_disconnect or not isinstance(wrapped, DBAPIError):
        return None
    clean = without_detail(context.original_exception)
    if clean is None:
        return None
    return type(wrapped)(wrapped.statement, wrapped.params, clean, hide_parameters=True)


def without_detail(orig: BaseException) -> BaseException | None:
    """``orig`` again without PostgreSQL's DETAIL, or None when it has none to drop."""
    diag = getattr(orig, "diag", None)
    if diag is None or not getattr(diag, "message_detail", None):
        return None
    try:
        return type(orig)(diag.message_primary)  # the subclass keeps the SQLSTATE
    except Exception:
        return None


# A pooled connection unused for this long is pinged before it is lent again.
PING_AFTER_IDLE_SECONDS = 1.0


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection before lending it only when it sat unused for
    ``idle_seconds``; a dead one is replaced, so the caller never sees it.

    ``pool_pre_ping`` pings on every checkout: one more round trip per request. A connection
    lent a moment ago is as alive as a ping would show. What a restart leaves behind is
    covered either way: connections idle through it are pinged here, and a connection that
    breaks in use raises a disconnect, which makes SQLAlchemy drop every connection the pool
    held before it (the pool's invalidation time), so the next checkout connects afresh.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_driver: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(driver: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        # A fresh connection (no check-in yet) has just answered its connect.
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            alive = engine.dialect.do_ping(driver)
        except Exception as exc:  # anything but a disconnect: still not a usable connection
            raise DisconnectionError("ping failed") from exc
        if not alive:
            # The pool discards this connection and lends another (or connects anew).
            raise DisconnectionError("connection found closed")


_IDLE_SINCE = "taskhaven_idle_since"


def make_engine(url: str, connect_timeout: int = 10) -> Engine:
    """``connect_timeout`` (PostgreSQL): seconds before an unanswered connection attempt
    fails, so a database that went away costs a request seconds, not the TCP timeout."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(
            url,
            pool_size=10,
            max_overflow=20,
            hide_parameters=True,
            connect_args={"connect_timeout": connect_timeout},
        )
        event.listen(engine, "handle_error", _without_row_values)
        ping_when_idle(engine, PING_AFTER_IDLE_SECONDS)
        return engine

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so that BEGIN IMMEDIATE is possible.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Race: a deferred transaction that reads and then writes can fail with SQLITE_BUSY
        # when another writer got in between; writers therefore take the lock up front.
        # Straight to the driver: SQLAlchemy's statement machinery (events, logging, the
        # result object) would cost more than the BEGIN itself, on every transaction.
        statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN"
        conn.connection.driver_connection.execute(statement)  # type: ignore[union-attr]

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: commits on success, rolls back on any exception."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """One read transaction (a consistent snapshot on SQLite WAL)."""
    with engine.connect() as conn, conn.begin():
        yield conn


def outside_transaction(conn: Connection) -> Connection:
    """``conn`` set to run each statement as its own transaction (store/prepared.py).

    PostgreSQL: AUTOCOMMIT (the pool restores the default when the connection returns).
    SQLite: nothing to do, and nothing may be done: ``_on_connect`` already took transaction
    control from the driver, and SQLAlchemy's reset from AUTOCOMMIT would hand it back.
    """
    if conn.dialect.name == "sqlite":
        return conn
    return conn.execution_options(isolation_level="AUTOCOMMIT")
