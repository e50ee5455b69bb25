"""The dates people write, through the protocols: twenty everyday strings in the Sync API's
``item_add`` (user zone Europe/Berlin), the same recurrence as V2's ``repeatFlag``, a V2
rule read back as words, error 19 for what is not understood, and ``item_close`` moving
each rule shape to its next occurrence."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import todoist

from taskhaven.core.dates import date_string_to_rrule, next_occurrence, parse_date_string
from tests.oauth.flow import v1_token
from tests.servers import RunningServer
from tests.v1.clients import raw
from tests.v2.batch_helpers import V2, oid, task, v2_account

BERLIN = ZoneInfo("Europe/Berlin")
V6 = "%a %d %b %Y %H:%M:%S +0000"

# The eight the old grammar refused, then twelve everyday ones.
TWENTY = [
    "every other monday",
    "every last day",
    "every year on Jan 3",
    "every 2 weeks starting dec 1",
    "every 3rd friday",
    "every day until jan 31",
    "end of month",
    "mañana",
    "today",
    "tomorrow at 9am",
    "every day",
    "every monday at 17:30",
    "every weekday",
    "every 1st and 15th",
    "every last friday",
    "every last workday",
    "in 2 weeks",
    "next week",
    "every! 3 days",
    "tomorrow morning",
]


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def sync_api(v2: V2) -> todoist.TodoistAPI:
    api = todoist.TodoistAPI(v2.user["token"], api_endpoint=v2.server.url)
    api.sync(resource_types=["all"])
    return api


def run(server: RunningServer, token: str, commands: list[dict[str, Any]]) -> dict[str, Any]:
    response = httpx.post(
        server.url + "/API/v6/sync", data={"token": token, "commands": json.dumps(commands)}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def cmd(kind: str, args: dict[str, Any], temp_id: str | None = None) -> dict[str, Any]:
    command: dict[str, Any] = {"type": kind, "uuid": str(uuid.uuid4()), "args": args}
    if temp_id is not None:
        command["temp_id"] = temp_id
    return command


def berlin(v2: V2) -> None:
    body = run(v2.server, v2.user["token"], [cmd("user_update", {"timezone": "Europe/Berlin"})])
    assert set(body["SyncStatus"].values()) == {"ok"}


def items(v2: V2) -> dict[str, dict[str, Any]]:
    api = sync_api(v2)
    return {item["content"]: item.data for item in api.state["Items"]}


def expected_due(text: str, before: datetime, after: datetime) -> set[str]:
    """The moment the core gives at either end of the request (the server reads its clock)."""
    out = set()
    for now in (before, after):
        due = parse_date_string(text, tz=BERLIN, now=now, detect=True)
        assert due is not None
        out.add(due.moment.strftime(V6))
    return out


def test_twenty_strings_in_item_add_and_the_same_rule_in_v2(v2: V2) -> None:
    berlin(v2)
    before = datetime.now(UTC)
    commands = [
        cmd("item_add", {"content": text, "date_string": text}, temp_id=str(uuid.uuid4()))
        for text in TWENTY
    ]
    body = run(v2.server, v2.user["token"], commands)
    after = datetime.now(UTC)
    assert set(body["SyncStatus"].values()) == {"ok"}, body["SyncStatus"]

    added = items(v2)
    tasks = {t["title"]: t for t in v2.check()["syncTaskBean"]["update"]}
    today = after.astimezone(BERLIN).date()
    for text in TWENTY:
        item = added[text]
        assert item["date_string"] == text
        assert item["due_date_utc"] in expected_due(text, before, after), text
        # One meaning: V2 shows the recurrence the words say, and every! as repeatFrom 1.
        assert tasks[text]["repeatFlag"] == date_string_to_rrule(text, today=today), text
    assert tasks["every other monday"]["repeatFlag"] == "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    assert tasks["every last workday"]["repeatFlag"] == (
        "RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
    )
    assert tasks["every! 3 days"]["repeatFrom"] == 1
    assert tasks["mañana"]["repeatFlag"] is None and added["mañana"]["all_day"] is True


def test_an_unreadable_string_is_error_19_quoting_it(v2: V2) -> None:
    for text in ("every day at 9am and 5pm", "every blorp", "every 2 hours"):
        body = run(
            v2.server,
            v2.user["token"],
            [cmd("item_add", {"content": "x", "date_string": text}, temp_id=str(uuid.uuid4()))],
        )
        (status,) = body["SyncStatus"].values()
        assert status["error_code"] == 19, status
        assert repr(text) in status["error"]


def test_an_unknown_date_lang_is_error_16(v2: V2) -> None:
    args = {"content": "x", "date_string": "morgen", "date_lang": "xx"}
    body = run(v2.server, v2.user["token"], [cmd("item_add", args, temp_id=str(uuid.uuid4()))])
    (status,) = body["SyncStatus"].values()
    assert status["error_code"] == 16


def test_a_chosen_date_lang_reads_its_words(v2: V2) -> None:
    berlin(v2)
    args = {"content": "Miete", "date_string": "jeden 1. und 15.", "date_lang": "de"}
    body = run(v2.server, v2.user["token"], [cmd("item_add", args, temp_id=str(uuid.uuid4()))])
    assert set(body["SyncStatus"].values()) == {"ok"}
    (rent,) = [t for t in v2.check()["syncTaskBean"]["update"] if t["title"] == "Miete"]
    assert rent["repeatFlag"] == "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1,15"


@pytest.mark.parametrize(
    ("rrule", "words"),
    [
        ("RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR", "every last friday"),
        ("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "every other monday, thursday"),
        ("RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1,15", "every 1st and 15th"),
        ("RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=1;BYMONTHDAY=3", "every 3 jan"),
        ("RRULE:FREQ=DAILY;INTERVAL=1;TT_SKIP=WEEKEND", "every workday"),
    ],
)
def test_a_v2_rule_reads_back_as_words(v2: V2, rrule: str, words: str) -> None:
    tid = oid()
    fields = {"id": tid, "due_date": "2025-03-10T00:00:00", "is_all_day": True}
    fields.update(repeat_flag=rrule, time_zone="Europe/Berlin")
    v2.client.post_task_v2({"add": [task(v2.inbox, "From V2", **fields)]})
    item = items(v2)["From V2"]
    assert item["date_string"] == words
    assert v2.tasks()[tid]["repeatFlag"] == rrule


def test_a_v2_every_bang_reads_back_as_every_bang(v2: V2) -> None:
    tid = oid()
    fields = {"id": tid, "due_date": "2025-03-10T00:00:00", "is_all_day": True}
    fields.update(repeat_flag="RRULE:FREQ=DAILY;INTERVAL=3", repeat_from=1)
    v2.client.post_task_v2({"add": [task(v2.inbox, "Water", **fields)]})
    assert items(v2)["Water"]["date_string"] == "every! 3 days"


SHAPES = [
    "every day",
    "every 3 days",
    "every other monday",
    "every weekday at 9am",
    "every weekend",
    "every 1st and 15th",
    "every last day",
    "every last workday",
    "every 3rd friday",
    "every last friday",
    "every year on jan 3",
    "every 2 months on the 15th",
    "every! 3 days",
    "every! monday",
    "jeden zweiten montag",
]


def test_item_close_moves_each_rule_shape_to_its_next_occurrence(v2: V2) -> None:
    berlin(v2)
    commands = [
        cmd("item_add", {"content": text, "date_string": text}, temp_id=str(uuid.uuid4()))
        for text in SHAPES
    ]
    assert set(run(v2.server, v2.user["token"], commands)["SyncStatus"].values()) == {"ok"}
    before = items(v2)
    start = datetime.now(UTC)
    closes = [cmd("item_close", {"id": before[text]["id"]}) for text in SHAPES]
    assert set(run(v2.server, v2.user["token"], closes)["SyncStatus"].values()) == {"ok"}
    end = datetime.now(UTC)
    after = items(v2)
    for text in SHAPES:
        old = datetime.strptime(before[text]["due_date_utc"], V6).replace(tzinfo=UTC)
        new = after[text]["due_date_utc"]
        expected = {
            next_occurrence(text, old, tz=BERLIN, now=now).strftime(V6) for now in (start, end)
        }
        assert new in expected, text
        assert after[text]["checked"] == 0 and after[text]["date_string"] == text


V1_RULES = [
    "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1",
    "RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=3FR",
    "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1,15",
    "RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=1;BYMONTHDAY=3",
    "RRULE:FREQ=DAILY;INTERVAL=1;TT_SKIP=WEEKEND",
]


def test_v1_complete_moves_each_rule_shape_to_its_next_occurrence(v2: V2) -> None:
    token = v1_token(v2.server, v2.user["email"])
    due = "2025-03-10T09:00:00+0000"  # a Monday, 10:00 in Berlin
    start = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    for rrule in V1_RULES:
        created = raw(
            v2.server,
            token,
            "POST",
            "task",
            json={
                "title": rrule,
                "projectId": v2.inbox,
                "dueDate": due,
                "timeZone": "Europe/Berlin",
                "repeatFlag": rrule,
            },
        ).json()
        done = raw(v2.server, token, "POST", f"project/{v2.inbox}/task/{created['id']}/complete")
        assert done.status_code == 200, done.text
        now = datetime.now(UTC)
        moved = v2.tasks()[created["id"]]
        assert moved["status"] == 0
        words = items(v2)[rrule]["date_string"]
        expected = next_occurrence(words, start, tz=BERLIN, now=now)
        assert moved["dueDate"] == expected.strftime("%Y-%m-%dT%H:%M:%S.000+0000"), rrule
        assert moved["repeatFlag"] == rrule


def test_closing_the_last_occurrence_of_a_series_closes_the_item(v2: V2) -> None:
    berlin(v2)
    tomorrow = datetime.now(UTC).astimezone(BERLIN).date() + timedelta(days=1)
    text = f"every day until {tomorrow.isoformat()}"
    add = cmd("item_add", {"content": "Course", "date_string": text}, temp_id=str(uuid.uuid4()))
    assert set(run(v2.server, v2.user["token"], [add])["SyncStatus"].values()) == {"ok"}
    item_id = items(v2)["Course"]["id"]
    for _ in range(2):
        close = cmd("item_close", {"id": item_id})
        assert set(run(v2.server, v2.user["token"], [close])["SyncStatus"].values()) == {"ok"}
    course = items(v2).get("Course")
    # Tomorrow was the last day: the second close checks it (and moves it to history).
    assert course is None or course["checked"] == 1
