"""V2 ``status`` 2 on a recurring task, for each rule shape: TickTick clients send the next
occurrence themselves, so the server checks the task and leaves its date and rule alone
(docs/v2-api.md); a Sync API incremental sync then shows the same: checked, in history,
the same due date and words."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.servers import RunningServer
from tests.test_dates_across_protocols import SHAPES, berlin, cmd, run, sync_api
from tests.v2.batch_helpers import V2, oid, task, v2_account

# Rules only a V2 client writes (no words read back to them), and repeatFrom 1.
V2_RULES = [
    ("RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=9", None),
    ("RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=1,3", None),
    ("RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO,-1FR", None),
    ("RRULE:FREQ=DAILY;INTERVAL=1;COUNT=3", None),
    ("RRULE:FREQ=DAILY;INTERVAL=1;TT_SKIP=WEEKEND", None),
    ("ERULE:NAME=CUSTOM;BYDATE=20300103,20300214", None),
    ("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", 1),
]


@pytest.fixture
def v2(server: RunningServer) -> V2:
    return v2_account(server)


def by_title(v2: V2) -> dict[str, dict[str, Any]]:
    return {t["title"]: t for t in v2.tasks().values()}


def test_status_2_checks_each_rule_shape_without_advancing_it(v2: V2) -> None:
    berlin(v2)
    adds = [
        cmd("item_add", {"content": text, "date_string": text}, temp_id=str(uuid.uuid4()))
        for text in SHAPES
    ]
    assert set(run(v2.server, v2.user["token"], adds)["SyncStatus"].values()) == {"ok"}
    for rrule, repeat_from in V2_RULES:
        fields: dict[str, Any] = {"id": oid(), "due_date": "2030-01-07T08:00:00"}
        fields.update(repeat_flag=rrule, repeat_from=repeat_from, time_zone="Europe/Berlin")
        v2.client.post_task_v2({"add": [task(v2.inbox, rrule, **fields)]})
    titles = [*SHAPES, *(rule for rule, _ in V2_RULES)]

    api = sync_api(v2)  # a Sync API client that has seen every item open
    seen = {item["content"]: dict(item.data) for item in api.state["Items"]}
    before = by_title(v2)
    point = v2.check()["checkPoint"]

    closes = [{"id": before[t]["id"], "project_id": v2.inbox, "status": 2} for t in titles]
    v2.client.post_task_v2({"update": closes})

    changed = {t["title"]: t for t in v2.check(point)["syncTaskBean"]["update"]}
    assert sorted(changed) == sorted(titles)
    for title in titles:
        done, old = changed[title], before[title]
        assert done["status"] == 2 and done["completedTime"] is not None, title
        # Not advanced: the date, the rule and how it counts stay as they were.
        assert done["dueDate"] == old["dueDate"], title
        assert done["repeatFlag"] == old["repeatFlag"], title
        assert done.get("repeatFrom") == old.get("repeatFrom"), title
    assert not set(titles) & set(by_title(v2))  # closed tasks leave batch/check/0

    api.sync(resource_types=["all"])  # incremental: the client sends its seq_no
    now = {item["content"]: dict(item.data) for item in api.state["Items"]}
    for title in titles:
        item, old_item = now[title], seen[title]
        assert (item["checked"], item["in_history"]) == (1, 1), title
        assert item["due_date_utc"] == old_item["due_date_utc"], title
        assert item["date_string"] == old_item["date_string"], title
    # A fresh full sync leaves the closed items out, as the V2 open list does.
    fresh = {item["content"] for item in sync_api(v2).state["Items"]}
    assert not set(titles) & fresh


def test_status_0_after_status_2_reopens_at_the_same_occurrence(v2: V2) -> None:
    berlin(v2)
    add = cmd("item_add", {"content": "Plants", "date_string": "every other monday"})
    assert set(run(v2.server, v2.user["token"], [add])["SyncStatus"].values()) == {"ok"}
    plants = by_title(v2)["Plants"]
    v2.client.post_task_v2({"update": [{"id": plants["id"], "project_id": v2.inbox, "status": 2}]})
    v2.client.post_task_v2({"update": [{"id": plants["id"], "project_id": v2.inbox, "status": 0}]})
    again = by_title(v2)["Plants"]
    assert again["status"] == 0 and again.get("completedTime") is None
    assert (again["dueDate"], again["repeatFlag"]) == (plants["dueDate"], plants["repeatFlag"])
    items = {i["content"]: i for i in sync_api(v2).state["Items"]}
    assert items["Plants"]["checked"] == 0
    assert items["Plants"]["date_string"] == "every other monday"
