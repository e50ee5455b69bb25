"""The read path's cost in statements: a sync that finds nothing new is answered from one
statement (token, user, counter and marks together), and one change reads only its kind."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import event

from taskhaven.api.todoist.v6 import http as v6_http
from taskhaven.api.todoist.v6.routes import LOOP_ROWS
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


@contextmanager
def pool_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The Sync API handlers run in the thread pool meanwhile (by name)."""
    calls: list[str] = []
    real = v6_http.run_in_threadpool

    async def recorded(handler: Any, *args: Any) -> Any:
        calls.append(handler.__name__)
        return await real(handler, *args)

    monkeypatch.setattr(v6_http, "run_in_threadpool", recorded)
    yield calls


def test_a_few_changes_are_read_on_the_event_loop(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = register(server)["token"]
    first = sync(server, token, resource_types=["all"])["seq_no"]
    sync(server, token, commands=[command("item_add", {"content": f"t{n}"}) for n in range(3)])
    with pool_calls(monkeypatch) as calls:
        body = sync(server, token, seq_no=first, resource_types=["all"])
    assert sorted(item["content"] for item in body["Items"]) == ["t0", "t1", "t2"]
    assert calls == []


def test_more_changes_than_the_bound_are_read_in_the_pool_and_all_sent(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = register(server)["token"]
    first = sync(server, token, resource_types=["all"])["seq_no"]
    many = LOOP_ROWS + 1
    sync(server, token, commands=[command("item_add", {"content": f"t{n}"}) for n in range(many)])
    with pool_calls(monkeypatch) as calls:
        body = sync(server, token, seq_no=first, resource_types=["all"])
    assert len(body["Items"]) == many
    assert calls == ["sync"]
    # At the bound itself the loop answers.
    since = body["seq_no"]
    commands = [command("item_update", {"id": i["id"], "content": "x"}) for i in body["Items"]]
    sync(server, token, commands=commands[:LOOP_ROWS])
    with pool_calls(monkeypatch) as calls:
        body = sync(server, token, seq_no=since, resource_types=["all"])
    assert len(body["Items"]) == LOOP_ROWS
    assert calls == []


def share_a_project(server: RunningServer, owner: dict[str, Any], guest: dict[str, Any]) -> int:
    """A new project of ``owner``'s, to which ``guest`` is invited; its id."""
    added = sync(server, owner["token"], commands=[command("project_add", {"name": "P"}, "p")])
    project = int(added["TempIdMapping"]["p"])
    invite = command("share_project", {"project_id": project, "email": guest["email"]})
    sync(server, owner["token"], commands=[invite])
    return project


def accept_invitation(server: RunningServer, guest: dict[str, Any]) -> None:
    """``guest`` accepts the invitation their live notifications carry."""
    body = sync(server, guest["token"], resource_types=["live_notifications"])
    invite = next(n for n in body["LiveNotifications"] if "invitation_secret" in n)
    args = {k: invite[k] for k in ("invitation_id", "invitation_secret")}
    sync(server, guest["token"], commands=[command("accept_invitation", args)])


def statements_of_one_change(server: RunningServer, token: str, content: str) -> list[str]:
    """The statements of an incremental sync that finds one item added: ``content``."""
    before = sync(server, token, resource_types=["all"])["seq_no"]
    sync(server, token, commands=[command("item_add", {"content": content})])
    with counted(server) as seen:
        body = sync(server, token, seq_no=before, resource_types=["all"])
    assert [item["content"] for item in body["Items"]] == [content]
    return seen


def test_what_the_bound_refuses_goes_to_the_pool(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full sync, changed day orders, and a project shared with the user: never on the
    loop (their size is the account's, not the change's)."""
    owner, guest = register(server), register(server)
    seq = sync(server, guest["token"], resource_types=["all"])["seq_no"]
    with pool_calls(monkeypatch) as calls:
        sync(server, guest["token"], resource_types=["all"])
        sync(server, guest["token"], resource_types=["all"], seq_no=seq,
             day_orders_timestamp="1.0")  # fmt: skip
    assert calls == ["sync", "sync"]
    project = share_a_project(server, owner, guest)
    accept_invitation(server, guest)
    with pool_calls(monkeypatch) as calls:
        body = sync(server, guest["token"], resource_types=["all"], seq_no=seq)
    assert [p["name"] for p in body["Projects"] if p["id"] == project] == ["P"]
    assert calls == ["sync"]


def test_memberships_are_read_only_for_a_user_who_has_one(server: RunningServer) -> None:
    """A user with no membership row (nothing shared with them, none gained or lost) is not
    asked for one: the start's row says so. Once invited, the read asks again."""
    owner, guest = register(server), register(server)
    seen = statements_of_one_change(server, guest["token"], "mine")
    # The start (the first statement) asks whether there is one, in a subquery.
    assert "FROM project_members" in seen[0]
    assert not any("FROM project_members" in statement for statement in seen[1:]), seen
    share_a_project(server, owner, guest)
    seen = statements_of_one_change(server, guest["token"], "again")
    assert any("FROM project_members" in statement for statement in seen[1:]), seen


def test_departures_are_read_only_once_a_project_of_the_user_is_shared(
    server: RunningServer,
) -> None:
    """No row can have left the sight of a user whose projects never had a member and who
    is a member of none: their one-change read skips the departures statement. Once a
    project of theirs is shared, the read asks again, and a row a member moved out of it
    reaches the owner deleted."""
    owner, guest = register(server), register(server)
    token = owner["token"]
    seen = statements_of_one_change(server, token, "mine")
    assert not any("FROM departures" in statement for statement in seen), seen
    project = share_a_project(server, owner, guest)
    accept_invitation(server, guest)
    added = sync(
        server, token, commands=[command("item_add", {"content": "s", "project_id": project}, "i")]
    )
    item = added["TempIdMapping"]["i"]
    second = sync(server, token, resource_types=["all"])["seq_no"]
    # The guest moves the item out of the owner's project into their own Inbox.
    inbox = sync(server, guest["token"], resource_types=["user"])["User"]["inbox_project"]
    sync(server, guest["token"], commands=[command("item_move", {"project_items": {
        str(project): [item]}, "to_project": inbox})])  # fmt: skip
    with counted(server) as seen:
        body = sync(server, token, seq_no=second, resource_types=["all"])
    assert any("FROM departures" in statement for statement in seen), seen
    assert [(i["id"], i["is_deleted"]) for i in body["Items"] if i["id"] == item] == [(item, 1)]
