"""The read path's cost in statements: a sync that finds nothing new is answered from one
statement (token, user, counter and marks together), and one change reads only its kind."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import orjson
from sqlalchemy import event

from taskhaven.store.prepared import Prepared
from tests.conftest import register
from tests.servers import RunningServer
from tests.sync.helpers import command
from tests.v2.batch_helpers import v2_account
from tests.v2.clients import get

_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def counted(server: RunningServer) -> Iterator[list[str]]:
    """The SQL statements the server runs meanwhile (transaction control left out): those
    run through SQLAlchemy and those run as prepared statements on a driver cursor."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not statement.lstrip().upper().startswith(_CONTROL):
            seen.append(statement)

    run = Prepared._run

    def recorded_run(self: Prepared, driver: Any, dialect: Any, *args: Any, **kw: Any) -> Any:
        seen.append(self._compiled(dialect).sql)
        return run(self, driver, dialect, *args, **kw)

    engine = server.backend.engine
    event.listen(engine, "before_cursor_execute", record)
    Prepared._run = recorded_run  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        Prepared._run = run  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", record)


def sync(server: RunningServer, token: str, **params: Any) -> dict[str, Any]:
    data = {"token": token}
    data.update(
        {k: v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in params.items()}
    )
    response = httpx.post(server.url + "/API/v6/sync", data=data)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_an_empty_incremental_sync_is_one_statement(server: RunningServer) -> None:
    token = register(server)["token"]
    first = sync(server, token, seq_no=0, resource_types=["all"])
    with counted(server) as seen:
        body = sync(server, token, seq_no=first["seq_no"], resource_types=["all"])
    assert body["seq_no"] == first["seq_no"]
    assert body["Items"] == [] and body["Projects"] == [] and body["User"]["id"]
    assert len(seen) == 1, seen


def test_one_change_reads_only_its_kind(server: RunningServer) -> None:
    token = register(server)["token"]
    first = sync(server, token, seq_no=0, resource_types=["all"])
    sync(server, token, commands=[command("label_add", {"name": "x"})])
    with counted(server) as seen:
        body = sync(server, token, seq_no=first["seq_no"], resource_types=["all"])
    assert [label["name"] for label in body["Labels"]] == ["x"]
    assert len(seen) == 2, seen
    assert "labels" in seen[1] and "items" not in seen[1]


def test_a_v2_check_with_nothing_new_is_one_statement(server: RunningServer) -> None:
    account = v2_account(server)
    full = get(server, "batch/check/0", account.token).json()
    with counted(server) as seen:
        response = get(server, f"batch/check/{full['checkPoint']}", account.token)
    body = response.json()
    assert response.status_code == 200, response.text
    assert body["checkPoint"] == full["checkPoint"]
    assert body["syncTaskBean"]["empty"] is True and body["projectProfiles"] is None
    assert len(seen) == 1, seen
    # A change to one list: read again, and only what may have changed.
    sync(server, account.user["token"], commands=[command("label_add", {"name": "t"})])
    with counted(server) as seen:
        body = get(server, f"batch/check/{full['checkPoint']}", account.token).json()
    assert [tag["name"] for tag in body["tags"]] == ["t"]
    assert body["syncTaskBean"]["empty"] is True and body["projectProfiles"] is None
    assert not any("FROM items" in statement for statement in seen), seen
