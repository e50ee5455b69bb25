"""The fuzzed account: a server-less app on a database of its own, one user with one object
of each kind, signed on to every protocol."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from taskhaven.app import create_app
from taskhaven.core.oauth import apps, grants
from tests.conftest import PASSWORD, new_email
from tests.invariants import check_database
from tests.servers import fresh_database, migrated_backend
from tests.servers import test_settings as settings_for
from tests.v2.clients import BROWSER


@dataclass
class Account:
    """The fuzzed account: its credentials and one object of each kind to aim at."""

    client: TestClient
    token: str
    cookie: str
    bearer: str
    ids: dict[str, int]
    oids: dict[str, str]
    requests: int = 0

    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        self.requests += 1
        return self.client.request(method, url, **kwargs)


def _seed(client: TestClient, backend: Any) -> Account:
    email = new_email()
    user = client.post("/API/v6/register", data={"email": email, "password": PASSWORD}).json()
    token = user["token"]
    commands = [
        {"type": "project_add", "temp_id": "p", "args": {"name": "Target"}},
        {"type": "item_add", "temp_id": "i", "args": {"project_id": "p", "content": "Aim",
                                                      "date_string": "tomorrow 10am"}},
        {"type": "item_add", "temp_id": "c", "args": {"project_id": "p", "content": "Done"}},
        {"type": "item_complete", "args": {"ids": ["c"], "force_history": 1}},
        {"type": "label_add", "temp_id": "l", "args": {"name": "lbl"}},
        {"type": "note_add", "temp_id": "n", "args": {"item_id": "i", "content": "note"}},
        {"type": "filter_add", "temp_id": "f", "args": {"name": "f", "query": "p1"}},
        {"type": "reminder_add", "temp_id": "r", "args": {"item_id": "i", "minute_offset": 30}},
    ]  # fmt: skip
    for cmd in commands:
        cmd["uuid"] = str(uuid.uuid4())
    answer = client.post(
        "/API/v6/sync", data={"token": token, "commands": json.dumps(commands)}
    ).json()
    assert all(v == "ok" or set(v.values()) == {"ok"} for v in answer["SyncStatus"].values())
    temp = answer["TempIdMapping"]
    kinds = {"p": "project", "i": "item", "c": "completed", "l": "label", "n": "note",
             "f": "filter", "r": "reminder"}  # fmt: skip
    ids = {kind: temp[key] for key, kind in kinds.items()} | {"user": user["id"]}
    signon = client.post(
        "/api/v2/user/signon", headers=BROWSER, json={"username": email, "password": PASSWORD}
    )
    cookie = signon.json()["token"]
    check = client.get("/api/v2/batch/check/0", headers={**BROWSER, "Cookie": f"t={cookie}"})
    body = check.json()
    task = next(t for t in body["syncTaskBean"]["update"] if t["title"] == "Aim")
    oids = {"project": task["projectId"], "task": task["id"], "inbox": body["inboxId"]}
    app, _secret = apps.create(backend, "fuzz", ["http://127.0.0.1/cb"])
    bearer = grants.new_token("uuid4")
    grants.store_token(
        backend, bearer, app.id, user["id"], ("tasks:read", "tasks:write"), code_id=None
    )
    return Account(client, token, cookie, bearer, ids, oids)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Account]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    with (
        fresh_database(tmp) as url,
        migrated_backend(settings_for(url, tmp / "data")) as backend,
        TestClient(create_app(backend.settings, backend), raise_server_exceptions=False) as client,
    ):
        yield _seed(client, backend)
        with backend.read() as conn:
            check_database(conn)
