"""Item commands through the real todoist-python 0.2.26 client (raw calls for bad input)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import todoist
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD, new_email
from tests.servers import RunningServer

V6 = "%a %d %b %Y %H:%M:%S +0000"


def client(server: RunningServer, account: dict[str, Any]) -> todoist.TodoistAPI:
    api = todoist.TodoistAPI(account["token"], api_endpoint=server.url)
    api.sync(resource_types=["all"])
    return api


def all_ok(status: Any) -> bool:
    """Every SyncStatus entry is "ok" (per-id maps included)."""
    if isinstance(status, dict) and "error" not in status:
        return all(all_ok(value) for value in status.values())
    return bool(status == "ok")


def commit(api: todoist.TodoistAPI) -> dict[str, Any]:
    status = api.commit()
    assert all_ok(status), status
    return dict(status)


def cmd(kind: str, args: dict[str, Any], temp_id: str | None = None) -> dict[str, Any]:
    command: dict[str, Any] = {"type": kind, "uuid": str(uuid.uuid4()), "args": args}
    if temp_id is not None:
        command["temp_id"] = temp_id
    return command


def post(server: RunningServer, token: str, **data: Any) -> dict[str, Any]:
    response = httpx.post(server.url + "/API/v6/sync", data={"token": token, **data})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def run(server: RunningServer, token: str, commands: list[dict[str, Any]]) -> dict[str, Any]:
    """Commands without the client, for arguments it would never build."""
    body = post(server, token, commands=json.dumps(commands))
    assert set(body) == {"seq_no", "seq_no_global", "UserId", "SyncStatus", "TempIdMapping"}
    return body


def status(body: dict[str, Any], command: dict[str, Any]) -> Any:
    return body["SyncStatus"][command["uuid"]]


def read(server: RunningServer, token: str, seq_no: int, *types: str) -> dict[str, Any]:
    return post(
        server,
        token,
        seq_no=seq_no,
        seq_no_global=seq_no,
        resource_types=json.dumps(list(types)),
    )


def v6_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(V6)


@pytest.fixture
def make_account(server: RunningServer) -> Callable[..., dict[str, Any]]:
    def make(timezone: str = "UTC") -> dict[str, Any]:
        response = httpx.post(
            server.url + "/API/v6/register",
            data={
                "email": new_email(),
                "full_name": "Other",
                "password": PASSWORD,
                "timezone": timezone,
            },
        )
        assert response.status_code == 200, response.text
        user: dict[str, Any] = response.json()
        return user

    return make


# --------------------------------------------------------------------------------------------
# Adding, with temp ids
# --------------------------------------------------------------------------------------------


def test_add_items_referring_to_temp_ids_in_one_commit(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    watcher = client(server, account)
    project = api.projects.add("Errands")
    label = api.labels.add("shop")
    first = api.items.add("Milk", project["id"], labels=[label["id"]], priority=4)
    second = api.items.add("Bread", project["id"], note="wholemeal", indent=2)
    inbox_item = api.items.add("Call mum", None)
    commit(api)
    assert all(isinstance(obj["id"], int) for obj in (project, label, first, second))

    got = watcher.sync(resource_types=["items", "notes"])
    by_content = {item["content"]: item for item in got["Items"]}
    # Newest change first; the inbox item was created last.
    assert [item["content"] for item in got["Items"]] == ["Call mum", "Bread", "Milk"]
    milk, bread = by_content["Milk"], by_content["Bread"]
    assert milk["project_id"] == bread["project_id"] == project["id"]
    assert by_content["Call mum"]["project_id"] == account["inbox_project"]
    assert milk["labels"] == [label["id"]] and milk["priority"] == 4
    assert bread["priority"] == 1 and bread["indent"] == 2 and milk["indent"] == 1
    assert bread["item_order"] > milk["item_order"]
    assert milk["day_order"] == -1 and milk["checked"] == 0 and milk["in_history"] == 0
    assert milk["is_deleted"] == 0 and milk["user_id"] == account["id"]
    assert milk["assigned_by_uid"] == account["id"] and milk["responsible_uid"] is None
    assert milk["due_date_utc"] is None and milk["date_string"] == ""
    assert milk["date_added"].endswith("+0000") and milk["children"] is None
    assert [(n["item_id"], n["content"]) for n in got["Notes"]] == [(second["id"], "wholemeal")]
    assert inbox_item["id"] in {item["id"] for item in got["Items"]}


def test_item_add_ignores_client_model_fields(
    server: RunningServer, account: dict[str, Any]
) -> None:
    """The client's args object is its local model: a complete()/delete() called before
    commit writes checked/is_deleted into it; the later command does the real work."""
    api = client(server, account)
    item = api.items.add("Local first", None)
    item.complete()
    status_map = commit(api)
    assert len(status_map) == 2
    got = read(server, account["token"], 0, "items")
    # complete() sent force_history 0: checked but not in history, so a full sync has it.
    assert [(i["content"], i["checked"], i["in_history"]) for i in got["Items"]] == [
        ("Local first", 1, 0)
    ]


# --------------------------------------------------------------------------------------------
# Updating and dates
# --------------------------------------------------------------------------------------------


def test_update_fields_and_dates(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    watcher = client(server, account)
    label = api.labels.add("home")
    item = api.items.add("Plan", None, date_string="tomorrow")
    commit(api)
    got = watcher.sync(resource_types=["items"])["Items"][0]
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    expected = datetime.combine(tomorrow, datetime.max.time().replace(microsecond=0), UTC)
    assert got["date_string"] == "tomorrow" and got["all_day"] is True
    assert got["due_date_utc"] == got["due_date"] == v6_time(expected)

    item.update(content="Plan trip", priority=3, labels=[label["id"]], date_string="every day @ 10")
    commit(api)
    got = watcher.sync(resource_types=["items"])["Items"][0]
    assert got["content"] == "Plan trip" and got["priority"] == 3 and got["labels"] == [label["id"]]
    assert got["date_string"] == "every day @ 10" and got["all_day"] is False
    due = datetime.strptime(got["due_date_utc"], V6).replace(tzinfo=UTC)
    assert (due.hour, due.minute, due.second) == (10, 0, 0)
    assert datetime.now(UTC) <= due <= datetime.now(UTC) + timedelta(days=1)

    # An explicit moment wins over the string's; the string stays the label.
    item.update(date_string="every day @ 10", due_date_utc="2031-03-04T10:00")
    commit(api)
    got = watcher.sync(resource_types=["items"])["Items"][0]
    assert got["due_date_utc"] == "Tue 04 Mar 2031 10:00:00 +0000"
    assert got["date_string"] == "every day @ 10"

    # A bare due_date_utc on a non-recurring item relabels it; echoing the v6 form works too.
    item.update(date_string="", responsible_uid=account["id"])
    commit(api)
    got = watcher.sync(resource_types=["items"])["Items"][0]
    assert got["due_date_utc"] is None and got["date_string"] == ""
    assert got["responsible_uid"] == account["id"]
    item.update(due_date_utc="Wed 05 Mar 2031 16:45:00 +0000", responsible_uid=None)
    commit(api)
    got = watcher.sync(resource_types=["items"])["Items"][0]
    assert got["due_date_utc"] == "Wed 05 Mar 2031 16:45:00 +0000"
    assert got["date_string"] == "5 Mar 2031 at 16:45" and got["responsible_uid"] is None


def test_dates_follow_the_users_time_zone(
    server: RunningServer, make_account: Callable[..., dict[str, Any]]
) -> None:
    user = make_account("Europe/Athens")
    api = client(server, user)
    api.items.add("Whole day", None, date_string="8 oct 2030")
    api.items.add("At a time", None, date_string="8 oct 2030 at 9:30")
    commit(api)
    got = {i["content"]: i for i in read(server, user["token"], 0, "items")["Items"]}
    # Athens is UTC+3 in early October: a whole day ends at 23:59:59 local time.
    assert got["Whole day"]["due_date_utc"] == "Tue 08 Oct 2030 20:59:59 +0000"
    assert got["Whole day"]["all_day"] is True
    assert got["At a time"]["due_date_utc"] == "Tue 08 Oct 2030 06:30:00 +0000"
    assert got["At a time"]["all_day"] is False


# --------------------------------------------------------------------------------------------
# Moving
# --------------------------------------------------------------------------------------------


def test_move_with_a_source_project_that_is_still_a_temp_id(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    watcher = client(server, account)
    source = api.projects.add("Source")
    parent = api.items.add("Parent", source["id"], item_order=1, indent=1)
    child = api.items.add("Child", source["id"], item_order=2, indent=2)
    api.items.add("Stays", source["id"], item_order=3, indent=1)
    api.notes.add(child["id"], "follows the child")
    commit(api)
    target = api.projects.add("Target")
    api.items.add("Already there", target["id"])
    commit(api)
    watcher.sync(resource_types=["items", "notes"])
    # The local item still holds the project's temp id: Item.move sends it as the key.
    assert isinstance(parent["project_id"], str) and parent["project_id"].startswith("$")
    parent.move(target["id"])
    status_map = commit(api)
    assert list(status_map.values()) == [{str(parent["id"]): "ok"}]

    got = watcher.sync(resource_types=["items", "notes"])
    moved = {i["content"]: i for i in got["Items"]}
    assert moved["Parent"]["project_id"] == moved["Child"]["project_id"] == target["id"]
    assert set(moved) == {"Parent", "Child"}  # "Stays" did not change
    already = next(i for i in watcher.state["Items"] if i["content"] == "Already there")
    assert already["item_order"] < moved["Parent"]["item_order"]
    assert moved["Parent"]["item_order"] < moved["Child"]["item_order"]
    assert moved["Child"]["indent"] == 2
    assert got["Notes"][0]["project_id"] == target["id"]


def test_move_keys_and_values_as_temp_ids_in_one_batch(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    first = api.projects.add("First")
    second = api.projects.add("Second")
    item = api.items.add("Wanderer", first["id"])
    temp = item["id"]
    api.items.move({first["id"]: [item["id"]]}, second["id"])
    status_map = commit(api)
    assert {temp: "ok"} in status_map.values()  # keyed as sent: the temp id
    got = read(server, account["token"], 0, "items")["Items"]
    assert [(i["content"], i["project_id"]) for i in got] == [("Wanderer", second["id"])]


# --------------------------------------------------------------------------------------------
# Completing
# --------------------------------------------------------------------------------------------


def test_complete_uncomplete_and_history(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    watcher = client(server, account)
    keep = api.items.add("Checked only", None)
    gone = api.items.add("To history", None)
    other = api.items.add("Later", None)
    commit(api)
    keep.complete()  # force_history 0, as the client sends it
    api.items.complete([gone["id"]], force_history=1)
    commit(api)

    got = {i["content"]: i for i in watcher.sync(resource_types=["items", "user"])["Items"]}
    assert (got["Checked only"]["checked"], got["Checked only"]["in_history"]) == (1, 0)
    assert (got["To history"]["checked"], got["To history"]["in_history"]) == (1, 1)
    user = watcher.state["User"]
    assert user["completed_count"] == 2 and user["completed_today"] == 2

    full = read(server, account["token"], 0, "items")["Items"]
    assert {i["content"] for i in full} == {"Checked only", "Later"}

    gone.uncomplete()
    commit(api)
    got = watcher.sync(resource_types=["items", "user"])["Items"]
    assert [(i["content"], i["checked"], i["in_history"]) for i in got] == [("To history", 0, 0)]
    # update_item_orders (always 1 from this client): a fresh place at the end.
    later = next(i for i in watcher.state["Items"] if i["id"] == other["id"])
    assert got[0]["item_order"] > later["item_order"]
    assert watcher.state["User"]["completed_today"] == 1
    assert watcher.state["User"]["completed_count"] == 2  # a total of completions, kept

    # restore_state, keyed by a temp id from an earlier request, wins.
    api.items.uncomplete([keep.temp_id], restore_state={keep.temp_id: [0, 0, 42, 2]})
    commit(api)
    got = watcher.sync(resource_types=["items"])["Items"]
    assert [(i["checked"], i["item_order"], i["indent"]) for i in got] == [(0, 42, 2)]


def test_close_plain_sub_and_recurring_items(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    watcher = client(server, account)
    top = api.items.add("Top", None, indent=1)
    sub = api.items.add("Sub", None, indent=2)
    daily = api.items.add("Water plants", None, date_string="every day")
    commit(api)
    before = watcher.sync(resource_types=["items"])
    due_before = {i["content"]: i["due_date_utc"] for i in before["Items"]}["Water plants"]
    for item in (top, sub, daily):
        item.close()
    commit(api)

    got = {i["content"]: i for i in watcher.sync(resource_types=["items", "user"])["Items"]}
    assert (got["Top"]["checked"], got["Top"]["in_history"]) == (1, 1)
    assert (got["Sub"]["checked"], got["Sub"]["in_history"]) == (1, 0)
    plants = got["Water plants"]
    assert (plants["checked"], plants["in_history"]) == (0, 0)
    assert plants["date_string"] == "every day"
    old = datetime.strptime(due_before, V6)
    assert datetime.strptime(plants["due_date_utc"], V6) - old == timedelta(days=1)
    assert watcher.state["User"]["completed_count"] == 3


def test_update_date_complete(server: RunningServer, account: dict[str, Any]) -> None:
    api = client(server, account)
    watcher = client(server, account)
    item = api.items.add("Standup", None, date_string="every day @ 9")
    commit(api)
    first = watcher.sync(resource_types=["items"])["Items"][0]["due_date_utc"]

    item.update_date_complete()
    commit(api)
    got = watcher.sync(resource_types=["items", "user"])["Items"][0]
    assert datetime.strptime(got["due_date_utc"], V6) - datetime.strptime(first, V6) == timedelta(
        days=1
    )
    assert got["checked"] == 0 and watcher.state["User"]["completed_count"] == 1

    item.update_date_complete(new_date_utc="2032-02-03T09:00", date_string="every week @ 9")
    commit(api)
    got = watcher.sync(resource_types=["items"])["Items"][0]
    assert got["due_date_utc"] == "Tue 03 Feb 2032 09:00:00 +0000"
    assert got["date_string"] == "every week @ 9" and got["checked"] == 0

    # is_forward=0 (only a raw client can send it) undoes a completion in the counters.
    body = run(
        server,
        account["token"],
        [cmd("item_update_date_complete", {"id": item["id"], "is_forward": 0})],
    )
    assert list(body["SyncStatus"].values()) == ["ok"]
    got = watcher.sync(resource_types=["items", "user"])["Items"][0]
    assert got["due_date_utc"] == "Tue 10 Feb 2032 09:00:00 +0000"
    assert watcher.state["User"]["completed_count"] == 1

    # new_date_utc has minute precision: a whole-day item stays whole-day (23:59:59 local).
    whole = api.items.add("Bins", None, date_string="every week")
    commit(api)
    whole.update_date_complete(new_date_utc="2032-02-05T20:00")
    commit(api)
    got = watcher.sync(resource_types=["items"])["Items"][0]
    assert got["due_date_utc"] == "Thu 05 Feb 2032 23:59:59 +0000" and got["all_day"] is True


# --------------------------------------------------------------------------------------------
# Deleting, and what a second client sees
# --------------------------------------------------------------------------------------------


def test_delete_takes_children_notes_and_reminders(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    parent = api.items.add("Parent", None, item_order=1, indent=1, date_string="tomorrow @ 9")
    child = api.items.add("Child", None, item_order=2, indent=2)
    api.items.add("Neighbour", None, item_order=3, indent=1)
    api.notes.add(child["id"], "child note")
    api.reminders.add(parent["id"], due_date_utc="2031-01-01T08:00", service="email")
    commit(api)
    watcher = client(server, account)
    kinds = ["items", "notes", "reminders"]

    api.items.delete([parent["id"], child["id"]])
    status_map = commit(api)
    assert list(status_map.values()) == [{str(parent["id"]): "ok", str(child["id"]): "ok"}]

    got = watcher.sync(resource_types=kinds)
    assert {(i["content"], i["is_deleted"]) for i in got["Items"]} == {
        ("Parent", 1),
        ("Child", 1),
    }
    deleted_parent = next(i for i in got["Items"] if i["content"] == "Parent")
    assert deleted_parent["date_string"] == "tomorrow @ 9"  # all fields, not a bare id
    assert [(n["content"], n["is_deleted"]) for n in got["Notes"]] == [("child note", 1)]
    assert [r["is_deleted"] for r in got["Reminders"]] == [1]
    assert {i["content"] for i in watcher.state["Items"]} == {"Neighbour"}
    # Once, then never again.
    again = watcher.sync(resource_types=kinds)
    assert again["Items"] == again["Notes"] == again["Reminders"] == []


def test_incremental_sync_sees_exactly_the_changes(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    untouched = api.items.add("Untouched", None)
    changed = api.items.add("Changed", None)
    removed = api.items.add("Removed", None)
    commit(api)
    watcher = client(server, account)
    assert len(watcher.state["Items"]) == 3

    added = api.items.add("Added", None)
    changed.update(content="Changed again")
    removed.delete()
    commit(api)
    got = watcher.sync(resource_types=["items"])["Items"]
    # Newest change first: the batch ran add, update, delete in that order.
    assert [i["id"] for i in got] == [removed["id"], changed["id"], added["id"]]
    assert untouched["id"] not in {i["id"] for i in got}
    assert [i["is_deleted"] for i in got] == [1, 0, 0]
    assert watcher.sync(resource_types=["items"])["Items"] == []


# --------------------------------------------------------------------------------------------
# Orders, indents and day orders
# --------------------------------------------------------------------------------------------


def test_orders_and_indents_with_temp_id_keys(
    server: RunningServer, account: dict[str, Any]
) -> None:
    api = client(server, account)
    one = api.items.add("One", None)
    two = api.items.add("Two", None)
    temp_one, temp_two = one["id"], two["id"]
    api.items.update_orders_indents({temp_one: [7, 1], temp_two: [8, 3]})
    status_map = commit(api)
    assert {temp_one: "ok", temp_two: "ok"} in status_map.values()
    got = {i["content"]: i for i in read(server, account["token"], 0, "items")["Items"]}
    assert (got["One"]["item_order"], got["One"]["indent"]) == (7, 1)
    assert (got["Two"]["item_order"], got["Two"]["indent"]) == (8, 3)


def test_day_orders_and_their_timestamp(server: RunningServer, account: dict[str, Any]) -> None:
    token = account["token"]
    api = client(server, account)
    first = api.items.add("First", None)
    second = api.items.add("Second", None)
    commit(api)

    def day_orders(timestamp: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {"resource_types": json.dumps(["day_orders"])}
        if timestamp is not None:
            data["day_orders_timestamp"] = timestamp
        return post(server, token, **data)

    start = day_orders("")
    assert start["DayOrders"] == {}
    stamp = start["DayOrdersTimestamp"]
    assert "DayOrders" not in day_orders(stamp)  # up to date: no map at all
    assert "DayOrders" not in day_orders(None)  # parameter absent: no map either

    api.items.update_day_orders({first["id"]: 2, second["id"]: 1})
    status_map = commit(api)
    assert {str(first["id"]): "ok", str(second["id"]): "ok"} in status_map.values()
    after = day_orders(stamp)
    assert after["DayOrders"] == {str(first["id"]): 2, str(second["id"]): 1}
    assert float(after["DayOrdersTimestamp"]) > float(stamp)
    assert "DayOrders" not in day_orders(after["DayOrdersTimestamp"])

    # Any change of an item's day_order moves the timestamp too; the client keeps it.
    api.sync(resource_types=["day_orders"])
    assert api.state["DayOrders"] == {str(first["id"]): 2, str(second["id"]): 1}
    first.update(day_order=5)
    commit(api)
    got = api.sync(resource_types=["day_orders", "items"])
    assert got["DayOrders"][str(first["id"])] == 5
    assert got["Items"][0]["day_order"] == 5
    assert got["DayOrdersTimestamp"] > after["DayOrdersTimestamp"]


# --------------------------------------------------------------------------------------------
# Retries
# --------------------------------------------------------------------------------------------


def test_retried_commit_runs_nothing_twice(server: RunningServer, account: dict[str, Any]) -> None:
    token = account["token"]
    project_temp, item_temp = "$" + str(uuid.uuid1()), str(uuid.uuid1())
    commands = [
        cmd("project_add", {"name": "Retry", "id": project_temp}, project_temp),
        cmd("item_add", {"content": "Once", "project_id": project_temp}, item_temp),
        cmd("item_complete", {"ids": [item_temp], "force_history": 0}),
        cmd("item_update", {"id": 999_999_999, "content": "nope"}),
    ]
    raw = json.dumps(commands)
    first = post(server, token, commands=raw)
    second = post(server, token, commands=raw)
    assert second["SyncStatus"] == first["SyncStatus"]
    assert second["TempIdMapping"] == first["TempIdMapping"]
    assert set(first["TempIdMapping"]) == {project_temp, item_temp}
    item_id = first["TempIdMapping"][item_temp]
    assert first["SyncStatus"][commands[2]["uuid"]] == {str(item_temp): "ok"}
    assert first["SyncStatus"][commands[3]["uuid"]]["error_code"] == 21

    full = read(server, token, 0, "items", "projects", "user")
    assert [i["id"] for i in full["Items"]] == [item_id]
    assert [p["name"] for p in full["Projects"]].count("Retry") == 1
    assert full["User"]["completed_count"] == 1  # the completion counted once


# --------------------------------------------------------------------------------------------
# Bad input: a clear error object, never a 500
# --------------------------------------------------------------------------------------------


def test_errors_have_the_documented_codes(
    server: RunningServer,
    account: dict[str, Any],
    make_account: Callable[..., dict[str, Any]],
) -> None:
    token = account["token"]
    stranger = make_account()
    theirs = run(server, stranger["token"], [cmd("item_add", {"content": "Private"}, "t1")])
    their_item = theirs["TempIdMapping"]["t1"]
    mine = run(server, token, [cmd("item_add", {"content": "Mine"}, "m1")])
    my_item = mine["TempIdMapping"]["m1"]

    cases: list[tuple[dict[str, Any], int]] = [
        (cmd("item_add", {"content": "x", "project_id": "no-such-temp-id"}), 15),
        (cmd("item_add", {"content": "x", "priority": 5}), 16),
        (cmd("item_add", {"content": "x", "priority": "urgent"}), 16),
        (cmd("item_add", {"content": "x", "date_string": "when pigs fly"}), 19),
        (cmd("item_add", {"content": "x", "due_date_utc": "2031-13-45T10:00"}), 19),
        (cmd("item_add", {"content": "x", "due_date_utc": 12}), 19),
        (cmd("item_add", {"content": "x", "project_id": 999_999_999}), 20),
        (cmd("item_add", {"content": "x", "labels": [999_999_999]}), 22),
        (cmd("item_add", {"project_id": None}), 18),
        (cmd("item_add", {"content": ""}), 16),
        (cmd("item_add", {"content": 5}), 16),
        (cmd("item_add", {"content": "x", "labels": "home"}), 16),
        (cmd("item_add", {"content": "x", "indent": 0}), 16),
        (cmd("item_add", {"content": "x", "collapsed": 7}), 16),
        (cmd("item_add", {"content": "x", "date_lang": "tlh"}), 16),
        (cmd("item_add", {"content": "x", "date_string": ["tomorrow"]}), 16),
        (cmd("item_update", {"id": their_item, "content": "mine now"}), 21),
        (cmd("item_update", {"id": my_item, "day_order": "soon"}), 16),
        (cmd("item_update", {"content": "no id"}), 18),
        (cmd("item_close", {"id": their_item}), 21),
        (cmd("item_move", {"project_items": [], "to_project": account["inbox_project"]}), 16),
        (cmd("item_move", {"project_items": {"1": [my_item]}, "to_project": 999_999_999}), 20),
        (cmd("item_move", {"project_items": {"1": [my_item]}}), 18),
        (cmd("item_delete", {"ids": {"a": 1}}), 16),
        (cmd("item_uncomplete", {"ids": [my_item], "restore_state": "x"}), 16),
        (cmd("item_update_date_complete", {"id": my_item}), 16),  # not recurring
        (cmd("item_update_date_complete", {"id": my_item, "new_date_utc": "later"}), 19),
        (cmd("item_update_orders_indents", {"ids_to_orders_indents": [1, 2]}), 16),
    ]
    body = run(server, token, [command for command, _code in cases])
    for command, code in cases:
        got = status(body, command)
        assert isinstance(got, dict) and got.get("error_code") == code, (command, got)
        assert isinstance(got["error"], str) and got["error"]


def test_multi_id_errors_are_per_id(
    server: RunningServer,
    account: dict[str, Any],
    make_account: Callable[..., dict[str, Any]],
) -> None:
    token = account["token"]
    stranger = make_account()
    theirs = run(server, stranger["token"], [cmd("item_add", {"content": "Private"}, "t1")])
    their_item = theirs["TempIdMapping"]["t1"]
    add = cmd("item_add", {"content": "Mine"}, "fresh-temp")
    complete = cmd("item_complete", {"ids": ["fresh-temp", their_item, "unknown-temp", "1x", True]})
    orders = cmd(
        "item_update_orders_indents",
        {"ids_to_orders_indents": {"fresh-temp": [1, 9], str(their_item): [1, 1]}},
    )
    day = cmd("item_update_day_orders", {"ids_to_orders": {"fresh-temp": "x"}})
    body = run(server, token, [add, complete, orders, day])
    got = status(body, complete)
    assert got["fresh-temp"] == "ok"
    assert got[str(their_item)]["error_code"] == 21
    assert got["unknown-temp"]["error_code"] == 15
    assert got["1x"]["error_code"] == 15
    assert got["True"]["error_code"] == 16
    got = status(body, orders)
    assert got["fresh-temp"]["error_code"] == 16  # indent 9
    assert got[str(their_item)]["error_code"] == 21
    assert status(body, day)["fresh-temp"]["error_code"] == 16


def test_failed_command_leaves_no_trace(server: RunningServer, account: dict[str, Any]) -> None:
    """A command that fails half-way (the note is bad) rolls back its item too."""
    token = account["token"]
    bad = cmd("item_add", {"content": "With bad note", "note": 5}, "n1")
    later = cmd("item_add", {"content": "Later", "project_id": "n1"})
    body = run(server, token, [bad, later])
    assert status(body, bad)["error_code"] == 16
    assert status(body, later)["error_code"] == 15  # the temp id was never created
    assert read(server, token, 0, "items")["Items"] == []


JSON = st.recursive(
    st.none()
    | st.booleans()
    # The widest numbers JSON parsers agree on: signed and unsigned 64-bit.
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["tomorrow", "every day @ 10", "2031-01-01T10:00", "", "$x", "0"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
ARG_NAMES = [
    "content",
    "project_id",
    "date_string",
    "date_lang",
    "due_date_utc",
    "priority",
    "indent",
    "item_order",
    "day_order",
    "collapsed",
    "labels",
    "assigned_by_uid",
    "responsible_uid",
    "note",
    "force_history",
    "restore_state",
    "update_item_orders",
    "new_date_utc",
    "is_forward",
    "project_items",
    "to_project",
    "ids_to_orders_indents",
    "ids_to_orders",
]
TYPES = [
    "item_add",
    "item_update",
    "item_delete",
    "item_move",
    "item_complete",
    "item_uncomplete",
    "item_uncomplete_update_meta",
    "item_close",
    "item_update_date_complete",
    "item_update_orders_indents",
    "item_update_day_orders",
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(TYPES),
    args=st.dictionaries(st.sampled_from(ARG_NAMES), JSON, max_size=6),
    target=st.sampled_from(["id", "ids", None]),
)
def test_arbitrary_arguments_never_break_the_server(
    server: RunningServer,
    account: dict[str, Any],
    kind: str,
    args: dict[str, Any],
    target: str | None,
) -> None:
    token = account["token"]
    made = run(server, token, [cmd("item_add", {"content": "Fuzz"}, "f")])
    item_id = made["TempIdMapping"]["f"]
    if target == "id":
        args["id"] = item_id
    elif target == "ids":
        args["ids"] = [item_id]
    body = run(server, token, [cmd(kind, args)])
    (got,) = body["SyncStatus"].values()
    if got != "ok":
        assert isinstance(got, dict)
        if "error" in got:
            assert isinstance(got["error_code"], int) and got["error"]
        else:
            assert all(v == "ok" or isinstance(v.get("error_code"), int) for v in got.values())
    # Whatever happened, the account still reads back cleanly.
    assert "Items" in read(server, token, 0, "items", "day_orders", "user")


def test_completed_today_is_served_by_sync_and_login(
    server: RunningServer, make_account: Callable[..., dict[str, Any]]
) -> None:
    # Which local day counts is checked in tests/core/test_items.py, with a fixed "now".
    user = make_account("Pacific/Kiritimati")
    api = client(server, user)
    item = api.items.add("Done", None)
    commit(api)
    item.close()
    commit(api)
    got = read(server, user["token"], 0, "user")["User"]
    assert got["completed_today"] == 1 and got["completed_count"] == 1
    # login answers with the same User object.
    response = httpx.post(
        server.url + "/API/v6/login", data={"email": user["email"], "password": PASSWORD}
    )
    assert response.json()["completed_today"] == 1
