"""A server key that does not match the database (a second process with its own data
directory, a lost ``secret.key``): sign-up, login and sync answered 500."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "use httpx2": the installed httpx serves fine here
    from starlette.testclient import TestClient

from taskhaven.app import create_app
from taskhaven.core import keycheck, totp, users
from taskhaven.settings import Settings
from tests import servers
from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer, fresh_database, migrated_backend, running_server


@pytest.fixture
def two_keys(tmp_path: Path) -> Iterator[tuple[RunningServer, RunningServer]]:
    """Two servers on one database, each with its own key (counting rate limits in the
    database: two servers of one SQLite file may not count in memory)."""
    shared = {"rate_limit_store": "database"}
    with (
        fresh_database(tmp_path) as url,
        running_server(servers.test_settings(url, tmp_path / "a", **shared)) as first,
        running_server(servers.test_settings(url, tmp_path / "b", **shared)) as second,
    ):
        yield first, second


def test_a_foreign_key_neither_fails_nor_changes_a_working_token(
    two_keys: tuple[RunningServer, RunningServer],
) -> None:
    first, second = two_keys
    email = new_email()
    made = httpx.post(first.url + "/API/v6/register", data={"email": email, "password": PASSWORD})
    assert made.status_code == 200, made.text
    token = made.json()["token"]
    # The token the client holds still works against the other key, and stays the same.
    synced = httpx.post(
        second.url + "/API/v6/sync",
        data={"token": token, "seq_no": 0, "resource_types": orjson.dumps(["user"]).decode()},
    )
    assert synced.status_code == 200, synced.text
    assert synced.json()["User"]["token"] == token
    # Sign-up on the second server works too.
    other = httpx.post(
        second.url + "/API/v6/register", data={"email": new_email(), "password": PASSWORD}
    )
    assert other.status_code == 200, other.text
    # Login there answers a token that works (the sealed copy is unreadable, so a new one).
    login = httpx.post(second.url + "/API/v6/login", data={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    fresh = login.json()["token"]
    again = httpx.post(
        second.url + "/API/v6/sync",
        data={"token": fresh, "seq_no": 0, "resource_types": orjson.dumps(["user"]).decode()},
    )
    assert again.status_code == 200 and again.json()["User"]["token"] == fresh


def _start(settings: Settings) -> None:
    """Run the app's start-up (migrations, key check) and shut it down."""
    with TestClient(create_app(settings)):
        pass


def test_start_up_warns_when_the_key_does_not_match(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with fresh_database(tmp_path) as url:
        own = servers.test_settings(url, tmp_path / "a")
        with migrated_backend(own) as backend:
            user, _token = users.register(backend, email=new_email(), password=PASSWORD)
            totp.enable(backend, int(user["id"]))
        with caplog.at_level(logging.WARNING, logger="taskhaven.keys"):
            _start(own)
        assert not [r for r in caplog.records if r.name == "taskhaven.keys"]
        other = servers.test_settings(url, tmp_path / "b")
        with caplog.at_level(logging.WARNING, logger="taskhaven.keys"):
            _start(other)
        [record] = [r for r in caplog.records if r.name == "taskhaven.keys"]
        assert record.levelno == logging.WARNING
        message = record.getMessage()
        assert "server key does not match this database" in message
        assert "2 of the 2" in message and "TOTP" in message and "API tokens" in message
        for key in (own.secret_key, other.secret_key):
            assert key is not None and key.get_secret_value() not in message


def test_an_empty_database_matches_any_key(tmp_path: Path) -> None:
    with (
        fresh_database(tmp_path) as url,
        migrated_backend(servers.test_settings(url, tmp_path)) as backend,
    ):
        assert keycheck.check(backend) == keycheck.KeyCheck(tried=0, unreadable=0)
