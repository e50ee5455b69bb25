"""Server hygiene: SQL parameters in tracebacks, redirects built from the Host header."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from taskhaven.core.backend import Backend
from taskhaven.store.schema import users
from tests.servers import RunningServer


def test_database_errors_do_not_carry_the_parameters(core_backend: Backend) -> None:
    secret = "$argon2id$very-secret-hash"
    with pytest.raises(IntegrityError) as caught, core_backend.plain_write() as conn:
        conn.execute(insert(users).values(email=None, password_hash=secret))
    assert secret not in str(caught.value)
    assert "hide_parameters" in str(caught.value)


def test_slash_redirects_use_the_public_url(server: RunningServer) -> None:
    response = httpx.get(server.url + "/api/v2/user/profile/", headers={"Host": "evil.example"})
    assert response.status_code == 307
    location = response.headers["location"]
    assert location == server.backend.settings.base_url + "/api/v2/user/profile"
