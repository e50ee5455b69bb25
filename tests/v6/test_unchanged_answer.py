"""A sync that finds nothing new is answered from bytes kept per state of the account
(``api/todoist/v6/unchanged.py``). Whatever changes — the user's own row, their items
(completed today), a collaborator's name, the user's day or UTC offset — the kept answer
must be the one a fresh read gives: here the fresh read is a full sync's User object and
collaborator lists, which never come from the kept bytes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskhaven.api.todoist.v6 import unchanged
from taskhaven.core import users
from tests.conftest import register
from tests.servers import RunningServer

ALL = json.dumps(["all"])
# What a quiet answer carries that a full sync also reads afresh.
COMPARED = ("User", "Collaborators", "CollaboratorStates", "LiveNotificationsLastRead")


def post(server: RunningServer, **data: str) -> dict[str, Any]:
    response = httpx.post(server.url + "/API/v6/sync", data=data)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def run(server: RunningServer, token: str, kind: str, args: dict[str, Any]) -> Any:
    cmd = {"type": kind, "uuid": str(uuid.uuid4()), "args": args, "temp_id": "t"}
    body = post(server, token=token, commands=json.dumps([cmd]))
    status = body["SyncStatus"][cmd["uuid"]]
    assert status == "ok" or isinstance(status, int), status
    return body["TempIdMapping"].get("t", status)


def quiet(server: RunningServer, token: str) -> dict[str, Any]:
    """An incremental sync at the current number: nothing new, answered from kept bytes
    from the second time on."""
    seq = post(server, token=token, resource_types=ALL)["seq_no"]
    first = post(server, token=token, resource_types=ALL, seq_no=str(seq))
    again = post(server, token=token, resource_types=ALL, seq_no=str(seq))
    assert first == again
    assert first["Items"] == [] and first["Projects"] == []
    return first


def assert_fresh(server: RunningServer, token: str) -> None:
    kept = quiet(server, token)
    full = post(server, token=token, resource_types=ALL)
    for key in COMPARED:
        assert kept[key] == full[key], key
    assert kept["seq_no"] == full["seq_no"]


@pytest.fixture(scope="module")
def pair(server: RunningServer) -> tuple[dict[str, Any], dict[str, Any], int, dict[str, Any]]:
    """An owner who shared a project with a member who accepted and an invitee who has not
    answered yet (both are in the owner's collaborator lists)."""
    owner, member = register(server, "Owner"), register(server, "Member")
    invitee = register(server, "Invitee")
    project = run(server, owner["token"], "project_add", {"name": "Shared"})
    for guest in (member, invitee):
        run(
            server,
            owner["token"],
            "share_project",
            {"project_id": project, "email": guest["email"]},
        )
    notes = post(server, token=member["token"], resource_types='["live_notifications"]')
    invitation = next(
        n for n in notes["LiveNotifications"] if n["notification_type"] == "share_invitation_sent"
    )
    accepted = run(
        server,
        member["token"],
        "accept_invitation",
        {k: invitation[k] for k in ("invitation_id", "invitation_secret")},
    )
    assert accepted == "ok"
    return owner, member, project, invitee


CHANGES = st.sampled_from(
    [
        "nothing",
        "rename",
        "zone",
        "add",
        "complete",
        "member rename",
        "member zone",
        "invitee rename",
        "mark read",
    ]
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.lists(CHANGES, min_size=1, max_size=6),
    names=st.text(
        st.characters(min_codepoint=32, exclude_categories=("Cs",)), min_size=1, max_size=8
    ),
)
def test_the_kept_answer_is_what_a_fresh_read_gives(
    server: RunningServer,
    pair: tuple[dict[str, Any], dict[str, Any], int, dict[str, Any]],
    changes: list[str],
    names: str,
) -> None:
    owner, member, project, invitee = pair
    token = owner["token"]
    for change in changes:
        assert_fresh(server, token)
        if change == "rename":
            run(server, token, "user_update", {"full_name": names})
        elif change == "zone":
            zone = "Asia/Kathmandu" if quiet(server, token)["User"]["timezone"] == "UTC" else "UTC"
            run(server, token, "user_update", {"timezone": zone})
        elif change == "add":
            run(server, token, "item_add", {"content": names, "project_id": project})
        elif change == "complete":
            item = run(server, token, "item_add", {"content": names})
            run(server, token, "item_close", {"id": item})
        elif change == "member rename":
            run(server, member["token"], "user_update", {"full_name": names})
        elif change == "member zone":
            run(server, member["token"], "user_update", {"timezone": "Europe/Athens"})
        elif change == "invitee rename":
            run(server, invitee["token"], "user_update", {"full_name": names})
        elif change == "mark read":
            run(server, token, "live_notifications_mark_read_all", {})
    assert_fresh(server, token)


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(unchanged, "utcnow", lambda: moment)


def test_an_invitees_new_name_reaches_the_owners_kept_answer(
    server: RunningServer, pair: tuple[dict[str, Any], dict[str, Any], int, dict[str, Any]]
) -> None:
    """An invitee is in the owner's lists before answering: renaming stamps the owner's
    collaborators mark, or the kept answer would show the old name."""
    owner, _member, _project, invitee = pair
    assert_fresh(server, owner["token"])
    run(server, invitee["token"], "user_update", {"full_name": "Renamed Invitee"})
    names = [c["full_name"] for c in quiet(server, owner["token"])["Collaborators"]]
    assert "Renamed Invitee" in names
    assert_fresh(server, owner["token"])


def test_the_kept_answer_follows_the_users_day(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing in the database changes at the user's midnight, yet "completed today" does."""
    token = register(server)["token"]
    item = run(server, token, "item_add", {"content": "done today"})
    run(server, token, "item_close", {"id": item})
    now = datetime.now(UTC)
    at(monkeypatch, now)
    assert quiet(server, token)["User"]["completed_today"] == 1
    at(monkeypatch, now + timedelta(days=1))
    assert quiet(server, token)["User"]["completed_today"] == 0


def test_the_kept_answer_follows_the_users_offset(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DST change moves ``tz_offset`` within one local day, with no write at all."""
    token = register(server)["token"]
    run(server, token, "user_update", {"timezone": "America/New_York"})
    # 2026-11-01: New York leaves DST at 06:00 UTC (02:00 EDT becomes 01:00 EST).
    at(monkeypatch, datetime(2026, 11, 1, 5, 30, tzinfo=UTC))
    assert quiet(server, token)["User"]["tz_offset"] == ["-04:00", -4, 0, 1]
    at(monkeypatch, datetime(2026, 11, 1, 6, 30, tzinfo=UTC))
    assert quiet(server, token)["User"]["tz_offset"] == ["-05:00", -5, 0, 0]


def test_each_token_and_each_set_of_types_has_its_own_answer(server: RunningServer) -> None:
    user = register(server)
    token = user["token"]
    seq = post(server, token=token, resource_types=ALL)["seq_no"]
    only_user = post(server, token=token, resource_types='["user"]', seq_no=str(seq))
    assert set(only_user) == {"seq_no", "seq_no_global", "UserId", "User"}
    everything = post(server, token=token, resource_types=ALL, seq_no=str(seq))
    assert "Items" in everything and "Collaborators" in everything
    assert quiet(server, token)["User"]["token"] == token
    # A new token (``taskhaven user token``): the answer that carried the old one is gone
    # with it, and the old token is refused.
    with server.backend.read() as conn:
        row = users.get(conn, user["id"])
    renewed = users.rotate_api_token(server.backend, row)
    assert quiet(server, renewed)["User"]["token"] == renewed
    refused = httpx.post(server.url + "/API/v6/sync", data={"token": token, "seq_no": str(seq)})
    assert refused.status_code == 401
