"""Filters, reminders, locations and user commands through todoist-python 0.2.26."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import todoist
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskhaven.core import users as core_users
from tests.servers import RunningServer
from tests.v6.test_labels_notes import (
    client,
    commit_all,
    commit_one,
    inbox_id,
    raw_commands,
    register_user,
    status_of,
)


@pytest.fixture
def make_account(server: RunningServer) -> Callable[[], dict[str, Any]]:
    return lambda: register_user(server)


# ----------------------------------------------------------------------------------- filters


def test_filters_crud(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    flt = api.filters.add("Urgent", "priority 4", color=2)
    assert commit_one(api) == "ok"
    assert isinstance(flt["id"], int)

    other = client(server, account)
    (found,) = [f for f in other.state["Filters"] if f["id"] == flt["id"]]
    assert (found["name"], found["query"], found["color"]) == ("Urgent", "priority 4", 2)
    assert found["user_id"] == account["id"] and found["is_deleted"] == 0

    flt.update(query="p1 & today", name="Today's urgent")
    assert commit_one(api) == "ok"
    (changed,) = other.sync(resource_types=["filters"])["Filters"]
    assert (changed["name"], changed["query"], changed["color"]) == (
        "Today's urgent",
        "p1 & today",
        2,
    )

    flt.delete()
    assert commit_one(api) == "ok"
    (gone,) = other.sync(resource_types=["filters"])["Filters"]
    assert gone["is_deleted"] == 1 and gone["query"] == "p1 & today"
    assert all(f["id"] != flt["id"] for f in other.state["Filters"])


def test_filter_orders(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    first = api.filters.add("A", "today")
    second = api.filters.add("B", "tomorrow")
    status = api.commit()
    assert all(v == "ok" for v in status.values())
    # New filters go to the end of the list.
    other = client(server, account)
    orders = {f["name"]: f["item_order"] for f in other.state["Filters"]}
    assert orders["B"] > orders["A"]

    api.filters.update_orders({first["id"]: 9, second["id"]: 3, "123456789": 1})
    key = api.queue[-1]["uuid"]
    result = api.commit()[key]
    assert result[str(first["id"])] == "ok" and result[str(second["id"])] == "ok"
    assert result["123456789"]["error_code"] == 24
    response = other.sync(resource_types=["filters"])
    assert {f["name"]: f["item_order"] for f in response["Filters"]} == {"A": 9, "B": 3}


def test_filter_bad_input(
    server: RunningServer, account: dict[str, Any], make_account: Any
) -> None:
    api = client(server, account)
    flt = api.filters.add("Mine", "today")
    assert commit_one(api) == "ok"

    def add(args: dict[str, Any]) -> dict[str, Any]:
        return {"type": "filter_add", "temp_id": str(uuid.uuid1()), "args": args}

    commands = [
        add({"name": "x"}),
        add({"query": "today"}),
        add({"name": "x", "query": ""}),
        add({"name": "x", "query": "today", "color": "red"}),
        add({"name": "x", "query": "today", "item_order": "first"}),
        {"type": "filter_update", "args": {"id": 987654321, "name": "y"}},
        {"type": "filter_update", "args": {"id": flt["id"], "query": 7}},
        {"type": "filter_delete", "args": {}},
        {"type": "filter_update_orders", "args": {"id_order_mapping": "nope"}},
    ]
    body = raw_commands(server, account["token"], commands)
    codes = [status_of(body, i, commands)["error_code"] for i in range(len(commands))]
    assert codes == [18, 18, 16, 16, 16, 24, 16, 18, 16]

    intruder = make_account()
    foreign = [
        {"type": "filter_update", "args": {"id": flt["id"], "name": "hijacked"}},
        {"type": "filter_delete", "args": {"id": flt["id"]}},
    ]
    body = raw_commands(server, intruder["token"], foreign)
    assert [status_of(body, i, foreign)["error_code"] for i in range(2)] == [24, 24]
    assert [f["name"] for f in client(server, account).state["Filters"]] == ["Mine"]


# --------------------------------------------------------------------------------- reminders


def test_relative_reminder_offset_as_string(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    item = api.items.add("Dentist", inbox_id(api), date_string="tomorrow at 10:00")
    reminder = api.reminders.add(item["id"], minute_offset="15", service="push")
    status = api.commit()
    assert all(v == "ok" for v in status.values()), status

    other = client(server, account)
    (found,) = other.state["Reminders"]
    assert found["id"] == reminder["id"]
    assert found["item_id"] == item["id"]
    assert found["type"] == "relative"
    assert found["minute_offset"] == 15 and found["mm_offset"] == 15
    assert found["service"] == "push"
    assert found["notify_uid"] == account["id"]

    reminder.update(minute_offset=45)
    assert commit_one(api) == "ok"
    (changed,) = other.sync(resource_types=["reminders"])["Reminders"]
    assert changed["minute_offset"] == 45 and changed["mm_offset"] == 45

    reminder.delete()
    assert commit_one(api) == "ok"
    (gone,) = other.sync(resource_types=["reminders"])["Reminders"]
    assert gone["is_deleted"] == 1 and gone["minute_offset"] == 45
    assert other.state["Reminders"] == []


def test_absolute_reminder_has_minute_precision(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    item = api.items.add("Flight", inbox_id(api))
    api.reminders.add(item["id"], due_date_utc="2038-05-18T10:15:42")
    api.reminders.add(item["id"], type="absolute", due_date_utc="2038-05-18T10:15")
    status = api.commit()
    assert all(v == "ok" for v in status.values()), status
    other = client(server, account)
    assert len(other.state["Reminders"]) == 2
    for reminder in other.state["Reminders"]:
        assert reminder["type"] == "absolute"
        assert reminder["due_date_utc"] == "Tue 18 May 2038 10:15:00 +0000"
        assert reminder["due_date"] == reminder["due_date_utc"]


def test_absolute_reminder_from_date_string(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    item = api.items.add("Call", inbox_id(api))
    reminder = api.reminders.add(item["id"], date_string="tomorrow at 9:30")
    before = datetime.now(UTC) + timedelta(days=1)
    commit_all(api)
    after = datetime.now(UTC) + timedelta(days=1)
    other = client(server, account)
    (found,) = [r for r in other.state["Reminders"] if r["id"] == reminder["id"]]
    assert found["type"] == "absolute"
    assert found["date_string"] == "tomorrow at 9:30"
    # The account's timezone is UTC, so 9:30 local is 09:30 UTC.
    assert found["due_date_utc"] in {f"{day:%a %d %b %Y} 09:30:00 +0000" for day in (before, after)}


def test_location_reminder(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    item = api.items.add("Buy milk", inbox_id(api))
    reminder = api.reminders.add(
        item["id"], name="Shop", loc_lat="52.5200", loc_long="13.4050", radius=250
    )
    commit_all(api)
    other = client(server, account)
    (found,) = [r for r in other.state["Reminders"] if r["id"] == reminder["id"]]
    assert found["type"] == "location"
    assert (found["name"], found["loc_lat"], found["loc_long"]) == ("Shop", "52.5200", "13.4050")
    assert found["loc_trigger"] == "on_enter" and found["radius"] == 250


def test_clear_locations(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    api.locations.clear()
    assert commit_one(api) == "ok"
    assert api.sync(resource_types=["locations"])["Locations"] == []
    assert api.state["Locations"] == []


def test_reminder_bad_input(
    server: RunningServer, account: dict[str, Any], make_account: Any
) -> None:
    api = client(server, account)
    undated = api.items.add("No date", inbox_id(api))
    dated = api.items.add("Dated", inbox_id(api), date_string="tomorrow")
    reminder = api.reminders.add(dated["id"], minute_offset=30)
    status = api.commit()
    assert all(v == "ok" for v in status.values()), status

    def add(args: dict[str, Any]) -> dict[str, Any]:
        return {"type": "reminder_add", "temp_id": str(uuid.uuid1()), "args": args}

    commands = [
        add({"minute_offset": 10}),  # no item
        add({"item_id": undated["id"], "minute_offset": 10}),  # relative needs a due date
        add({"item_id": 987654321, "minute_offset": 10}),
        add({"item_id": dated["id"], "minute_offset": "soon"}),
        add({"item_id": dated["id"], "due_date_utc": "next blue moon"}),
        add({"item_id": dated["id"], "date_string": "when pigs fly"}),
        add({"item_id": dated["id"], "type": "sometimes"}),
        add({"item_id": dated["id"], "minute_offset": 5, "service": "pigeon"}),
        add({"item_id": dated["id"], "loc_lat": "north", "loc_long": "1"}),
        add({"item_id": dated["id"], "loc_lat": "95", "loc_long": "1"}),
        add({"item_id": dated["id"], "type": "location", "loc_long": "1"}),
        add({"item_id": dated["id"], "type": "absolute"}),
        add({"item_id": dated["id"], "minute_offset": 5, "notify_uid": 987654321}),
        {"type": "reminder_update", "args": {"id": 987654321, "minute_offset": 5}},
        {"type": "reminder_update", "args": {"id": reminder["id"], "service": 3}},
        {"type": "reminder_delete", "args": {"id": "unknown-temp-id"}},
        {"type": "reminder_delete", "args": {}},
    ]
    body = raw_commands(server, account["token"], commands)
    codes = [status_of(body, i, commands)["error_code"] for i in range(len(commands))]
    assert codes == [18, 16, 21, 16, 19, 19, 16, 16, 16, 16, 18, 18, 16, 25, 16, 15, 18]

    intruder = make_account()
    foreign = [
        add({"item_id": dated["id"], "minute_offset": 10}),
        {"type": "reminder_update", "args": {"id": reminder["id"], "minute_offset": 1}},
        {"type": "reminder_delete", "args": {"id": reminder["id"]}},
    ]
    body = raw_commands(server, intruder["token"], foreign)
    assert [status_of(body, i, foreign)["error_code"] for i in range(3)] == [21, 25, 25]
    (still,) = client(server, account).state["Reminders"]
    assert still["minute_offset"] == 30


def test_reminder_type_follows_the_fields_on_update(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    item = api.items.add("Meeting", inbox_id(api), date_string="tomorrow at 14:00")
    reminder = api.reminders.add(item["id"], minute_offset=10)
    api.commit()
    reminder.update(due_date_utc="2038-01-19T03:14")
    assert commit_one(api) == "ok"
    other = client(server, account)
    (found,) = other.state["Reminders"]
    assert found["type"] == "absolute"
    assert found["due_date_utc"] == "Tue 19 Jan 2038 03:14:00 +0000"
    assert found["minute_offset"] is None


def test_deleting_the_item_deletes_its_reminders(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    item = api.items.add("Temporary", inbox_id(api), date_string="tomorrow at 8:00")
    api.reminders.add(item["id"], minute_offset=0)
    api.commit()
    other = client(server, account)
    assert len(other.state["Reminders"]) == 1
    item.delete()
    api.commit()
    (gone,) = other.sync(resource_types=["reminders"])["Reminders"]
    assert gone["is_deleted"] == 1
    assert other.state["Reminders"] == []


# -------------------------------------------------------------------------------------- user


def test_user_update_timezone_recomputes_tz_offset(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    assert api.state["User"]["tz_offset"] == ["+00:00", 0, 0, 0]
    api.user.update(timezone="Asia/Kolkata", start_day=7, theme="3", full_name="Renamed")
    assert commit_one(api) == "ok"
    user = api.user.sync()["User"]
    assert user["timezone"] == "Asia/Kolkata"
    assert user["tz_offset"] == ["+05:30", 5, 30, 0]
    assert user["start_day"] == 7 and user["theme"] == 3 and user["full_name"] == "Renamed"
    assert user["token"] == account["token"]


def test_password_change_keeps_the_token(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    api.user.update(password="a brand new secret")
    assert commit_one(api) == "ok"
    # The same token still works ...
    assert api.user.sync()["User"]["id"] == account["id"]
    # ... and the new password signs on, the old one no longer.
    fresh = todoist.TodoistAPI(api_endpoint=server.url)
    assert fresh.login(account["email"], "a brand new secret")["api_token"] == account["token"]
    assert "error" in fresh.login(account["email"], account["password"])


def test_user_update_bad_values(server: RunningServer, account: dict[str, Any]) -> None:
    bad = [
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": 3},
        {"start_day": 9},
        {"theme": "dark"},
        {"time_format": True},
        {"default_reminder": "carrier pigeon"},
        {"full_name": ""},
        {"full_name": "x" * 300},
        {"email": "not-an-address"},
        {"email": "a\x00b@example.com"},
        {"password": "short"},
        {"password": 12345678},
        {"start_page": "x" * 1000},
    ]
    commands = [{"type": "user_update", "args": args} for args in bad]
    body = raw_commands(server, account["token"], commands)
    for i, args in enumerate(bad):
        status = status_of(body, i, commands)
        assert status["error_code"] == 16, (args, status)
    api = client(server, account)
    assert api.state["User"]["timezone"] == "UTC"
    assert api.state["User"]["full_name"] == "Test User"


def test_user_update_email_taken(
    server: RunningServer, account: dict[str, Any], make_account: Any
) -> None:
    other = make_account()
    commands = [{"type": "user_update", "args": {"email": other["email"].upper()}}]
    body = raw_commands(server, account["token"], commands)
    assert status_of(body, 0, commands)["error_code"] == 32


def test_update_goals(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    api.user.update_goals(daily_goal=8, weekly_goal="40", ignore_days=[7, 6, 6], vacation_mode=1)
    assert commit_one(api) == "ok"
    with server.backend.read() as conn:
        goals = core_users.goals(core_users.get(conn, account["id"]))
    assert goals["daily_goal"] == 8 and goals["weekly_goal"] == 40
    assert goals["ignore_days"] == [6, 7] and goals["vacation_mode"] == 1

    bad = [
        {"daily_goal": -1},
        {"daily_goal": "lots"},
        {"weekly_goal": 10**12},
        {"ignore_days": [0]},
        {"ignore_days": [True]},
        {"ignore_days": "weekends"},
        {"vacation_mode": 2},
        {"karma_disabled": True},
    ]
    commands = [{"type": "update_goals", "args": args} for args in bad]
    body = raw_commands(server, account["token"], commands)
    for i, args in enumerate(bad):
        assert status_of(body, i, commands)["error_code"] == 16, args
    with server.backend.read() as conn:
        assert core_users.goals(core_users.get(conn, account["id"])) == goals


def test_live_notifications_mark_as_read(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    assert api.state["LiveNotificationsLastRead"] == 0
    api.live_notifications.mark_as_read(42)
    assert commit_one(api) == "ok"
    response = api.sync(resource_types=["live_notifications"])
    assert response["LiveNotificationsLastRead"] == 42

    commands = [
        {"type": "live_notifications_mark_as_read", "args": {}},
        {"type": "live_notifications_mark_as_read", "args": {"seq_no": "latest"}},
        {"type": "live_notifications_mark_as_read", "args": {"seq_no": -1}},
    ]
    body = raw_commands(server, account["token"], commands)
    assert [status_of(body, i, commands)["error_code"] for i in range(3)] == [18, 16, 16]


# ------------------------------------------------------------------------- never a 500 (fuzz)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
MY_COMMANDS = [
    "label_add",
    "label_update",
    "label_delete",
    "label_update_orders",
    "filter_add",
    "filter_update",
    "filter_delete",
    "filter_update_orders",
    "note_add",
    "note_update",
    "note_delete",
    "reminder_add",
    "reminder_update",
    "reminder_delete",
    "clear_locations",
    "user_update",
    "update_goals",
    "live_notifications_mark_as_read",
]
ARG_NAMES = [
    "id",
    "name",
    "query",
    "color",
    "item_order",
    "id_order_mapping",
    "content",
    "item_id",
    "project_id",
    "file_attachment",
    "uids_to_notify",
    "minute_offset",
    "due_date_utc",
    "date_string",
    "type",
    "service",
    "loc_lat",
    "loc_long",
    "radius",
    "notify_uid",
    "timezone",
    "start_day",
    "ignore_days",
    "daily_goal",
    "seq_no",
]


_WORLDS: dict[int, dict[str, int]] = {}


def world(server: RunningServer, account: dict[str, Any]) -> dict[str, int]:
    """Real objects of the account, made once, so fuzzed commands also hit existing rows."""
    if account["id"] not in _WORLDS:
        api = client(server, account)
        item = api.items.add("Fuzzed", inbox_id(api), date_string="tomorrow at 10:00")
        label = api.labels.add("fuzz-label")
        flt = api.filters.add("fuzz", "today")
        note = api.notes.add(item["id"], "fuzz note")
        reminder = api.reminders.add(item["id"], minute_offset=5)
        commit_all(api)
        _WORLDS[account["id"]] = {
            "item": item["id"],
            "label": label["id"],
            "filter": flt["id"],
            "note": note["id"],
            "reminder": reminder["id"],
            "project": inbox_id(api),
            "user": account["id"],
        }
    return _WORLDS[account["id"]]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(kind=st.sampled_from(MY_COMMANDS), data=st.data())
def test_arbitrary_arguments_never_crash(
    server: RunningServer, account: dict[str, Any], kind: str, data: st.DataObject
) -> None:
    ids = sorted(world(server, account).values())
    values = JSON_VALUES | st.sampled_from(ids) | st.sampled_from(ids).map(str)
    args = data.draw(st.dictionaries(st.sampled_from(ARG_NAMES), values, max_size=5))
    commands = [{"type": kind, "temp_id": str(uuid.uuid1()), "args": args}]
    body = raw_commands(server, account["token"], commands)
    status = status_of(body, 0, commands)
    if status == "ok":
        return
    assert isinstance(status, dict)
    entries = [status] if "error_code" in status else list(status.values())
    for entry in entries:
        assert entry == "ok" or (
            isinstance(entry["error_code"], int) and isinstance(entry["error"], str)
        )


def test_commit_with_garbage_is_still_json(server: RunningServer, account: dict[str, Any]) -> None:
    response = httpx.post(
        server.url + "/API/v6/sync",
        data={"token": account["token"], "commands": '[{"type": "label_add", "uuid": 1}]'},
    )
    assert response.status_code == 400
    assert "error" in response.json()
