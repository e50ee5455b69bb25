"""V2 user endpoints (profile, status, statistics) and sessions: listing, revoking, expiry."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, update

from taskhaven.api.ticktick.v2 import statistics as v2_statistics
from taskhaven.core import security, statistics, users
from taskhaven.core import sessions as core_sessions
from taskhaven.core.ids import new_oid
from taskhaven.store.schema import items, sessions
from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer
from tests.v2.clients import (
    SIGNON_KEYS,
    assert_error,
    client_for,
    cookie,
    cookie_token,
    get,
    register,
    settings_for,
)

PROFILE_KEYS = {
    "etimestamp", "username", "siteDomain", "createdCampaign", "createdDeviceInfo",
    "filledPassword", "accountDomain", "extenalId", "email", "verifiedEmail", "fakedEmail",
    "phone", "name", "givenName", "familyName", "link", "picture", "gender", "locale",
    "userCode", "verCode", "verKey", "externalId", "phoneWithoutCountryCode", "displayName",
}  # fmt: skip
STATUS_KEYS = (SIGNON_KEYS - {"token"}) | {"timeStamp"}
STATISTICS_KEYS = {
    "score", "level", "yesterdayCompleted", "todayCompleted", "totalCompleted", "scoreByDay",
    "taskByDay", "taskByWeek", "taskByMonth", "todayPomoCount", "yesterdayPomoCount",
    "totalPomoCount", "todayPomoDuration", "yesterdayPomoDuration", "totalPomoDuration",
    "pomoGoal", "pomoDurationGoal", "pomoByDay", "pomoByWeek", "pomoByMonth",
}  # fmt: skip
AUTHENTICATED = ["user/profile", "user/status", "statistics/general", "user/sessions"]


# -- profile and status ----------------------------------------------------------------------


def test_profile_through_pyticktick(server: RunningServer) -> None:
    user = register(server)
    settings = settings_for(server, user["email"])
    profile = client_for(settings).get_profile_v2()
    assert profile.username == user["email"]
    assert profile.display_name == "Test User"
    assert profile.locale == "en_US"
    raw = get(server, "user/profile", settings.v2_token)
    assert set(raw.json()) == PROFILE_KEYS
    assert raw.json()["userCode"] == str(profile.user_code)


def test_status_through_pyticktick(server: RunningServer) -> None:
    user = register(server)
    settings = settings_for(server, user["email"])
    status = client_for(settings).get_status_v2()
    assert status.user_id == str(user["id"])
    assert status.inbox_id == "inbox" + status.user_id
    assert status.username == user["email"]
    raw = get(server, "user/status", settings.v2_token).json()
    assert set(raw) == STATUS_KEYS
    signon = httpx.post(
        server.url + "/api/v2/user/signon", json={"username": user["email"], "password": PASSWORD}
    ).json()
    # Sign-on and status describe the same account the same way.
    assert {k: v for k, v in raw.items() if k != "timeStamp"} == {
        k: v for k, v in signon.items() if k != "token"
    }


def test_each_cookie_sees_its_own_user(server: RunningServer) -> None:
    alice, bob = register(server), register(server)
    a, b = cookie_token(server, alice["email"]), cookie_token(server, bob["email"])
    assert get(server, "user/profile", a).json()["username"] == alice["email"]
    assert get(server, "user/profile", b).json()["username"] == bob["email"]


# -- statistics ------------------------------------------------------------------------------


def _sync_commands(server: RunningServer, token: str, commands: list[dict[str, Any]]) -> Any:
    response = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": token, "commands": orjson.dumps(commands).decode()},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    # Multi-id commands answer one status per id.
    statuses = [
        v for s in body["SyncStatus"].values() for v in (s.values() if isinstance(s, dict) else [s])
    ]
    assert statuses and all(v == "ok" for v in statuses), body
    return body


def test_statistics_count_tasks_completed_through_the_sync_api(server: RunningServer) -> None:
    user = register(server)
    adds = [
        {"type": "item_add", "uuid": str(uuid.uuid4()), "temp_id": f"t{n}",
         "args": {"content": f"task {n}", "project_id": user["inbox_project"],
                  **({"date_string": "today"} if n == 3 else {})}}
        for n in range(4)
    ]  # fmt: skip
    mapping = _sync_commands(server, user["token"], adds)["TempIdMapping"]
    done = [mapping["t0"], mapping["t1"]]
    _sync_commands(
        server,
        user["token"],
        [{"type": "item_complete", "uuid": str(uuid.uuid4()), "args": {"ids": done}}],
    )
    today = datetime.now(UTC).date()  # the account's zone is UTC
    stats = client_for(settings_for(server, user["email"])).get_statistics_v2()
    assert stats.total_completed == 2
    assert stats.today_completed == 2
    assert stats.score == 2
    assert stats.task_by_day.root[today].complete_count == 2
    assert stats.task_by_day.root[today].not_complete_count == 1  # "task 3", due today
    raw = get(server, "statistics/general", cookie_token(server, user["email"])).json()
    assert set(raw) == STATISTICS_KEYS
    assert raw["taskByDay"][today.strftime("%Y%m%d")] == {
        "completeCount": 2,
        "notCompleteCount": 1,
    }


def _add_item(
    server: RunningServer,
    user: Any,
    *,
    status: int = 0,
    completed_at: datetime | None = None,
    due_at: datetime | None = None,
    deleted: bool = False,
) -> None:
    with server.backend.write(user["id"]) as unit:
        unit.conn.execute(
            insert(items).values(
                oid=new_oid(),
                user_id=user["id"],
                project_id=user["inbox_project_id"],
                content="x",
                status=status,
                completed_at=completed_at,
                due_at=due_at,
                is_deleted=deleted,
                created_at=unit.now,
                modified_at=unit.now,
                seq=unit.stamp(),
            )
        )


def test_statistics_use_the_users_local_days(server: RunningServer) -> None:
    user, _token = users.register(
        server.backend, email=new_email(), password=PASSWORD, timezone="Asia/Tokyo"
    )
    utc = UTC
    now = datetime(2025, 3, 12, 10, 0, tzinfo=utc)  # Wednesday, 19:00 in Tokyo
    done = [
        datetime(2025, 3, 12, 1, 0, tzinfo=utc),  # 10:00 on the 12th in Tokyo
        datetime(2025, 3, 11, 16, 0, tzinfo=utc),  # 01:00 on the 12th in Tokyo, the 11th in UTC
        datetime(2025, 3, 11, 10, 0, tzinfo=utc),  # the 11th in Tokyo: yesterday
        datetime(2025, 3, 3, 12, 0, tzinfo=utc),  # the week before
        datetime(2025, 2, 15, 12, 0, tzinfo=utc),  # last month
        datetime(2024, 12, 1, 12, 0, tzinfo=utc),  # only in the totals
    ]
    for moment in done:
        _add_item(server, user, status=2, completed_at=moment)
    # Not completions: won't do, deleted, and someone else's.
    _add_item(server, user, status=-1, completed_at=done[0])
    _add_item(server, user, status=2, completed_at=done[0], deleted=True)
    other, _ = users.register(server.backend, email=new_email(), password=PASSWORD)
    _add_item(server, other, status=2, completed_at=done[0])
    # Open and due at the end of the 12th in Tokyo.
    _add_item(server, user, due_at=datetime(2025, 3, 12, 14, 59, 59, tzinfo=utc))

    stats = statistics.counts(server.backend, user, now=now)
    answer = v2_statistics.answer(stats)
    day = date(2025, 3, 12)
    assert (stats.total, answer["score"], stats.today, stats.yesterday) == (6, 6, 2, 1)
    assert list(stats.by_day) == [day - timedelta(days=n) for n in range(6, -1, -1)]
    assert (stats.by_day[day].completed, stats.by_day[day].not_completed) == (2, 1)
    assert stats.by_day[date(2025, 3, 11)].completed == 1
    assert list(stats.by_week) == [date(2025, 2, 17), date(2025, 2, 24), date(2025, 3, 3),
                                   date(2025, 3, 10)]  # fmt: skip
    assert [c.completed for c in stats.by_week.values()] == [0, 0, 1, 3]
    assert list(stats.by_month) == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    assert [c.completed for c in stats.by_month.values()] == [0, 1, 4]
    assert stats.by_month[date(2025, 3, 1)].not_completed == 1
    assert stats.total_by_day[day] == 6
    assert stats.total_by_day[date(2025, 3, 11)] == 4
    assert stats.total_by_day[date(2025, 3, 6)] == 3
    assert answer["scoreByDay"]["20250311"] == 4
    assert answer["level"] == v2_statistics.level_for(6)


@given(day=st.dates(), start_day=st.integers(min_value=1, max_value=7))
def test_week_start_is_the_right_weekday_within_six_days(day: date, start_day: int) -> None:
    try:
        first = statistics.week_start(day, start_day)
    except OverflowError:
        return  # before year 1
    assert first.isoweekday() == start_day
    assert timedelta(0) <= day - first <= timedelta(days=6)


@given(score=st.integers(min_value=0, max_value=10**9))
def test_levels_grow_with_the_score(score: int) -> None:
    assert (
        1
        <= v2_statistics.level_for(score)
        <= v2_statistics.level_for(score + 1)
        <= len(v2_statistics.LEVELS)
    )


# -- authentication and sessions -------------------------------------------------------------


@pytest.mark.parametrize("path", AUTHENTICATED)
@pytest.mark.parametrize("token", [None, "", "garbage", "x" * 5000, "ünï"])
def test_calls_without_a_valid_cookie_are_401(
    server: RunningServer, path: str, token: str | None
) -> None:
    headers: dict[str, str | bytes] = dict(cookie(None))
    if token is not None:
        headers["Cookie"] = b"t=" + token.encode("utf-8")  # raw bytes, as a hostile client may
    response = httpx.get(server.url + "/api/v2/" + path, headers=headers)
    assert_error(response, 401, "user_not_sign_on")


def test_the_api_token_is_not_a_session(server: RunningServer) -> None:
    user = register(server)
    assert_error(get(server, "user/profile", user["token"]), 401, "user_not_sign_on")


def test_expired_session_is_401(server: RunningServer) -> None:
    user = register(server)
    token = cookie_token(server, user["email"])
    assert get(server, "user/status", token).status_code == 200
    with server.backend.plain_write() as conn:
        conn.execute(
            update(sessions)
            .where(sessions.c.token_digest == security.digest(token))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert_error(get(server, "user/status", token), 401, "user_not_sign_on")


def test_sessions_are_listed_and_revoked(server: RunningServer) -> None:
    user = register(server)
    first = cookie_token(server, user["email"])
    second = cookie_token(server, user["email"])
    listed = get(server, "user/sessions", second)
    assert listed.status_code == 200, listed.text
    entries = listed.json()
    assert len(entries) == 2
    assert {e["current"] for e in entries} == {True, False}
    assert set(entries[0]) == {
        "id", "current", "createdTime", "lastUsedTime", "expireTime", "userAgent", "ip",
    }  # fmt: skip
    assert all(e["ip"] == "127.0.0.1" for e in entries)
    other_id = next(e["id"] for e in entries if not e["current"])

    revoked = httpx.delete(server.url + f"/api/v2/user/sessions/{other_id}", headers=cookie(second))
    assert revoked.status_code == 204, revoked.text
    assert_error(get(server, "user/profile", first), 401, "user_not_sign_on")
    assert get(server, "user/profile", second).status_code == 200
    assert [e["current"] for e in get(server, "user/sessions", second).json()] == [True]
    again = httpx.delete(server.url + f"/api/v2/user/sessions/{other_id}", headers=cookie(second))
    assert_error(again, 404, "not_existed")


@pytest.mark.parametrize("session_id", ["999999999", "abc", "1" * 40, "-1"])
def test_revoking_unknown_sessions_is_404(server: RunningServer, session_id: str) -> None:
    user = register(server)
    token = cookie_token(server, user["email"])
    response = httpx.delete(
        server.url + f"/api/v2/user/sessions/{session_id}", headers=cookie(token)
    )
    assert_error(response, 404, "not_existed")


def test_someone_elses_session_cannot_be_revoked(server: RunningServer) -> None:
    alice, mallory = register(server), register(server)
    alice_token = cookie_token(server, alice["email"])
    alice_id = get(server, "user/sessions", alice_token).json()[0]["id"]
    mallory_token = cookie_token(server, mallory["email"])
    response = httpx.delete(
        server.url + f"/api/v2/user/sessions/{alice_id}", headers=cookie(mallory_token)
    )
    assert_error(response, 404, "not_existed")
    assert get(server, "user/profile", alice_token).status_code == 200
    ids = {e["id"] for e in get(server, "user/sessions", mallory_token).json()}
    assert alice_id not in ids


def test_signout_ends_the_session_and_clears_the_cookie(server: RunningServer) -> None:
    user = register(server)
    token = cookie_token(server, user["email"])
    response = httpx.post(server.url + "/api/v2/user/signout", headers=cookie(token))
    assert response.status_code == 204, response.text
    assert response.headers["set-cookie"].startswith("t=; ")
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert_error(get(server, "user/profile", token), 401, "user_not_sign_on")
    again = httpx.post(server.url + "/api/v2/user/signout", headers=cookie(token))
    assert_error(again, 401, "user_not_sign_on")


def test_session_tokens_are_stored_by_digest(server: RunningServer) -> None:
    user = register(server)
    token = cookie_token(server, user["email"])
    with server.backend.read() as conn:
        stored = [row.token_digest for row in conn.execute(sessions.select()).all()]
    assert token not in stored
    assert security.digest(token) in stored


def test_oldest_sessions_give_way_past_the_cap(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core_sessions, "MAX_PER_USER", 3)
    user = register(server)
    tokens = [cookie_token(server, user["email"]) for _ in range(4)]
    assert_error(get(server, "user/profile", tokens[0]), 401, "user_not_sign_on")
    assert all(get(server, "user/profile", t).status_code == 200 for t in tokens[1:])
    assert len(get(server, "user/sessions", tokens[-1]).json()) == 3
