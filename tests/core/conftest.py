"""Fixtures for driving core directly (no HTTP): a server-less backend and a user."""

from __future__ import annotations

import pytest

from taskhaven.core import users
from taskhaven.core.backend import Backend
from tests.conftest import PASSWORD, new_email


@pytest.fixture
def backend(core_backend: Backend) -> Backend:
    return core_backend


@pytest.fixture
def user_id(backend: Backend) -> int:
    row, _token = users.register(backend, email=new_email(), password=PASSWORD)
    return int(row["id"])
