"""Password hashes: the argon2 cost is a setting, and hashes made at another cost still work."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from taskhaven.core import users
from taskhaven.core.backend import Backend
from taskhaven.core.errors import AuthenticationFailed
from taskhaven.core.security import Passwords
from taskhaven.store.schema import users as users_table
from tests.conftest import PASSWORD, new_email


def stored_hash(backend: Backend, user_id: int) -> str:
    with backend.read() as conn:
        query = select(users_table.c.password_hash).where(users_table.c.id == user_id)
        return str(conn.execute(query).scalar_one())


def store_dearer_hash(backend: Backend, user_id: int) -> str:
    """Replace the user's hash with one made at a higher cost, as an older server would."""
    dearer = Passwords(time_cost=2, memory_cost=16, parallelism=2).hash(PASSWORD)
    with backend.plain_write() as conn:
        conn.execute(
            update(users_table).where(users_table.c.id == user_id).values(password_hash=dearer)
        )
    return dearer


def test_new_hashes_use_the_configured_cost(backend: Backend, user_id: int) -> None:
    assert "$m=8,t=1,p=1$" in stored_hash(backend, user_id)


def test_a_hash_made_at_another_cost_verifies_and_is_rehashed(backend: Backend) -> None:
    email = new_email()
    row, _token = users.register(backend, email=email, password=PASSWORD)
    store_dearer_hash(backend, row["id"])
    assert users.login(backend, email, PASSWORD)["id"] == row["id"]
    assert "$m=8,t=1,p=1$" in stored_hash(backend, row["id"])
    assert users.login(backend, email, PASSWORD)["id"] == row["id"]


def test_a_wrong_password_leaves_the_hash_alone(backend: Backend) -> None:
    email = new_email()
    row, _token = users.register(backend, email=email, password=PASSWORD)
    dearer = store_dearer_hash(backend, row["id"])
    with pytest.raises(AuthenticationFailed):
        users.login(backend, email, "not the password")
    assert stored_hash(backend, row["id"]) == dearer
