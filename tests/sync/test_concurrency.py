"""The change-tracking invariant under concurrent writers and readers (both databases).

Writers commit batches from several threads while readers sync incrementally in a loop;
at the end every reader's merged state must equal a fresh full sync: no change missed
(a reader would lack it) and none applied twice (counts would be off).
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx

from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer
from tests.sync.helpers import RawClient, command, comparable, full_state

WRITERS = 4
READERS = 3
BATCHES = 8


def _writer(
    url: str, token: str, index: int, errors: list[BaseException], project_id: int | None = None
) -> None:
    """Batches of adds, updates and deletes in its own new project, or in ``project_id``."""
    try:
        with httpx.Client(base_url=url, timeout=60) as http:
            client = RawClient(http, token)
            if project_id is None:
                project_temp = f"$w{index}-{uuid.uuid4()}"
                cmd = command("project_add", {"name": f"W{index}"}, project_temp)
                project_id = client.commit([cmd])["TempIdMapping"][project_temp]
            created: list[int] = []
            for batch in range(BATCHES):
                cmds = []
                temps = []
                for n in range(3):
                    temp = str(uuid.uuid4())
                    temps.append(temp)
                    args = {"content": f"w{index}-b{batch}-{n}", "project_id": project_id}
                    cmds.append(command("item_add", args, temp))
                if created:
                    cmds.append(command("item_update", {"id": created[-1], "priority": 4}))
                if len(created) > 2:
                    cmds.append(command("item_delete", {"ids": [created[0]]}))
                body = client.commit(cmds)
                # The same batch again (a client retrying after a lost answer) runs nothing.
                again = client.commit(cmds)
                assert again["SyncStatus"] == body["SyncStatus"]
                assert again["TempIdMapping"] == body["TempIdMapping"]
                if len(created) > 2:
                    created.pop(0)
                created.extend(body["TempIdMapping"][t] for t in temps)
    except BaseException as exc:  # pragma: no cover - reported by the test
        errors.append(exc)


def _reader(url: str, token: str, stop: threading.Event, out: list[Any], errors: list[Any]) -> None:
    try:
        with httpx.Client(base_url=url, timeout=60) as http:
            client = RawClient(http, token)
            while not stop.is_set():
                client.sync()
            client.sync()
            out.append(client)
    except BaseException as exc:  # pragma: no cover
        errors.append(exc)


def _run_all(
    readers: list[threading.Thread], writers: list[threading.Thread], stop: threading.Event
) -> None:
    """Start everyone, wait for the writers, then tell the readers to finish."""
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=300)
    stop.set()
    for thread in readers:
        thread.join(timeout=300)


def test_concurrent_writers_and_readers(server: RunningServer, account: dict[str, Any]) -> None:
    token = account["token"]
    errors: list[BaseException] = []
    readers_done: list[RawClient] = []
    stop = threading.Event()
    readers = [
        threading.Thread(target=_reader, args=(server.url, token, stop, readers_done, errors))
        for _ in range(READERS)
    ]
    writers = [
        threading.Thread(target=_writer, args=(server.url, token, i, errors))
        for i in range(WRITERS)
    ]
    _run_all(readers, writers, stop)
    assert not errors, errors
    assert len(readers_done) == READERS

    with httpx.Client(base_url=server.url, timeout=60) as http:
        final = full_state(http, token)
    # Each writer: BATCHES * 3 items added, one deleted in every batch after the first.
    expected_items = WRITERS * (BATCHES * 3 - (BATCHES - 1))
    assert len(final["Items"]) == expected_items
    assert len(final["Projects"]) == WRITERS + 1  # + Inbox
    for reader in readers_done:
        assert comparable(reader.state) == final


def _share(owner: RawClient, member: RawClient, email: str) -> int:
    temp = str(uuid.uuid4())
    body = owner.commit([command("project_add", {"name": "Shared"}, temp)])
    project_id: int = body["TempIdMapping"][temp]
    owner.commit([command("share_project", {"project_id": project_id, "email": email})])
    notes = member.post(resource_types=["live_notifications"])["LiveNotifications"]
    invitation = next(n for n in notes if n["notification_type"] == "share_invitation_sent")
    args = {
        "invitation_id": invitation["invitation_id"],
        "invitation_secret": invitation["invitation_secret"],
    }
    status = member.commit([command("accept_invitation", args)])["SyncStatus"]
    assert set(status.values()) == {"ok"}
    return project_id


def test_two_users_writing_one_shared_project(
    server: RunningServer, account: dict[str, Any]
) -> None:
    """Owner and member write into one shared project at once while readers of both sync:
    each reader ends equal to its user's full sync, and both users hold the same project."""
    email = new_email()
    member_token = httpx.post(
        server.url + "/API/v6/register", data={"email": email, "password": PASSWORD}
    ).json()["token"]
    tokens = [account["token"], member_token]
    with httpx.Client(base_url=server.url, timeout=60) as http:
        owner, member = RawClient(http, tokens[0]), RawClient(http, tokens[1])
        project_id = _share(owner, member, email)
    errors: list[BaseException] = []
    done: list[list[RawClient]] = [[], []]
    stop = threading.Event()
    readers = [
        threading.Thread(
            target=_reader, args=(server.url, tokens[n % 2], stop, done[n % 2], errors)
        )
        for n in range(4)
    ]
    writers = [
        threading.Thread(target=_writer, args=(server.url, tokens[n % 2], n, errors, project_id))
        for n in range(4)
    ]
    _run_all(readers, writers, stop)
    assert not errors, errors

    with httpx.Client(base_url=server.url, timeout=60) as http:
        finals = [full_state(http, token) for token in tokens]
    for n, clients in enumerate(done):
        assert len(clients) == 2
        for reader in clients:
            assert comparable(reader.state) == finals[n]

    def shared_items(state: dict[str, Any]) -> dict[int, Any]:
        return {i: o for i, o in state["Items"].items() if o["project_id"] == project_id}

    assert shared_items(finals[0]) == shared_items(finals[1])
    assert len(shared_items(finals[0])) == 4 * (BATCHES * 3 - (BATCHES - 1))
