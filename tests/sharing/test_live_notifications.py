"""Live notifications of shared projects: who gets which, read marks, and the notification
settings that switch kinds off."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import register
from tests.servers import RunningServer
from tests.sharing.test_cross_user import invitation_of, run, sync


def pair(server: RunningServer) -> tuple[dict[str, Any], dict[str, Any], int]:
    """An owner and a member of one shared project."""
    owner, member = register(server, "Owner"), register(server, "Member")
    pid = run(server, owner["token"], "project_add", {"name": "Shared"})
    run(server, owner["token"], "share_project", {"project_id": pid, "email": member["email"]})
    invitation = invitation_of(server, member["token"])
    args = {
        "invitation_id": invitation["invitation_id"],
        "invitation_secret": invitation["invitation_secret"],
    }
    assert run(server, member["token"], "accept_invitation", args) == "ok"
    return owner, member, pid


def notifications(server: RunningServer, token: str, seq_no: int = 0) -> dict[str, Any]:
    return sync(server, token, resource_types=["live_notifications"], seq_no=str(seq_no))


def first(body: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(n for n in body["LiveNotifications"] if n["notification_type"] == kind)


def kinds(body: dict[str, Any]) -> list[str]:
    return [n["notification_type"] for n in body["LiveNotifications"]]


def test_completion_assignment_and_notes_reach_the_other_member(server: RunningServer) -> None:
    owner, member, pid = pair(server)
    start = notifications(server, owner["token"])["seq_no"]
    item = run(server, owner["token"], "item_add", {"project_id": pid, "content": "Task"})
    run(server, owner["token"], "item_update", {"id": item, "responsible_uid": member["id"]})
    run(server, member["token"], "note_add", {"item_id": item, "content": "On it"})
    run(server, member["token"], "item_close", {"id": item})
    got = notifications(server, member["token"])
    assigned = next(
        n for n in got["LiveNotifications"] if n["notification_type"] == "item_assigned"
    )
    assert (assigned["item_id"], assigned["from_uid"]) == (item, owner["id"])
    assert assigned["responsible_uid"] == member["id"]
    # The owner hears of the member's note and completion; nobody hears of their own acts.
    owner_kinds = kinds(notifications(server, owner["token"], start))
    assert "note_added" in owner_kinds and "item_completed" in owner_kinds
    assert "note_added" not in kinds(got) and "item_completed" not in kinds(got)


def test_read_marks(server: RunningServer) -> None:
    owner, member, _ = pair(server)
    body = notifications(server, owner["token"])
    accepted = next(
        n
        for n in body["LiveNotifications"]
        if n["notification_type"] == "share_invitation_accepted"
    )
    assert accepted["is_unread"] == 1 and body["LiveNotificationsLastRead"] == 0
    run(server, owner["token"], "live_notifications_mark_read", {"id": accepted["id"]})
    after = notifications(server, owner["token"], body["seq_no"])
    assert [(n["id"], n["is_unread"]) for n in after["LiveNotifications"]] == [(accepted["id"], 0)]
    run(server, owner["token"], "live_notifications_mark_unread", {"id": accepted["id"]})
    again = notifications(server, owner["token"], after["seq_no"])
    assert [n["is_unread"] for n in again["LiveNotifications"]] == [1]
    run(server, owner["token"], "live_notifications_mark_read_all", {})
    run(
        server,
        owner["token"],
        "live_notifications_mark_as_read",
        {"seq_no": accepted["seq_no"]},
    )
    last = notifications(server, owner["token"])
    assert all(n["is_unread"] == 0 for n in last["LiveNotifications"])
    assert last["LiveNotificationsLastRead"] == accepted["seq_no"]
    # Someone else's notification is not found.
    status = run(server, member["token"], "live_notifications_mark_read", {"id": accepted["id"]})
    assert isinstance(status, dict) and status["error_code"]


def test_a_kind_switched_off_is_not_recorded(server: RunningServer) -> None:
    owner, member, pid = pair(server)
    response = httpx.post(
        server.url + "/API/v6/update_notification_setting",
        data={
            "token": owner["token"],
            "notification_type": "note_added",
            "service": "push",
            "dont_notify": "1",
        },
    )
    assert response.status_code == 200, response.text
    start = notifications(server, owner["token"])["seq_no"]
    item = run(server, owner["token"], "item_add", {"project_id": pid, "content": "Task"})
    run(server, member["token"], "note_add", {"item_id": item, "content": "Hello"})
    run(server, member["token"], "item_close", {"id": item})
    assert kinds(notifications(server, owner["token"], start)) == ["item_completed"]
