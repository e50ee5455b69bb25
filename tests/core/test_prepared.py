"""A prepared statement reads what SQLAlchemy reads: the same keys, the same converted
values (dates stored as text on SQLite, booleans, JSON), on both databases."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import select

from taskhaven.core import reader, security, sessions
from taskhaven.core.backend import Backend
from taskhaven.core.errors import AuthenticationFailed
from taskhaven.core.oauth import grants, scopes
from taskhaven.store.prepared import Prepared
from taskhaven.store.schema import users
from tests.conftest import register
from tests.oauth.flow import v1_token
from tests.servers import RunningServer
from tests.v2.batch_helpers import v2_account


def test_the_user_row_by_token_matches_sqlalchemys(server: RunningServer) -> None:
    account = register(server)
    token = account["token"]
    # The reference: the same columns read through SQLAlchemy, in a transaction.
    with server.backend.read() as conn:
        expected = reader.for_user(conn, account["id"])
    # A backend of its own whose loop thread is this one (as ``start_serving`` makes the
    # lifespan's): this thread reads on the loop's connection, any other on a pooled one.
    backend = Backend(server.backend.settings)
    backend.reads_on_this_thread()
    try:
        found = [reader.by_api_token(backend, token)]
        worker = threading.Thread(target=lambda: found.append(reader.by_api_token(backend, token)))
        worker.start()
        worker.join()
        # The worker's pooled connection came back as the pool lent it: SQLite's driver
        # still leaves transactions to us, PostgreSQL's is out of autocommit again.
        with backend.engine.connect() as conn:
            driver = conn.connection.dbapi_connection
            if backend.engine.dialect.name == "sqlite":
                assert driver.isolation_level is None  # type: ignore[union-attr]
            else:
                assert driver.autocommit is False  # type: ignore[union-attr]
    finally:
        backend.dispose()
    assert len(found) == 2
    for start in found:
        assert start is not None
        assert dict(start.user) == dict(expected.user)
        assert (start.cursor, start.marks, start.token) == (expected.cursor, expected.marks, token)
        assert isinstance(start.user["created_at"], datetime)
        assert isinstance(start.user["prefs"], dict)


def test_a_prepared_row_reads_like_a_mapping(server: RunningServer) -> None:
    """Converted on first read and the same object after; ``get``, ``in``, ``len`` and
    iteration as a dict of the same columns would answer them."""
    account = register(server)
    start = reader.by_api_token(server.backend, account["token"])
    assert start is not None
    row = start.user
    assert row.get("no such column") is None and row.get("no such column", 7) == 7
    assert "no such column" not in row and "email" in row
    assert row.get("email") == row["email"] == account["email"]
    assert row["prefs"] is row["prefs"] and row.get("prefs") is row["prefs"]
    assert len(row) == len(list(row)) == len(dict(row))
    assert isinstance(row.get("created_at"), datetime)


def test_an_unknown_token_reads_nothing(server: RunningServer) -> None:
    assert reader.by_api_token(server.backend, "0" * 40) is None
    assert reader.by_api_token(server.backend, "") is None


def test_literals_of_the_statement_are_bound_and_no_row_is_none(server: RunningServer) -> None:
    statement = select(users.c.id, users.c.email).where(
        users.c.api_token_digest == security.digest("no such token"), users.c.id > 0
    )
    backend = server.backend
    with backend.read() as conn:
        driver = conn.connection.dbapi_connection
        assert Prepared(statement).first(driver, backend.engine.dialect) is None
        email = register(server)["email"]
        wanted = select(users.c.id, users.c.email).where(users.c.email == email)
    with backend.read() as conn:
        row = Prepared(wanted).first(conn.connection.dbapi_connection, backend.engine.dialect)
        assert row is not None and row["email"] == email
        assert row == dict(conn.execute(wanted).mappings().one())


def test_the_session_row_matches_sqlalchemys(server: RunningServer) -> None:
    token = v2_account(server).token
    with server.backend.read() as conn:  # the reference: the statement through SQLAlchemy
        row = conn.execute(reader._BY_SESSION, {"digest": security.digest(token)}).mappings().one()
    session = {
        key[len("session_") :]: value for key, value in row.items() if key.startswith("session_")
    }
    expected = (reader.start_of(row), session)
    backend = Backend(server.backend.settings)
    backend.reads_on_this_thread()
    try:
        found = reader.by_session(backend, token)
        live = sessions.start_read(backend, token)
    finally:
        backend.dispose()
    assert expected is not None and found is not None and live is not None
    assert dict(found[0].user) == dict(expected[0].user)
    assert found[1] == expected[1]
    assert isinstance(found[1]["expires_at"], datetime)
    assert live[1].user_id == expected[0].user["id"]
    assert reader.by_session(server.backend, "x" * 300) is None


def test_the_grant_read_matches_sqlalchemys(server: RunningServer) -> None:
    account = register(server)
    token = v1_token(server, account["email"])
    stored = grants.find_token(server.backend, token)  # the reference, through SQLAlchemy
    with server.backend.read() as conn:
        user = reader.for_user(conn, account["id"])
    assert stored is not None
    backend = Backend(server.backend.settings)
    backend.reads_on_this_thread()
    try:
        found = grants.authenticate(backend, token, family=scopes.TICKTICK)
        for bad in ("", "x" * 300, token + "x"):
            with pytest.raises(AuthenticationFailed):
                grants.authenticate(backend, bad)
        with pytest.raises(AuthenticationFailed):  # a TickTick grant is not a Todoist one
            grants.authenticate(backend, token, family=scopes.TODOIST)
    finally:
        backend.dispose()
    assert found.start is not None
    assert dict(found.user) == dict(user.user)
    assert (found.token_id, found.app_id, found.scopes, found.expires_at) == (
        stored.id,
        stored.app_id,
        stored.scopes,
        stored.expires_at,
    )
    assert found.client_id and found.user_id == stored.user_id
    assert (found.start.cursor, found.start.marks) == (user.cursor, user.marks)


def test_a_thread_that_reads_first_does_not_take_the_loops_connection(
    server: RunningServer,
) -> None:
    token = register(server)["token"]
    backend = Backend(server.backend.settings)
    try:
        worker = threading.Thread(target=lambda: reader.by_api_token(backend, token))
        worker.start()
        worker.join()
        assert backend._loop_auto is None  # the pool thread read through the pool
        backend.reads_on_this_thread()
        assert reader.by_api_token(backend, token) is not None
        assert backend._loop_auto is not None  # the loop's own connection, from now on
    finally:
        backend.dispose()
