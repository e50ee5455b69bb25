"""`OfflineSync` against a real server: the queue survives failures and restarts, a lost
answer is replayed with the same uuids and runs once, parts of 100, 429 honoured."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from taskhaven.sdk import (
    OfflineSync,
    RateLimitError,
    RetryPolicy,
    Settings,
    SyncClient,
    TransportError,
    commands,
)
from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer


class Flaky(httpx.BaseTransport):
    """Forwards to the real server; can refuse to connect, or lose the answer of a request
    the server did run, or answer 429 before forwarding."""

    def __init__(self) -> None:
        self.real = httpx.HTTPTransport()
        self.down = False
        self.lose_answers = 0
        self.rate_limited = 0
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused")
        if self.rate_limited:
            self.rate_limited -= 1
            return httpx.Response(429, json={"error_code": 35, "error": "Too many requests"},
                                  headers={"Retry-After": "1"})  # fmt: skip
        self.sent += 1
        response = self.real.handle_request(request)
        response.read()
        if self.lose_answers:
            self.lose_answers -= 1
            raise httpx.ReadError("connection reset after the server answered")
        return response


@pytest.fixture
def flaky() -> Flaky:
    return Flaky()


def offline(
    server: RunningServer, path: Path, flaky: Flaky, token: str | None = None
) -> OfflineSync:
    base = server.url + "/API/v6/"
    if token is None:
        token = SyncClient.register(new_email(), "Off Line", PASSWORD, base_url=base).token
    settings = Settings(sync_token=token, sync_base_url=base)
    client = SyncClient(settings, transport=flaky, retry=RetryPolicy(attempts=1))
    return OfflineSync(client, path)


def test_a_full_then_incremental_local_copy(
    server: RunningServer, tmp_path: Path, flaky: Flaky
) -> None:
    local = offline(server, tmp_path / "local.db", flaky)
    local.pull()
    assert [p.name for p in local.projects()] == ["Inbox"]
    user = local.user()
    assert user is not None and user.full_name == "Off Line"
    item = commands.item_add("milk")
    local.enqueue(commands.label_add("shop"), item)
    local.sync()
    assert [i.content for i in local.items()] == ["milk"]
    assert [label.name for label in local.labels()] == ["shop"]
    real = local.real_id(item.temp_id or "")
    assert real == local.items()[0].id
    local.enqueue(commands.item_delete([real]))
    local.sync()
    assert local.items() == [] and local.pending() == []


def test_the_queue_survives_a_failure_and_a_restart(
    server: RunningServer, tmp_path: Path, flaky: Flaky
) -> None:
    first = offline(server, tmp_path / "local.db", flaky)
    token = first.client.settings.sync_params["token"]
    queued = [commands.item_add("a"), commands.item_add("b")]
    first.enqueue(*queued)
    flaky.down = True
    with pytest.raises(TransportError):
        first.push()
    assert [c.uuid for c in first.pending()] == [c.uuid for c in queued]
    first.close()

    flaky.down = False
    again = offline(server, tmp_path / "local.db", flaky, token)
    assert [c.uuid for c in again.pending()] == [c.uuid for c in queued]
    assert again.push() == 2
    again.pull()
    assert sorted(i.content for i in again.items()) == ["a", "b"]


def test_a_lost_answer_is_replayed_and_runs_once(
    server: RunningServer, tmp_path: Path, flaky: Flaky
) -> None:
    local = offline(server, tmp_path / "local.db", flaky)
    add = commands.item_add("only once")
    local.enqueue(add)
    flaky.lose_answers = 1
    with pytest.raises(TransportError):
        local.push()  # the server ran it; the answer never came back
    assert [c.uuid for c in local.pending()] == [add.uuid]
    local.sync()
    assert [i.content for i in local.items()] == ["only once"]
    assert local.real_id(add.temp_id or "") == local.items()[0].id


def test_a_long_queue_goes_in_parts_of_100(
    server: RunningServer, tmp_path: Path, flaky: Flaky
) -> None:
    local = offline(server, tmp_path / "local.db", flaky)
    project = commands.project_add("Bulk")
    local.enqueue(
        project, *[commands.item_add(f"#{n}", project_id=project.temp_id) for n in range(249)]
    )
    before = flaky.sent
    assert local.push() == 250
    assert flaky.sent - before == 3
    local.pull()
    assert len(local.items()) == 249 and local.rejected() == {}


def test_rejected_commands_are_kept_aside(
    server: RunningServer, tmp_path: Path, flaky: Flaky
) -> None:
    local = offline(server, tmp_path / "local.db", flaky)
    bad = commands.item_update(424242, content="x")
    local.enqueue(bad, commands.item_add("fine"))
    local.sync()
    (refused,) = local.rejected().items()
    assert refused[0] == bad.uuid and refused[1][1]["error_code"] == 21
    assert [i.content for i in local.items()] == ["fine"] and local.pending() == []


def test_429_waits_for_retry_after(server: RunningServer, tmp_path: Path, flaky: Flaky) -> None:
    local = offline(server, tmp_path / "local.db", flaky)
    slept: list[float] = []
    local.client._http.retry = RetryPolicy(attempts=3)
    local.client._http.sleep = slept.append
    local.enqueue(commands.item_add("patient"))
    flaky.rate_limited = 2
    local.push()
    assert slept == [1.0, 1.0]
    flaky.rate_limited = 5
    local.enqueue(commands.item_add("impatient"))
    with pytest.raises(RateLimitError):
        local.push()
    assert len(local.pending()) == 1
