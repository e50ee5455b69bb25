"""In-process servers on databases of their own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from taskhaven.app import create_app
from taskhaven.core.backend import Backend
from taskhaven.settings import Settings
from tests.conftest import PASSWORD, new_email
from tests.servers import fresh_database, migrated_backend
from tests.servers import test_settings as settings_for


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
