"""A V2 ``repeatFlag`` the grammar cannot word reads back through the Sync API as faithful
English, still recurs by its rule there, and "for N times" (COUNT) works both ways."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from taskhaven.core.dates import next_rrule_occurrence
from tests.servers import RunningServer
from tests.test_dates_across_protocols import BERLIN, V6, berlin, cmd, items, run
from tests.v2.batch_helpers import V2, oid, task, v2_account


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


READ_BACK = [
    ("RRULE:FREQ=DAILY;INTERVAL=1;COUNT=5", "every day for 5 times"),
    ("RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=9;BYMINUTE=0", "every day at 9:00"),
    ("RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=1,3;BYHOUR=9", "every jan, mar at 9:00"),
    ("RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO,-1FR", "every month on 1st monday, last friday"),
    ("RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20301231T170000Z", "every day until 2030-12-31 17:00 UTC"),
    ("ERULE:NAME=CUSTOM;BYDATE=20300103,20300214", "on 3 jan 2030, 14 feb 2030"),
]


def add_v2(v2: V2, title: str, rrule: str, due: str = "2030-01-01T00:00:00") -> str:
    tid = oid()
    fields = {"id": tid, "due_date": due, "is_all_day": True}
    fields.update(repeat_flag=rrule, time_zone="Europe/Berlin")
    v2.client.post_task_v2({"add": [task(v2.inbox, title, **fields)]})
    return tid


@pytest.mark.parametrize(("rrule", "words"), READ_BACK)
def test_a_rule_beyond_the_grammar_reads_back_as_words(v2: V2, rrule: str, words: str) -> None:
    tid = add_v2(v2, "From V2", rrule)
    assert items(v2)["From V2"]["date_string"] == words
    assert v2.tasks()[tid]["repeatFlag"] == rrule


@pytest.mark.parametrize(
    "rrule",
    [
        "RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO,-1FR",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=1,3",
        "RRULE:FREQ=DAILY;INTERVAL=2;BYHOUR=9",
    ],
)
def test_item_close_follows_the_rule_behind_the_words(v2: V2, rrule: str) -> None:
    berlin(v2)
    tid = add_v2(v2, "Rule", rrule)
    before = items(v2)["Rule"]
    old = datetime.strptime(before["due_date_utc"], V6).replace(tzinfo=UTC)
    body = run(v2.server, v2.user["token"], [cmd("item_close", {"id": before["id"]})])
    assert set(body["SyncStatus"].values()) == {"ok"}, body
    after = items(v2)["Rule"]
    moment = next_rrule_occurrence(rrule, old, tz=BERLIN)
    while moment <= datetime.now(UTC):
        moment = next_rrule_occurrence(rrule, moment, tz=BERLIN)
    assert after["due_date_utc"] == moment.strftime(V6)
    assert after["checked"] == 0 and after["date_string"] == before["date_string"]
    assert v2.tasks()[tid]["repeatFlag"] == rrule


def test_for_n_times_sets_count_and_each_close_uses_one(v2: V2) -> None:
    berlin(v2)
    text = "every day for 2 times"
    add = cmd("item_add", {"content": "Pills", "date_string": text}, temp_id=str(uuid.uuid4()))
    assert set(run(v2.server, v2.user["token"], [add])["SyncStatus"].values()) == {"ok"}
    (pills,) = [t for t in v2.tasks().values() if t["title"] == "Pills"]
    assert pills["repeatFlag"] == "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=2"
    item_id = items(v2)["Pills"]["id"]
    close = cmd("item_close", {"id": item_id})
    assert set(run(v2.server, v2.user["token"], [close])["SyncStatus"].values()) == {"ok"}
    once = items(v2)["Pills"]
    assert once["checked"] == 0 and once["date_string"] == "every day for 1 time"
    assert v2.tasks()[pills["id"]]["repeatFlag"] == "RRULE:FREQ=DAILY;INTERVAL=1;COUNT=1"
    close = cmd("item_close", {"id": item_id})
    assert set(run(v2.server, v2.user["token"], [close])["SyncStatus"].values()) == {"ok"}
    done = items(v2).get("Pills")
    assert done is None or done["checked"] == 1


def test_a_v2_count_reads_back_and_round_trips(v2: V2) -> None:
    tid = add_v2(v2, "Course", "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=8")
    item = items(v2)["Course"]
    assert item["date_string"] == "every tuesday for 8 times"
    update = cmd("item_update", {"id": item["id"], "date_string": item["date_string"]})
    assert set(run(v2.server, v2.user["token"], [update])["SyncStatus"].values()) == {"ok"}
    assert v2.tasks()[tid]["repeatFlag"] == "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;COUNT=8"
