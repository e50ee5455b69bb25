"""The SDK's sharing and notification builders against a real server: invite, accept,
reject, withdraw, remove, take ownership, and read marks, every answer validated by the
SDK's strict models."""

from __future__ import annotations

import pytest

from taskhaven.sdk import Settings, SyncClient, commands
from taskhaven.sdk.models.sync import LiveNotification, SyncResponse
from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer


class Person:
    def __init__(self, server: RunningServer) -> None:
        base = server.url + "/API/v6/"
        self.email = new_email()
        user = SyncClient.register(self.email, "Sam Doe", PASSWORD, base_url=base)
        self.id = user.id
        self.client = SyncClient(Settings(sync_token=user.token, sync_base_url=base))

    def ok(self, *sent: commands.Command) -> SyncResponse:
        answer = self.client.commit(list(sent))
        assert answer.errors() == {}, answer.errors()
        return answer

    def invitation(self) -> LiveNotification:
        notes = self.client.sync(["live_notifications"]).live_notifications or []
        return next(
            n
            for n in notes
            if n.notification_type == "share_invitation_sent" and n.state == "invited"
        )


@pytest.fixture
def people(server: RunningServer) -> tuple[Person, Person]:
    return Person(server), Person(server)


def _project(owner: Person) -> int:
    add = commands.project_add("Shared")
    answer = owner.ok(add)
    assert answer.temp_id_mapping is not None
    return answer.temp_id_mapping[str(add.temp_id)]


def test_invite_accept_take_ownership_and_remove(people: tuple[Person, Person]) -> None:
    owner, guest = people
    project = _project(owner)
    share = commands.share_project(project, guest.email)
    shared = owner.ok(share)
    assert shared.temp_id_mapping and share.temp_id in shared.temp_id_mapping
    invite = guest.invitation()
    assert invite.invitation_id and invite.invitation_secret
    guest.ok(commands.accept_invitation(invite.invitation_id, invite.invitation_secret))
    states = owner.client.sync(["collaborators"]).collaborator_states or []
    assert {(s.user_id, s.state) for s in states if s.project_id == project} == {
        (owner.id, "active"),
        (guest.id, "active"),
    }
    guest.ok(commands.take_ownership(project))
    mine = guest.client.sync(["projects"]).projects or []
    assert any(p.id == project for p in mine)
    guest.ok(commands.delete_collaborator(project, owner.email))
    assert all(p.id != project for p in owner.client.sync(["projects"]).projects or [])


def test_reject_and_withdraw(people: tuple[Person, Person]) -> None:
    owner, guest = people
    project = _project(owner)
    owner.ok(commands.share_project(project, guest.email))
    invite = guest.invitation()
    assert invite.invitation_id and invite.invitation_secret
    guest.ok(commands.reject_invitation(invite.invitation_id, invite.invitation_secret))
    assert all(p.id != project for p in guest.client.sync(["projects"]).projects or [])
    # A second invitation, withdrawn before it is answered: accepting it fails.
    again = commands.share_project(project, guest.email)
    answer = owner.ok(again)
    assert answer.temp_id_mapping is not None
    owner.ok(commands.delete_invitation(answer.temp_id_mapping[str(again.temp_id)]))
    gone = guest.client.commit(
        [commands.accept_invitation(invite.invitation_id, invite.invitation_secret)]
    )
    assert gone.errors()


def test_read_marks(people: tuple[Person, Person]) -> None:
    owner, guest = people
    for _ in range(2):
        owner.ok(commands.share_project(_project(owner), guest.email))

    def unread() -> set[int]:
        notes = guest.client.sync(["live_notifications"]).live_notifications or []
        return {int(n.id) for n in notes if n.id is not None and n.is_unread}

    notes = guest.client.sync(["live_notifications"]).live_notifications or []
    ids = sorted(int(n.id) for n in notes if n.id is not None)
    assert len(ids) == 2
    assert unread() == set(ids)
    guest.ok(commands.live_notifications_mark_read(ids[0]))
    assert unread() == {ids[1]}
    guest.ok(commands.live_notifications_mark_unread(ids[0]))
    assert unread() == set(ids)
    guest.ok(commands.live_notifications_mark_read_all())
    assert unread() == set()
